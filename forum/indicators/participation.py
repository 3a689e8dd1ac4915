"""Who takes part: people active each month by sector, organisation type, state, gender and age range, and the
shares of women and of people under 30 among posters, commenters, registrants and attendees, per platform and
per month, against the programme's targets.

A person is active in a month when they wrote a post, commented on a consultation, or hold a confirmed seat at an
event held that month, on content the scope counts. People are counted, never listed. Every group goes through
``forum.core.figures``: a group of fewer than five is withheld, and a filtered view (a platform, a state, both) is
checked against each view with one filter fewer, so that no small group can be worked out by taking one figure
from another. Figures of self-declared data (gender, age range) wait until their month is over, and those of an
event until its check-in has closed: watching a figure move as one known person takes part would tell their answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from flask import g, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from forum.accounts.choices import AGE_RANGES, GENDERS, ORGANISATION_TYPES, SECTORS, STATES, label
from forum.accounts.models import User
from forum.accounts.organisations import first_organisation_kinds
from forum.consultations import rules as consultation_rules
from forum.consultations.models import Comment, Consultation
from forum.core.db import listed_ids, month_of, read_ids, utcnow
from forum.core.figures import Breakdown, breakdown, breakdown_within
from forum.events import registrations as event_registrations
from forum.events import rules as event_rules
from forum.events.figures import NOT_GIVEN
from forum.events.models import Event, Registration, event_platforms
from forum.extensions import db
from forum.i18n import localized
from forum.indicators import periods, targets
from forum.indicators.choices import ACTIVITIES, MEASURES
from forum.indicators.filters import Filters
from forum.indicators.scope import Scope
from forum.indicators.tables import Cell, Chart, Column, Row, Table
from forum.threads import rules as thread_rules
from forum.threads.models import Post, Thread

#: the dimensions people are counted by, with their vocabulary; the public page shows the first three
DIMENSIONS = {
    "sector": SECTORS,
    "state": STATES,
    "gender": GENDERS,
    "organisation_kind": ORGANISATION_TYPES,
    "age_range": AGE_RANGES,
}
PUBLIC_DIMENSIONS = ("sector", "state", "gender")
#: answers people give about themselves, shown only for months that are over
SELF_DECLARED = ("gender", "age_range")
#: the age ranges under 30
YOUNG = frozenset({"under_18", "18_29"})
_TITLES = {
    "sector": lambda: _("Active participants by sector"),
    "state": lambda: _("Active participants by state"),
    "gender": lambda: _("Active participants by gender"),
    "organisation_kind": lambda: _("Active participants by type of organisation"),
    "age_range": lambda: _("Active participants by age range"),
}
_KEYS = {"sector": "sector", "state": "state", "gender": "gender", "organisation_kind": "organisation-type",
         "age_range": "age-range"}


# --- who was active -------------------------------------------------------------------------------------------


@dataclass
class Activity:
    """People active per month, overall and per platform (``None``: an event on no platform)."""

    people: dict[str, set[int]] = field(default_factory=dict)
    on: dict[tuple[str, int | None], set[int]] = field(default_factory=dict)

    def add(self, rows: Iterable[tuple[str, int | None, str | None]]) -> Activity:
        """Count the ``rows``: a month, a platform and the people active there then (see ``listed_ids``)."""
        for month, platform_id, listed in rows:
            self.include(month, platform_id, read_ids(listed))
        return self

    def include(self, month: str, platform_id: int | None, members: set[int]) -> None:
        """Count ``members`` as active in ``month`` on the platform."""
        self.people.setdefault(month, set()).update(members)
        self.on.setdefault((month, platform_id), set()).update(members)

    def of(self, month: str, platform_id: int | None) -> set[int]:
        """The people active in ``month``, on one platform or (``platform_id`` None) anywhere counted."""
        if platform_id is None:
            return self.people.get(month, set())
        return self.on.get((month, platform_id), set())


def _in_period(column, filters: Filters) -> tuple:
    return column >= filters.period.start, column < filters.period.end


def _platform_ids(scope: Scope) -> list[int]:
    return [platform.id for platform in scope.platforms]


def posters(scope: Scope, filters: Filters) -> Activity:
    """Authors of the posts the scope's viewer may find, per month and platform."""
    month = month_of(Post.created_at)
    rows = db.session.connection().execute(
        select(month, Thread.platform_id, listed_ids(Post.author_id)).join(Thread, Post.thread_id == Thread.id)
        .where(thread_rules.findable_posts(scope.viewer), Post.author_id.is_not(None),
               Thread.platform_id.in_(_platform_ids(scope)), *_in_period(Post.created_at, filters))
        .group_by(month, Thread.platform_id))
    return Activity().add(rows)


def commenters(scope: Scope, filters: Filters) -> Activity:
    """Authors of the consultation comments the scope's viewer may find, per month and platform."""
    month = month_of(Comment.created_at)
    rows = db.session.connection().execute(
        select(month, Consultation.platform_id, listed_ids(Comment.author_id))
        .join(Consultation, Comment.consultation_id == Consultation.id)
        .where(consultation_rules.findable_comments(scope.viewer), Comment.author_id.is_not(None),
               Consultation.platform_id.in_(_platform_ids(scope)), *_in_period(Comment.created_at, filters))
        .group_by(month, Consultation.platform_id))
    return Activity().add(rows)


def _counted_events(scope: Scope, filters: Filters) -> tuple:
    """The conditions on :class:`Event` (outer-joined to its platforms) of the events counted: published ones the
    viewer may see, held in the period, on a platform of the scope or on none."""
    return (event_rules.visible_events(scope.viewer), Event.status == "published",
            *_in_period(Event.starts_at, filters),
            event_platforms.c.platform_id.is_(None) | event_platforms.c.platform_id.in_(_platform_ids(scope)))


def seat_holders(scope: Scope, filters: Filters) -> Activity:
    """People with a confirmed seat at an event, per month the event starts in and per platform."""
    month = month_of(Event.starts_at)
    rows = db.session.connection().execute(
        select(month, event_platforms.c.platform_id, listed_ids(Registration.user_id))
        .join(Event, Registration.event_id == Event.id)
        .outerjoin(event_platforms, event_platforms.c.event_id == Event.id)
        .where(*_counted_events(scope, filters), Registration.status == "confirmed",
               Registration.user_id.is_not(None))
        .group_by(month, event_platforms.c.platform_id))
    return Activity().add(rows)


class Person(NamedTuple):
    """What the figures know of one person: the groups they belong to, by dimension (a tuple, so that counting
    thousands of them is quick)."""

    sector: str
    state: str
    gender: str
    organisation_kind: str
    age_range: str


def people(ids: set[int]) -> dict[int, Person]:
    """The groups of each person in ``ids`` (unanswered questions under "not given"). Read as one range of ids
    rather than a list of thousands of them, which costs more to send than the rows it leaves out."""
    if not ids:
        return {}
    kinds = first_organisation_kinds()
    rows = db.session.connection().execute(
        select(User.id, User.sector, User.state, User.gender, User.age_range)
        .where(User.id >= min(ids), User.id <= max(ids)))
    return {user_id: Person(sector or NOT_GIVEN, state or NOT_GIVEN, gender or NOT_GIVEN,
                            kinds.get(user_id, NOT_GIVEN), age_range or NOT_GIVEN)
            for user_id, sector, state, gender, age_range in rows if user_id in ids}


# --- views under filters --------------------------------------------------------------------------------------


def _views(filters: Filters) -> list[tuple[str, ...]]:
    """The views a page with ``filters`` must be checked against, widest first, ending with its own."""
    chosen = tuple(name for name, value in (("platform", filters.platform), ("state", filters.state)) if value)
    if len(chosen) == 2:
        return [(), ("platform",), ("state",), chosen]
    return [(), chosen] if chosen else [()]


def _wider(view: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [tuple(name for name in view if name != dropped) for dropped in view]


def protected(counts: dict[tuple[str, ...], dict[str, int]], filters: Filters) -> Breakdown:
    """The breakdown shown for the filters' own view, given the raw counts of every view of :func:`_views`: each
    view is checked against those with one filter fewer (``breakdown_within``)."""
    shown: dict[tuple[str, ...], Breakdown] = {}
    for view in _views(filters):
        wider = [(counts[other], shown[other]) for other in _wider(view)]
        shown[view] = breakdown_within(counts[view], wider) if wider else breakdown(counts[view])
    return shown[_views(filters)[-1]]


def _members(activity: Activity, month: str, platform_id: int | None, state: str | None,
             known: dict[int, Person]) -> Counter[Person]:
    """How many people of each combination of groups were active in ``month`` on one platform (None: anywhere
    counted), of one state (None: any). People who share all their groups are alike to every table, so each
    table adds up a few combinations rather than every person."""
    found = Counter(map(known.get, activity.of(month, platform_id)))
    found.pop(None, None)  # an account deleted since
    if state is not None:
        return Counter({person: n for person, n in found.items() if person.state == state})
    return found


def _by(dimension: str, members: Counter[Person]) -> dict[str, int]:
    """The people of ``members`` by their group in ``dimension``."""
    counts: dict[str, int] = {}
    for person, n in members.items():
        group = getattr(person, dimension)
        counts[group] = counts.get(group, 0) + n
    return counts


# --- active participants --------------------------------------------------------------------------------------


@dataclass
class Measured:
    """What one page counts, read once for all its tables: the people active by way of taking part, and the
    groups of everyone among them."""

    posters: Activity
    commenters: Activity
    seat_holders: Activity
    known: dict[int, Person]

    @property
    def active(self) -> Activity:
        """Everyone active per month and platform: posters, commenters and seat holders together."""
        together = Activity()
        for source in (self.posters, self.commenters, self.seat_holders):
            for (month, platform_id), members in source.on.items():
                together.include(month, platform_id, members)
        return together


def measured(scope: Scope, filters: Filters) -> Measured:
    """The activity counted under ``scope`` and ``filters`` (read once per request, whatever the tables)."""
    cache = g.setdefault("indicators_measured", {})
    key = (scope, filters.period)
    if key not in cache:
        sources = posters(scope, filters), commenters(scope, filters), seat_holders(scope, filters)
        everyone = set().union(*(members for source in sources for members in source.people.values()))
        cache[key] = Measured(*sources, known=people(everyone))
    return cache[key]


def participants(scope: Scope, filters: Filters) -> list[Table]:
    """One table per dimension (the public page: sector, state, gender; the fuller page adds type of organisation
    and age range): the active people of each group per month, the groups withheld together, and the total."""
    found = measured(scope, filters)
    activity, known = found.active, found.known
    months = filters.period.months
    views = _views(filters)
    tallies: dict[str, dict[tuple[str, ...], Counter[Person]]] = {
        month: {view: _members(activity, month, filters.platform.id if "platform" in view else None,
                               filters.state if "state" in view else None, known) for view in views}
        for month in months}
    dimensions = DIMENSIONS if scope.full else {name: DIMENSIONS[name] for name in PUBLIC_DIMENSIONS}
    return [_participants_table(dimension, vocabulary, months, tallies, filters)
            for dimension, vocabulary in dimensions.items()]


def _participants_table(dimension: str, vocabulary: dict, months: list[str],
                        tallies: dict[str, dict[tuple[str, ...], Counter[Person]]], filters: Filters) -> Table:
    now = utcnow()
    shown: dict[str, Breakdown] = {}
    for month in months:
        counts = {view: _by(dimension, members) for view, members in tallies[month].items()}
        shown[month] = protected(counts, filters)
    pending = {month: dimension in SELF_DECLARED and not periods.is_over(month, now) for month in months}
    groups = {month: dict(shown[month].shown) for month in months}
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
        Cell(pending=True) if pending[month] else _withheld_cell(shown[month]) for month in months], kind="withheld"))
    rows.append(Row("total", _("Active participants"), [_total_cell(shown[month]) for month in months],
                    kind="total"))
    notes = [_("People are counted, never listed. Each person counts once a month, whatever they did and wherever.")]
    if dimension in SELF_DECLARED:
        notes.append(_("Self-declared answers are shown once the month is over."))
    return Table(key=f"participants-by-{_KEYS[dimension]}", title=_TITLES[dimension](),
                 description=_("People who wrote a post, commented on a consultation or held a confirmed seat at an "
                               "event in the month, by the group they belong to (from their profile)."),
                 unit="people", columns=_month_columns(months), rows=rows, chart=Chart("stacked"), notes=notes,
                 section="participants")


def _group_label(vocabulary: dict, group: str) -> str:
    return _("Not given") if group == NOT_GIVEN else label(vocabulary, group)


def _withheld_cell(shown: Breakdown) -> Cell:
    if shown.total < 5:
        return Cell(withheld=shown.total > 0, value=0 if shown.total == 0 else None)
    return Cell(shown.withheld or 0)


def _total_cell(shown: Breakdown) -> Cell:
    return Cell(shown.total) if shown.total == 0 or shown.total >= 5 else Cell(withheld=True)


def _month_columns(months: list[str]) -> list[Column]:
    return [Column(month, periods.month_label(month)) for month in months]


# --- shares of women and of young people ----------------------------------------------------------------------


@dataclass
class Seats:
    """Confirmed registrations (and attendances) per month and platform, by state, gender and age range, for the
    events whose check-in has closed; and which months and platforms still wait for an event's check-in."""

    registered: dict[tuple[str, int | None], list[tuple[str, str, str, int]]] = field(default_factory=dict)
    attended: dict[tuple[str, int | None], list[tuple[str, str, str, int]]] = field(default_factory=dict)
    waiting: set[tuple[str, int | None]] = field(default_factory=set)


def seats(scope: Scope, filters: Filters) -> Seats:
    """Confirmed registrations of the counted events by (state, gender, age range); an event anonymised by the
    retention job counts through its frozen figures (which know no state: it is left out under a state filter)."""
    found = Seats()
    now = utcnow()
    events = db.session.execute(
        select(Event, month_of(Event.starts_at), event_platforms.c.platform_id)
        .outerjoin(event_platforms, event_platforms.c.event_id == Event.id)
        .where(*_counted_events(scope, filters))).all()
    where: dict[int, set[tuple[str, int | None]]] = {}
    for event, month, platform_id in events:
        # each platform's row, and the row of all platforms together
        places = where.setdefault(event.id, {(month, None)})
        places.add((month, platform_id))
        if event_registrations.check_in_closes(event) > now:
            found.waiting.update(((month, platform_id), (month, None)))
    closed = {event.id: event for event, _month, _platform in events
              if event_registrations.check_in_closes(event) <= now}
    live = [event_id for event_id, event in closed.items() if event.figures is None]
    groups = Registration.state, Registration.gender, Registration.age_range
    rows = db.session.execute(
        select(Registration.event_id, *groups, Registration.attended_at.is_not(None), func.count())
        .where(Registration.event_id.in_(live), Registration.status == "confirmed")
        .group_by(Registration.event_id, *groups, Registration.attended_at.is_not(None))) if live else []
    for event_id, state, gender, age_range, attended, count in rows:
        entry = (state or NOT_GIVEN, gender or NOT_GIVEN, age_range or NOT_GIVEN, count)
        for place in where[event_id]:
            found.registered.setdefault(place, []).append(entry)
            if attended:
                found.attended.setdefault(place, []).append(entry)
    for event_id, event in closed.items():
        if event.figures is not None:
            for which, target in (("registered", found.registered), ("attended", found.attended)):
                for entry in _frozen(event.figures.get(which, {})):
                    for place in where[event_id]:
                        target.setdefault(place, []).append(entry)
    return found


def _frozen(figures: dict[str, dict[str, int]]) -> list[tuple[str, str, str, int]]:
    """An anonymised event's frozen figures as entries of unknown state: gender and age range are known only
    apart, so each answer is an entry of its own (``None`` for the other)."""
    entries = [(None, gender, None, count) for gender, count in figures.get("gender", {}).items()]
    entries += [(None, None, age_range, count) for age_range, count in figures.get("age_range", {}).items()]
    return entries


def shares(scope: Scope, filters: Filters) -> list[Table]:
    """Two tables, the share of women and the share of people under 30: for each way of taking part, all counted
    platforms together and each platform, per month, with the target to reach."""
    found = measured(scope, filters)
    held = seats(scope, filters)
    goals = targets.current()
    memo: dict[tuple, dict] = {}
    return [_share_table(measure, goals[measure], scope, filters, found, held, memo) for measure in MEASURES]


def _belongs(measure: str, gender: str | None, age_range: str | None) -> bool | None:
    """Whether an answer is in the measured group (None: the answer was not about this measure)."""
    if measure == "women":
        return None if gender is None else gender == "woman"
    return None if age_range is None else age_range in YOUNG


def _share_table(measure: str, target: int, scope: Scope, filters: Filters, found: Measured, held: Seats,
                 memo: dict[tuple, dict]) -> Table:
    months = filters.period.months
    now = utcnow()
    places: list[int | None] = [None] if filters.platform is None else []
    places += [platform.id for platform in scope.counted(filters)]
    by_id = {platform.id: platform for platform in scope.platforms}
    rows = []
    for activity in ACTIVITIES:
        for place in places:
            cells = []
            for month in months:
                if not periods.is_over(month, now) or (activity in ("registrants", "attendees")
                                                       and (month, place) in held.waiting):
                    cells.append(Cell(pending=True))
                    continue
                counts = _share_counts(measure, activity, month, place, filters, found, held, memo)
                cells.append(_share_cell(protected(counts, _by_state(filters)), target))
            rows.append(_share_row(activity, by_id.get(place) if place is not None else None, cells))
    title = _("Share of women") if measure == "women" else _("Share of people under 30")
    notes = [_("Shares are shown once the month is over, and for events once their check-in has closed."),
             _("A share is withheld when fewer than 5 people are in the group or outside it.")]
    if filters.state:
        notes.append(_("Under a state filter, events whose registrations were anonymised are not counted."))
    return Table(key=f"share-of-{'women' if measure == 'women' else 'young-people'}", title=title,
                 description=_("Among posters and commenters (people, by their profile) and among confirmed "
                               "registrants and attendees of events (registrations), the share in the group "
                               "(%(group)s), per platform and month, against the target of %(target)s %%.",
                               group=str(MEASURES[measure]).lower(), target=target),
                 unit="percent", columns=_month_columns(months), rows=rows,
                 chart=Chart("grouped", rows=[f"{activity}:all" for activity in ACTIVITIES] if filters.platform
                             is None else [f"{activity}:{filters.platform.id}" for activity in ACTIVITIES],
                             target=float(target), maximum=100.0),
                 notes=notes, section="shares")


def _by_state(filters: Filters) -> Filters:
    """The filters that make views of a share: only the state (the platform is the row, so it filters nothing)."""
    return Filters(filters.period, None, filters.state)


def _share_counts(measure: str, activity: str, month: str, place: int | None, filters: Filters, found: Measured,
                  held: Seats, memo: dict[tuple, dict]) -> dict[tuple[str, ...], dict[str, int]]:
    """The people (or registrations) in and outside the measured group, in each view of the state filter
    (``memo`` keeps both measures' counts of each cell, so the second table adds nothing up again)."""
    key = (activity, month, place)
    if key not in memo:
        if activity in ("posters", "commenters"):
            members = _members(getattr(found, activity), month, place, None, found.known)
            entries = [(person.state, person.gender, person.age_range, n) for person, n in members.items()]
        else:
            entries = (held.registered if activity == "registrants" else held.attended).get((month, place), [])
        memo[key] = {view: _tally(entries, filters.state if "state" in view else None)
                     for view in _views(_by_state(filters))}
    return {view: dict(tallies[measure]) for view, tallies in memo[key].items()}


def _tally(entries: list[tuple[str | None, str | None, str | None, int]],
           state: str | None) -> dict[str, Counter[str]]:
    """For each measure, how many of ``entries`` (of ``state``, if given) are in its group and outside it."""
    tallies: dict[str, Counter[str]] = {measure: Counter() for measure in MEASURES}
    for entry_state, gender, age_range, count in entries:
        if state is not None and entry_state != state:
            continue
        for measure, tally in tallies.items():
            belongs = _belongs(measure, gender, age_range)
            if belongs is not None:
                tally["in" if belongs else "out"] += count
    return tallies


def _share_cell(shown: Breakdown, target: int) -> Cell:
    groups = dict(shown.shown)
    if "in" not in groups or "out" not in groups:
        # fewer than 5 in the group or outside it (none at all included: "all 7 are women" tells each one's answer)
        return Cell(withheld=shown.total > 0)
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

