"""Profile settings and profiles: editing, privacy of self-declared data, and the API's /me."""

from __future__ import annotations

from tests.conftest import Auth


def settings(**overrides) -> dict:
    """A complete settings form."""
    data = {"display_name": "Ana Ruiz", "position": "Coordinadora", "locale": "en",
            "timezone": "Europe/Brussels", "sector": "academia", "state": "SLP", "gender": "woman",
            "gender_description": "", "age_range": "30_44"}
    data.update(overrides)
    return data


def test_settings_are_saved(client, auth, make_user):
    """Every field of the settings page is saved and the interface follows the new language."""
    user = make_user("ana@example.org")
    auth.login("ana@example.org")
    response = client.post("/account", data=settings())
    assert response.status_code == 302
    assert (user.display_name, user.position, user.locale, user.timezone, user.sector, user.state,
            user.gender, user.age_range) == ("Ana Ruiz", "Coordinadora", "en", "Europe/Brussels", "academia",
                                             "SLP", "woman", "30_44")
    assert '<html lang="en">' in client.get("/account").get_data(as_text=True)


def test_self_declared_data_can_be_removed(client, auth, make_user):
    """Choosing "not given" erases gender and age range."""
    user = make_user("ana@example.org", gender="woman", age_range="18_29")
    auth.login("ana@example.org")
    client.post("/account", data=settings(gender="", age_range=""))
    assert user.gender is None and user.age_range is None


def test_bad_settings_are_refused_and_nothing_is_lost(client, auth, make_user):
    """An unknown time zone: 422; the stored settings are unchanged."""
    user = make_user("ana@example.org", timezone="America/Mexico_City")
    auth.login("ana@example.org")
    assert client.post("/account", data=settings(timezone="Mars/Olympus")).status_code == 422
    assert user.timezone == "America/Mexico_City" and user.display_name != "Ana Ruiz"


def test_self_declared_data_is_never_shown_to_others(app, client, auth, make_user):
    """Gender and age appear on one's own profile only, not to other members or admins."""
    user = make_user("ana@example.org", gender="self_described", gender_description="Muxe",
                     age_range="18_29", locale="en")
    make_user("admin@example.org", role="admin")
    auth.login("ana@example.org")
    assert "Muxe" in client.get(f"/users/{user.id}").get_data(as_text=True)
    admin = app.test_client()
    Auth(admin).login("admin@example.org")
    for page in (f"/users/{user.id}", f"/admin/users/{user.id}", "/admin/users"):
        text = admin.get(page).get_data(as_text=True)
        assert "Muxe" not in text and "18–29" not in text


def test_profiles_are_for_signed_in_people(client, make_user):
    """A visitor who is not signed in is sent to sign in."""
    user = make_user("ana@example.org")
    response = client.get(f"/users/{user.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_profile_is_404(client, auth, make_user):
    """A profile id that does not exist: 404."""
    make_user("ana@example.org")
    auth.login("ana@example.org")
    assert client.get("/users/424242").status_code == 404


def test_api_update_me_with_a_token_needs_no_csrf(app, make_user):
    """PATCH /api/v1/me with a bearer token changes the language; no CSRF token is involved."""
    from forum.accounts import api_tokens
    from forum.core.db import commit

    user = make_user("ana@example.org")
    _, secret = api_tokens.create_token(user, "script")
    commit()
    client = app.test_client()
    response = client.patch("/api/v1/me", json={"locale": "en", "display_name": "Ana R."},
                            headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and response.json["locale"] == "en"
    assert user.display_name == "Ana R."
    bad = client.patch("/api/v1/me", json={"role": "admin"}, headers={"Authorization": f"Bearer {secret}"})
    assert bad.status_code == 422 and bad.json["error"]["code"] == "invalid"
    assert user.role == "participant"
    worse = client.patch("/api/v1/me", data="not json", headers={"Authorization": f"Bearer {secret}"})
    assert worse.status_code == 422


def test_api_update_me_with_a_cookie_needs_the_csrf_token(client, auth, make_user):
    """The same PATCH from a browser session without the CSRF header is refused (400)."""
    user = make_user("ana@example.org")
    auth.login("ana@example.org")
    refused = client.patch("/api/v1/me", json={"locale": "en"})
    assert refused.status_code == 400 and refused.json["error"]["code"] == "csrf_failed"
    accepted = client.patch("/api/v1/me", json={"locale": "en"}, headers={"X-CSRFToken": client.csrf_token()})
    assert accepted.status_code == 200 and user.locale == "en"


def test_settings_lead_to_the_privacy_notice_a_copy_of_ones_data_and_deleting_the_account(client, auth, make_user):
    """The rights over one's data are one step from the settings page."""
    make_user("ana@example.org")
    auth.login("ana@example.org")
    page = client.get("/account").get_data(as_text=True)
    for address in ('href="/privacy"', 'href="/account/data"', 'href="/account/delete"'):
        assert address in page
