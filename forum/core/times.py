"""Times as people type them: read in the time zone of the place they concern (an event's, a consultation's)
and stored in UTC; and shown back in a ``datetime-local`` form field."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import get_timezone
from flask_babel import gettext as _

from forum.core.errors import ActionRefused

#: the years a time or a day typed by someone may fall in
FIRST_YEAR, LAST_YEAR = 2000, 2200


def start_of_day(day: date) -> datetime:
    """Midnight of ``day`` in the reader's time zone, in UTC (where a filter "from" or, the next day, "until"
    starts)."""
    return datetime.combine(day, time.min, tzinfo=get_timezone()).astimezone(UTC)


def plausible_day(day: date) -> bool:
    """Whether a typed day falls within :data:`FIRST_YEAR` and :data:`LAST_YEAR` (a filter up to 9999-12-31
    would overflow the day after it)."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def _refused(message: str, field: str) -> ActionRefused:
    return ActionRefused(message, field=field)


def moment(value: Any, zone: str, field: str, *, optional: bool = False) -> datetime | None:
    """A time from a form or the API: an aware datetime, or ISO 8601 text (``2026-12-01T10:00`` is read in the
    time zone ``zone`` (an event's, a consultation's); an offset or ``Z`` is respected). Stored in UTC."""
    if value is None or value == "":
        if optional:
            return None
        raise _refused(_("Please give a date and time."), field)
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise _refused(_("Please give a date and time such as 2026-12-01 10:00."), field) from None
    if not isinstance(value, datetime) or not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise _refused(_("Please give a date and time such as 2026-12-01 10:00."), field)
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(zone))
    return value.astimezone(UTC)


def local_input(value: datetime | None, timezone: str) -> str:
    """A time as a ``datetime-local`` form field shows it, in the time zone ``timezone``."""
    return value.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%dT%H:%M") if value else ""
