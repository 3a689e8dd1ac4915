"""Personal access tokens for the JSON API: shown once at creation, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from forum.accounts.models import ApiToken, User
from forum.core.db import utcnow
from forum.core.errors import ActionRefused
from forum.extensions import db

PREFIX = "fcs_"
#: how many live tokens one person may hold
MAX_TOKENS = 20
#: ``last_used_at`` is refreshed at most this often, so reads do not write on every request
USE_RESOLUTION = timedelta(minutes=10)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def live_tokens(user: User) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns it and its secret, which is never shown again."""
    name = (name or "").strip()
    if not name:
        raise ActionRefused(_("Please give the token a name, so you can recognise it later."), field="name")
    if len(name) > 80:
        raise ActionRefused(_("Use at most %(count)d characters.", count=80), field="name")
    if len(live_tokens(user)) >= MAX_TOKENS:
        raise ActionRefused(_("You already have %(count)d tokens. Revoke one you no longer use first.",
                              count=MAX_TOKENS), status=409, code="too_many_tokens")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=_digest(secret), prefix=secret[:10])
    db.session.add(token)
    db.session.flush()
    return token, secret


def revoke_token(user: User, token_id: int) -> None:
    """Revoke one of the user's own tokens; another person's token is reported as not found."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        raise ActionRefused(_("There is no such token."), status=404, code="not_found")
    token.revoked_at = utcnow()


def user_for_token(secret: str) -> tuple[User, ApiToken] | None:
    """The active, confirmed owner of a live token, or None."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    if token is None or token.revoked_at is not None:
        return None
    user = token.user
    if not user.is_active or user.email_confirmed_at is None:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > USE_RESOLUTION:
        token.last_used_at = now
    return user, token
