"""Who takes part: people active each month by sector, organisation type, state, gender and age range, and the
shares of women and of people under 30 among posters, commenters, registrants and attendees, per platform and
per month, against the programme's targets.

Who is active, and where each person counts, is said in ``activity``; the counts of closed months are kept as
they were (``closed_months``). People are counted, never listed. Every group goes through
``forum.indicators.privacy``: a group of fewer than five is withheld, and no filtered view lets a small group be
worked out from other views. Figures of self-declared data (gender, age range) wait until their month has closed
(it is over and the check-in of its events has closed): watching a figure move as one known person takes part
would tell their answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from flask import g
from flask_babel import gettext as _

from forum.accounts.choices import AGE_RANGES, GENDERS, ORGANISATION_TYPES, SECTORS, STATES, label
from forum.core.db import utcnow
from forum.core.figures import Breakdown
from forum.events.figures import NOT_GIVEN
from forum.indicators import activity, periods
from forum.indicators.activity import WAYS, People
from forum.indicators.closed_months import Measured, measured
from forum.indicators.filters import Filters
from forum.indicators.privacy import Guarded
from forum.indicators.scope import Scope
from forum.indicators.tables import Cell, Chart, Column, Row, Table

#: the dimensions people are counted by (``activity.DIMENSIONS``), with their vocabulary; the public page shows the
#: first three
DIMENSIONS = dict(zip(activity.DIMENSIONS, (SECTORS, STATES, GENDERS, ORGANISATION_TYPES, AGE_RANGES), strict=True))
PUBLIC_DIMENSIONS = ("sector", "state", "gender")

#: answers people give about themselves, shown only for months that are over
SELF_DECLARED = ("gender", "age_range")
_TITLES = {
    "sector": lambda: _("Active participants by sector"),
    "state": lambda: _("Active participants by state"),
    "gender": lambda: _("Active participants by gender"),
    "organisation_kind": lambda: _("Active participants by type of organisation"),
    "age_range": lambda: _("Active participants by age range"),
}
_KEYS = {"sector": "sector", "state": "state", "gender": "gender", "organisation_kind": "organisation-type",
         "age_range": "age-range"}


# --- what a page counts ---------------------------------------------------------------------------------------


class MonthViews:
    """The people of one month counted in some ways of taking part (all of them, or one), by group in every view
    of platform (None: all) and state (None: any)."""

    def __init__(self, people: People, ways: Iterable[str]):
        self.homes = [homes for way, homes in people.items() if way in ways]
        self._tables: dict[tuple[str, int | None], dict[str | None, Counter[str]]] = {}

    def states(self, platform: int | None) -> set[str]:
        """The states of the people of a platform's view."""
        return {state for state in self._table("state", platform) if state is not None}

    def count(self, dimension: str, platform: int | None, state: str | None) -> Counter[str]:
        """How many people of one view are in each group of ``dimension``."""
        return self._table(dimension, platform).get(state, Counter())

    def _table(self, dimension: str, platform: int | None) -> dict[str | None, Counter[str]]:
        """A platform's counts by group in every state (None: all states), made once: the protection of a filtered
        page asks for them many times."""
        if (dimension, platform) not in self._tables:
            table: dict[str | None, Counter[str]] = {None: Counter()}
            for homes in self.homes:
                for home, view in homes.items():
                    if platform is None or home == platform:
                        for state, groups in view.get(dimension, {}).items():
                            table.setdefault(state, Counter()).update(groups)
                            table[None].update(groups)
            self._tables[(dimension, platform)] = table
        return self._tables[(dimension, platform)]


# --- active participants --------------------------------------------------------------------------------------


def month_views(found: Measured, month: str) -> MonthViews:
    """Everyone active in one month, counted by group in every view (kept for the request: the tables by group
    and the shares count from them)."""
    cache = g.setdefault("indicators_views", {})
    if (id(found), month) not in cache:
        cache[(id(found), month)] = MonthViews(found.months[month].people, WAYS)
    return cache[(id(found), month)]


def guarded(found: Measured, month: str, dimension: str) -> Guarded:
    """The protected views of one dimension in one month, over everyone active (kept for the request: the shares
    are checked against them too). A state's views are published only where the breakdown by state shows it."""
    cache = g.setdefault("indicators_guarded", {})
    key = (id(found), month, dimension)
    if key not in cache:
        views = month_views(found, month)
        made = Guarded(lambda p, s: views.count(dimension, p, s), views.states, found.platforms)
        if dimension == "state":
            made.published = lambda p: {group for group, _n in made.shown(p, None).shown}
        else:
            made.published = guarded(found, month, "state").published
        cache[key] = made
    return cache[key]


def participants(scope: Scope, filters: Filters) -> list[Table]:
    """One table per dimension (the public page: sector, state, gender; the fuller page adds type of organisation
    and age range): the active people of each group per month, the groups withheld together, and the total."""
    found = measured(filters)
    dimensions = DIMENSIONS if scope.full else {name: DIMENSIONS[name] for name in PUBLIC_DIMENSIONS}
    platform = filters.platform.id if filters.platform is not None else None
    shown = {dimension: {month: guarded(found, month, dimension).shown(platform, filters.state)
                         for month in filters.period.months} for dimension in dimensions}
    counted = platform is None or platform in found.platforms
    waiting = {month for month in filters.period.months if found.waits(month)}
    return [_participants_table(dimension, vocabulary, shown[dimension], waiting, scope, counted)
            for dimension, vocabulary in dimensions.items()]


def _participants_table(dimension: str, vocabulary: dict, shown: dict[str, Breakdown], waiting: set[str],
                        scope: Scope, counted: bool) -> Table:
    """A dimension's table; when the chosen platform is members-only (its people are not counted), dashes."""
    now = utcnow()
    months = list(shown)
    pending = {month: dimension in SELF_DECLARED and (not periods.is_over(month, now) or month in waiting)
               for month in months}
    groups = {month: dict(shown[month].shown) for month in months}
    if not counted:
        pending = dict.fromkeys(months, False)
    listed = [group for group in (*vocabulary, NOT_GIVEN)
              if any(group in groups[month] and not pending[month] for month in months)]
    rows = []
    for group in listed:
        cells = []
        for month in months:
            count = groups[month].get(group)
            cells.append(Cell(pending=True) if pending[month] else Cell(count, withheld=count is None))
        rows.append(Row(group, _group_label(vocabulary, group), cells))
    rows.append(Row("withheld", _("Groups of fewer than 5 people, together"), [
        Cell() if not counted else Cell(pending=True) if pending[month] else _withheld_cell(shown[month])
        for month in months], kind="withheld"))
    rows.append(Row("total", _("Active participants"),
                    [_total_cell(shown[month]) if counted else Cell() for month in months], kind="total"))
    notes = [_("People are counted, never listed. Each person counts once a month, on the platform where they took "
               "part most."), kept_note()]
    if dimension in SELF_DECLARED:
        notes.append(_("Self-declared answers are shown once the month is over and its events' check-in has "
                       "closed."))
    if scope.full:
        notes.append(_("Figures about people count public activity only, here as on the public page."))
    return Table(key=f"participants-by-{_KEYS[dimension]}", title=_TITLES[dimension](),
                 description=_("People who wrote a post, commented on a consultation or held a confirmed seat at an "
                               "event in the month, by the group they belong to (from their profile)."),
                 unit="people", columns=month_columns(months), rows=rows, chart=Chart("stacked"), notes=notes,
                 section="participants")


def kept_note() -> str:
    """The note of every table about people on what ``closed_months`` does."""
    return _("Once a month is over and its events' check-in has closed, its figures are kept as first shown: what "
             "is hidden, deleted or edited later does not change them.")


def _group_label(vocabulary: dict, group: str) -> str:
    return _("Not given") if group == NOT_GIVEN else label(vocabulary, group)


def _withheld_cell(shown: Breakdown) -> Cell:
    if not shown.total_shown or 0 < shown.total < 5:
        return Cell(withheld=True)
    return Cell(shown.withheld or 0)


def _total_cell(shown: Breakdown) -> Cell:
    return Cell(shown.total) if shown.total_shown or shown.total == 0 else Cell(withheld=True)


def month_columns(months: list[str]) -> list[Column]:
    """The columns of a table by month."""
    return [Column(month, periods.month_label(month)) for month in months]
