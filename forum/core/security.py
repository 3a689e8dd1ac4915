"""HTTP security: response headers, CSRF on cookie-authenticated requests, and safe redirects."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, g, request
from flask_login import current_user

from forum.extensions import csrf

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_app(app: Flask) -> None:
    """Check CSRF before every unsafe request and add the security headers to every response."""

    @app.before_request
    def _check_csrf():
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return
        if request.headers.get("Authorization") and current_user.is_authenticated and g.get("api_token"):
            return  # authenticated by a bearer token: no cookie was involved, so nothing to forge
        if request.path.startswith("/api/") and not current_user.is_authenticated:
            return  # no credentials at all, so nothing to forge; the endpoint answers 401 itself
        if getattr(app.view_functions.get(request.endpoint), "proven_by_signed_link", False):
            return  # the address itself is the proof (see :func:`proven_by_signed_link`)
        csrf.protect()

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response


def safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site, else ``None`` (no open redirects)."""
    if not target:
        return None
    target = target.strip()
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def proven_by_signed_link(view: Callable) -> Callable:
    """Mark a view whose POST is authorised by the signed, single-purpose token in its own address rather than
    by a CSRF token: a mail program's one-click unsubscribe (RFC 8058) posts from outside any session."""
    view.proven_by_signed_link = True
    return view
