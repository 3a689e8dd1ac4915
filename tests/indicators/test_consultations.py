"""The consultations section of the indicators: per agency, consultations open in the period, comments that
need an answer, how many were answered, the share and the median time to an answer; filters by period,
platform and the agency's state; what a visitor's view counts; a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import current_app

from forum.consultations.models import Answer, Comment, Consultation
from forum.core.db import commit
from forum.extensions import db
from forum.indicators import consultations
from forum.indicators.filters import Filters
from forum.indicators.periods import Period
from forum.indicators.scope import scope
from forum.indicators.tables import Table
from tests.indicators.conftest import tables_made
from tests.indicators.conftest import values as figures

COLUMNS = ["consultations", "comments", "answered", "answered_share", "median_days"]


def at(year: int, month: int, day: int = 1) -> datetime:
    """Noon (UTC) of a day."""
    return datetime(year, month, day, 12, tzinfo=UTC)


def made(*args, **filters) -> Table:
    """The section's one table as ``tables_made`` gives it."""
    return tables_made(consultations.tables, *args, **filters)["consultations-by-agency"]






def consultation(organisation, platform, opens: datetime, closes: datetime, *, published: bool = True):
    """A consultation of ``organisation`` on ``platform`` (published when it opens, unless a draft)."""
    found = Consultation(organisation_id=organisation.id, platform_id=platform.id, title_es="Consulta",
                         opens_at=opens, closes_at=closes, published_at=opens if published else None)
    db.session.add(found)
    db.session.flush()
    return found


def comment(on: Consultation, created: datetime, *, answered_after: float | None = None, parent=None,
            status: str = "visible", withdrawn: bool = False) -> Comment:
    """A comment received at ``created``, answered ``answered_after`` days later when given."""
    found = Comment(consultation_id=on.id, kind="reply" if parent else "concern", language="es",
                    body_source="Texto", body_html="<p>Texto</p>", status=status,
                    parent_id=parent.id if parent else None)
    db.session.add(found)
    db.session.flush()
    found.created_at = created
    found.deleted_at = created + timedelta(hours=1) if withdrawn else None
    if answered_after is not None:
        answer = Answer(comment_id=found.id, status="accepted")
        db.session.add(answer)
        db.session.flush()
        answer.created_at = created + timedelta(days=answered_after)
    db.session.flush()
    return found


@pytest.fixture
def seeded(make_platform, make_organisation, make_user):
    """Two agencies (A in Mexico City, named in both languages; B in Oaxaca, named in Spanish only) consulting
    on two public platforms and a members-only one, with comments inside and outside the period."""
    justice = make_platform(slug="justicia", name_es="Justicia", name_en="Justice")
    jobs = make_platform(slug="empleo", name_es="Empleo", name_en="Employment")
    closed = make_platform(slug="reservada", name_es="Reservada", name_en="Reserved", visibility="members")
    agency_a = make_organisation(name_es="Secretaría A", name_en="Agency A", state="CMX")
    agency_b = make_organisation(name_es="Secretaría B", name_en="", state="OAX")
    # A: open across the start of the period; its only comment came before the period
    early = consultation(agency_a, justice, at(2025, 11), at(2026, 1, 15))
    comment(early, at(2025, 12, 20), answered_after=2)
    # A: three comments that need an answer (two answered, in 2 and 4 days); a reply, a hidden comment and a
    # withdrawn one that do not count
    first = consultation(agency_a, justice, at(2026, 2), at(2026, 3))
    answered = comment(first, at(2026, 2, 2), answered_after=2)
    comment(first, at(2026, 2, 3), answered_after=4)
    comment(first, at(2026, 2, 4))
    comment(first, at(2026, 2, 5), parent=answered)
    comment(first, at(2026, 2, 5), status="hidden", answered_after=1)
    comment(first, at(2026, 2, 6), withdrawn=True)
    # A on Employment in May: answered in a day
    second = consultation(agency_a, jobs, at(2026, 5), at(2026, 6))
    comment(second, at(2026, 5, 10), answered_after=1)
    # A's draft counts for nobody
    draft = consultation(agency_a, justice, at(2026, 3), at(2026, 4), published=False)
    comment(draft, at(2026, 3, 2), answered_after=1)
    # B: two comments, one answered in 10 days
    third = consultation(agency_b, justice, at(2026, 3), at(2026, 4))
    comment(third, at(2026, 3, 2), answered_after=10)
    comment(third, at(2026, 3, 3))
    # B on the members-only platform: answered in 8 days
    reserved = consultation(agency_b, closed, at(2026, 3), at(2026, 4))
    comment(reserved, at(2026, 3, 5), answered_after=8)
    commit()
    admin = make_user("admin@example.org", role="admin")
    return {"a": agency_a, "b": agency_b, "justice": justice, "jobs": jobs, "admin": admin}


def test_public_figures_per_agency_and_total(seeded):
    table = made()
    a, b = seeded["a"].id, seeded["b"].id
    assert [column.key for column in table.columns] == COLUMNS
    assert figures(table) == {
        f"organisation-{a}": [3, 4, 3, 75.0, 2.0],
        f"organisation-{b}": [1, 2, 1, 50.0, 10.0],
        "total": [4, 6, 4, 66.7, 3.0],
    }
    assert table.rows[-1].kind == "total"
    assert table.section == "consultations" and table.unit == "count"
    assert table.chart.kind == "bars" and table.chart.column == "answered_share" and table.chart.maximum == 100


def test_labels_in_the_readers_language_and_links_to_the_agencys_consultations(seeded):
    table = made()
    a, b = table.row(f"organisation-{seeded['a'].id}"), table.row(f"organisation-{seeded['b'].id}")
    assert (a.label, a.lang) == ("Agency A", "en")
    assert (b.label, b.lang) == ("Secretaría B", "es")
    assert a.url == f"/consultations?organisation={seeded['a'].id}"
    assert a.cells[1].url == a.cells[2].url == a.url
    assert (made(language="es").row(a.key).label, made(language="es").row(a.key).lang) == ("Secretaría A", "es")


def test_full_level_counts_members_only_platforms_but_never_drafts(seeded):
    table = made(seeded["admin"], "full")
    assert figures(table) == {
        f"organisation-{seeded['a'].id}": [3, 4, 3, 75.0, 2.0],
        f"organisation-{seeded['b'].id}": [2, 3, 2, 66.7, 9.0],
        "total": [5, 7, 5, 71.4, 4.0],
    }


def test_period_filter(seeded):
    table = made(period=("2026-05", "2026-12"))
    assert figures(table) == {f"organisation-{seeded['a'].id}": [1, 1, 1, 100.0, 1.0], "total": [1, 1, 1, 100.0, 1.0]}


def test_period_without_consultations_has_only_an_empty_total(app):
    table = made(period=("2020-01", "2020-12"))
    assert figures(table) == {"total": [0, 0, 0, None, None]}


def test_platform_filter(seeded):
    assert figures(made(platform=seeded["jobs"])) == {
        f"organisation-{seeded['a'].id}": [1, 1, 1, 100.0, 1.0], "total": [1, 1, 1, 100.0, 1.0]}
    assert figures(made(platform=seeded["justice"]))["total"] == [3, 5, 3, 60.0, 4.0]


def test_state_filter_is_the_agencys_state(seeded):
    assert figures(made(state="OAX")) == {f"organisation-{seeded['b'].id}": [1, 2, 1, 50.0, 10.0],
                                          "total": [1, 2, 1, 50.0, 10.0]}
    assert figures(made(state="SLP")) == {"total": [0, 0, 0, None, None]}


def agencies(count: int, make_platform, make_organisation) -> None:
    """``count`` agencies, each with a consultation and an answered comment."""
    platform = make_platform()
    for _n in range(count):
        agency = make_organisation()
        comment(consultation(agency, platform, at(2026, 2), at(2026, 3)), at(2026, 2, 2), answered_after=1)
    commit()


@pytest.mark.parametrize("count", [1, 5])
def test_a_fixed_number_of_queries(count, make_platform, make_organisation, count_queries):
    agencies(count, make_platform, make_organisation)
    with current_app.test_request_context():
        seen = scope(None, "public")
        with count_queries() as queries:
            table = consultations.tables(seen, Filters(Period("2026-01", "2026-12")))[0]
    assert figures(table)["total"] == [count, count, count, 100.0, 1.0]
    assert len(queries) == 4
