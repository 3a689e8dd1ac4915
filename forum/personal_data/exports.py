"""Copies of a person's data ("Download my data"): asking for one, preparing it, and downloading it once.

A copy is prepared at once, during the request, when it is small (at most ``FORUM_DATA_EXPORT_INLINE_RECORDS``
records and ``FORUM_DATA_EXPORT_INLINE_BYTES`` bytes of uploaded files); a larger one is saved as ``pending`` and
prepared after the commit by a background task, or by ``flask --app forum prepare-data-exports`` (cron) if that
task did not finish. When it is ready the person is told in the forum and by e-mail, with a link whose secret the
copy keeps only as its SHA-256 (the e-mail with the link stays in the outbox until the retention job deletes it):
it works once, for the owner only, for ``FORUM_DATA_EXPORT_DAYS`` days; the file is removed from storage once
downloaded. One copy at a time is in preparation or ready.

The services only flush; :func:`prepare_waiting`, the work of the background task and of the command, runs
outside any request and commits each copy on its own.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import BinaryIO

from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from forum.accounts.models import User
from forum.core.db import commit, on_commit, rollback, utcnow
from forum.core.errors import ActionRefused
from forum.core.mail import external_url, queue_mail
from forum.core.storage import storage
from forum.extensions import db, socketio
from forum.moderation.sanctions import moment
from forum.notifications import services as notifications
from forum.personal_data import export_contents, export_files, export_records, rules
from forum.personal_data.models import DataExport

#: the longest secret a download link carries (longer ones are not links of ours)
SECRET_MAX = 100


class LinkGone(ActionRefused):
    """A genuine download link that no longer works: already used, or expired (410)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, status=410, code="gone")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def link_days() -> int:
    """How many days a download link works."""
    return current_app.config["FORUM_DATA_EXPORT_DAYS"]


def shown_status(export: DataExport) -> str:
    """The status the person sees (a key of ``choices.EXPORT_STATUSES``): a ready copy past its expiry is
    expired."""
    return "expired" if rules.copy_expired(export) else export.status


def copies_of(person: User) -> list[DataExport]:
    """``person``'s copies, newest first."""
    return list(db.session.scalars(select(DataExport).where(DataExport.user_id == person.id)
                                   .order_by(DataExport.requested_at.desc(), DataExport.id.desc())))


def current_copy(person: User) -> DataExport | None:
    """``person``'s copy in preparation, or ready and not yet expired, if any."""
    return db.session.scalar(select(DataExport).where(DataExport.user_id == person.id, rules.live_copies())
                             .order_by(DataExport.id.desc()).limit(1))


def is_small(person: User) -> bool:
    """Whether ``person``'s copy is small enough to prepare during the request."""
    records, size = export_records.extent(person)
    config = current_app.config
    return records <= config["FORUM_DATA_EXPORT_INLINE_RECORDS"] and size <= config["FORUM_DATA_EXPORT_INLINE_BYTES"]


def _take_turn(person: User) -> None:
    """Wait for, then hold until the transaction ends, the right to ask for a copy for ``person``: a second
    request sent at the same moment waits here, then finds the first one's copy."""
    # Updating the person's own row (its locale, to the value it already has: nothing changes) serialises their
    # requests, as ``forum.events.registrations._take_turn`` does with an event's row: on PostgreSQL the row lock
    # makes a second request wait at this update until the first one commits; on SQLite the update takes the
    # database's write lock. Either way :func:`current_copy` is read after the first request's copy was saved.
    db.session.execute(update(User).where(User.id == person.id).values(locale=User.locale)
                       .execution_options(synchronize_session=False))


def ask_for_copy(person: User) -> tuple[DataExport, str | None]:
    """Ask for a copy of ``person``'s data. Returns the copy and, when it was small enough to prepare at once,
    the secret of its download link (None: it is prepared in the background after the commit, and the link
    arrives by e-mail). Refused (409) while another copy is in preparation or ready."""
    if not rules.can_request_export(person):
        raise ActionRefused(_("Please sign in to ask for a copy of your data."), status=403, code="forbidden")
    _take_turn(person)
    waiting = current_copy(person)
    if waiting is not None:
        if waiting.status == "pending":
            message = _("A copy of your data is already being prepared. We will tell you when it is ready.")
        else:
            message = _("A copy of your data is ready: use the link we sent you by e-mail. You can ask for a new "
                        "copy once it has been downloaded or its link has expired.")
        raise ActionRefused(message, status=409, code="copy_exists")
    export = DataExport(user_id=person.id, status="pending")
    db.session.add(export)
    db.session.flush()
    if is_small(person):
        return export, prepare(export)
    _prepare_in_background(export.id)
    return export, None


def prepare(export: DataExport) -> str | None:
    """Prepare a pending copy: write the ZIP (in its owner's language) into storage, mark it ready with a new
    download link, and tell its owner in the forum and by e-mail. Returns the link's secret, or None when the
    copy was no longer pending (another worker prepared it first: the file written here is removed)."""
    person = export.user
    with force_locale(person.locale):
        saved = export_files.write(export_contents.gather(person))
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    try:
        done = db.session.execute(
            update(DataExport).where(DataExport.id == export.id, DataExport.status == "pending")
            .values(status="ready", ready_at=now, expires_at=now + timedelta(days=link_days()),
                    token_hash=_digest(secret), storage_key=saved.key, size=saved.size)
            .execution_options(synchronize_session=False)).rowcount
        if done:
            db.session.refresh(export)
            _tell_ready(export, secret)
    except Exception:
        storage().delete(saved.key)
        raise
    if not done:
        storage().delete(saved.key)
        return None
    return secret


def _tell_ready(export: DataExport, secret: str) -> None:
    """The in-forum notification (its e-mail is the message below, so it is not e-mailed again) and the e-mail
    with the link, in the owner's language."""
    person = export.user
    notifications.notify([person], "data_export_ready", subject_type="data_export", subject_id=export.id,
                         by_email=False)
    queue_mail(person.email, "data_export_ready", person.locale, person=person,
               link=external_url("personal_data.download", token=secret),
               expires=moment(export.expires_at, person), page_url=external_url("personal_data.export"))
    db.session.flush()


def _prepare_in_background(export_id: int) -> None:
    """After the commit, prepare the copy in a background task with its own application context."""
    app = current_app._get_current_object()
    on_commit(lambda: socketio.start_background_task(_background_task, app, export_id))


def _background_task(app: Flask, export_id: int) -> None:
    with app.app_context():
        prepare_waiting(export_id)


def pending_ids() -> list[int]:
    """The copies still waiting to be prepared, oldest first."""
    return list(db.session.scalars(select(DataExport.id).where(DataExport.status == "pending")
                                   .order_by(DataExport.id)))


def prepare_waiting(export_id: int) -> bool:
    """Prepare one pending copy and commit (the background task's and the command's work, outside any request).
    A copy that cannot be prepared is marked failed, so its owner may ask again. Returns whether this call made
    it ready."""
    export = db.session.get(DataExport, export_id)
    if export is None or export.status != "pending":
        return False
    try:
        ready = prepare(export) is not None
        commit()
    except Exception:
        rollback()
        current_app.logger.exception("copy %s of personal data could not be prepared", export_id)
        db.session.execute(update(DataExport).where(DataExport.id == export_id, DataExport.status == "pending")
                           .values(status="failed").execution_options(synchronize_session=False))
        commit()
        return False
    return ready


def copy_for_link(person: User, secret: str) -> DataExport:
    """The copy a download link names, if it is ``person``'s and may be downloaded now. Refused with 404 for a
    link that is not theirs or not a link at all, and with :class:`LinkGone` (410) for one already used or
    expired."""
    export = None
    if 0 < len(secret) <= SECRET_MAX:
        export = db.session.scalar(select(DataExport).where(DataExport.token_hash == _digest(secret)))
    if export is None or export.user_id != person.id:
        raise ActionRefused(_("Not found."), status=404, code="not_found")
    if export.status == "downloaded":
        raise LinkGone(_("This link has already been used: a copy of your data can be downloaded only once."))
    if rules.copy_expired(export):
        raise LinkGone(_("This link has expired: a copy of your data can be downloaded for %(days)d days.",
                         days=link_days()))
    if not rules.can_download(person, export):
        raise ActionRefused(_("Not found."), status=404, code="not_found")
    return export


def download(person: User, secret: str) -> BinaryIO:
    """Take ``person``'s copy through its link: it becomes ``downloaded`` (the link stops working) and its file
    is removed from storage after the commit. Returns the open file, which stays readable until closed."""
    export = copy_for_link(person, secret)
    key = export.storage_key
    try:
        stream = storage().open(key)
    except (OSError, ValueError):
        raise LinkGone(_("This copy of your data is no longer kept. Please ask for a new one.")) from None
    taken = db.session.execute(
        update(DataExport).where(DataExport.id == export.id, DataExport.status == "ready")
        .values(status="downloaded", downloaded_at=utcnow(), storage_key=None)
        .execution_options(synchronize_session=False)).rowcount
    if not taken:  # the same link followed twice at once: the other request has it
        stream.close()
        raise LinkGone(_("This link has already been used: a copy of your data can be downloaded only once."))
    on_commit(lambda: storage().delete(key))
    return stream
