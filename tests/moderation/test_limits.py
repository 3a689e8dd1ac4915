"""Abuse limits on posting and flagging: a translated 429 on pages and API alike, moderators exempt from the
posting limit, and counts kept per account across its browsers and tokens."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.moderation.models import Flag
from tests.conftest import Auth

TOO_MANY_ES = "Realizó demasiadas solicitudes"
TOO_MANY_EN = "You have made too many requests"


def flagger_flags(user) -> list[Flag]:
    """The flags ``user`` has filed."""
    return list(db.session.scalars(db.select(Flag).where(Flag.user_id == user.id)))


@pytest.fixture
def limited(app_factory):
    """An app allowing two posts and two flags a minute per person."""
    app = app_factory(FORUM_POST_RATE_LIMIT="2 per minute", FORUM_FLAG_RATE_LIMIT="2 per minute")
    with app.app_context():
        yield app


def test_posting_is_limited_per_person_on_pages_and_api(limited, make_user, make_platform, make_thread, token):
    """Two replies go through; the third, by page or by API, gets 429 with a message in the person's language."""
    rosa = make_user("rosa@example.org")
    claire = make_user("claire@example.org", locale="en")
    platform = make_platform(members=[rosa, claire])
    thread = make_thread(claire, platform)
    client = limited.test_client()
    Auth(client).login("rosa@example.org")
    for text in ("uno", "dos"):
        assert client.post(f"/t/{thread.id}/reply", data={"body": text, "language": "es"}).status_code == 303
    refused = client.post(f"/t/{thread.id}/reply", data={"body": "tres", "language": "es"})
    assert refused.status_code == 429 and TOO_MANY_ES in refused.get_data(as_text=True)
    api = limited.test_client().post(f"/api/v1/threads/{thread.id}/posts", json={"body": "cuatro"},
                                     headers=token(rosa))
    assert api.status_code == 429 and api.json["error"]["code"] == "rate_limited"
    other = limited.test_client().post(f"/api/v1/threads/{thread.id}/posts", json={"body": "fine"},
                                       headers=token(claire))
    assert other.status_code == 201


def test_moderators_are_not_limited_when_posting(limited, make_user, make_platform, make_thread):
    """A platform moderator posts past the limit."""
    moderator = make_user("mod@example.org")
    platform = make_platform(moderators=[moderator])
    thread = make_thread(moderator, platform)
    client = limited.test_client()
    Auth(client).login("mod@example.org")
    statuses = [client.post(f"/t/{thread.id}/reply", data={"body": f"n{n}", "language": "es"}).status_code
                for n in range(4)]
    assert statuses == [303] * 4


def test_flagging_is_limited(limited, make_user, make_platform, make_thread, make_post):
    """The third flag in a minute is refused with 429 in English for an English-speaking account."""
    author = make_user()
    flagger = make_user("flag@example.org", locale="en")
    platform = make_platform(members=[author])
    thread = make_thread(author, platform)
    posts = [make_post(author, thread, f"post {n}") for n in range(3)]
    client = limited.test_client()
    Auth(client).login("flag@example.org")
    statuses = [client.post(f"/flag/post/{post.id}", data={"reason": "spam", "note": ""}) for post in posts]
    assert [s.status_code for s in statuses[:2]] == [303, 303]
    assert statuses[2].status_code == 429 and TOO_MANY_EN in statuses[2].get_data(as_text=True)
    assert len(flagger_flags(flagger)) == 2
