"""Keeping registrations' personal data no longer than needed: each event keeps it for its retention period
(``retention_months`` after it ends, 12 by default), then ``flask --app forum purge-expired`` anonymises its
registrations. The aggregate figures are frozen first, so the organisers' figures survive."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update

from forum.core.db import utcnow
from forum.events import figures, registrations
from forum.events.models import Event, Registration
from forum.extensions import db

#: what erasing an account leaves in a registration until the event's check-in has closed: its status, whether the
#: person attended and the answers the organisers' aggregate figures count, nothing that names them
IDENTITY = {
    "user_id": None, "name": "", "email": "", "organisation_name": "", "position": "", "accessibility_needs": "",
    "interpretation_needed": False, "listed": False, "answers": {}, "code": None, "token_nonce": None,
    "checked_in_by_id": None,
}
#: what anonymising leaves in a registration: its status and whether the person attended, nothing personal
ANONYMOUS = {**IDENTITY, "organisation_kind": None, "sector": "", "state": None, "gender": None, "age_range": None}


def months_after(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` later (the last day of the month when that day does not exist)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def expires_at(event: Event) -> datetime:
    """When the personal data of the event's registrations is anonymised."""
    return months_after(event.ends_at, event.retention_months)


def anonymise(event: Event) -> int:
    """Freeze the event's aggregate figures, then strip every registration of personal data. Returns how many
    registrations were anonymised."""
    event.figures = figures.counts(event)
    result = db.session.execute(update(Registration).where(Registration.event_id == event.id).values(**ANONYMOUS)
                                .execution_options(synchronize_session=False))
    event.purged_at = utcnow()
    return result.rowcount


def purge_expired(now: datetime | None = None) -> tuple[int, int]:
    """Anonymise the registrations of every event past its retention period. Returns (events, registrations)."""
    now = now or utcnow()
    candidates = db.session.scalars(select(Event).where(Event.purged_at.is_(None), Event.ends_at < now))
    events = registrations = 0
    for event in candidates:
        if expires_at(event) <= now:
            registrations += anonymise(event)
            events += 1
    return events, registrations


def erase_departed(now: datetime | None = None) -> int:
    """Finish erasing the registrations of deleted accounts (``IDENTITY`` already gone) at events whose check-in
    has closed since: the event's figures are frozen first, so the organisers' counts stay as they were, then what
    the figures counted goes too. Returns how many registrations."""
    now = now or utcnow()
    left = (Registration.user_id.is_(None), Registration.email == "",
            or_(Registration.sector != "", Registration.state.is_not(None), Registration.gender.is_not(None),
                Registration.age_range.is_not(None), Registration.organisation_kind.is_not(None)))
    events = db.session.scalars(select(Event).where(
        Event.ends_at < now - registrations.CHECK_IN_GRACE,
        Event.id.in_(select(Registration.event_id).where(*left)))).all()
    erased = 0
    for event in events:
        if event.figures is None:
            event.figures = figures.counts(event)
        erased += db.session.execute(update(Registration).where(Registration.event_id == event.id, *left)
                                     .values(**ANONYMOUS).execution_options(synchronize_session=False)).rowcount
    return erased
