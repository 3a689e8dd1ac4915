"""Who took part, counted from the content itself: for the months that are not closed yet (see ``closed_months``),
the people active each month and the confirmed seats at its events, as counts by group and never as people.

A person is active in a month when they wrote a post, commented on a consultation, or hold a confirmed seat at an
event held that month, on what a visitor may read: on both pages, since counting members-only activity on the
fuller one would let its reader take the public figures from it and learn the answers of the few people active only
there. Each person counts once a month, on one platform and under one way of taking part, so that the views by
platform and by way add up to everyone (views that overlap could be added and taken from one another to single out
the few people in two of them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import chain

from sqlalchemy import func, select

from forum.accounts.models import User
from forum.accounts.organisations import first_organisation_kinds
from forum.consultations import rules as consultation_rules
from forum.consultations.models import Comment, Consultation
from forum.core.db import listed_ids, month_of, read_ids, utcnow
from forum.events import registrations as event_registrations
from forum.events import rules as event_rules
from forum.events.figures import NOT_GIVEN
from forum.events.models import Event, Registration, event_platforms
from forum.extensions import db
from forum.indicators.periods import Period
from forum.indicators.scope import Scope
from forum.threads import rules as thread_rules
from forum.threads.models import Post, Thread

#: the ways of taking part, in the order that decides under which one a person counts
WAYS = ("posters", "commenters", "seat_holders")
#: the dimensions people are counted by
DIMENSIONS = ("sector", "state", "gender", "organisation_kind", "age_range")

#: how often each person took part, by month, then platform (None: an event on no platform), then person
Contributions = dict[str, dict[int | None, Counter[int]]]
#: the people of one month as counts: by way of taking part, then the platform they count on (None: an event on
#: no platform), then dimension, then state, then group
People = dict[str, dict[int | None, dict[str, dict[str, dict[str, int]]]]]
#: one kind of confirmed seats of one month, counted by (the event's platform or None, state, gender, age range);
#: None where the answer is not known apart (the frozen figures of an anonymised event)
Seats = Counter[tuple[int | None, str | None, str | None, str | None]]


def _platform_ids(scope: Scope) -> list[int]:
    return [platform.id for platform in scope.platforms]


def _in(column, period: Period) -> tuple:
    return column >= period.start, column < period.end


def _contributions(rows: Iterable[tuple[str, int | None, str | None]]) -> Contributions:
    """The ``rows`` of a month, a platform and everyone who took part there then (``listed_ids``), counted."""
    found: Contributions = {}
    for month, platform_id, listed in rows:
        found.setdefault(month, {})[platform_id] = Counter(read_ids(listed))
    return found


def posters(scope: Scope, period: Period) -> Contributions:
    """Authors of the posts the scope's viewer may find, with their number of posts, per month and platform."""
    month = month_of(Post.created_at)
    rows = db.session.connection().execute(
        select(month, Thread.platform_id, listed_ids(Post.author_id)).join(Thread, Post.thread_id == Thread.id)
        .where(thread_rules.findable_posts(scope.viewer), Post.author_id.is_not(None),
               Thread.platform_id.in_(_platform_ids(scope)), *_in(Post.created_at, period))
        .group_by(month, Thread.platform_id))
    return _contributions(rows)


def commenters(scope: Scope, period: Period) -> Contributions:
    """Authors of the consultation comments the scope's viewer may find, with their number of comments, per month
    and platform."""
    month = month_of(Comment.created_at)
    rows = db.session.connection().execute(
        select(month, Consultation.platform_id, listed_ids(Comment.author_id))
        .join(Consultation, Comment.consultation_id == Consultation.id)
        .where(consultation_rules.findable_comments(scope.viewer), Comment.author_id.is_not(None),
               Consultation.platform_id.in_(_platform_ids(scope)), *_in(Comment.created_at, period))
        .group_by(month, Consultation.platform_id))
    return _contributions(rows)


#: an event's platforms, under a name of their own: the visibility rule of events looks at them too
PLACED = event_platforms.alias("placed")


def counted_events(scope: Scope, period: Period) -> tuple:
    """The conditions on :class:`Event` (outer-joined to its platforms as :data:`PLACED`) of the events counted:
    published ones the viewer may see, held in the period, on a platform of the scope or on none."""
    return (event_rules.visible_events(scope.viewer), Event.status == "published", *_in(Event.starts_at, period),
            PLACED.c.platform_id.is_(None) | PLACED.c.platform_id.in_(_platform_ids(scope)))


def seat_holders(scope: Scope, period: Period) -> Contributions:
    """People with a confirmed seat at an event, per month the event starts in and per platform of the event."""
    month = month_of(Event.starts_at)
    rows = db.session.connection().execute(
        select(month, PLACED.c.platform_id, listed_ids(Registration.user_id))
        .join(Event, Registration.event_id == Event.id)
        .outerjoin(PLACED, PLACED.c.event_id == Event.id)
        .where(*counted_events(scope, period), Registration.status == "confirmed",
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


def placed(sources: dict[str, Contributions], platforms: list[int]) -> dict[str, dict[str, dict[int | None, set]]]:
    """Each person once a month, by month, then way, then platform: under the first way they took part in
    (posting, then commenting, then holding a seat), and on the platform where they took part most (ties: the first
    in the platforms' order; an event on no platform last). Made with set operations: most people take part on one
    platform only."""
    rank = {platform: n for n, platform in enumerate(platforms)}
    found: dict[str, dict[str, dict[int | None, set]]] = {}
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
            found.setdefault(month, {})[way] = {platform: people & mine for platform, people in home.items()
                                                if people & mine}
    return found


def people(scope: Scope, period: Period) -> dict[str, People]:
    """The people active in each month of ``period`` that has any, counted by way, platform, dimension, state and
    group (people whose account was deleted since are not counted)."""
    months = placed(dict(zip(WAYS, (posters(scope, period), commenters(scope, period),
                                    seat_holders(scope, period)), strict=True)), _platform_ids(scope))
    everyone = set().union(*(found for ways in months.values() for homes in ways.values()
                             for found in homes.values()))
    groups = groups_of(everyone)
    counted: dict[str, People] = {}
    for month, ways in months.items():
        for way, homes in ways.items():
            for home, found in homes.items():
                ordered = tuple(found)
                states = tuple(map(groups["state"].get, ordered))
                view = counted.setdefault(month, {}).setdefault(way, {}).setdefault(home, {})
                for dimension in DIMENSIONS:
                    table = view.setdefault(dimension, {})
                    for (state, group), n in Counter(zip(states, map(groups[dimension].get, ordered),
                                                         strict=True)).items():
                        if state is not None and group is not None:  # None: an account deleted since
                            table.setdefault(state, {})[group] = n
    return counted


def seats(scope: Scope, period: Period) -> tuple[dict[str, dict[str, Seats]], set[tuple[str, int | None]]]:
    """The confirmed seats (``registered``) and attendances (``attended``) of each month's events whose check-in
    has closed, counted by the event's platform, state, gender and age range; and the months and platforms (None:
    all together) whose events still hold their check-in open. An event counts on the first of its platforms, so
    that the platforms add up to all of them. An event anonymised by the retention job counts through its frozen
    figures, which know no state."""
    now = utcnow()
    events = db.session.execute(
        select(Event, month_of(Event.starts_at), PLACED.c.platform_id)
        .outerjoin(PLACED, PLACED.c.event_id == Event.id).where(*counted_events(scope, period))).all()
    rank = {platform: n for n, platform in enumerate(_platform_ids(scope))}
    placed_on: dict[int, list[int]] = {}
    for event, _month, platform_id in events:
        if platform_id in rank:
            placed_on.setdefault(event.id, []).append(platform_id)
    where = {event.id: (month, min(placed_on[event.id], key=rank.__getitem__) if event.id in placed_on else None)
             for event, month, _platform in events}
    waiting: set[tuple[str, int | None]] = set()
    closed: dict[int, Event] = {}
    for event, month, _platform in events:
        if event_registrations.check_in_closes(event) > now:
            waiting.update({where[event.id], (month, None)})
        else:
            closed[event.id] = event
    found: dict[str, dict[str, Seats]] = {}

    def count(event_id: int, which: str, answers: tuple, n: int) -> None:
        month, home = where[event_id]
        found.setdefault(month, {"registered": Counter(), "attended": Counter()})[which][(home, *answers)] += n

    live = [event_id for event_id, event in closed.items() if event.figures is None]
    answers = Registration.state, Registration.gender, Registration.age_range
    rows = db.session.execute(
        select(Registration.event_id, *answers, Registration.attended_at.is_not(None), func.count())
        .where(Registration.event_id.in_(live), Registration.status == "confirmed")
        .group_by(Registration.event_id, *answers, Registration.attended_at.is_not(None))) if live else []
    for event_id, state, gender, age_range, attended, n in rows:
        given = (state or NOT_GIVEN, gender or NOT_GIVEN, age_range or NOT_GIVEN)
        count(event_id, "registered", given, n)
        if attended:
            count(event_id, "attended", given, n)
    for event_id, figures in ((event_id, event.figures) for event_id, event in closed.items() if event.figures):
        # gender and age range are known only apart: each answer counts on its own, the other unknown
        for which in ("registered", "attended"):
            for gender, n in figures.get(which, {}).get("gender", {}).items():
                count(event_id, which, (None, gender, None), n)
            for age_range, n in figures.get(which, {}).get("age_range", {}).items():
                count(event_id, which, (None, None, age_range), n)
    return found, waiting
