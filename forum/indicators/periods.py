"""Periods of whole calendar months (UTC), the unit every indicator is counted in: ``2026-01:2026-12``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import format_date

from forum.core.db import utcnow

#: the longest period one page or export covers, in months
LONGEST = 36
#: the period shown when none is asked for: this many months, the current one included
DEFAULT_MONTHS = 12
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
#: the months a period may name
FIRST_YEAR, LAST_YEAR = 2000, 2999


def month_index(month: str) -> int:
    """``YYYY-MM`` as a count of months, so months can be compared and stepped through."""
    year, number = int(month[:4]), int(month[5:])
    return year * 12 + number - 1


def month_text(index: int) -> str:
    """The ``YYYY-MM`` of a count of months (see :func:`month_index`)."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def current_month(now: datetime | None = None) -> str:
    """The month (UTC) that is still running."""
    now = now or utcnow()
    return f"{now.year:04d}-{now.month:02d}"


def read_month(text: str) -> str | None:
    """The month ``text`` names as ``YYYY-MM``, or None when it is malformed or out of range."""
    text = text.strip()
    if not _MONTH.fullmatch(text):
        return None
    year, number = int(text[:4]), int(text[5:])
    return text if FIRST_YEAR <= year <= LAST_YEAR and 1 <= number <= 12 else None


def start_of(month: str) -> datetime:
    """The first moment (UTC) of ``month``."""
    return datetime(int(month[:4]), int(month[5:]), 1, tzinfo=UTC)


def month_label(month: str, length: str = "MMM y") -> str:
    """A month as the reader says it ("ene 2026", "Jan 2026"; ``length="MMMM y"`` for the full name)."""
    return format_date(date(int(month[:4]), int(month[5:]), 1), length)


@dataclass(frozen=True)
class Period:
    """The months from ``first`` to ``last``, both included."""

    first: str
    last: str

    @property
    def months(self) -> list[str]:
        """Every month of the period, in order."""
        return [month_text(n) for n in range(month_index(self.first), month_index(self.last) + 1)]

    @property
    def start(self) -> datetime:
        """The first moment of the period (UTC)."""
        return start_of(self.first)

    @property
    def end(self) -> datetime:
        """The first moment after the period (UTC)."""
        return start_of(month_text(month_index(self.last) + 1))


def default_period(now: datetime | None = None) -> Period:
    """The last :data:`DEFAULT_MONTHS` months, the current one included."""
    last = current_month(now)
    return Period(month_text(month_index(last) - DEFAULT_MONTHS + 1), last)


def is_over(month: str, now: datetime | None = None) -> bool:
    """Whether ``month`` has ended: only then are figures of self-declared data shown for it, so that watching a
    figure change as one known person takes part cannot tell their answer."""
    return month_index(month) < month_index(current_month(now))
