"""iCalendar (RFC 5545) files: one event's ``.ics`` and the feeds of public events. Times are written in the
event's own time zone (``DTSTART;TZID=…``) with the matching ``VTIMEZONE``, so calendars show the right hour on
either side of the Atlantic. The meeting link goes only into files made for confirmed registrants.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Timezone
from icalendar import Event as CalendarEvent

from forum.accounts.choices import STATES, label
from forum.core.db import utcnow
from forum.core.mail import external_url
from forum.events.models import Event
from forum.i18n import localized

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _calendar(name: str, method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Social Cohesion Forum//Events//ES-EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    return calendar


def uid(event: Event) -> str:
    """The event's stable identifier in every calendar (updates and cancellations replace the same entry)."""
    host = current_app.config["FORUM_BASE_URL"].split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return f"event-{event.id}@{host}"


def location(event: Event) -> str:
    """The venue on one line: name, address, city and state (empty for online events)."""
    parts = [event.venue_name, event.venue_address, event.city, label(STATES, event.state) if event.state else ""]
    return ", ".join(p for p in parts if p)


def _entry(event: Event, *, with_link: bool) -> CalendarEvent:
    zone = ZoneInfo(event.timezone)
    page = external_url("events.show", event_id=event.id)
    entry = CalendarEvent()
    entry.add("uid", uid(event))
    entry.add("dtstamp", utcnow())
    entry.add("last-modified", event.updated_at)
    entry.add("sequence", event.sequence)
    entry.add("summary", localized(event, "title")[0])
    entry.add("dtstart", event.starts_at.astimezone(zone))
    entry.add("dtend", event.ends_at.astimezone(zone))
    entry.add("url", page)
    description = [localized(event, "description")[0].strip(), page]
    place = location(event)
    if with_link and event.online_url:
        description.insert(1, _("Online meeting: %(link)s", link=event.online_url))
        place = f"{place} / {event.online_url}" if place else event.online_url
    elif event.online_url:
        description.insert(1, _("Online: the meeting link is sent to confirmed registrants."))
    entry.add("description", "\n\n".join(d for d in description if d))
    if place:
        entry.add("location", place)
    entry.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    return entry


@lru_cache(maxsize=64)
def _timezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The ``VTIMEZONE`` of ``tzid`` with its rules from ``first_year`` to ``last_year`` (built once per process:
    icalendar works it out hour by hour)."""
    return Timezone.from_tzid(tzid, first_date=date(first_year, 1, 1), last_date=date(last_year, 12, 31))


def _add_timezones(calendar: Calendar, events: list[Event]) -> None:
    """Add the ``VTIMEZONE`` of every zone used, with the rules of the years around the events (the whole
    history of a zone such as Mexico City's, with decades of daylight-saving changes, would weigh many times
    more)."""
    if not events:
        return
    first, last = min(e.starts_at for e in events).year - 1, max(e.ends_at for e in events).year + 1
    for tzid in sorted({e.timezone for e in events}):
        calendar.add_component(_timezone(tzid, first, last))


def event_file(event: Event, *, with_link: bool = False, locale: str | None = None) -> bytes:
    """The ``.ics`` of one event (in ``locale``, or the reader's language); ``with_link`` adds the meeting
    link, for confirmed registrants only. A cancelled event gives ``METHOD:CANCEL``."""
    def build() -> bytes:
        calendar = _calendar(localized(event, "title")[0], "CANCEL" if event.status == "cancelled" else "PUBLISH")
        calendar.add_component(_entry(event, with_link=with_link))
        _add_timezones(calendar, [event])
        return calendar.to_ical()

    if locale is None:
        return build()
    with force_locale(locale):
        return build()


def feed(events: Iterable[Event], name: str) -> bytes:
    """A calendar feed of public events (never with meeting links)."""
    calendar = _calendar(name, "PUBLISH")
    events = list(events)
    for event in events:
        calendar.add_component(_entry(event, with_link=False))
    _add_timezones(calendar, events)
    return calendar.to_ical()


def filename(event: Event) -> str:
    """The file name offered for an event's ``.ics``."""
    return f"event-{event.id}.ics"
