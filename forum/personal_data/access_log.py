"""The access log: every time someone whose role allows it reads other people's personal data (an event's
attendee list or its CSV file, the check-in list, the administrators' account pages), who read what about how
many people, so that administrators can answer for each read. Entries are kept for
``FORUM_ACCESS_LOG_RETENTION_DAYS`` (``forum.personal_data.retention``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.extensions import db
from forum.personal_data.choices import ACCESS_ACTIONS, ACCESS_SUBJECTS
from forum.personal_data.models import AccessEntry


def record(actor: User, action: str, subject_kind: str, subject_id: int | None, people: int) -> AccessEntry | None:
    """Log that ``actor`` read the personal data of ``people`` people through ``action`` (a key of
    ``choices.ACCESS_ACTIONS``) about a subject (``"event"``, 12; ``"user"``, None for a list of accounts). A
    page that showed nobody's data (an empty list, one's own account) logs nothing and returns None. Only
    flushes: the page commits the entry before it shows the data."""
    if action not in ACCESS_ACTIONS or subject_kind not in ACCESS_SUBJECTS:
        raise ValueError(f"unknown access {action!r} of {subject_kind!r}")
    if people < 1:
        return None
    entry = AccessEntry(actor_id=actor.id, action=action, subject_kind=subject_kind, subject_id=subject_id,
                        people=people)
    db.session.add(entry)
    db.session.flush()
    return entry


def entries_query(*, action: str | None = None, actor_id: int | None = None, since: datetime | None = None,
                  before: datetime | None = None) -> Select:
    """The entries, newest first, narrowed to one action, one reader, and times from ``since`` up to (not
    including) ``before``."""
    query = (select(AccessEntry).options(joinedload(AccessEntry.actor))
             .order_by(AccessEntry.created_at.desc(), AccessEntry.id.desc()))
    if action is not None:
        query = query.where(AccessEntry.action == action)
    if actor_id is not None:
        query = query.where(AccessEntry.actor_id == actor_id)
    if since is not None:
        query = query.where(AccessEntry.created_at >= since)
    if before is not None:
        query = query.where(AccessEntry.created_at < before)
    return query


def readers() -> list[User]:
    """The people who appear in the log as having read someone's data, by name."""
    logged = select(AccessEntry.actor_id).where(AccessEntry.actor_id.is_not(None)).distinct()
    return list(db.session.scalars(select(User).where(User.id.in_(logged)).order_by(User.display_name, User.id)))


@dataclass(frozen=True)
class Subjects:
    """The subjects of a page of entries that still exist, by kind and id."""

    found: dict[tuple[str, int], object]

    def of(self, entry: AccessEntry) -> object | None:
        """The entry's subject, or None when it is a list or no longer exists."""
        return self.found.get((entry.subject_kind, entry.subject_id)) if entry.subject_id else None


def subjects(entries: list[AccessEntry]) -> Subjects:
    """Look up the subjects of ``entries`` (one query per kind)."""
    from forum.events.models import Event  # the event pages record reads here: imported late, not in a cycle

    found: dict[tuple[str, int], object] = {}
    for kind, model in (("event", Event), ("user", User)):
        ids = {entry.subject_id for entry in entries if entry.subject_kind == kind and entry.subject_id}
        if ids:
            found.update({(kind, row.id): row for row in db.session.scalars(select(model).where(model.id.in_(ids)))})
    return Subjects(found)
