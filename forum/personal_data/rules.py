"""Who may do what with personal data: the only place these questions are answered."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_, select

from forum.accounts.models import User
from forum.accounts.rules import not_suspended
from forum.core.db import utcnow
from forum.core.permissions import is_admin, is_signed_in
from forum.extensions import db
from forum.personal_data.models import DataExport


def can_request_export(user: User | None) -> bool:
    """Everyone signed in may ask for a copy of their own data."""
    return is_signed_in(user)


def copy_expired(export: DataExport) -> bool:
    """Whether a copy's link has expired (whether or not the retention job has marked it so yet)."""
    return export.status == "expired" or (
        export.status == "ready" and export.expires_at is not None and export.expires_at <= utcnow())


def live_copies() -> ColumnElement[bool]:
    """A SQL condition on :class:`DataExport`, the twin of :func:`copy_expired`: copies in preparation, or ready
    and not expired."""
    return or_(DataExport.status == "pending", (DataExport.status == "ready") & (DataExport.expires_at > utcnow()))


def can_download(user: User | None, export: DataExport) -> bool:
    """A copy is downloaded by the person it is about, once, while it is ready and its link has not expired."""
    return (is_signed_in(user) and export.user_id == user.id and export.status == "ready"
            and export.expires_at is not None and not copy_expired(export))


def can_delete_account(user: User | None) -> bool:
    """Everyone signed in may delete their own account, except the last administrator who can act (the forum
    would be left without anyone to run it: they hand the role on first). Administrators who are suspended or
    never confirmed their address do not count."""
    if not is_signed_in(user):
        return False
    if not is_admin(user):
        return True
    others = select(func.count()).select_from(User).where(
        User.role == "admin", User.id != user.id, User.email_confirmed_at.is_not(None), not_suspended())
    return db.session.scalar(others) > 0


def can_read_access_log(user: User | None) -> bool:
    """Administrators read the log of who read other people's personal data."""
    return is_admin(user)
