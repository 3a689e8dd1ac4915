"""Closed months: the figures about people of a month are counted from the content while the month is open, and
kept once it has closed, from the first time they are asked for.

A month closes when it is over and the check-in of its events has closed: from then on its figures of
self-declared data are shown (see ``participation``), and from then on they never change. Were they recounted from
today's content, a post hidden or deleted later, an account deleted or an answer edited would change a past
month, and someone who saved the figures before could tell that person's answer from the difference. Keeping
them is also what makes a page quick: only the open months are counted on each request.

What is kept is counts by group in every view of platform and state (``MonthCounts``), never a person's id.
Content dated into a closed month afterwards (a post approved from the moderation queue after the month closed,
say) is not counted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from flask import g
from sqlalchemy import select

from forum.core.db import upsert_into, utcnow
from forum.extensions import db
from forum.indicators import activity, periods
from forum.indicators.activity import People, Seats
from forum.indicators.filters import Filters
from forum.indicators.models import ClosedMonth
from forum.indicators.periods import Period
from forum.indicators.scope import public_scope

#: how long after a month ends its counts are first kept (posts written in its last moments are committed by then)
CLOSING_GRACE = timedelta(minutes=10)
#: the key of "an event on no platform" in stored counts (keys of JSON objects are text)
_NO_PLATFORM = "none"


@dataclass
class MonthCounts:
    """What one month counts of people: everyone active, by way of taking part, platform, dimension, state and
    group (``activity.People``), and the confirmed seats and attendances of its events (``activity.Seats``)."""

    people: People = field(default_factory=dict)
    registered: Seats = field(default_factory=Counter)
    attended: Seats = field(default_factory=Counter)

    def stored(self) -> dict:
        """The counts as JSON."""
        return {"people": {way: {_NO_PLATFORM if home is None else str(home): view for home, view in homes.items()}
                           for way, homes in self.people.items()},
                **{which: [[*key, n] for key, n in getattr(self, which).items()]
                   for which in ("registered", "attended")}}

    @classmethod
    def read(cls, stored: dict) -> MonthCounts:
        """The counts kept as :meth:`stored`."""
        people = {way: {None if home == _NO_PLATFORM else int(home): view for home, view in homes.items()}
                  for way, homes in stored["people"].items()}
        seats = {which: Counter({tuple(entry[:-1]): entry[-1] for entry in stored[which]})
                 for which in ("registered", "attended")}
        return cls(people, **seats)


@dataclass
class Measured:
    """The figures about people of a period, month by month; the platforms counted (those a visitor may read, in
    navigation order); and the months and platforms (None: all together) whose events still hold their check-in
    open."""

    months: dict[str, MonthCounts]
    platforms: list[int]
    waiting: set[tuple[str, int | None]]

    def waits(self, month: str) -> bool:
        """Whether an event of ``month`` still holds its check-in open."""
        return (month, None) in self.waiting


def measured(filters: Filters) -> Measured:
    """The figures about people over the filters' period, as a visitor may read them: closed months as kept, open
    ones counted now (read once per request, whatever the tables and the page). Months found closed are kept."""
    cache = g.setdefault("indicators_measured", {})
    if filters.period not in cache:
        cache[filters.period] = _measure(filters.period)
    return cache[filters.period]


def _measure(period: Period) -> Measured:
    public = public_scope()
    months = {row.month: MonthCounts.read(row.counts) for row in db.session.scalars(
        select(ClosedMonth).where(ClosedMonth.month.in_(period.months)))}
    still_open = [month for month in period.months if month not in months]
    waiting: set[tuple[str, int | None]] = set()
    if still_open:
        # taken before counting, and some minutes back: what was written in a month's last moments, or is being
        # committed as it ends, is counted before the month is kept
        settled = utcnow() - CLOSING_GRACE
        counted = Period(still_open[0], still_open[-1])
        people = activity.people(public, counted)
        seats, waiting = activity.seats(public, counted)
        fresh = {month: MonthCounts(people.get(month, {}), **seats.get(month, {})) for month in still_open}
        months.update(fresh)
        close_months({month: counts for month, counts in fresh.items()
                      if periods.is_over(month, settled) and (month, None) not in waiting})
    return Measured({month: months[month] for month in period.months}, [platform.id for platform in public.platforms],
                    {(month, place) for month, place in waiting if month in still_open})


def close_months(months: dict[str, MonthCounts]) -> None:
    """Keep the counts of months found closed, in a transaction of their own (the request that found them only
    reads). Two requests closing a month at once count the same content: the first to write keeps its counts, the
    other's are dropped."""
    if not months:
        return
    now = utcnow()
    with db.engine.begin() as connection:
        connection.execute(upsert_into(ClosedMonth.__table__, connection.dialect.name)
                           .on_conflict_do_nothing(index_elements=["month"]),
                           [{"month": month, "closed_at": now, "counts": counts.stored()}
                            for month, counts in months.items()])
