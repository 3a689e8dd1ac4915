"""The public transparency page: counts of flags and decisions by month, platform and reason, the median time
to a decision, sanctions by kind and the latest decisions, in Spanish and English, and nothing hidden or
personal readable through it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale, ngettext

from forum.core.db import commit, utcnow
from forum.extensions import db
from forum.moderation import log, sanctions, transparency
from forum.moderation.models import Flag, ModerationAction
from forum.moderation.targets import Described
from tests.moderation.test_log import main
from tests.moderation.test_sanctions import html, in_locale

SECRET_BODY = "Mi domicilio es Calle Falsa 123, Oaxaca"
SECRET_TITLE = "Hilo confidencial del grupo"


def table(page: str, table_id: str) -> list[list[str]]:
    """The body rows of the table ``table_id``, as lists of cell texts."""
    found = re.search(rf'<table id="{table_id}">.*?<tbody>(.*?)</tbody>', page, flags=re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", found, flags=re.S)
    return [[" ".join(re.sub(r"<[^>]+>", " ", cell).split())
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)] for row in rows]


def decide(moderator, action: str, item, platform, *, reason: str | None, minutes: int | None,
           when: datetime | None = None) -> None:
    """Log a decision about ``item`` (a post or thread), taken ``minutes`` after it entered the queue."""
    target = Described(type=type(item).__name__.lower(), id=item.id, platform=platform, language="es",
                       author=item.author, title="", text="", url="/", status="hidden")
    entry = log.record(moderator, action, target=target, reason=reason)
    entry.minutes_to_decision = minutes
    if when is not None:
        entry.created_at = when
    commit()


def flag(person, item, platform, reason: str, when: datetime | None = None) -> None:
    """One flag on ``item``."""
    db.session.add(Flag(target_type=type(item).__name__.lower(), target_id=item.id, platform_id=platform.id,
                        user_id=person.id, reason=reason, created_at=when or utcnow()))
    commit()


@pytest.fixture
def moderated(make_user, make_platform, make_thread, make_post):
    """A public platform with a hidden post exposing an address; a members-only platform with a hidden
    thread; flags and decisions on both, and a warning to the author."""
    author = make_user("rosa@example.org", display_name="Rosa Secreta", locale="es")
    flagger = make_user("flor@example.org", display_name="Flor Denunciante")
    moderator = make_user("mod@example.org", display_name="Mateo Moderador", role="moderator")
    justice = make_platform(slug="justicia", name_es="Justicia", name_en="Justice", members=[author, flagger])
    closed = make_platform(slug="grupo", name_es="Grupo Reservado Oaxaca", name_en="Reserved Group Oaxaca",
                           visibility="members", members=[author, flagger])
    post = make_post(author, make_thread(author, justice, title="Acceso a la justicia"), SECRET_BODY)
    thread = make_thread(author, closed, title=SECRET_TITLE)
    post.status, thread.status = "hidden", "hidden"
    commit()
    flag(flagger, post, justice, "personal_data")
    flag(moderator, post, justice, "personal_data")
    flag(flagger, thread, closed, "harassment")
    decide(moderator, "hide", post, justice, reason="personal_data", minutes=30)
    decide(None, "hide", thread, closed, reason="harassment", minutes=90)
    decide(moderator, "dismiss", post, justice, reason=None, minutes=10)
    sanctions.warn(moderator, author, text="Por favor, no publiques domicilios.")
    commit()
    return {"post": post, "thread": thread, "justice": justice, "closed": closed}


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_page_counts_in_the_readers_language(app, moderated, language):
    """Totals, the median, and rows by platform, reason, decision and sanction, labelled in the language of
    the page; members-only platforms appear under one generic name."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    response = client.get("/transparency")
    assert response.status_code == 200
    page = html(response)
    assert f'<html lang="{language}">' in page
    assert f"<h1>{in_locale(language, 'Moderation transparency')}</h1>" in page
    assert re.search(r'<dd id="total-flags">3</dd>', page) and re.search(r'<dd id="total-decisions">3</dd>', page)
    with force_locale(language):
        median = ngettext("%(num)s minute", "%(num)s minutes", 30)
    assert median in re.search(r'<dd id="median">(.*?)</dd>', page).group(1)

    justice = "Justicia" if language == "es" else "Justice"
    members = in_locale(language, "Members-only platforms")
    assert table(page, "platforms") == [[justice, "2", "2"], [members, "1", "1"]]
    assert table(page, "reasons") == [
        [in_locale(language, "Harassment or abuse"), "1", "1"],
        [in_locale(language, "Personal data exposed"), "2", "1"],
        [in_locale(language, "No reason given"), "0", "1"]]
    assert [in_locale(language, "Hidden"), "2"] in table(page, "decisions")
    assert [in_locale(language, "Warning"), "1"] in table(page, "sanctions")
    months = table(page, "months")
    assert len(months) == transparency.PERIOD_MONTHS and months[-1][1:] == ["3", "3"]
    recent = table(page, "recent-decisions")
    assert [row[1:] for row in recent] == [
        [in_locale(language, "Post"), in_locale(language, "Flags dismissed"), justice,
         in_locale(language, "No reason given")],
        [in_locale(language, "Thread"), in_locale(language, "Hidden"), members,
         in_locale(language, "Harassment or abuse")],
        [in_locale(language, "Post"), in_locale(language, "Hidden"), justice,
         in_locale(language, "Personal data exposed")]]


@pytest.mark.parametrize("language", ["es", "en"])
def test_nothing_hidden_or_personal_is_readable(app, moderated, language):
    """No hidden text or title, no person, no members-only platform's name, no link to a moderated item."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    page = main(html(client.get("/transparency")))
    for secret in (SECRET_BODY, "Calle Falsa", SECRET_TITLE, "Acceso a la justicia", "Rosa Secreta", "rosa.secreta",
                   "Flor Denunciante", "Mateo Moderador", "Grupo Reservado", "Reserved Group",
                   "Por favor, no publiques domicilios."):
        assert secret not in page, secret
    assert f"/t/{moderated['thread'].id}" not in page and "/p/grupo" not in page
    assert "<a " not in page


def test_the_real_flow_leaks_nothing(app, make_user, make_platform, make_thread, make_post):
    """Flags filed and a post hidden through the moderation services: counted, and still nothing readable."""
    from forum.moderation import decisions, flags

    author = make_user(display_name="Autora Privada")
    flagger = make_user()
    moderator = make_user(role="moderator")
    platform = make_platform(name_es="Seguridad", name_en="Security", members=[author, flagger])
    post = make_post(author, make_thread(author, platform, title="Rondas comunitarias"), "Teléfono: 555 0100")
    flags.flag(flagger, "post", post.id, reason="personal_data")
    commit()
    decisions.decide(moderator, "post", post.id, "hide", reason="personal_data")
    commit()
    for language in ("es", "en"):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
        page = main(html(client.get("/transparency")))
        assert table(page, "platforms") == [["Seguridad" if language == "es" else "Security", "1", "1"]]
        for secret in ("555 0100", "Rondas comunitarias", "Autora Privada", f"/t/{post.thread_id}"):
            assert secret not in page, secret


def test_figures_cover_twelve_months_and_the_median(app, moderated, make_user):
    """Activity older than the period is left out; months without activity count zero; the median is the middle
    of the decisions' minutes."""
    moderator = make_user(role="moderator")
    now = utcnow()
    long_ago = now - timedelta(days=400)
    flag(moderator, moderated["post"], moderated["justice"], "spam", when=long_ago)
    decide(moderator, "delete", moderated["post"], moderated["justice"], reason="spam", minutes=5000,
           when=long_ago)
    decide(moderator, "restore", moderated["post"], moderated["justice"], reason="spam", minutes=1000)
    figures = transparency.figures()
    assert (figures.flags, figures.decisions) == (3, 4)
    assert figures.median_minutes == 60  # 10, 30, 90, 1000
    assert figures.since == transparency.period_start(now).date()
    assert sum(row.flags for row in figures.by_month) == 3
    assert [row.flags for row in figures.by_month[:-1]] == [0] * (transparency.PERIOD_MONTHS - 1)
    assert figures.sanctions[0][1] == 1
    assert transparency.period_start(datetime(2026, 1, 15, tzinfo=UTC)) == datetime(2025, 2, 1, tzinfo=UTC)


def test_an_empty_site_has_a_page_too(client):
    """Before any moderation: zeros, no median, and a note instead of recent decisions."""
    response = client.get("/transparency")
    assert response.status_code == 200
    page = html(response)
    assert '<dd id="total-flags">0</dd>' in page
    assert in_locale("es", "No decisions from the queue yet.") in page
    assert in_locale("es", "No decisions yet.") in page
    assert db.session.query(ModerationAction).count() == 0


def test_hiding_by_flags_alone_is_not_a_moderators_decision_time(client, make_user, make_platform, make_thread):
    """When enough flags hide a post before any moderator acts, the median time to decision stays empty."""
    from forum.moderation import flags
    from forum.threads.models import Post

    author = make_user()
    platform = make_platform(members=[author])
    make_thread(author, platform)
    post = db.session.scalar(db.select(Post))
    for _ in range(3):
        flags.flag(make_user(), "post", post.id, reason="spam")
        commit()
    assert db.session.get(Post, post.id).status == "hidden"
    page = html(client.get("/transparency"))
    median = re.search(r'<dd id="median">(.*?)</dd>', page).group(1)
    assert in_locale("es", "No decisions from the queue yet.") in median
