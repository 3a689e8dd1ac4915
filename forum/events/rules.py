"""Who may see, create, run and register for events, and who sees the meeting link and the attendees. The only
place these questions are answered: the listing, event pages, calendar files and feeds, the API, the live seat
counts, exports and the check-in page all ask here."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true

from forum.accounts.models import Organisation, User
from forum.accounts.rules import approved_memberships, is_official
from forum.core.db import utcnow
from forum.core.permissions import is_admin, is_global_moderator, is_signed_in
from forum.events.models import Event, Registration, event_organisations, event_platforms
from forum.platforms import rules as platform_rules


def represented_organisations(user: User | None) -> list[Organisation]:
    """The verified organisations ``user`` represents."""
    return [m.organisation for m in approved_memberships(user) if m.is_representative and m.organisation.verified]


def names_any_organisation(user: User | None) -> bool:
    """Officials, moderators (of any platform) and administrators may name any verified organisation as an
    organiser; representatives only their own."""
    if not is_signed_in(user):
        return False
    return is_global_moderator(user) or is_official(user) or bool(platform_rules.access(user).moderates)


def can_create(user: User | None) -> bool:
    """Officials, moderators and administrators create events; representatives of verified organisations too,
    for their own organisation."""
    return names_any_organisation(user) or bool(represented_organisations(user))


def may_name_organisation(user: User | None, organisation: Organisation) -> bool:
    """Whether ``user`` may list ``organisation`` among an event's organisers."""
    if not organisation.verified:
        return False
    return names_any_organisation(user) or organisation in represented_organisations(user)


def may_place_on(user: User | None, platform) -> bool:
    """An event is placed on platforms where its creator may post (moderators: where they moderate)."""
    return platform_rules.can_post(user, platform) or platform_rules.is_moderator_of(user, platform)


def can_manage(user: User | None, event: Event) -> bool:
    """Its organisers run it (edit, attendees, messages, check-in, figures): the person who created it, the
    representatives of its organising organisations, global moderators and administrators."""
    if not is_signed_in(user):
        return False
    if is_global_moderator(user) or event.organiser_id == user.id:
        return True
    represented = {o.id for o in represented_organisations(user)}
    return any(o.id in represented for o in event.organisations)


def _reaches_audience(user: User | None, event: Event) -> bool:
    if event.access == "public":
        return True
    return any(platform_rules.is_member(user, p) or platform_rules.is_moderator_of(user, p) for p in event.platforms)


def can_see(user: User | None, event: Event) -> bool:
    """Drafts only for their organisers; published and cancelled events for their audience (everyone, or the
    members of their platforms). Everyone else gets 404."""
    if can_manage(user, event):
        return True
    return event.status != "draft" and _reaches_audience(user, event)


def may_register(user: User | None, event: Event) -> bool:
    """Signed-in people who may see a published event may ask for a seat (the services say when it is too early
    or too late, and why)."""
    return is_signed_in(user) and event.status == "published" and _reaches_audience(user, event)


def holds_seat(registration: Registration | None) -> bool:
    """A confirmed registration."""
    return registration is not None and registration.status == "confirmed"


def can_see_online_link(user: User | None, event: Event, registration: Registration | None) -> bool:
    """The meeting link: confirmed registrants and the organisers only."""
    if can_manage(user, event):
        return True
    return (is_signed_in(user) and registration is not None and registration.user_id == user.id
            and holds_seat(registration) and event.status == "published")


def can_see_attendees(user: User | None, event: Event) -> bool:
    """Attendee lists, answers, exports, check-in and figures: the organisers."""
    return can_manage(user, event)


def can_cancel(user: User | None, registration: Registration) -> bool:
    """People cancel their own registration while it is active and the event has not ended."""
    return (is_signed_in(user) and registration.user_id == user.id
            and registration.status in ("pending", "confirmed", "waitlisted") and registration.event.ends_at > utcnow())


def visible_events(user: User | None) -> ColumnElement[bool]:
    """A SQL condition on :class:`Event` true for the events ``user`` may see (listing, search, API, feeds)."""
    if is_global_moderator(user) or is_admin(user):
        return true()
    shown = Event.status != "draft"
    if not is_signed_in(user):
        return and_(shown, Event.access == "public")
    held = platform_rules.access(user)
    platforms = held.approved | held.moderates
    represented = [o.id for o in represented_organisations(user)]
    on_my_platforms = exists(select(event_platforms.c.event_id).where(
        event_platforms.c.event_id == Event.id, event_platforms.c.platform_id.in_(platforms))) if platforms else false()
    organised = exists(select(event_organisations.c.event_id).where(
        event_organisations.c.event_id == Event.id, event_organisations.c.organisation_id.in_(represented))) \
        if represented else false()
    return or_(
        and_(shown, or_(Event.access == "public", on_my_platforms)),
        Event.organiser_id == user.id,
        organised,
    )


def public_events() -> ColumnElement[bool]:
    """A SQL condition on :class:`Event` for the public calendar feeds: published or cancelled public events."""
    return and_(Event.status.in_(("published", "cancelled")), Event.access == "public")
