"""Signing in and out: no enumeration, safe redirects, renewed and really ended sessions, rate limits."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.accounts.models import LoginSession
from forum.extensions import db
from tests.conftest import Auth


def signed_in(client) -> bool:
    """Whether the client's session is signed in (the settings page answers instead of redirecting)."""
    return client.get("/account").status_code == 200


def test_sign_in_and_out(client, auth, make_user):
    """The right password signs in; signing out ends it."""
    make_user("ana@example.org", display_name="Ana Ruiz")
    response = auth.login("ana@example.org")
    assert response.status_code == 302
    assert "Ana Ruiz" in client.get("/").get_data(as_text=True)
    auth.logout()
    assert not signed_in(client)


def test_wrong_password_and_unknown_address_look_the_same(english_client, make_user):
    """Same status and same message whether or not the address has an account."""
    make_user("ana@example.org")
    auth = Auth(english_client)
    wrong = auth.login("ana@example.org", "not the password")
    unknown = auth.login("nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    message = "The e-mail address or the password is not correct."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


@pytest.mark.parametrize("target,expected", [
    ("/account", "/account"),
    ("/organisations?q=x", "/organisations?q=x"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_next_only_redirects_within_the_site(client, auth, make_user, target, expected):
    """``next`` is followed only when it is a path of this site."""
    make_user("ana@example.org")
    response = client.post("/login", query_string={"next": target},
                           data={"email": "ana@example.org", "password": "correct horse battery"})
    assert response.headers["Location"] == expected


def test_sign_in_renews_the_session(client, auth, make_user):
    """A session planted before sign-in is not the one used after it (no session fixation)."""
    make_user("ana@example.org")
    before = client.csrf_token()
    auth.login("ana@example.org")
    assert client.csrf_token() != before


def test_signing_out_ends_the_session_on_the_server(app, client, auth, make_user):
    """A copy of the session cookie taken before sign-out no longer works after it."""
    make_user("ana@example.org")
    auth.login("ana@example.org")
    stolen = client.get_cookie("session").value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert not signed_in(thief)
    assert db.session.scalar(select(func.count(LoginSession.id))) == 0


def test_remember_me_keeps_the_user_signed_in_after_the_browser_closes(app, client, auth, make_user):
    """With "keep me signed in", the remember cookie alone signs the user back in."""
    make_user("ana@example.org")
    auth.login("ana@example.org", remember="y")
    remember = client.get_cookie("remember_token")
    assert remember is not None and remember.http_only
    reopened = app.test_client()
    reopened.set_cookie("remember_token", remember.value)
    assert signed_in(reopened)


def test_suspended_accounts_cannot_sign_in(english_client, make_user):
    """The right password of a suspended account: 403 with the reason."""
    user = make_user("ana@example.org")
    user.suspended_at = user.created_at
    user.suspension_reason = "Spam in three threads"
    db.session.commit()
    response = Auth(english_client).login("ana@example.org")
    assert response.status_code == 403
    assert "Spam in three threads" in response.get_data(as_text=True)


def test_sign_in_is_rate_limited_with_a_translated_message(app, english_client, make_user):
    """After the limit, 429 with a message in the user's language; the account is not locked for good."""
    make_user("ana@example.org")
    auth = Auth(english_client)
    for _ in range(10):
        auth.login("ana@example.org", "wrong password")
    response = auth.login("ana@example.org")
    assert response.status_code == 429
    assert "too many requests" in response.get_data(as_text=True)


def test_empty_form_gets_field_messages(english_client):
    """An empty sign-in form: 422 and a message next to each field."""
    response = english_client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    assert response.get_data(as_text=True).count("This field is required.") >= 2


def test_forms_without_a_csrf_token_are_refused(english_client, make_user):
    """A cross-site form post (no CSRF token) gets 400 and an explanation."""
    make_user("ana@example.org")
    response = english_client.post("/login", data={"email": "ana@example.org", "password": "x"}, csrf=False)
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)


def test_signing_out_everywhere_else_ends_the_other_browsers_only(app, client, auth, make_user):
    """"Sign out everywhere else" ends the other browser's session, keeps this one, and says how many ended."""
    make_user("ana@example.org")
    other = app.test_client()
    Auth(other).login("ana@example.org")
    auth.login("ana@example.org")
    response = client.post("/account/sessions/end-others", data={}, follow_redirects=True)
    assert "Se cerró la sesión en 1 dispositivo más." in response.get_data(as_text=True)
    assert signed_in(client) and not signed_in(other)
