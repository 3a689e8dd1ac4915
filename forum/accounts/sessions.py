"""Server-side sign-in sessions: one row per signed-in browser, so signing out really ends a session."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from forum.accounts.models import LoginSession, User
from forum.core.db import utcnow, whole_number
from forum.extensions import db

#: ``last_seen_at`` moves on at most this often
SEEN_RESOLUTION = timedelta(minutes=10)


def start_session(user: User, user_agent: str = "") -> LoginSession:
    """Open a session for ``user``; its id goes into the cookie through ``user.get_id()``."""
    row = LoginSession(id=secrets.token_urlsafe(32), user_id=user.id, user_agent=(user_agent or "")[:200])
    db.session.add(row)
    db.session.flush()
    user.login_session_id = row.id
    return row


def _lifetime() -> timedelta:
    return current_app.config["REMEMBER_COOKIE_DURATION"]


def session_user(session_id: str) -> User | None:
    """The active user of a live session id of the form ``<user id>:<session>``, or None."""
    user_id, _, key = (session_id or "").partition(":")
    if whole_number(user_id) is None or not key:
        return None
    row = db.session.get(LoginSession, key)
    if row is None or row.user_id != int(user_id):
        return None
    now = utcnow()
    if now - row.last_seen_at > _lifetime():
        db.session.delete(row)
        return None
    if not row.user.is_active:
        return None
    if now - row.last_seen_at > SEEN_RESOLUTION:
        row.last_seen_at = now
    row.user.login_session_id = row.id
    return row.user


def end_session(user: User) -> None:
    """Sign out the browser the user is using now."""
    if user.login_session_id:
        db.session.execute(delete(LoginSession).where(LoginSession.id == user.login_session_id))


def end_sessions(user: User, keep_current: bool = False) -> int:
    """Sign ``user`` out everywhere (or everywhere else); returns how many sessions ended."""
    query = delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep_current and user.login_session_id:
        query = query.where(LoginSession.id != user.login_session_id)
    return db.session.execute(query).rowcount


def live_sessions(user: User) -> list[LoginSession]:
    """The user's open sessions, most recently used first."""
    return list(db.session.scalars(
        select(LoginSession).where(LoginSession.user_id == user.id).order_by(LoginSession.last_seen_at.desc())
    ))
