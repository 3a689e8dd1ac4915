"""How event times and places read on pages, e-mails and calendar files: times in the event's own time zone
(where it is held), whatever the reader's zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from flask import Flask

from forum.events import calendar
from forum.events.models import Event
from forum.i18n import current_locale


def event_time(value: datetime | None, event: Event, format: str = "datetime") -> str:
    """``value`` in the event's time zone: ``datetime`` (date and time), ``date``, ``time`` or ``long``
    (weekday, date and time)."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(event.timezone))
    locale = current_locale()
    if format == "time":
        return format_time(local, "short", locale=locale)
    if format == "date":
        return format_date(local, "long", locale=locale)
    if format == "long":
        return f"{format_date(local, 'full', locale=locale)}, {format_time(local, 'short', locale=locale)}"
    return format_datetime(local, "medium", locale=locale)


def init_app(app: Flask) -> None:
    """Add the ``event_time`` filter and the ``event_place`` global to templates."""
    app.add_template_filter(event_time, "event_time")
    app.jinja_env.globals["event_place"] = calendar.location
