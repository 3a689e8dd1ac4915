"""Reading events: the listing with its filters, one visible event, its materials and participants, and the
organisers' attendee list. Every read applies ``rules``."""

from __future__ import annotations

from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.orm import selectinload

from forum.accounts.models import User
from forum.core.db import MAX_ID, utcnow
from forum.documents import links
from forum.documents.models import Document
from forum.events import rules
from forum.events.models import Event, Registration, event_documents, event_platforms
from forum.extensions import db
from forum.platforms.models import Platform


def event_list(user: User | None, *, when: str = "upcoming", platform: Platform | None = None,
               kind: str | None = None, state: str | None = None, mode: str | None = None) -> Select:
    """Events ``user`` may see: ``upcoming`` (not yet ended, soonest first) or ``past`` (latest first), filtered
    by platform, type, state and mode (``online``: with a link; ``in_person``: with a venue)."""
    now = utcnow()
    query = select(Event).where(rules.visible_events(user)).options(
        selectinload(Event.platforms), selectinload(Event.organisations))
    if when == "past":
        query = query.where(Event.ends_at <= now).order_by(Event.starts_at.desc(), Event.id.desc())
    else:
        query = query.where(Event.ends_at > now).order_by(Event.starts_at, Event.id)
    if platform is not None:
        query = query.where(exists(select(event_platforms.c.event_id).where(
            event_platforms.c.event_id == Event.id, event_platforms.c.platform_id == platform.id)))
    if kind:
        query = query.where(Event.kind == kind)
    if state:
        query = query.where(Event.state == state)
    in_person = or_(Event.venue_name != "", Event.city != "")
    if mode == "online":
        query = query.where(Event.online_url != "")
    elif mode == "in_person":
        query = query.where(in_person)
    elif mode == "hybrid":
        query = query.where(and_(Event.online_url != "", in_person))
    return query


def visible_event(user: User | None, event_id: int) -> Event | None:
    """The event, if it exists and ``user`` may see it."""
    event = db.session.get(Event, event_id) if 0 < event_id <= MAX_ID else None
    return event if event is not None and rules.can_see(user, event) else None


def materials(user: User | None, event: Event) -> list[Document]:
    """The linked documents ``user`` may see."""
    return links.readable(user, event_documents, event_documents.c.event_id, event.id)


def material_ids(event: Event) -> list[int]:
    """Every linked document (for the organisers' form)."""
    return links.linked_ids(event_documents, event_documents.c.event_id, event.id)


def participants(event: Event) -> list[Registration]:
    """Confirmed registrants who agreed to be listed, by name (name and organisation only are shown)."""
    return list(db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.status == "confirmed", Registration.listed.is_(True))
        .order_by(Registration.name, Registration.id)))


def attendee_list(event: Event, *, status: str | None = None, sector: str | None = None,
                  attended: bool | None = None, search: str | None = None) -> Select:
    """The organisers' list of registrations, filtered (search: name, organisation, e-mail or code)."""
    query = select(Registration).where(Registration.event_id == event.id)
    if status:
        query = query.where(Registration.status == status)
    if sector:
        query = query.where(Registration.sector == sector)
    if attended is True:
        query = query.where(Registration.attended_at.is_not(None))
    elif attended is False:
        query = query.where(Registration.attended_at.is_(None))
    if search:
        pattern = f"%{search.strip()[:100].replace('%', '').replace('_', '')}%"
        query = query.where(or_(Registration.name.ilike(pattern), Registration.organisation_name.ilike(pattern),
                                Registration.email.ilike(pattern), Registration.code.ilike(pattern)))
    return query.order_by(Registration.status, Registration.waitlisted_at, Registration.name, Registration.id)


def feed_events(platform: Platform | None = None, limit: int = 500) -> list[Event]:
    """Public events for a calendar feed (all platforms, or one), newest start first."""
    query = select(Event).where(rules.public_events())
    if platform is not None:
        query = query.where(exists(select(event_platforms.c.event_id).where(
            event_platforms.c.event_id == Event.id, event_platforms.c.platform_id == platform.id)))
    return list(db.session.scalars(query.order_by(Event.starts_at.desc()).limit(limit)))
