"""The platforms API as a program meets it: the list with the caller's standing, joining and leaving."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.core.db import commit, utcnow
from forum.extensions import db
from forum.platforms.models import PlatformMembership
from tests.conftest import Auth


def by_slug(response) -> dict[str, dict]:
    """The platforms of a list answer, by slug."""
    return {item["slug"]: item for item in response.json["items"]}


# --- the list -----------------------------------------------------------------------------------------------


def test_platforms_are_listed_with_their_public_fields(client, make_platform):
    """Each platform carries both languages, look, rules, archive state and its members count; a visitor has
    no membership and moderates nothing."""
    platform = make_platform(slug="justicia", name_es="Justicia", name_en="Justice", description_es="Acceso",
                             description_en="Access", colour="#123abc", icon="scale", visibility="members",
                             join_policy="approval")
    response = client.get("/api/v1/platforms")
    assert response.status_code == 200
    assert response.json == {"items": [{
        "id": platform.id, "slug": "justicia", "name": {"es": "Justicia", "en": "Justice"},
        "description": {"es": "Acceso", "en": "Access"}, "colour": "#123abc", "icon": "scale",
        "visibility": "members", "join_policy": "approval", "archived": False, "members_count": 0,
        "membership": None, "is_moderator": False}]}


def test_the_list_shows_the_callers_membership_and_duties(client, make_user, make_platform, token):
    """member / pending / none and is_moderator follow the caller; counts take approved members only."""
    ana, ben = make_user("ana@example.org"), make_user("ben@example.org")
    make_platform(slug="justicia", members=[ana, ben])
    make_platform(slug="genero", join_policy="approval", moderators=[ben])
    make_platform(slug="empleo")
    headers = token(ana)
    assert client.post("/api/v1/platforms/genero/membership", headers=headers).json == {"status": "pending"}
    platforms = by_slug(client.get("/api/v1/platforms", headers=headers))
    assert {slug: p["membership"] for slug, p in platforms.items()} == {
        "justicia": "member", "genero": "pending", "empleo": None}
    assert {slug: p["members_count"] for slug, p in platforms.items()} == {"justicia": 2, "genero": 0, "empleo": 0}
    assert not any(p["is_moderator"] for p in platforms.values())
    as_ben = by_slug(client.get("/api/v1/platforms", headers=token(ben)))
    assert as_ben["genero"]["is_moderator"] and not as_ben["justicia"]["is_moderator"]
    assert as_ben["genero"]["membership"] is None and as_ben["justicia"]["membership"] == "member"


def test_global_moderators_moderate_every_platform(client, make_user, make_platform, token):
    """A site-wide moderator is reported as moderator of each platform."""
    make_platform(slug="justicia")
    make_platform(slug="genero")
    platforms = client.get("/api/v1/platforms", headers=token(make_user(role="moderator"))).json["items"]
    assert [p["is_moderator"] for p in platforms] == [True, True]


def test_archived_platforms_are_left_out_and_order_is_the_navigation(client, make_platform):
    """Platforms come in their navigation order; archived ones are not listed."""
    make_platform(slug="primera")
    archived = make_platform(slug="archivada")
    make_platform(slug="tercera")
    archived.archived_at = utcnow()
    commit()
    assert [p["slug"] for p in client.get("/api/v1/platforms").json["items"]] == ["primera", "tercera"]


def test_the_list_takes_the_same_queries_for_few_and_many_platforms(client, make_user, make_platform, token,
                                                                   count_queries):
    """Members counts and the caller's standing come without one query per platform."""
    ana = make_user("ana@example.org")
    others = [make_user() for _ in range(3)]
    headers = token(ana)

    def add(n: int) -> None:
        for _ in range(n):
            make_platform(members=[ana, *others], moderators=[others[0]])

    def queries() -> int:
        with count_queries() as statements:
            response = client.get("/api/v1/platforms", headers=headers)
        assert response.status_code == 200
        return len(statements)

    add(2)
    client.get("/api/v1/platforms", headers=headers)  # the token's first use is recorded once
    few = queries()
    add(8)
    many = queries()
    assert len(client.get("/api/v1/platforms").json["items"]) == 10
    assert few == many


# --- joining and leaving ------------------------------------------------------------------------------------


def test_joining_and_leaving_an_open_platform(client, make_user, make_platform, token):
    """Joining an open platform makes a member at once (201); leaving answers 204 and the membership is gone."""
    make_platform(slug="empleo")
    headers = token(make_user("ana@example.org"))
    joined = client.post("/api/v1/platforms/empleo/membership", headers=headers)
    assert joined.status_code == 201 and joined.json == {"status": "member"}
    [platform] = client.get("/api/v1/platforms", headers=headers).json["items"]
    assert platform["membership"] == "member" and platform["members_count"] == 1
    left = client.delete("/api/v1/platforms/empleo/membership", headers=headers)
    assert left.status_code == 204 and left.get_data() == b""
    [platform] = client.get("/api/v1/platforms", headers=headers).json["items"]
    assert platform["membership"] is None and platform["members_count"] == 0


def test_joining_an_approval_platform_is_a_pending_request_that_can_be_withdrawn(client, make_user, make_platform,
                                                                                token):
    """On an approval platform the answer is pending; withdrawing is the same DELETE."""
    make_platform(slug="seguridad", join_policy="approval")
    headers = token(make_user())
    joined = client.post("/api/v1/platforms/seguridad/membership", headers=headers)
    assert joined.status_code == 201 and joined.json == {"status": "pending"}
    assert client.delete("/api/v1/platforms/seguridad/membership", headers=headers).status_code == 204
    assert client.get("/api/v1/platforms", headers=headers).json["items"][0]["membership"] is None


@pytest.mark.parametrize("policy", ["open", "approval"])
def test_joining_twice_is_a_conflict(client, make_user, make_platform, token, policy):
    """A second join, while a member or waiting, answers 409 in JSON."""
    make_platform(slug="justicia", join_policy=policy)
    headers = token(make_user())
    assert client.post("/api/v1/platforms/justicia/membership", headers=headers).status_code == 201
    again = client.post("/api/v1/platforms/justicia/membership", headers=headers)
    assert again.status_code == 409
    assert again.json["error"]["code"] == "conflict" and again.json["error"]["message"]


def test_leaving_without_being_a_member_is_a_conflict(client, make_user, make_platform, token):
    """DELETE with no membership or request answers 409."""
    make_platform(slug="justicia")
    response = client.delete("/api/v1/platforms/justicia/membership", headers=token(make_user()))
    assert response.status_code == 409 and response.json["error"]["code"] == "conflict"


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_an_unknown_platform_is_a_json_404(client, make_user, token, method):
    """Joining or leaving a platform that does not exist answers 404."""
    response = client.open("/api/v1/platforms/no-existe/membership", method=method, headers=token(make_user()))
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_an_archived_platform_cannot_be_joined(client, make_user, make_platform, token):
    """Archived platforms take no new members (403)."""
    platform = make_platform(slug="archivada")
    platform.archived_at = utcnow()
    commit()
    response = client.post("/api/v1/platforms/archivada/membership", headers=token(make_user()))
    assert response.status_code == 403 and response.json["error"]["code"] == "forbidden"


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_joining_and_leaving_need_authentication(client, make_platform, method):
    """A visitor (whose browser sends its CSRF token) gets 401 in JSON."""
    make_platform(slug="justicia")
    response = client.open("/api/v1/platforms/justicia/membership", method=method,
                           headers={"X-CSRFToken": client.csrf_token()})
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"


def test_a_signed_in_browser_joins_with_its_csrf_token(app, make_user, make_platform):
    """The site's own scripts use the session cookie: with the CSRF header the join works, without it 400."""
    make_user("ana@example.org")
    make_platform(slug="justicia")
    browser = app.test_client()
    assert Auth(browser).login("ana@example.org").status_code == 302
    refused = browser.post("/api/v1/platforms/justicia/membership")
    assert refused.status_code == 400 and refused.json["error"]["code"] == "csrf_failed"
    joined = browser.post("/api/v1/platforms/justicia/membership", headers={"X-CSRFToken": browser.csrf_token()})
    assert joined.status_code == 201 and joined.json == {"status": "member"}


@pytest.mark.parametrize(("locale", "accept", "word"), [("en", "en", "already"), ("es", "en", "ya")])
def test_conflict_messages_are_in_the_callers_language(client, make_user, make_platform, token, locale, accept,
                                                       word):
    """The same double join explains itself in English to an English speaker and in Spanish to a Spanish one
    (whose account preference wins over the browser's)."""
    source = "You are already a member of this platform, or your request is pending."
    make_platform(slug="justicia")
    headers = token(make_user(locale=locale), **{"Accept-Language": accept})
    client.post("/api/v1/platforms/justicia/membership", headers=headers)
    message = client.post("/api/v1/platforms/justicia/membership", headers=headers).json["error"]["message"]
    assert word in message.lower().split()
    if locale == "es":
        assert message != source


def test_the_openapi_document_describes_the_platform_endpoints(client):
    """The list, join and leave are in the OpenAPI document with the Platform schema."""
    spec = client.get("/api/v1/openapi.json").json
    assert "get" in spec["paths"]["/platforms"]
    assert {"post", "delete"} <= set(spec["paths"]["/platforms/{slug}/membership"])
    assert "membership" in spec["components"]["schemas"]["Platform"]["properties"]


def test_membership_changes_are_saved(client, make_user, make_platform, token):
    """What the API answers is what the database holds afterwards."""
    platform = make_platform(slug="justicia", join_policy="approval")
    user = make_user()
    client.post("/api/v1/platforms/justicia/membership", headers=token(user))
    db.session.expire_all()
    saved = db.session.scalar(select(PlatformMembership).where(PlatformMembership.platform_id == platform.id))
    assert (saved.user_id, saved.status) == (user.id, "pending")
