"""The account audit log: every change of role, suspension, membership decision and verification."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.accounts.models import AuditEntry, Organisation, User
from forum.extensions import db


def record(actor: User | None, action: str, *, user: User | None = None,
           organisation: Organisation | None = None, old: str | None = None, new: str | None = None,
           note: str | None = None) -> AuditEntry:
    """Write one entry of the account audit log."""
    entry = AuditEntry(actor=actor, action=action, user=user, organisation=organisation,
                       old_value=old, new_value=new, note=note)
    db.session.add(entry)
    return entry


def entries_query(action: str | None = None, user_id: int | None = None):
    """The audit entries, newest first, optionally of one action or about one user."""
    query = select(AuditEntry).options(
        joinedload(AuditEntry.actor), joinedload(AuditEntry.user), joinedload(AuditEntry.organisation)
    ).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    if user_id:
        query = query.where(AuditEntry.user_id == user_id)
    return query
