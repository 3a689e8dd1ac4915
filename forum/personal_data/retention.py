"""Keeping personal data no longer than needed: what ``flask --app forum purge-expired`` erases each day.

Each kind has its own function that erases what is due at ``now`` and only that; :func:`purge_all` runs them all
and returns how much of each kind went. The functions only flush: the command commits once, and the files of
expired copies of people's data are removed from storage after that commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, exists, or_, select

from forum.accounts.models import ApiToken, AuditEntry, LoginSession, Membership, Organisation, User
from forum.consultations.models import Consultation
from forum.core.db import on_commit, utcnow
from forum.core.mail import OutboxAttachment, OutboxMessage
from forum.core.storage import storage
from forum.documents.models import Document
from forum.events import retention as event_retention
from forum.events.models import event_organisations
from forum.extensions import db
from forum.personal_data.exports import link_days
from forum.personal_data.models import AccessEntry, DataExport

#: days a revoked API token is kept (its owner still sees it as revoked in their list meanwhile)
REVOKED_TOKEN_DAYS = 30


def _days(setting: str) -> timedelta:
    return timedelta(days=current_app.config[setting])


def _deleted(statement) -> int:
    """Run a bulk ``delete`` and return how many rows it removed."""
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount


def unconfirmed_accounts(now: datetime) -> tuple[int, int]:
    """Delete the accounts whose address was never confirmed and that were opened longer ago than
    ``FORUM_UNCONFIRMED_ACCOUNT_DAYS``. Such an account cannot sign in or use an API token, so all it can hold is
    what the registration form made: its requests to join organisations (deleted with it) and an organisation it
    named. That organisation goes too while it is unverified, nobody else belongs to it or asked to, and nothing
    else refers to it (a consultation, an event, a document, an administrator's action); otherwise it stays for
    the administrators. Returns (accounts, organisations) deleted."""
    due = select(User.id).where(User.email_confirmed_at.is_(None),
                                User.created_at < now - _days("FORUM_UNCONFIRMED_ACCOUNT_DAYS"))
    others_joined = exists().where(Membership.organisation_id == Organisation.id, Membership.user_id.not_in(due))
    referred_to = or_(exists().where(Consultation.organisation_id == Organisation.id),
                      exists().where(event_organisations.c.organisation_id == Organisation.id),
                      exists().where(or_(Document.organisation_id == Organisation.id,
                                         Document.access_organisation_id == Organisation.id)),
                      exists().where(AuditEntry.organisation_id == Organisation.id))
    organisations = _deleted(delete(Organisation).where(
        Organisation.created_by_id.in_(due), Organisation.verified.is_(False), ~others_joined, ~referred_to))
    return _deleted(delete(User).where(User.id.in_(due))), organisations


def idle_sessions(now: datetime) -> int:
    """Delete the sign-in sessions unused for longer than a session lasts (``REMEMBER_COOKIE_DURATION``, after
    which ``forum.accounts.sessions`` no longer accepts them). Returns how many."""
    lifetime = current_app.config["REMEMBER_COOKIE_DURATION"]
    return _deleted(delete(LoginSession).where(LoginSession.last_seen_at < now - lifetime))


def revoked_api_tokens(now: datetime) -> int:
    """Delete the API tokens revoked more than :data:`REVOKED_TOKEN_DAYS` days ago. Returns how many."""
    return _deleted(delete(ApiToken).where(ApiToken.revoked_at < now - timedelta(days=REVOKED_TOKEN_DAYS)))


def expired_exports(now: datetime) -> int:
    """Expire the copies of people's data whose link has expired, and those still being prepared longer than a
    link works (``FORUM_DATA_EXPORT_DAYS``): they are marked expired and their file is removed from storage once
    the change is committed. The hash of the link stays (it tells nothing about anyone), so the link goes on
    answering "expired" rather than "unknown". Copies already downloaded keep that status but lose any file left.
    Returns how many copies changed."""
    due = db.session.scalars(select(DataExport).where(
        or_(DataExport.expires_at <= now,
            (DataExport.status == "pending") & (DataExport.requested_at <= now - timedelta(days=link_days()))),
        or_(DataExport.status.in_(("pending", "ready")), DataExport.storage_key.is_not(None)),
    )).all()
    for export in due:
        if export.status in ("pending", "ready"):
            export.status = "expired"
        if export.storage_key:
            on_commit(lambda key=export.storage_key: storage().delete(key))
        export.storage_key = None
    db.session.flush()
    return len(due)


def old_outbox_messages(now: datetime) -> int:
    """Delete the e-mail sent more than ``FORUM_OUTBOX_RETENTION_DAYS`` days ago, and the e-mail never
    delivered that was queued longer ago than that and failed (mail still waiting for its first attempt, as
    on a site without SMTP, stays). Their attachments go with them. Returns how many messages."""
    cutoff = now - _days("FORUM_OUTBOX_RETENTION_DAYS")
    due = select(OutboxMessage.id).where(or_(
        OutboxMessage.sent_at < cutoff,
        OutboxMessage.sent_at.is_(None) & (OutboxMessage.attempts > 0) & (OutboxMessage.created_at < cutoff)))
    _deleted(delete(OutboxAttachment).where(OutboxAttachment.message_id.in_(due)))
    return _deleted(delete(OutboxMessage).where(OutboxMessage.id.in_(due)))


def old_access_entries(now: datetime) -> int:
    """Delete the entries of the access log older than ``FORUM_ACCESS_LOG_RETENTION_DAYS`` days. Returns how
    many."""
    return _deleted(delete(AccessEntry).where(
        AccessEntry.created_at < now - _days("FORUM_ACCESS_LOG_RETENTION_DAYS")))


def purge_all(now: datetime | None = None) -> dict[str, int]:
    """Erase everything whose retention period has passed at ``now`` (the present by default). Returns how many
    of each kind: ``accounts`` and ``organisations`` (never confirmed), ``sessions``, ``api_tokens``,
    ``exports``, ``outbox_messages``, ``events`` and ``registrations`` (anonymised by
    ``forum.events.retention``), ``departed`` (what was left of deleted accounts' registrations until their
    event's check-in closed) and ``access_entries``."""
    now = now or utcnow()
    accounts, organisations = unconfirmed_accounts(now)
    events, registrations = event_retention.purge_expired(now)
    departed = event_retention.erase_departed(now)
    return {
        "accounts": accounts, "organisations": organisations, "sessions": idle_sessions(now),
        "api_tokens": revoked_api_tokens(now), "exports": expired_exports(now),
        "outbox_messages": old_outbox_messages(now), "events": events, "registrations": registrations,
        "departed": departed,
        "access_entries": old_access_entries(now),
    }
