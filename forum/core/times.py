"""Times as people type them: read in the time zone of the place they concern (an event's, a consultation's)
and stored in UTC; and shown back in a ``datetime-local`` form field."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from forum.core.errors import ActionRefused


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
    if not isinstance(value, datetime) or not 2000 <= value.year <= 2200:
        raise _refused(_("Please give a date and time such as 2026-12-01 10:00."), field)
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(zone))
    return value.astimezone(UTC)


def local_input(value: datetime | None, timezone: str) -> str:
    """A time as a ``datetime-local`` form field shows it, in the time zone ``timezone``."""
    return value.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%dT%H:%M") if value else ""
