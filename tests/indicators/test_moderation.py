"""The moderation section of the indicators: flags and decisions about items per month, the median time to a
decision per month, and on the full level decisions by kind; filters by period and platform (the state filter
does not apply); what a visitor's view counts; a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import count

import pytest
from flask import current_app, url_for

from forum.core.db import commit
from forum.extensions import db
from forum.indicators import moderation
from forum.indicators.filters import Filters
from forum.indicators.periods import Period
from forum.indicators.scope import scope
from forum.indicators.tables import Table
from forum.moderation.models import Flag, ModerationAction
from tests.indicators.conftest import tables_made
from tests.indicators.conftest import values as figures

_TARGETS = count(1)


def at(year: int, month: int, day: int) -> datetime:
    """Noon (UTC) of a day."""
    return datetime(year, month, day, 12, tzinfo=UTC)


def made(*args, **filters) -> dict[str, Table]:
    """The section's tables as ``tables_made`` gives them, by key."""
    return tables_made(moderation.tables, *args, **filters)






def flag(platform, when: datetime) -> None:
    """A flag on a post of ``platform`` (None: outside any platform)."""
    db.session.add(Flag(target_type="post", target_id=next(_TARGETS), reason="spam", created_at=when,
                        platform_id=platform.id if platform is not None else None))


def decide(platform, action: str, when: datetime, minutes: int | None, target_type: str = "post") -> None:
    """A decision in the moderation log, ``minutes`` after the item entered the queue."""
    db.session.add(ModerationAction(action=action, target_type=target_type, target_id=next(_TARGETS),
                                    platform_id=platform.id if platform is not None else None, created_at=when,
                                    minutes_to_decision=minutes))


@pytest.fixture
def seeded(make_platform, make_user):
    """Flags and decisions on two public platforms, a members-only one and outside any platform."""
    justice = make_platform(slug="justicia", name_es="Justicia", name_en="Justice")
    jobs = make_platform(slug="empleo", name_es="Empleo", name_en="Employment")
    closed = make_platform(slug="reservada", name_es="Reservada", name_en="Reserved", visibility="members")
    for platform, when in ((justice, at(2026, 1, 10)), (justice, at(2026, 1, 11)), (justice, at(2026, 2, 5)),
                           (None, at(2026, 2, 20)), (closed, at(2026, 1, 15)), (jobs, at(2026, 3, 1)),
                           (justice, at(2025, 12, 31))):
        flag(platform, when)
    decide(justice, "hide", at(2026, 1, 12), 120)
    decide(justice, "dismiss", at(2026, 1, 20), 60)
    decide(justice, "delete", at(2026, 2, 10), 600)
    decide(None, "hide", at(2026, 2, 21), None)
    decide(closed, "hide", at(2026, 1, 16), 30)
    decide(jobs, "restore", at(2026, 3, 2), 240)
    decide(justice, "hide", at(2025, 12, 31), 10)
    # sanctions and decisions about them are not decisions about items
    decide(justice, "warning", at(2026, 1, 12), 5, target_type="user")
    decide(justice, "uphold", at(2026, 1, 13), 5, target_type="sanction")
    commit()
    return {"justice": justice, "jobs": jobs, "admin": make_user("admin@example.org", role="admin")}


def months(*values) -> list:
    """Twelve monthly values: those given, then zeros."""
    return [*values, *[0] * (12 - len(values))]


def test_public_counts_and_times_per_month(seeded):
    found = made()
    assert list(found) == ["moderation", "moderation-time"]
    counts, time = found["moderation"], found["moderation-time"]
    assert [column.key for column in counts.columns] == [f"2026-{n:02d}" for n in range(1, 13)]
    assert counts.columns[0].label == "Jan 2026"
    assert figures(counts) == {"flags": months(2, 2, 1), "decisions": months(2, 2, 1)}
    assert figures(time) == {"median_hours": [1.5, 10.0, 4.0, *[None] * 9]}
    assert (counts.unit, time.unit) == ("count", "hours")
    assert counts.chart.kind == "grouped" and counts.chart.rows == ["flags", "decisions"]
    assert {table.section for table in found.values()} == {"moderation"}


def test_rows_link_to_the_transparency_page(seeded):
    with current_app.test_request_context():
        page = url_for("moderation.transparency_page")
    assert {row.url for table in made().values() for row in table.rows} == {page}


def test_full_level_counts_members_only_platforms_and_decisions_by_kind(seeded):
    found = made(seeded["admin"], "full")
    assert figures(found["moderation"]) == {"flags": months(3, 2, 1), "decisions": months(3, 2, 1)}
    assert figures(found["moderation-time"])["median_hours"][:3] == [1.0, 10.0, 4.0]
    by_decision = found["moderation-by-decision"]
    assert figures(by_decision) == {"dismiss": months(1), "hide": months(2, 1), "restore": months(0, 0, 1),
                                    "delete": months(0, 1)}
    assert by_decision.row("hide").label == "Hidden"


def test_period_filter(seeded):
    found = made(period=("2026-02", "2026-03"))
    assert [column.key for column in found["moderation"].columns] == ["2026-02", "2026-03"]
    assert figures(found["moderation"]) == {"flags": [2, 1], "decisions": [2, 1]}
    assert figures(found["moderation-time"]) == {"median_hours": [10.0, 4.0]}


def test_platform_filter_leaves_out_items_outside_the_platforms(seeded):
    found = made(platform=seeded["justice"])
    assert figures(found["moderation"]) == {"flags": months(2, 1), "decisions": months(2, 1)}
    assert figures(found["moderation-time"])["median_hours"][:3] == [1.5, 10.0, None]


def test_state_filter_does_not_apply_and_says_so(seeded):
    found = made(state="OAX")
    assert figures(found["moderation"]) == figures(made()["moderation"])
    assert all(any("state" in note for note in table.notes) for table in found.values())


@pytest.mark.parametrize("decisions", [1, 5])
def test_a_fixed_number_of_queries(decisions, make_platform, make_user, count_queries):
    platform = make_platform()
    for n in range(decisions):
        flag(platform, at(2026, n + 1, 3))
        decide(platform, "hide", at(2026, n + 1, 4), 60)
    commit()
    admin = make_user(role="admin")
    with current_app.test_request_context():
        seen = scope(admin, "full")
        with count_queries() as queries:
            found = moderation.tables(seen, Filters(Period("2026-01", "2026-12")))
    assert sum(found[0].row("decisions").cells[n].value for n in range(12)) == decisions
    assert len(queries) == 3
