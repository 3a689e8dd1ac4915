"""Fixtures for the indicators: people with known groups, and posts written at known times, inserted directly (the
figures read the tables; going through the services would only make the seeding slow)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from forum.core.db import commit
from forum.extensions import db
from forum.indicators.filters import Filters
from forum.indicators.periods import Period
from forum.indicators.scope import scope
from forum.threads.models import Post, Thread


@pytest.fixture
def make_people(make_user):
    """Factory: ``count`` people sharing the groups given (sector, state, gender, age_range…)."""

    def make(count: int, **groups):
        return [make_user(**groups) for _ in range(count)]

    return make


@pytest.fixture
def post_at(app):
    """Factory: a visible post by ``author`` on ``platform`` written at ``when`` (one thread per platform)."""
    threads: dict[int, Thread] = {}

    def post(author, platform, when: datetime, **fields):
        thread = threads.get(platform.id)
        if thread is None:
            thread = Thread(platform_id=platform.id, author_id=author.id, title="Hilo", language="es",
                            created_at=when, last_activity_at=when)
            db.session.add(thread)
            threads[platform.id] = thread
        item = Post(thread=thread, author_id=author.id, language="es", body_source="Texto",
                    body_html="<p>Texto</p>", created_at=when, **fields)
        db.session.add(item)
        commit()
        return item

    return post


@pytest.fixture
def comment_at(app, make_organisation):
    """Factory: a visible comment by ``author`` written at ``when`` on a published consultation of ``platform``
    (one consultation per platform, open through the first quarter of 2026)."""
    from forum.consultations.models import Comment, Consultation

    consultations: dict[int, Consultation] = {}

    def comment(author, platform, when: datetime, **fields):
        consultation = consultations.get(platform.id)
        if consultation is None:
            consultation = Consultation(organisation_id=make_organisation().id, platform_id=platform.id,
                                        title_es="Consulta", opens_at=at(1, 1), closes_at=at(3, 1),
                                        published_at=at(1, 1))
            db.session.add(consultation)
            consultations[platform.id] = consultation
        item = Comment(consultation=consultation, author_id=author.id, kind="support", language="es",
                       body_source="Sí", body_html="<p>Sí</p>", created_at=when, **fields)
        db.session.add(item)
        commit()
        return item

    return comment


@pytest.fixture
def figures(app):
    """The participation tables at ``level`` for ``user`` (None: a visitor) over ``since``–``until`` with
    filters, made in a request (links need one) in ``locale``; returns {table key: Table}."""
    from flask_babel import force_locale

    from forum.indicators import participation, shares

    def make(since="2026-01", until="2026-03", *, user=None, level="public", platform=None, state=None,
             locale="en"):
        with app.app_context(), app.test_request_context(), force_locale(locale):  # a request's own ``g``
            counted = scope(user, level)
            filters = Filters(Period(since, until), platform, state)
            made = participation.participants(counted, filters) + shares.shares(counted, filters)
            return {table.key: table for table in made}

    return make


@pytest.fixture
def january(make_people, make_platform, post_at):
    """January 2026: 6 women of civil society from Oaxaca aged 18–29 and 5 men of the federal government from San
    Luis Potosí aged 30–44 post on justice; 5 women of academia from Oaxaca aged 45–64 on gender; 2 non-binary
    individuals from Mexico City who gave no age on justice. One of the first women also posts in February."""
    justice = make_platform(slug="justicia", name_es="Justicia", name_en="Justice")
    gender = make_platform(slug="genero", name_es="Género", name_en="Gender")
    groups = {
        "a": make_people(6, sector="civil_society", state="OAX", gender="woman", age_range="18_29"),
        "b": make_people(5, sector="federal_government", state="SLP", gender="man", age_range="30_44"),
        "c": make_people(5, sector="academia", state="OAX", gender="woman", age_range="45_64"),
        "d": make_people(2, sector="individual", state="CMX", gender="non_binary"),
    }
    for key, platform in (("a", justice), ("b", justice), ("c", gender), ("d", justice)):
        for person in groups[key]:
            post_at(person, platform, at(1))
            post_at(person, platform, at(1, 20))  # twice in the month: still one person
    post_at(groups["a"][0], justice, at(2))
    return justice, gender, groups


def cells(table, row_key: str) -> list:
    """What each cell of a row shows: its number, "withheld", "pending" or None."""
    row = table.row(row_key)
    assert row is not None, f"no row {row_key} in {table.key}: {[r.key for r in table.rows]}"
    return ["withheld" if c.withheld else "pending" if c.pending else c.value for c in row.cells]


def at(month: int, day: int = 10) -> datetime:
    """Noon UTC on ``day`` of ``month`` 2026."""
    return datetime(2026, month, day, 12, tzinfo=UTC)


def tables_made(make, user=None, level: str = "public", *, period=("2026-01", "2026-12"), platform=None,
                state: str | None = None, language: str = "en") -> dict:
    """The tables one section's ``make`` gives ``user`` at ``level`` under the filters (``period`` a Period or a
    pair of months), in ``language``, by key."""
    from flask import current_app
    from flask_babel import refresh

    with current_app.test_request_context(headers={"Accept-Language": language}):
        refresh()  # the test's application context may hold another request's language
        chosen = period if isinstance(period, Period) else Period(*period)
        return {table.key: table for table in make(scope(user, level), Filters(chosen, platform, state))}


def values(table) -> dict[str, list]:
    """Each row's values by row key."""
    return {row.key: [cell.value for cell in row.cells] for row in table.rows}


def event_at(platform, starts, ends=None, **fields):
    """A published public event on ``platform`` (None: on no platform) from ``starts`` to ``ends`` (the same moment
    when not given)."""
    from forum.events.models import Event
    from forum.extensions import db

    event = Event(title_es="Diálogo", title_en="Dialogue", kind="dialogue", status="published", access="public",
                  starts_at=starts, ends_at=ends or starts, platforms=[platform] if platform else [], **fields)
    db.session.add(event)
    return event


def seats_at(event, count, *, gender, attended, age_range="30_44", state="OAX"):
    """``count`` confirmed registrations of civil society at ``event`` with the answers given, checked in or not."""
    from forum.events.models import Registration
    from forum.extensions import db

    for _ in range(count):
        db.session.add(Registration(event=event, status="confirmed", sector="civil_society", state=state,
                                    gender=gender, age_range=age_range, attended_at=event.starts_at if attended
                                    else None))
