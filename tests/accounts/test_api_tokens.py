"""Personal access tokens: created on the account page, shown once, stored hashed, revocable, and how the API
tells tokens from browser sessions (CSRF)."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import func, select

from forum.accounts.models import ApiToken
from forum.extensions import db
from tests.conftest import Auth

_SECRET = re.compile(r'<code class="secret">([^<]+)</code>')


def html(response) -> str:
    """The page's text."""
    return response.get_data(as_text=True)


def browser(app, email: str | None = None):
    """Another person's browser, signed in as ``email`` when given."""
    client = app.test_client()
    if email:
        assert Auth(client).login(email).status_code == 302
    return client


def create_token(client, name: str = "reporting script") -> str:
    """Create a token on the tokens page and return the secret it shows."""
    response = client.post("/account/tokens", data={"name": name})
    assert response.status_code == 201, html(response)
    return _SECRET.search(html(response)).group(1)


def bearer(secret: str, **headers) -> dict:
    """Request headers carrying ``secret`` as a bearer token."""
    return {"Authorization": f"Bearer {secret}", **headers}


def the_token() -> ApiToken:
    """The only token in the database, as saved."""
    db.session.expire_all()
    return db.session.scalar(select(ApiToken))


@pytest.fixture
def ana(app, make_user):
    """Ana's signed-in browser (English), with self-declared gender and age on her account."""
    make_user("ana@example.org", display_name="Ana Ruiz", locale="en", gender="woman", age_range="30_44")
    return browser(app, "ana@example.org")


def test_the_tokens_page_needs_sign_in(client):
    """Visitors are sent to sign in."""
    response = client.get("/account/tokens")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_new_token_is_shown_once_then_only_its_prefix(ana):
    """The secret appears once, after creation; the list then shows its name and first characters only."""
    response = ana.post("/account/tokens", data={"name": "reporting script"})
    assert response.status_code == 201
    assert "Copy it now: it will not be shown again." in html(response)
    secret = _SECRET.search(html(response)).group(1)
    assert secret.startswith("fcs_") and len(secret) > 30
    later = html(ana.get("/account/tokens"))
    assert secret not in later
    assert "reporting script" in later
    assert f"<code>{secret[:10]}…</code>" in later


def test_only_a_hash_of_the_token_is_stored(ana):
    """The database keeps the SHA-256 of the secret and a short prefix, never the secret itself."""
    secret = create_token(ana)
    token = the_token()
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:10]
    stored = [str(getattr(token, column.key)) for column in ApiToken.__table__.columns]
    assert not any(secret in value for value in stored)


def test_the_token_reads_ones_own_account_without_self_declared_data(app, ana):
    """GET /api/v1/me with the token answers the owner's account, with no gender or age in it."""
    secret = create_token(ana)
    response = app.test_client().get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 200
    body = response.json
    assert body["email"] == "ana@example.org" and body["display_name"] == "Ana Ruiz"
    assert body["role"] == "participant" and body["is_official"] is False
    assert not {"gender", "gender_description", "age_range", "password_hash"} & set(body)
    assert "woman" not in response.get_data(as_text=True) and "30_44" not in response.get_data(as_text=True)


def test_using_a_token_shows_when_it_was_last_used(app, ana):
    """After a call, the list no longer says the token was never used."""
    secret = create_token(ana)
    assert "never" in html(ana.get("/account/tokens"))
    app.test_client().get("/api/v1/me", headers=bearer(secret))
    assert "never" not in html(ana.get("/account/tokens"))


def test_a_revoked_token_gets_a_json_401(app, ana):
    """Once revoked the token answers 401 with a JSON error; it disappears from the list."""
    secret = create_token(ana)
    api = app.test_client()
    assert api.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    response = ana.post(f"/account/tokens/{the_token().id}/revoke", data={})
    assert response.status_code == 302
    assert "You have no tokens." in html(ana.get("/account/tokens"))
    refused = api.get("/api/v1/me", headers=bearer(secret))
    assert refused.status_code == 401
    assert refused.content_type.startswith("application/json")
    error = refused.json["error"]
    assert set(error) == {"code", "message"} and error["code"] and error["message"]


def test_revoking_someone_elses_token_is_404_and_it_keeps_working(app, ana, make_user):
    """Another person cannot revoke Ana's token: 404, and the token still works."""
    secret = create_token(ana)
    make_user("bruno@example.org")
    bruno = browser(app, "bruno@example.org")
    response = bruno.post(f"/account/tokens/{the_token().id}/revoke", data={})
    assert response.status_code == 404
    assert the_token().revoked_at is None
    assert app.test_client().get("/api/v1/me", headers=bearer(secret)).status_code == 200


def test_revoking_twice_is_404(ana):
    """A token already revoked cannot be revoked again."""
    create_token(ana)
    token_id = the_token().id
    assert ana.post(f"/account/tokens/{token_id}/revoke", data={}).status_code == 302
    assert ana.post(f"/account/tokens/{token_id}/revoke", data={}).status_code == 404


@pytest.mark.parametrize("name", ["", "   "])
def test_a_token_needs_a_name(ana, name):
    """Without a name: 422 with a message, and no token."""
    response = ana.post("/account/tokens", data={"name": name})
    assert response.status_code == 422
    assert 'id="name-error"' in html(response)
    assert _SECRET.search(html(response)) is None
    assert db.session.scalar(select(func.count(ApiToken.id))) == 0


def test_creating_a_token_needs_the_csrf_token(ana):
    """A cross-site post of the token form is refused (400) and creates nothing."""
    response = ana.post("/account/tokens", data={"name": "evil"}, csrf=False)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(ApiToken.id))) == 0


def test_cookie_requests_without_the_csrf_token_are_refused(ana):
    """Signing out without the CSRF token gets 400, and the browser stays signed in."""
    assert ana.post("/logout", data={}, csrf=False).status_code == 400
    assert ana.get("/account").status_code == 200


def test_token_requests_need_no_csrf_token_but_cookie_requests_do(app, ana):
    """POST /api/v1/me with a token is not refused for CSRF (405: only reads and updates exist); the same post
    with only the session cookie and no CSRF token is refused with 400 csrf_failed."""
    secret = create_token(ana)
    with_token = app.test_client().post("/api/v1/me", headers=bearer(secret))
    assert with_token.status_code == 405
    assert with_token.json["error"]["code"] == "method_not_allowed"
    with_cookie = ana.post("/api/v1/me", json={})
    assert with_cookie.status_code == 400
    assert with_cookie.json["error"]["code"] == "csrf_failed"


def test_a_suspended_persons_token_is_refused(app, ana, make_user):
    """After an administrator suspends the owner, the token answers 401."""
    secret = create_token(ana)
    make_user("admin@example.org", role="admin")
    owner_id = the_token().user_id
    browser(app, "admin@example.org").post(f"/admin/users/{owner_id}",
                                           data={"action": "suspend", "suspend-reason": "Spam"})
    response = app.test_client().get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 401 and response.json["error"]["code"] == "invalid_token"


@pytest.mark.parametrize("secret", ["fcs_not-a-real-token", "not-even-the-prefix", "fcs_" + "x" * 200])
def test_unknown_tokens_are_refused(client, secret):
    """A made-up token gets 401 in JSON."""
    response = client.get("/api/v1/me", headers=bearer(secret))
    assert response.status_code == 401 and response.json["error"]["code"] == "invalid_token"


def test_no_token_at_all_is_401(client):
    """Without a token or session, /api/v1/me asks for authentication (401 JSON)."""
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"


def test_json_errors_are_in_the_callers_language(client):
    """The message of an API error follows Accept-Language (English here)."""
    response = client.get("/api/v1/me", headers=bearer("fcs_revoked", **{"Accept-Language": "en"}))
    assert response.status_code == 401
    assert response.json["error"]["message"] == "The access token is missing, invalid or revoked."
