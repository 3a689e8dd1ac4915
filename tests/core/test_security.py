"""HTTP security: headers on every answer, cookie flags, CSRF, and templates without inline script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import Auth

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize("path", ["/", "/login", "/no-such-page", "/api/v1/organisations"])
def test_security_headers(client, path):
    """CSP without inline script, no framing, no sniffing, a referrer policy: on pages, errors and API."""
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_session_cookie_flags(client, auth, make_user):
    """The session cookie is HttpOnly and SameSite=Lax, and not Secure on plain HTTP."""
    make_user("ana@example.org")
    response = auth.login("ana@example.org")
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_cookies_are_secure_behind_https(app_factory, make_user):
    """With an https base URL the cookies are Secure and HSTS is sent."""
    app = app_factory(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    with app.app_context():
        make_user("ana@example.org")
    client = app.test_client()
    response = Auth(client).login("ana@example.org", remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    assert all("Secure" in c for c in cookies)
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_state_changes_need_a_csrf_token(client, auth, make_user):
    """Signing out from another site (no token) fails; the user stays signed in."""
    make_user("ana@example.org")
    auth.login("ana@example.org")
    assert client.post("/logout", data={}, csrf=False).status_code == 400
    assert client.get("/account").status_code == 200


def test_no_inline_script_or_event_handlers_in_templates():
    """Every script is a file served by the app: no inline <script>, no on…= attributes."""
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert not re.search(r"\son[a-z]+\s*=", text), template


def test_no_asset_comes_from_another_site():
    """No CDN: stylesheets, scripts, images and fonts are all served by the app."""
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"(https?:)?//", text), template


def test_nothing_marked_safe_in_templates():
    """User text is never passed through |safe; the only trusted HTML is what the sanitiser stored (``body_html``
    and the other ``…_html`` columns, such as an event's ``description_html`` or a paragraph's ``html`` read as
    ``paragraph_html``), what it just produced for a preview (``preview.html``), or a comparison of versions
    that escapes every word itself (``change.html``, from ``forum.consultations.drafts.compare``)."""
    for template in TEMPLATES.rglob("*.html"):
        source = template.read_text(encoding="utf-8").replace(" ", "")
        assert "|safe" not in source, template
        for trusted in re.findall(r"([\w.]+)\|stored_html", source):
            assert trusted.endswith((".body_html", "_html")) or trusted in ("preview.html", "change.html"), \
                (template, trusted)
