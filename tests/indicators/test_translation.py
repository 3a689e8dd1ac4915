"""The translation section of the indicators: per platform, the posts written in the period and those with an
up-to-date translation, and their share; filters by period and platform (the state filter does not apply);
what a visitor's view counts; a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import current_app
from sqlalchemy import select

from forum.core.db import commit
from forum.extensions import db
from forum.indicators import translation
from forum.indicators.filters import Filters
from forum.indicators.periods import Period
from forum.indicators.scope import scope
from forum.indicators.tables import Table
from forum.threads.models import Post, PostTranslation
from tests.indicators.conftest import tables_made
from tests.indicators.conftest import values as figures

COLUMNS = ["posts", "in_both_languages", "share"]


def at(year: int, month: int, day: int = 1) -> datetime:
    """Noon (UTC) of a day."""
    return datetime(year, month, day, 12, tzinfo=UTC)


def made(*args, **filters) -> Table:
    """The section's one table as ``tables_made`` gives it."""
    return tables_made(translation.tables, *args, **filters)["translation"]






def written(post: Post, when: datetime, *, translated: bool = False, stale: bool = False) -> Post:
    """Date ``post`` and give it a translation (up to date, or of an earlier revision when ``stale``)."""
    post.created_at = when
    if translated:
        if stale:
            post.revision = 2
        db.session.add(PostTranslation(post_id=post.id, language="en", body_source="Text", body_html="<p>Text</p>",
                                       provenance="author", source_revision=1))
    db.session.flush()
    return post


def opening(thread) -> Post:
    """The first post of ``thread``."""
    return db.session.scalars(select(Post).where(Post.thread_id == thread.id).order_by(Post.id)).first()


@pytest.fixture
def seeded(make_user, make_platform, make_thread, make_post):
    """Posts on two public platforms and a members-only one (and an empty public platform), with up-to-date,
    stale and missing translations, inside and outside the period."""
    author = make_user("autora@example.org")
    justice = make_platform(slug="justicia", name_es="Justicia", name_en="Justice", members=[author])
    jobs = make_platform(slug="empleo", name_es="Empleo", name_en="", members=[author])
    closed = make_platform(slug="reservada", name_es="Reservada", name_en="Reserved", visibility="members",
                           members=[author])
    make_platform(slug="vacia", name_es="Vacía", name_en="Empty")
    thread = make_thread(author, justice)
    written(opening(thread), at(2026, 2), translated=True)
    written(make_post(author, thread), at(2026, 2, 2), translated=True, stale=True)
    written(make_post(author, thread), at(2026, 3))
    written(make_post(author, thread), at(2025, 12), translated=True)
    written(make_post(author, thread), at(2026, 3, 2), translated=True).deleted_at = at(2026, 3, 3)
    written(make_post(author, thread), at(2026, 3, 2), translated=True).status = "hidden"
    hidden = make_thread(author, justice)
    written(opening(hidden), at(2026, 2), translated=True)
    hidden.status = "hidden"
    other = make_thread(author, jobs)
    written(opening(other), at(2026, 4), translated=True)
    written(make_post(author, other), at(2026, 4, 2), translated=True)
    written(opening(make_thread(author, closed)), at(2026, 5), translated=True)
    commit()
    return {"justice": justice, "jobs": jobs, "admin": make_user("admin@example.org", role="admin")}


def test_public_figures_per_platform_and_total(seeded):
    table = made()
    assert [column.key for column in table.columns] == COLUMNS
    assert [row.key for row in table.rows] == ["justicia", "empleo", "vacia", "total"]
    assert figures(table) == {"justicia": [3, 1, 33.3], "empleo": [2, 2, 100.0], "vacia": [0, 0, None],
                              "total": [5, 3, 60.0]}
    assert table.rows[-1].kind == "total" and table.section == "translation" and table.unit == "count"
    assert table.chart.kind == "bars" and table.chart.column == "share" and table.chart.maximum == 100


def test_rows_name_and_link_the_platform(seeded):
    table = made()
    assert (table.row("justicia").label, table.row("justicia").lang, table.row("justicia").url) == (
        "Justice", "en", "/p/justicia")
    assert (table.row("empleo").label, table.row("empleo").lang) == ("Empleo", "es")


def test_full_level_counts_members_only_platforms(seeded):
    table = made(seeded["admin"], "full")
    assert figures(table) == {"justicia": [3, 1, 33.3], "empleo": [2, 2, 100.0], "reservada": [1, 1, 100.0],
                              "vacia": [0, 0, None], "total": [6, 4, 66.7]}


def test_period_filter(seeded):
    assert figures(made(period=("2026-03", "2026-12"))) == {
        "justicia": [1, 0, 0.0], "empleo": [2, 2, 100.0], "vacia": [0, 0, None], "total": [3, 2, 66.7]}


def test_platform_filter(seeded):
    assert figures(made(platform=seeded["jobs"])) == {"empleo": [2, 2, 100.0], "total": [2, 2, 100.0]}


def test_state_filter_does_not_apply_and_says_so(seeded):
    table = made(state="OAX")
    assert figures(table) == figures(made())
    assert any("state" in note for note in table.notes)


@pytest.mark.parametrize("platforms", [1, 5])
def test_a_fixed_number_of_queries(platforms, make_user, make_platform, make_thread, count_queries):
    author = make_user()
    for platform in [make_platform(members=[author]) for _n in range(platforms)]:
        written(opening(make_thread(author, platform)), at(2026, 2), translated=True)
    commit()
    with current_app.test_request_context():
        seen = scope(None, "public")
        with count_queries() as queries:
            table = translation.tables(seen, Filters(Period("2026-01", "2026-12")))[0]
    assert figures(table)["total"] == [platforms, platforms, 100.0]
    assert len(queries) == 1
