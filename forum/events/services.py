"""Every change to events themselves: creating and editing them, publishing (which opens the discussion thread),
cancelling, the agenda, registration questions, seat quotas and linked materials. Services check permissions
(``rules``) and input, write and flush; the caller commits once. Registrations are in ``registrations``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from forum.accounts.choices import SECTORS, STATES
from forum.accounts.models import Organisation, User
from forum.core import validation
from forum.core.db import MAX_ID, utcnow, whole_number
from forum.core.errors import ActionRefused
from forum.core.mail import external_url
from forum.core.text import render
from forum.core.times import moment
from forum.documents import links
from forum.events import registrations, rules
from forum.events.choices import ACCESS_LEVELS, APPROVAL, CHOICE_TYPES, EVENT_TYPES, QUESTION_TYPES
from forum.events.models import AgendaItem, Event, Question, Registration, SeatQuota, event_documents
from forum.extensions import db
from forum.notifications import services as notifications
from forum.platforms import directory
from forum.platforms.models import Platform
from forum.threads import rules as thread_rules
from forum.threads import services as thread_services

TITLE_MAX = 200
DESCRIPTION_MAX = 20_000
MAX_CAPACITY = 100_000
MAX_RETENTION_MONTHS = 120
DEFAULT_RETENTION_MONTHS = 12
MAX_QUESTIONS = 30
MAX_OPTIONS = 30
MAX_MATERIALS = 30
#: the fields :func:`create` and :func:`update` take
FIELDS = ("title_es", "title_en", "description_es", "description_en", "kind", "access", "platforms",
          "organisations", "venue_name", "venue_address", "city", "state", "online_url", "starts_at", "ends_at",
          "timezone", "capacity", "registration_opens_at", "registration_closes_at", "approval", "interpretation",
          "retention_months")
#: changes that registrants are told about (with a new calendar file)
NOTIFIED = ("starts_at", "ends_at", "timezone", "venue_name", "venue_address", "city", "state", "online_url")


def _refused(message: str, field: str | None = None, status: int = 400) -> ActionRefused:
    return ActionRefused(message, status=status, code="invalid" if status == 400 else "forbidden", field=field)


def _not_found() -> ActionRefused:
    return ActionRefused(_("Not found."), status=404, code="not_found")


def _choose(field: str) -> ActionRefused:
    return _refused(_("Please choose one of the options offered."), field)


def _choice(value: Any, vocabulary: dict, field: str) -> str:
    if not isinstance(value, str) or value not in vocabulary:
        raise _choose(field)
    return value


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "y", "on")
    return value is True


def _whole(value: Any, field: str, maximum: int, *, optional: bool = True) -> int | None:
    if value is None or value == "":
        if optional:
            return None
        raise _refused(_("Please fill in this field."), field)
    number = value if isinstance(value, int) and not isinstance(value, bool) else whole_number(value, maximum)
    if number is None or not 1 <= number <= maximum:
        raise _refused(_("Please give a whole number between 1 and %(max)d.", max=maximum), field)
    return number


def _zone(value: Any) -> str:
    if not isinstance(value, str) or value not in available_timezones():
        raise _choose("timezone")
    return value


def _online_url(value: Any) -> str:
    link = validation.text(value, "online_url", 500)
    if link:
        try:
            parts = urlsplit(link)
        except ValueError:  # e.g. an unclosed "[" taken for an IPv6 address
            parts = None
        if parts is None or parts.scheme not in ("https", "http") or not parts.netloc \
                or any(c.isspace() for c in link):
            raise _refused(_("Give the full address of the meeting, starting with https://."), "online_url")
    return link


def _ids(value: Any, field: str) -> list:
    """A list of ids or slugs from a form (a list) or the API (a list, or comma-separated text)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [v for v in value.replace(";", ",").split(",") if v.strip()]
    if not isinstance(value, list | tuple):
        raise _refused(_("Send a list."), field)
    return list(value)


def _platforms(user: User, value: Any) -> list[Platform]:
    found: list[Platform] = []
    for reference in _ids(value, "platforms"):
        number = reference if isinstance(reference, int) and not isinstance(reference, bool) else None
        if number is None and isinstance(reference, str):
            number = whole_number(reference)
        if number is not None:
            platform = db.session.get(Platform, number) if number <= MAX_ID else None
        elif isinstance(reference, str):
            platform = directory.platform_by_slug(reference.strip())
        else:
            platform = None
        if platform is None or platform.is_archived or not rules.may_place_on(user, platform):
            raise _refused(_("You can only place events on platforms where you may post."), "platforms")
        if platform not in found:
            found.append(platform)
    return found


def _organisations(user: User, value: Any) -> list[Organisation]:
    found: list[Organisation] = []
    for reference in _ids(value, "organisations"):
        number = reference if isinstance(reference, int) and not isinstance(reference, bool) else \
            whole_number(reference)
        organisation = db.session.get(Organisation, number) if number and number <= MAX_ID else None
        if organisation is None or not rules.may_name_organisation(user, organisation):
            raise _refused(_("You can only name verified organisations you may act for."), "organisations")
        if organisation not in found:
            found.append(organisation)
    if not rules.names_any_organisation(user):
        mine = set(rules.represented_organisations(user))
        if not mine.intersection(found):
            raise _refused(_("Name your organisation among the organisers."), "organisations")
    return found


def _values(user: User, given: dict, event: Event | None) -> dict:
    """Check every field (those not given keep the event's current value) and return the new values."""
    unknown = set(given) - set(FIELDS)
    if unknown:
        raise _refused(_("Unknown field: %(field)s.", field=sorted(unknown)[0]))

    def current(name: str, default: Any = None) -> Any:
        if name in given:
            return given[name]
        if event is None:
            return default
        return getattr(event, name)

    values: dict[str, Any] = {
        "title_es": validation.text(current("title_es", ""), "title_es", TITLE_MAX),
        "title_en": validation.text(current("title_en", ""), "title_en", TITLE_MAX),
        "description_es": validation.text(current("description_es", ""), "description_es", DESCRIPTION_MAX),
        "description_en": validation.text(current("description_en", ""), "description_en", DESCRIPTION_MAX),
        "kind": _choice(current("kind"), EVENT_TYPES, "kind"),
        "access": _choice(current("access", "public"), ACCESS_LEVELS, "access"),
        "approval": _choice(current("approval", "automatic"), APPROVAL, "approval"),
        "venue_name": validation.text(current("venue_name", ""), "venue_name", 200),
        "venue_address": validation.text(current("venue_address", ""), "venue_address", 300),
        "city": validation.text(current("city", ""), "city", 100),
        "online_url": _online_url(current("online_url", "")),
        "timezone": _zone(current("timezone", "America/Mexico_City")),
        "interpretation": _flag(current("interpretation", False)),
        "capacity": _whole(current("capacity"), "capacity", MAX_CAPACITY),
        "retention_months": _whole(current("retention_months", DEFAULT_RETENTION_MONTHS), "retention_months",
                                   MAX_RETENTION_MONTHS, optional=False),
    }
    if not values["title_es"] and not values["title_en"]:
        raise _refused(_("Give a title in Spanish, in English or in both."), "title_es")
    state = current("state")
    values["state"] = _choice(state, STATES, "state") if state not in (None, "") else None
    if not values["online_url"] and not (values["venue_name"] or values["city"]):
        raise _refused(_("Give a venue (its name or city), an online meeting link, or both."), "venue_name")
    zone = values["timezone"]
    for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
        raw = given[name] if name in given else (getattr(event, name) if event is not None else None)
        values[name] = moment(raw, zone, name, optional=name.startswith("registration"))
    if values["ends_at"] <= values["starts_at"]:
        raise _refused(_("The event must end after it starts."), "ends_at")
    opens, closes = values["registration_opens_at"], values["registration_closes_at"]
    if closes is not None and closes > values["starts_at"]:
        raise _refused(_("Registration must close before the event starts."), "registration_closes_at")
    if opens is not None and opens >= values["starts_at"]:
        raise _refused(_("Registration must open before the event starts."), "registration_opens_at")
    if opens is not None and closes is not None and closes <= opens:
        raise _refused(_("Registration must close after it opens."), "registration_closes_at")
    if "platforms" in given or event is None:
        values["platforms"] = _platforms(user, given.get("platforms"))
    if "organisations" in given or event is None:
        values["organisations"] = _organisations(user, given.get("organisations"))
    if values["access"] == "members" and not values.get("platforms", event.platforms if event else []):
        raise _refused(_("An event for members only must be placed on at least one platform."), "platforms")
    return values


def _apply(event: Event, values: dict) -> list[str]:
    """Write ``values`` on the event; returns the names of the fields that changed."""
    changed = []
    for name, value in values.items():
        if getattr(event, name) != value:
            changed.append(name)
            setattr(event, name, value)
    for language in ("es", "en"):
        if f"description_{language}" in changed or not getattr(event, f"description_html_{language}"):
            source = getattr(event, f"description_{language}")
            setattr(event, f"description_html_{language}", render(source).html if source else "")
    return changed


def create(user: User, **given: Any) -> Event:
    """Create an event as a draft (seen only by its organisers until :func:`publish`)."""
    if not rules.can_create(user):
        raise _refused(_("Officials, moderators and representatives of verified organisations create events."),
                       status=403)
    values = _values(user, given, None)
    event = Event(organiser=user, status="draft")
    _apply(event, values)
    db.session.add(event)
    db.session.flush()
    return event


def _managed(user: User, event: Event) -> None:
    if not rules.can_see(user, event):
        raise _not_found()
    if not rules.can_manage(user, event):
        raise _refused(_("Only the organisers of this event may do this."), status=403)


def update(user: User, event: Event, **given: Any) -> list[str]:
    """Change an event's details. Capacity cannot go below the seats already confirmed; more seats go to the
    waiting list at once. When the time, place or meeting link of a published event change, every registrant
    is told, with a new calendar file, and its followers are notified. Returns the names of the fields that
    changed."""
    _managed(user, event)
    if event.status == "cancelled":
        raise _refused(_("A cancelled event can no longer be changed."), status=409)
    values = _values(user, given, event)
    registrations._take_turn(event)
    taken = sum(registrations.confirmed_by_sector(event).values())
    if values["capacity"] is not None and values["capacity"] < taken:
        raise _refused(ngettext("%(num)d person already holds a seat: the capacity cannot be lower.",
                                "%(num)d people already hold a seat: the capacity cannot be lower.", taken),
                       "capacity", status=409)
    kept = sum(q.reserved or 0 for q in event.quotas)
    if kept and (values["capacity"] is None or values["capacity"] < kept):
        raise _refused(ngettext("%(num)d seat is kept for a sector: lower or remove that quota first.",
                                "%(num)d seats are kept for sectors: lower or remove those quotas first.", kept),
                       "capacity", status=409)
    changed = _apply(event, values)
    if not changed:
        return changed
    event.updated_at = utcnow()
    if event.status == "published" and set(changed) & set(NOTIFIED):
        event.sequence += 1
        registrations.tell_all(event, "changed")
        _notify_change(user, event, "changed", sorted(set(changed) & set(NOTIFIED)))
    registrations.fill_seats(event)
    registrations._after_seats_changed(event)
    return changed


def _open_thread(user: User, event: Event) -> None:
    """Open the event's discussion thread on its first platform where the organiser may start one and whose
    readers are all in the event's audience (a members-only event never on a public platform)."""
    if event.thread_id is not None:
        return
    for platform in event.platforms:
        if event.access == "members" and platform.visibility == "public":
            continue
        if thread_rules.can_start_thread(user, platform):
            language = "en" if (user.locale == "en" and event.title_en) or not event.title_es else "es"
            with force_locale(language):  # the thread is written in the language of the title it takes
                title = _("Event: %(title)s", title=getattr(event, f"title_{language}"))[:thread_services.TITLE_MAX]
                page = _("Event page: %(url)s", url=external_url("events.show", event_id=event.id))
            description = getattr(event, f"description_{language}")[:thread_services.BODY_MAX - len(page) - 2]
            event.thread = thread_services.start_thread(user, platform, title=title, language=language,
                                                        body=f"{description}\n\n{page}".strip())
            return


def publish(user: User, event: Event) -> Event:
    """Make a draft visible to its audience and open its discussion thread."""
    _managed(user, event)
    if event.status != "draft":
        raise _refused(_("Only drafts can be published."), status=409)
    if event.ends_at <= utcnow():
        raise _refused(_("This event is already over."), status=409)
    event.status, event.published_at = "published", utcnow()
    _open_thread(user, event)
    return event


def cancel(user: User, event: Event) -> int:
    """Cancel a published event: registration stops and every registrant is told (their calendars drop it), and
    its followers are notified. Returns how many registrants were told."""
    _managed(user, event)
    if event.status != "published":
        raise _refused(_("Only published events can be cancelled."), status=409)
    registrations._take_turn(event)
    event.status, event.cancelled_at, event.updated_at = "cancelled", utcnow(), utcnow()
    event.sequence += 1
    told = registrations.tell_all(event, "event_cancelled")
    _notify_change(user, event, "cancelled")
    registrations._after_seats_changed(event)
    return told


def _notify_change(actor: User, event: Event, change: str, fields: list[str] | None = None) -> None:
    """Notify the event's active registrants in the notification centre only (their service e-mail with the new
    calendar file already went), and its other followers also by e-mail as they chose. ``change``:
    ``changed`` (``fields``: the time, place or link fields that changed) or ``cancelled``."""
    registrants = list(db.session.scalars(select(User).join(Registration, Registration.user_id == User.id).where(
        Registration.event_id == event.id, Registration.status.in_(registrations.ACTIVE))))
    registered = {person.id for person in registrants}
    others = [person for person in notifications.followers("event", event.id) if person.id not in registered]
    details = {"change": change, "fields": fields or []}
    for people, by_email in ((registrants, False), (others, True)):
        notifications.notify(people, "event_changed", subject_type="event", subject_id=event.id, actor=actor,
                             details=details, by_email=by_email)


def set_registration_closed(user: User, event: Event, closed: bool) -> None:
    """Close registration by hand (or open it again within its window)."""
    _managed(user, event)
    event.registration_closed = closed


# --- agenda, questions, quotas, materials ---------------------------------------------------------------------


def add_agenda_item(user: User, event: Event, *, starts_at: Any, ends_at: Any = None, title_es: str = "",
                    title_en: str = "", speakers: str = "") -> AgendaItem:
    """Add an item to the programme (times in the event's time zone unless they carry an offset)."""
    _managed(user, event)
    item = AgendaItem(
        starts_at=moment(starts_at, event.timezone, "starts_at"),
        ends_at=moment(ends_at, event.timezone, "ends_at", optional=True),
        title_es=validation.text(title_es, "title_es", TITLE_MAX),
        title_en=validation.text(title_en, "title_en", TITLE_MAX),
        speakers=validation.text(speakers, "speakers", 500))
    if not item.title_es and not item.title_en:
        raise _refused(_("Give a title in Spanish, in English or in both."), "title_es")
    if item.ends_at is not None and item.ends_at <= item.starts_at:
        raise _refused(_("The item must end after it starts."), "ends_at")
    event.agenda.append(item)
    db.session.flush()
    return item


def remove_agenda_item(user: User, event: Event, item_id: int) -> None:
    """Take an item off the programme."""
    _managed(user, event)
    item = next((i for i in event.agenda if i.id == item_id), None)
    if item is None:
        raise _not_found()
    event.agenda.remove(item)


def _options(value: Any) -> list[dict]:
    """Options from the form (one a line, ``Spanish | English``) or the API (a list of {es, en} or of text)."""
    if isinstance(value, str):
        value = [line for line in value.splitlines() if line.strip()]
    if not isinstance(value, list):
        raise _refused(_("Give the options, one a line."), "options")
    options = []
    for option in value:
        if isinstance(option, dict):
            es, en = option.get("es", ""), option.get("en", "")
        elif isinstance(option, str):
            es, _bar, en = option.partition("|")
        else:
            raise _refused(_("Give the options, one a line."), "options")
        es, en = validation.text(es, "options", 200), validation.text(en, "options", 200)
        if es or en:
            options.append({"es": es, "en": en})
    if not 2 <= len(options) <= MAX_OPTIONS:
        raise _refused(_("A choice question needs between 2 and %(max)d options.", max=MAX_OPTIONS), "options")
    return options


def add_question(user: User, event: Event, *, kind: str, label_es: str = "", label_en: str = "",
                 options: Any = None, required: Any = False) -> Question:
    """Add a question to the registration form."""
    _managed(user, event)
    if len(event.questions) >= MAX_QUESTIONS:
        raise _refused(_("A registration form has at most %(max)d questions.", max=MAX_QUESTIONS))
    kind = _choice(kind, QUESTION_TYPES, "kind")
    question = Question(kind=kind, label_es=validation.text(label_es, "label_es", 300),
                        label_en=validation.text(label_en, "label_en", 300), required=_flag(required),
                        options=_options(options) if kind in CHOICE_TYPES else [],
                        position=max((q.position for q in event.questions), default=0) + 1)
    if not question.label_es and not question.label_en:
        raise _refused(_("Write the question in Spanish, in English or in both."), "label_es")
    event.questions.append(question)
    db.session.flush()
    return question


def remove_question(user: User, event: Event, question_id: int) -> None:
    """Take a question off the form (answers already given stay with their registrations)."""
    _managed(user, event)
    question = next((q for q in event.questions if q.id == question_id), None)
    if question is None:
        raise _not_found()
    event.questions.remove(question)


def set_quota(user: User, event: Event, *, sector: str, maximum: Any = None, reserved: Any = None,
              reserved_until: Any = None) -> SeatQuota:
    """Limit a sector's seats (``maximum``) and/or keep seats for it (``reserved``, until ``reserved_until``).
    The sector's people already confirmed keep their seats; freed room goes to the waiting list."""
    _managed(user, event)
    sector = _choice(sector, SECTORS, "sector")
    quota = next((q for q in event.quotas if q.sector == sector), None) or SeatQuota(sector=sector)
    quota.maximum = _whole(maximum, "maximum", MAX_CAPACITY)
    quota.reserved = _whole(reserved, "reserved", MAX_CAPACITY)
    quota.reserved_until = moment(reserved_until, event.timezone, "reserved_until", optional=True)
    if quota.maximum is None and quota.reserved is None:
        raise _refused(_("Give a maximum, seats to keep, or both."), "maximum")
    if quota.reserved is not None:
        if event.capacity is None:
            raise _refused(_("Seats can only be kept for a sector when the event has a capacity."), "reserved")
        others = sum(q.reserved or 0 for q in event.quotas if q.sector != sector)
        if others + quota.reserved > event.capacity:
            raise _refused(_("More seats would be kept than the event has."), "reserved")
        if quota.maximum is not None and quota.reserved > quota.maximum:
            raise _refused(_("A sector cannot keep more seats than its maximum."), "reserved")
    if quota not in event.quotas:
        event.quotas.append(quota)
    db.session.flush()
    registrations.release_seats(event)
    return quota


def remove_quota(user: User, event: Event, sector: str) -> None:
    """Lift a sector's limit and reservation; the waiting list moves up if that frees seats."""
    _managed(user, event)
    quota = next((q for q in event.quotas if q.sector == sector), None)
    if quota is None:
        raise _not_found()
    event.quotas.remove(quota)
    db.session.flush()
    registrations.release_seats(event)


def set_materials(user: User, event: Event, document_ids: Any) -> list[int]:
    """Link documents of the library to the event (only documents the organiser may see; links to documents
    they may not see stay). Readers see those of them that they may see themselves."""
    _managed(user, event)
    return links.replace(user, event_documents, event_documents.c.event_id, event.id, document_ids)


def events_with_lapsed_reservations(now: datetime | None = None) -> list[Event]:
    """Published, upcoming events whose seat reservations have lapsed while people wait (for
    ``flask --app forum events release-seats``)."""
    now = now or utcnow()
    lapsed = select(SeatQuota.event_id).where(SeatQuota.reserved_until.is_not(None), SeatQuota.reserved_until <= now)
    return list(db.session.scalars(select(Event).where(Event.status == "published", Event.starts_at > now,
                                                       Event.id.in_(lapsed))))
