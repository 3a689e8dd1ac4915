"""Consent to the privacy notice: each account records the version its owner accepted. Someone who accepted an
earlier version (or none: accounts made by an administrator or before the notice existed) is asked to read and
accept the version in force, on every page, until they do."""

from __future__ import annotations

from forum.accounts.models import User
from forum.core.db import utcnow
from forum.core.permissions import is_signed_in
from forum.extensions import db
from forum.personal_data import notice


def pending(user: User | None) -> bool:
    """Whether ``user`` has yet to accept the privacy notice in force."""
    return is_signed_in(user) and user.privacy_notice_version != notice.VERSION


def accept(user: User) -> None:
    """Record that ``user`` accepted the privacy notice in force, now. Flushes only."""
    user.privacy_notice_version = notice.VERSION
    user.privacy_accepted_at = utcnow()
    db.session.flush()
