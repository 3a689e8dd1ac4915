"""The shares of women and of people under 30 among posters, commenters, registrants and attendees, for all
platforms together and for each platform, per month, against the programme's targets.

Posters and commenters are people (by their profile); registrants and attendees are confirmed registrations (by
the answers copied onto them), so a person at two events counts twice. As for every figure about people, what a
visitor may read is counted, on both pages (see ``participation``). A share is shown only when at least five are in
the group and five outside it, in a view protected with every view of its kind (``privacy``): the platforms' rows
cannot be taken from the row of all platforms, nor the states from one another."""

from __future__ import annotations

from collections import Counter

from flask import url_for
from flask_babel import gettext as _

from forum.core.db import utcnow
from forum.core.figures import SMALLEST_GROUP, Breakdown, breakdowns_within, part_of
from forum.i18n import localized
from forum.indicators import participation, periods, targets
from forum.indicators.activity import WAYS
from forum.indicators.choices import ACTIVITIES, MEASURES
from forum.indicators.closed_months import Measured, measured
from forum.indicators.filters import Filters
from forum.indicators.participation import MonthViews, month_columns
from forum.indicators.privacy import NOBODY, Guarded
from forum.indicators.scope import Scope
from forum.indicators.tables import Cell, Chart, Row, Table

#: the age ranges under 30
YOUNG = frozenset({"under_18", "18_29"})
#: one count of answers: (state, gender, age range, how many); None where it is not known
Entry = tuple[str | None, str | None, str | None, int]


def belongs(measure: str, gender: str | None, age_range: str | None) -> bool | None:
    """Whether an answer is in the measured group (None: the answer was not about this measure)."""
    if measure == "women":
        return None if gender is None else gender == "woman"
    return None if age_range is None else age_range in YOUNG


class MonthShares:
    """One way of taking part in one month: the counts in and outside each measured group in every view of
    platform and state; people (posters, commenters) by their profile, registrations by their answers."""

    def __init__(self, activity: str, month: str, found: Measured):
        self.activity, self.month, self.found = activity, month, found
        self.views = None
        if activity == "everyone":
            self.views = participation.month_views(found, month)
        elif activity in WAYS:
            self.views = MonthViews(found.months[month].people, (activity,))
        self._tallies: dict[tuple[int | None, str | None], dict[str, dict[str, int]]] = {}

    def states(self, platform: int | None) -> set[str | None]:
        """The states of the people (or registrations) counted on one platform."""
        if self.views is not None:
            return set(self.views.states(platform))
        return {state for state, _gender, _age, _n in self._entries(platform) if state is not None}

    def counts(self, measure: str, platform: int | None, state: str | None) -> dict[str, int]:
        """How many are ``in`` the measured group and ``out`` of it, in one view."""
        if self.views is not None:
            dimension, inside = MEASURED_GROUPS[measure]
            counts = self.views.count(dimension, platform, state)
            tally = {"in": sum(n for group, n in counts.items() if group in inside)}
            tally["out"] = sum(counts.values()) - tally["in"]
            return {side: n for side, n in tally.items() if n}
        if state is not None and self.stateless:
            return {}  # by state, the states would not add up to the whole
        if (platform, state) not in self._tallies:
            tallies: dict[str, Counter[str]] = {name: Counter() for name in MEASURES}
            for entry_state, gender, age_range, count in self._entries(platform):
                if state is not None and entry_state != state:
                    continue
                for name, tally in tallies.items():
                    answer = belongs(name, gender, age_range)
                    if answer is not None:
                        tally["in" if answer else "out"] += count
            self._tallies[(platform, state)] = {name: dict(tally) for name, tally in tallies.items()}
        return self._tallies[(platform, state)][measure]

    @property
    def stateless(self) -> bool:
        """Whether registrations of an anonymised event, whose states are not known, count this month."""
        return any(state is None for state, _gender, _age, _n in self._entries(None))

    def _entries(self, platform: int | None) -> list[Entry]:
        counts = self.found.months[self.month]
        chosen = counts.registered if self.activity == "registrants" else counts.attended
        return [(state, gender, age_range, n) for (home, state, gender, age_range), n in chosen.items()
                if platform is None or home == platform]


def shares(scope: Scope, filters: Filters) -> list[Table]:
    """Two tables, the share of women and the share of people under 30: for each way of taking part, all
    platforms together and each platform, per month, with the target to reach."""
    found = measured(filters)
    goals = targets.current()
    now = utcnow()
    months = {(activity, month): MonthShares(activity, month, found)
              for activity in (*WAYS, "registrants", "attendees") for month in filters.period.months}
    # everyone active, whom posters, commenters and seat holders make up
    months.update({("everyone", month): MonthShares("everyone", month, found)
                   for month in filters.period.months})
    return [_share_table(measure, goals[measure], scope, filters, found, months, now) for measure in MEASURES]


def _share_table(measure: str, target: int, scope: Scope, filters: Filters, found: Measured,
                 months: dict[tuple[str, str], MonthShares], now) -> Table:
    places: list[int | None] = [None, *found.platforms] if filters.platform is None else [filters.platform.id]
    platforms = {platform.id: platform for platform in scope.platforms}
    guards = {key: Guarded(lambda p, s, shares=shares: shares.counts(measure, p, s), shares.states, found.platforms)
              for key, shares in months.items()}
    rows = []
    for activity in ACTIVITIES:
        for place in places:
            cells = []
            for month in filters.period.months:
                if place is not None and place not in found.platforms:
                    cells.append(Cell())  # a members-only platform: its people are not counted
                    continue
                if not periods.is_over(month, now) or (activity in ("registrants", "attendees")
                                                       and (month, place) in found.waiting):
                    cells.append(Cell(pending=True))
                    continue
                cells.append(_share_cell(_protected(measure, activity, month, place, filters.state, guards, months),
                                         target))
            rows.append(_share_row(activity, platforms.get(place) if place is not None else None, cells))
    notes = [_("Shares are shown once the month is over, and for events once their check-in has closed."),
             _("A share is withheld when fewer than 5 people are in the group or outside it, or when it would let "
               "such a group be worked out from other figures."),
             _("Each person counts once a month: as a poster if they posted, else as a commenter, on the platform "
               "where they took part most; each event counts on the first of its platforms."),
             participation.kept_note()]
    if filters.state:
        notes.append(_("Under a state filter, events whose registrations were anonymised are not counted."))
    if scope.full:
        notes.append(_("Figures about people count public activity only, here as on the public page."))
    chosen = "all" if filters.platform is None else filters.platform.id
    return Table(key=f"share-of-{'women' if measure == 'women' else 'young-people'}",
                 title=_("Share of women") if measure == "women" else _("Share of people under 30"),
                 description=_("Among posters and commenters (people, by their profile) and among confirmed "
                               "registrants and attendees of events (registrations), the share in the group "
                               "(%(group)s), per platform and month, against the target of %(target)s %%.",
                               group=str(MEASURES[measure]).lower(), target=target),
                 unit="percent", columns=month_columns(filters.period.months), rows=rows,
                 chart=Chart("grouped", rows=[f"{activity}:{chosen}" for activity in ACTIVITIES],
                             target=float(target), maximum=100.0),
                 notes=notes, section="shares")


def _protected(measure: str, activity: str, month: str, place: int | None, state: str | None,
               guards: dict[tuple[str, str], Guarded], months: dict[tuple[str, str], MonthShares]) -> Breakdown:
    """What one share may show: what its own views (platforms, states) allow, and what the views it is part of
    allow: posters and commenters are parts of everyone active (with the seat holders), attendees a part of the
    registrants (with those who did not come). Each is protected; withholding more of a protected breakdown keeps
    it protected, so the share shows only the groups all of them show."""
    own = guards[(activity, month)].shown(place, state)
    if len(own.shown) < 2:
        return own  # withheld already: nothing more to check
    if activity in WAYS:
        if not _adds_nothing(measure, months[("everyone", month)].found, month, place, state):
            return NOBODY
        ways = {way: months[(way, month)].counts(measure, place, state) for way in WAYS}
        everyone = months[("everyone", month)].counts(measure, place, state)
        part = breakdowns_within(ways, everyone, guards[("everyone", month)].shown(place, state),
                                 published={"posters", "commenters"})[activity]
    elif activity == "attendees":
        part = part_of(months[("attendees", month)].counts(measure, place, state),
                       months[("registrants", month)].counts(measure, place, state),
                       guards[("registrants", month)].shown(place, state))
    else:
        return own
    both = set(dict(own.shown)) & set(dict(part.shown))
    kept = [(group, n) for group, n in own.shown if group in both]
    return Breakdown(own.total, kept, (own.total - sum(n for _group, n in kept)) or None,
                     total_shown=own.total_shown and part.total_shown)


#: the groups of its dimension each measure adds together
MEASURED_GROUPS = {"women": ("gender", {"woman"}), "young": ("age_range", YOUNG)}


def _adds_nothing(measure: str, found: Measured, month: str, place: int | None, state: str | None) -> bool:
    """Whether the people of the measured group in everyone active (which a share of posters tells, when all of
    them posted) add nothing to the table by gender or age range of the same view: the groups it withholds must
    fall on one side of the measure, or each side hold nobody or at least five (else "12 under 30, and 10 aged
    18–29 shown" would give the 2 under 18)."""
    dimension, inside = MEASURED_GROUPS[measure]
    protected = participation.guarded(found, month, dimension)
    counts, shown = protected.view(place, state), dict(protected.shown(place, state).shown)
    hidden = [group for group in counts if group not in shown]
    sides = (sum(counts[g] for g in hidden if g in inside), sum(counts[g] for g in hidden if g not in inside))
    return all(n == 0 or n >= SMALLEST_GROUP for n in sides)


def _share_cell(shown: Breakdown, target: int) -> Cell:
    if shown.total == 0 and shown.total_shown:
        return Cell()  # nobody to count
    groups = dict(shown.shown)
    if "in" not in groups or "out" not in groups:
        # fewer than 5 in the group or outside it (none at all included: "all 7 are women" tells each one's answer)
        return Cell(withheld=shown.total > 0 or not shown.total_shown)
    share = round(100 * groups["in"] / shown.total, 1)
    return Cell(share, meets_target=share >= target)


def _share_row(activity: str, platform, cells: list[Cell]) -> Row:
    name = _("All platforms") if platform is None else localized(platform, "name")[0]
    return Row(f"{activity}:{platform.id if platform is not None else 'all'}", f"{ACTIVITIES[activity]} — {name}",
               cells, url=_activity_url(activity, platform))


def _activity_url(activity: str, platform) -> str:
    """Where the viewer sees what an activity counts: the platform's threads, its consultations, its events."""
    slug = {"platform": platform.slug} if platform is not None else {}
    if activity == "posters":
        return url_for("threads.platform", slug=platform.slug) if platform is not None else url_for("platforms.index")
    if activity == "commenters":
        return url_for("consultations.index", **slug)
    return url_for("events.index", **slug)
