"""The events section of the indicators: seats, registrations, waiting list and attendance per published event
of the period (frozen figures for anonymised events), and on the full level registrations by sector with small
groups withheld; filters by period, platform and the event's state; what a visitor's view counts; a fixed
number of queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import current_app

from forum.core.db import commit, utcnow
from forum.events.models import Event, Registration
from forum.extensions import db
from forum.indicators import events
from forum.indicators.filters import Filters
from forum.indicators.periods import Period, default_period
from forum.indicators.scope import scope
from forum.indicators.tables import Table
from tests.indicators.conftest import tables_made
from tests.indicators.conftest import values as figures

COLUMNS = ["capacity", "registrations", "waitlist", "attended", "attendance_rate"]
SECTOR_COLUMNS = ["federal_government", "state_government", "municipal_government", "civil_society", "academia",
                  "international_cooperation", "private_sector", "individual", "not_given", "withheld"]
WITHHELD = "withheld"
YEAR = Period("2026-01", "2026-12")


def at(year: int, month: int, day: int = 1) -> datetime:
    """16:00 (UTC) of a day."""
    return datetime(year, month, day, 16, tzinfo=UTC)


def made(*args, **filters) -> dict[str, Table]:
    """The section's tables as ``tables_made`` gives them, by key."""
    return tables_made(events.tables, *args, **filters)






def event(title: str, starts: datetime, *, platforms=(), status: str = "published", access: str = "public",
          state: str = "OAX", capacity: int | None = 20) -> Event:
    """An event of three hours placed on ``platforms``."""
    found = Event(title_es=f"{title} (es)", title_en=title, kind="dialogue", status=status, access=access,
                  state=state, capacity=capacity, starts_at=starts, ends_at=starts + timedelta(hours=3),
                  platforms=list(platforms))
    db.session.add(found)
    db.session.flush()
    return found


def register(on: Event, sector: str, count: int = 1, *, status: str = "confirmed", attended: int = 0) -> None:
    """``count`` registrations of people of ``sector``, the first ``attended`` of whom came."""
    for n in range(count):
        db.session.add(Registration(event_id=on.id, status=status, sector=sector,
                                    attended_at=on.starts_at if n < attended else None))
    db.session.flush()


def key(found: Event) -> str:
    """The row key of an event."""
    return f"event-{found.id}"


@pytest.fixture
def seeded(make_platform, make_user):
    """Past events of 2026 on two public platforms, a members-only one and none; a draft, a cancelled one, one
    before the period and one anonymised after its retention period."""
    justice = make_platform(slug="justicia", name_es="Justicia", name_en="Justice")
    jobs = make_platform(slug="empleo", name_es="Empleo", name_en="Employment")
    closed = make_platform(slug="reservada", name_es="Reservada", name_en="Reserved", visibility="members")
    dialogue = event("Dialogue one", at(2026, 3, 10), platforms=[justice])
    register(dialogue, "civil_society", 6, attended=4)
    register(dialogue, "academia", 5, attended=2)
    register(dialogue, "individual", 2)
    register(dialogue, "civil_society", 3, status="waitlisted")
    register(dialogue, "civil_society", status="cancelled")
    register(dialogue, "civil_society", status="pending")
    forum = event("Forum two", at(2026, 6, 1), state="CMX", capacity=None)
    register(forum, "state_government", 5, attended=5)
    register(forum, "federal_government", 5)
    members = event("Members' workshop", at(2026, 4, 1), platforms=[closed], access="members", capacity=10)
    register(members, "civil_society", 3, attended=3)
    for status in ("draft", "cancelled"):
        register(event(f"Not held ({status})", at(2026, 5, 1), platforms=[justice], status=status), "academia", 5)
    register(event("Last year", at(2025, 12, 15), platforms=[jobs]), "academia", 5)
    anonymised = event("Anonymised", at(2026, 2, 1), platforms=[justice], state="SLP", capacity=30)
    register(anonymised, "", 2, attended=2)
    anonymised.figures = {"registered": {"sector": {"academia": 7, "not_given": 1}},
                          "attended": {"sector": {"academia": 4}}}
    commit()
    return {"justice": justice, "jobs": jobs, "dialogue": dialogue, "forum": forum, "members": members,
            "anonymised": anonymised, "admin": make_user("admin@example.org", role="admin")}


def test_public_figures_per_event_and_total(seeded):
    found = made()
    assert list(found) == ["events"]
    table = found["events"]
    assert [column.key for column in table.columns] == COLUMNS
    assert figures(table) == {
        key(seeded["anonymised"]): [30, 8, 0, 4, 50.0],
        key(seeded["dialogue"]): [20, 13, 3, 6, 46.2],
        key(seeded["forum"]): [None, 10, 0, 5, 50.0],
        "total": [50, 31, 3, 15, 48.4],
    }
    assert table.rows[-1].kind == "total" and table.section == "events"
    assert table.chart.kind == "bars" and table.chart.column == "registrations"


def test_rows_name_and_link_the_event_in_the_readers_language(seeded):
    row = made()["events"].row(key(seeded["dialogue"]))
    assert (row.label, row.lang, row.url) == ("Dialogue one", "en", f"/events/{seeded['dialogue'].id}")
    assert made(language="es")["events"].row(row.key).label == "Dialogue one (es)"


def test_full_level_counts_members_only_events_and_adds_sectors(seeded):
    found = made(seeded["admin"], "full")
    assert list(found) == ["events", "events-by-sector"]
    assert figures(found["events"])[key(seeded["members"])] == [10, 3, 0, 3, 100.0]
    assert figures(found["events"])["total"] == [60, 34, 3, 18, 52.9]
    by_sector = found["events-by-sector"]
    assert [column.key for column in by_sector.columns] == SECTOR_COLUMNS
    assert by_sector.unit == "people" and by_sector.section == "events"
    assert [row.key for row in by_sector.rows] == [key(seeded[name]) for name in
                                                    ("anonymised", "dialogue", "members", "forum")]


def shown(table: Table, row_key: str) -> dict[str, int | str]:
    """A row of the table by sector as the reader sees it: numbers, or "<5" for groups withheld."""
    row = table.row(row_key)
    return {column.key: "<5" if cell.withheld else cell.value
            for column, cell in zip(table.columns, row.cells, strict=True)}


def test_registrations_by_sector_withhold_small_groups(seeded):
    table = made(seeded["admin"], "full")["events-by-sector"]
    everyone_withheld = dict.fromkeys(SECTOR_COLUMNS[:-1], "<5")
    # 6 civil society shown; academia (5) withheld too, or the 2 individuals could be worked out
    assert shown(table, key(seeded["dialogue"])) == {**everyone_withheld, "civil_society": 6, WITHHELD: 7}
    # frozen figures: 7 academia and 1 not given, so academia is withheld too
    assert shown(table, key(seeded["anonymised"])) == {**everyone_withheld, WITHHELD: 8}
    # fewer than 5 people in all: no group shown
    assert shown(table, key(seeded["members"])) == {**everyone_withheld, WITHHELD: 3}
    # nothing withheld: the other groups are known to be empty
    assert shown(table, key(seeded["forum"])) == {**dict.fromkeys(SECTOR_COLUMNS, 0), "federal_government": 5,
                                                  "state_government": 5}


def test_period_filter(seeded):
    assert figures(made(period=Period("2026-05", "2026-12"))["events"]) == {
        key(seeded["forum"]): [None, 10, 0, 5, 50.0], "total": [None, 10, 0, 5, 50.0]}


def test_platform_filter_leaves_out_events_on_no_platform(seeded):
    assert figures(made(platform=seeded["justice"])["events"]) == {
        key(seeded["anonymised"]): [30, 8, 0, 4, 50.0],
        key(seeded["dialogue"]): [20, 13, 3, 6, 46.2],
        "total": [50, 21, 3, 10, 47.6],
    }
    assert figures(made(platform=seeded["jobs"])["events"]) == {"total": [None, 0, 0, 0, None]}


def test_state_filter_is_the_events_state(seeded):
    assert figures(made(state="OAX")["events"]) == {key(seeded["dialogue"]): [20, 13, 3, 6, 46.2],
                                                    "total": [20, 13, 3, 6, 46.2]}


def test_attendance_waits_until_check_in_closes(app):
    running = event("Today", utcnow(), capacity=10)
    register(running, "academia", 2, attended=1)
    commit()
    table = made(period=default_period())["events"]
    rate = table.row(key(running)).cells[-1]
    assert rate.pending and not rate.shown
    assert [cell.value for cell in table.row(key(running)).cells[:-1]] == [10, 2, 0, 1]
    assert table.row("total").cells[-1].pending


@pytest.mark.parametrize("count", [1, 5])
def test_a_fixed_number_of_queries(count, make_platform, make_user, count_queries):
    platform = make_platform()
    for n in range(count):
        held = event(f"Event {n}", at(2026, 3, n + 1), platforms=[platform])
        register(held, "academia", 5, attended=5)
    commit()
    admin = make_user(role="admin")
    with current_app.test_request_context():
        seen = scope(admin, "full")
        with count_queries() as queries:
            found = events.tables(seen, Filters(Period("2026-01", "2026-12")))
    assert figures(found[0])["total"] == [20 * count, 5 * count, 0, 5 * count, 100.0]
    assert len(found[1].rows) == count
    assert len(queries) == 3
