"""Who takes part: people active each month by sector, organisation type, state, gender and age range, and the
shares of women and of people under 30 among posters, commenters, registrants and attendees, per platform and
per month, against the programme's targets.

A person is active in a month when they wrote a post, commented on a consultation, or hold a confirmed seat at an
event held that month, on what a visitor may read: on both pages, since counting members-only activity on the
fuller one would let its reader take the public figures from it and learn the answers of the few people active only
there. People are counted, never listed. Every group goes through ``forum.indicators.privacy``: a group of fewer
than five is withheld, and no filtered view lets a small group be worked out from other views. Figures of
self-declared data (gender, age range) wait until their month is over and the check-in of its events has closed:
watching a figure move as one known person takes part would tell their answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain

from flask import g
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, select

from forum.accounts.choices import AGE_RANGES, GENDERS, ORGANISATION_TYPES, SECTORS, STATES, label
from forum.accounts.models import User
from forum.accounts.organisations import first_organisation_kinds
from forum.consultations import rules as consultation_rules
from forum.consultations.models import Comment, Consultation
from forum.core.db import listed_ids, month_of, read_ids, utcnow
from forum.core.figures import Breakdown
from forum.events import registrations as event_registrations
from forum.events import rules as event_rules
from forum.events.figures import NOT_GIVEN
from forum.events.models import Event, Registration, event_platforms
from forum.extensions import db
from forum.indicators import periods
from forum.indicators.filters import Filters
from forum.indicators.privacy import Guarded
from forum.indicators.scope import Scope, public_scope
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
    """People active per month, overall and by the platform they count on (``None``: an event on no platform)."""

    people: dict[str, set[int]] = field(default_factory=dict)
    on: dict[tuple[str, int | None], set[int]] = field(default_factory=dict)

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


#: how often each person took part, by month, then platform (None: an event on no platform), then person
Contributions = dict[str, dict[int | None, Counter[int]]]


def _contributions(rows: Iterable[tuple[str, int | None, str | None]]) -> Contributions:
    """The ``rows`` of a month, a platform and everyone who took part there then (``listed_ids``), counted."""
    found: Contributions = {}
    for month, platform_id, listed in rows:
        found.setdefault(month, {})[platform_id] = Counter(read_ids(listed))
    return found


def posters(scope: Scope, filters: Filters) -> Contributions:
    """Authors of the posts the scope's viewer may find, with their number of posts, per month and platform."""
    month = month_of(Post.created_at)
    rows = db.session.connection().execute(
        select(month, Thread.platform_id, listed_ids(Post.author_id)).join(Thread, Post.thread_id == Thread.id)
        .where(thread_rules.findable_posts(scope.viewer), Post.author_id.is_not(None),
               Thread.platform_id.in_(_platform_ids(scope)), *_in_period(Post.created_at, filters))
        .group_by(month, Thread.platform_id))
    return _contributions(rows)


def commenters(scope: Scope, filters: Filters) -> Contributions:
    """Authors of the consultation comments the scope's viewer may find, with their number of comments, per month
    and platform."""
    month = month_of(Comment.created_at)
    rows = db.session.connection().execute(
        select(month, Consultation.platform_id, listed_ids(Comment.author_id))
        .join(Consultation, Comment.consultation_id == Consultation.id)
        .where(consultation_rules.findable_comments(scope.viewer), Comment.author_id.is_not(None),
               Consultation.platform_id.in_(_platform_ids(scope)), *_in_period(Comment.created_at, filters))
        .group_by(month, Consultation.platform_id))
    return _contributions(rows)


#: an event's platforms, under a name of their own: the visibility rule of events looks at them too
PLACED = event_platforms.alias("placed")


def counted_events(scope: Scope, filters: Filters) -> tuple:
    """The conditions on :class:`Event` (outer-joined to its platforms as :data:`PLACED`) of the events counted:
    published ones the viewer may see, held in the period, on a platform of the scope or on none."""
    return (event_rules.visible_events(scope.viewer), Event.status == "published",
            *_in_period(Event.starts_at, filters),
            PLACED.c.platform_id.is_(None) | PLACED.c.platform_id.in_(_platform_ids(scope)))


def check_in_open() -> ColumnElement[bool]:
    """A SQL condition on :class:`Event`: its check-in has not closed (``registrations.check_in_closes``)."""
    return Event.ends_at > utcnow() - event_registrations.CHECK_IN_GRACE


def seat_holders(scope: Scope, filters: Filters) -> Contributions:
    """People with a confirmed seat at an event, per month the event starts in and per platform of the event."""
    month = month_of(Event.starts_at)
    rows = db.session.connection().execute(
        select(month, PLACED.c.platform_id, listed_ids(Registration.user_id))
        .join(Event, Registration.event_id == Event.id)
        .outerjoin(PLACED, PLACED.c.event_id == Event.id)
        .where(*counted_events(scope, filters), Registration.status == "confirmed",
               Registration.user_id.is_not(None))
        .group_by(month, PLACED.c.platform_id))
    return _contributions(rows)


def groups_of(ids: set[int]) -> dict[str, dict[int, str]]:
    """For each dimension, the group of each person in ``ids`` (unanswered questions under "not given"). Read as
    one range of ids rather than a list of thousands of them, which costs more to send than the rows it leaves
    out."""
    found: dict[str, dict[int, str]] = {dimension: {} for dimension in DIMENSIONS}
    if not ids:
        return found
    kinds = first_organisation_kinds()
    rows = db.session.connection().execute(
        select(User.id, User.sector, User.state, User.gender, User.age_range)
        .where(User.id >= min(ids), User.id <= max(ids)))
    for user_id, sector, state, gender, age_range in rows:
        if user_id in ids:
            for dimension, group in (("sector", sector), ("state", state), ("gender", gender),
                                     ("organisation_kind", kinds.get(user_id)), ("age_range", age_range)):
                found[dimension][user_id] = group or NOT_GIVEN
    return found


# --- what a page counts ---------------------------------------------------------------------------------------


@dataclass
class Measured:
    """What one page counts, read once for all its tables: the people active by way of taking part, the groups of
    everyone among them, the platforms counted and the months whose events still hold their check-in open."""

    posters: Activity
    commenters: Activity
    seat_holders: Activity
    #: each person's group, by dimension then person
    groups: dict[str, dict[int, str]]
    platforms: list[int]
    waiting: set[str]

    @cached_property
    def active(self) -> Activity:
        """Everyone active per month and platform: posters, commenters and seat holders together."""
        together = Activity()
        for source in (self.posters, self.commenters, self.seat_holders):
            for (month, platform_id), found in source.on.items():
                together.include(month, platform_id, found)
        return together


#: the ways of taking part, in the order that decides under which one a person counts
WAYS = ("posters", "commenters", "seat_holders")


def assigned(sources: dict[str, Contributions], platforms: list[int]) -> dict[str, Activity]:
    """Each person counted once a month, so that the views by platform and by way of taking part add up to
    everyone (views that overlap could be added and taken from one another to single out the few people in two of
    them): under the first way they took part in (posting, then commenting, then holding a seat), and on the
    platform where they took part most (ties: the first in the platforms' order; an event on no platform last).
    Made with set operations: most people take part on one platform only."""
    rank = {platform: n for n, platform in enumerate(platforms)}
    activities = {way: Activity() for way in sources}
    for month in set().union(*sources.values()):
        by_platform: dict[int | None, Counter[int]] = {}
        for contributions in sources.values():
            for platform, people in contributions.get(month, {}).items():
                by_platform.setdefault(platform, Counter()).update(people)
        seen = Counter(chain.from_iterable(by_platform.values()))
        several = {person for person, platforms_of in seen.items() if platforms_of > 1}
        home = {platform: set(people) - several for platform, people in by_platform.items()}
        for person in several:
            best = max((platform for platform in by_platform if person in by_platform[platform]),
                       key=lambda p, person=person: (by_platform[p][person], p is not None, -rank.get(p, len(rank))))
            home[best].add(person)
        earlier: set[int] = set()
        for way, contributions in sources.items():
            mine = set().union(*contributions.get(month, {}).values()) - earlier
            earlier |= mine
            for platform, people in home.items():
                if people & mine:
                    activities[way].include(month, platform, people & mine)
    return activities


def measured(filters: Filters) -> Measured:
    """The activity counted over the filters' period, as a visitor may read it (read once per request, whatever
    the tables and the page)."""
    cache = g.setdefault("indicators_measured", {})
    if filters.period not in cache:
        public = public_scope()
        platforms = _platform_ids(public)
        found = assigned(dict(zip(WAYS, (posters(public, filters), commenters(public, filters),
                                         seat_holders(public, filters)), strict=True)), platforms)
        everyone = set().union(*(people for activity in found.values() for people in activity.people.values()))
        waiting = set(db.session.scalars(
            select(month_of(Event.starts_at)).outerjoin(PLACED, PLACED.c.event_id == Event.id)
            .where(*counted_events(public, filters), check_in_open())))
        cache[filters.period] = Measured(**found, groups=groups_of(everyone), platforms=platforms, waiting=waiting)
    return cache[filters.period]


class MonthViews:
    """The people active in one month in one way (or all ways), counted by group in each view of platform (None:
    all) and state (None: any)."""

    def __init__(self, activity: Activity, month: str, found: Measured):
        self.activity, self.month, self.found = activity, month, found
        self._by_state: dict[tuple[int, int | None], dict[str | None, dict[str, int]]] = {}

    def states(self, platform: int | None) -> set[str]:
        """The states of the people of a platform's view."""
        states = set(map(self.found.groups["state"].get, self.activity.of(self.month, platform)))
        states.discard(None)
        return states

    def count(self, groups: dict[int, str], platform: int | None, state: str | None) -> dict[str, int]:
        """How many people of one view are in each of ``groups``. A platform's counts, and every state's within it,
        are made in one pass and kept: the protection of a filtered page asks for them many times."""
        key = (id(groups), platform)
        if key not in self._by_state:
            people = tuple(self.activity.of(self.month, platform))
            table: dict[str | None, dict[str, int]] = {None: {}}
            for (home, group), n in Counter(zip(map(self.found.groups["state"].get, people),
                                                map(groups.get, people), strict=True)).items():
                if home is not None and group is not None:  # None: an account deleted since
                    table.setdefault(home, {})[group] = n
                    table[None][group] = table[None].get(group, 0) + n
            self._by_state[key] = table
        return self._by_state[key].get(state, {})


# --- active participants --------------------------------------------------------------------------------------


def month_views(found: Measured, month: str) -> MonthViews:
    """Everyone active in one month, counted by group in every view (kept for the request: the tables by group
    and the shares count from them)."""
    cache = g.setdefault("indicators_views", {})
    if (id(found), month) not in cache:
        cache[(id(found), month)] = MonthViews(found.active, month, found)
    return cache[(id(found), month)]


def guarded(found: Measured, month: str, dimension: str) -> Guarded:
    """The protected views of one dimension in one month, over everyone active (kept for the request: the shares
    are checked against them too). A state's views are published only where the breakdown by state shows it."""
    cache = g.setdefault("indicators_guarded", {})
    key = (id(found), month, dimension)
    if key not in cache:
        views = month_views(found, month)
        made = Guarded(lambda p, s: views.count(found.groups[dimension], p, s), views.states, found.platforms)
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
    return [_participants_table(dimension, vocabulary, shown[dimension], found.waiting, scope, counted)
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
               "part most.")]
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
