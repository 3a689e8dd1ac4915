"""Benchmark of the participation indicators: the dashboard and its downloads over two years of a busy forum,
written to its own section of ``docs/benchmarks.md``.

Run with ``make bench`` (after the search benchmark) or ``.venv/bin/python -m tests.bench.bench_indicators``.

For each database (SQLite in a temporary folder; PostgreSQL in a scratch database on the server of
``FORUM_BENCH_DATABASE_URL``, default ``postgresql://postgres@127.0.0.1:5432/postgres``, skipped with a note when
it does not answer): seeds :data:`USERS` people with a sector, a state and (mostly) a gender and an age range,
:data:`PLATFORMS` platforms (one for members only), :data:`POSTS` posts over :data:`MONTHS` months, consultations
with comments and answers, events with registrations and attendance, flags with moderators' decisions and post
translations, all by bulk inserts from a seeded random generator; then requests every address of
:data:`REQUESTS` :data:`WARM_UPS` times unmeasured and :data:`RUNS` times measured, in this process through the
Flask test client (no server, no network): the whole page or file, from routing to the last byte of the answer.
An address that does not answer 200 (404: a page not built yet) is reported with its status and not measured.
"""

from __future__ import annotations

import gc
import random
import re
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from tests.bench.figures import milliseconds, percentile
from tests.bench.report import write_database_benchmark
from tests.bench.seeding import _bench_app, database_description, scratch_database

USERS = 10_000
PLATFORMS = 5
MONTHS = 24
THREADS = 2_000
POSTS = 100_000
CONSULTATIONS = 20
COMMENTS = 2_000
#: one comment in this many is a reply to another; the others are answered, four in five
REPLY_EVERY = 5
EVENTS = 50
REGISTRATIONS = 5_000
FLAGS = 2_000
TRANSLATIONS = 10_000
WARM_UPS = 2
RUNS = 20
#: the time a dashboard answer should take, at most (seconds, at the 95th percentile)
TARGET = 0.5
START, END = "<!-- indicators benchmark -->", "<!-- /indicators benchmark -->"
ADMIN = "admin@bench.example"
PASSWORD = "bench-password-2026"
PLATFORM_SLUG = "justicia"
#: (label, address, as the administrator)
REQUESTS = [
    ("public page, default period (last 12 months)", "/indicators", False),
    ("public page, one platform and Oaxaca", f"/indicators?platform={PLATFORM_SLUG}&state=OAX", False),
    ("full page, as an administrator", "/indicators/full", True),
    ("every public table as JSON", "/indicators/all.json", False),
]

#: (value, weight) of the people's profiles; None: left empty
STATES = [("OAX", 25), ("SLP", 20), ("CMX", 20), ("PUE", 6), ("CHP", 5), ("NLE", 5), ("JAL", 5), ("VER", 4),
          ("YUC", 3), ("GRO", 3), ("ZAC", 2), ("outside", 2)]
SECTORS = [("civil_society", 35), ("academia", 15), ("individual", 15), ("state_government", 10),
           ("municipal_government", 10), ("federal_government", 6), ("private_sector", 6),
           ("international_cooperation", 3)]
GENDERS = [("woman", 45), ("man", 40), ("non_binary", 2), ("self_described", 1), ("undisclosed", 2), (None, 10)]
AGE_RANGES = [("under_18", 1), ("18_29", 28), ("30_44", 33), ("45_64", 25), ("65_plus", 5), (None, 8)]
TEXTS = {
    "es": ["Proponemos publicar los indicadores cada trimestre y por municipio.",
           "Hace falta contar con intérpretes de lenguas indígenas desde el primer contacto.",
           "Los jóvenes participan más cuando las sesiones se transmiten en línea."],
    "en": ["We propose publishing the indicators every quarter and by municipality.",
           "Interpreters of Indigenous languages are needed from the first contact.",
           "Young people take part more when sessions are streamed online."],
}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _pick(chance: random.Random, weighted: list[tuple[object, int]]) -> object:
    return chance.choices([value for value, _ in weighted], [weight for _, weight in weighted])[0]


def _moment(chance: random.Random, start: datetime, end: datetime) -> datetime:
    """A moment between ``start`` and ``end``."""
    return start + (end - start) * chance.random()


def _text(chance: random.Random, language: str) -> tuple[str, str]:
    """A short text and its HTML."""
    body = chance.choice(TEXTS[language])
    return body, f"<p>{body}</p>"


def _insert(table: object, rows: list[dict], chunk: int = 5_000) -> None:
    """Insert ``rows`` into ``table`` (a model or a Core table) in chunks."""
    from sqlalchemy import insert

    from forum.extensions import db

    for first in range(0, len(rows), chunk):
        db.session.execute(insert(table), rows[first:first + chunk])


def _people(chance: random.Random, start: datetime, now: datetime) -> list[int]:
    """The people, with their profiles, who joined over the period; returns their ids."""
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.accounts.passwords import hash_password
    from forum.extensions import db

    password_hash = hash_password(PASSWORD)
    rows = []
    for n in range(USERS):
        joined = _moment(chance, start - timedelta(days=60), now - timedelta(days=1))
        rows.append({"email": f"persona{n}@bench.example", "password_hash": password_hash,
                     "display_name": f"Persona {n}", "handle": f"persona.{n}", "locale": "es" if n % 6 else "en",
                     "sector": _pick(chance, SECTORS), "state": _pick(chance, STATES),
                     "gender": _pick(chance, GENDERS), "age_range": _pick(chance, AGE_RANGES),
                     "created_at": joined, "email_confirmed_at": joined})
    _insert(User, rows)
    return list(db.session.scalars(select(User.id).where(User.email.like("persona%@bench.example"))
                                   .order_by(User.id)))


def _platforms(people: list[int]) -> list[int]:
    """The platforms (the last one for members only, with a thousand members); returns their ids."""
    from forum.extensions import db
    from forum.platforms import services as platforms
    from forum.platforms.models import PlatformMembership

    slugs = [PLATFORM_SLUG, "seguridad", "genero", "empleo", "mesa-tecnica"]
    made = [platforms.create_platform(None, slug=slug, name_es=slug.capitalize(), name_en=slug.capitalize(),
                                      visibility="members" if number == PLATFORMS - 1 else "public")
            for number, slug in enumerate(slugs[:PLATFORMS])]
    db.session.flush()
    _insert(PlatformMembership, [{"platform_id": made[-1].id, "user_id": person, "status": "approved"}
                                 for person in people[:1_000]])
    return [platform.id for platform in made]


def _threads(chance: random.Random, people: list[int], platform_ids: list[int], start: datetime,
             now: datetime) -> list[dict]:
    """The threads and their posts (a few hidden or deleted), each thread busy for up to two months; returns the
    posts' ids, platforms, authors and dates."""
    from sqlalchemy import select

    from forum.extensions import db
    from forum.threads.models import Post, Thread

    busy = people[:USERS // 10]  # a tenth of the people write half the posts
    openings = sorted(_moment(chance, start, now - timedelta(days=1)) for _ in range(THREADS))
    _insert(Thread, [{"platform_id": platform_ids[n % len(platform_ids)], "author_id": chance.choice(people),
                      "title": f"Hilo {n}", "kind": "discussion", "language": "es", "created_at": opened,
                      "last_activity_at": opened, "reply_count": POSTS // THREADS - 1}
                     for n, opened in enumerate(openings)])
    threads = db.session.execute(select(Thread.id, Thread.platform_id, Thread.created_at).order_by(Thread.id)).all()
    rows = []
    for n in range(POSTS):
        thread = threads[n % THREADS]
        language = "es" if n % 3 else "en"
        body, html = _text(chance, language)
        rows.append({"thread_id": thread.id, "author_id": chance.choice(busy if n % 2 else people),
                     "language": language, "body_source": body, "body_html": html, "revision": 1,
                     "created_at": min(thread.created_at + timedelta(days=60 * chance.random()), now),
                     "status": "hidden" if n % 100 == 7 else "visible",
                     "deleted_at": now if n % 200 == 11 else None})
    _insert(Post, rows)
    platform_of = {thread.id: thread.platform_id for thread in threads}
    return [{"id": post.id, "platform_id": platform_of[post.thread_id], "author_id": post.author_id,
             "created_at": post.created_at}
            for post in db.session.execute(select(Post.id, Post.thread_id, Post.author_id, Post.created_at))]


def _translations(chance: random.Random, posts: list[dict], people: list[int], now: datetime) -> None:
    """Translations of distinct posts, a few hours to a few days after them."""
    from forum.threads.models import PostTranslation

    rows = []
    for post in chance.sample(posts, TRANSLATIONS):
        body, html = _text(chance, "en")
        when = min(post["created_at"] + timedelta(hours=chance.uniform(1, 96)), now)
        rows.append({"post_id": post["id"], "language": "en", "body_source": body, "body_html": html,
                     "translator_id": chance.choice(people),
                     "provenance": chance.choice(("author", "official", "moderator", "community")),
                     "source_revision": 1, "created_at": when, "updated_at": when})
    _insert(PostTranslation, rows)


def _moderation(chance: random.Random, posts: list[dict], moderator: int, people: list[int],
                now: datetime) -> None:
    """Flags on distinct posts, each with its queue item; a moderator decided nine in ten of them (the decisions
    are in the moderation log)."""
    from forum.moderation.models import Flag, ModerationAction, QueueItem

    flags, items, actions = [], [], []
    for n, post in enumerate(chance.sample(posts, FLAGS)):
        flagged = min(post["created_at"] + timedelta(hours=chance.uniform(1, 48)), now)
        decided = min(flagged + timedelta(minutes=chance.randint(10, 4_320)), now) if n % 10 else None
        decision = None if decided is None else "hide" if n % 3 == 0 else "dismiss"
        status = "open" if decided is None else "upheld" if decision == "hide" else "dismissed"
        reason = chance.choice(("spam", "harassment", "off_topic", "misinformation", "other"))
        where = {"target_type": "post", "target_id": post["id"], "platform_id": post["platform_id"]}
        flags.append({**where, "user_id": chance.choice(people), "reason": reason, "status": status,
                      "created_at": flagged, "decided_at": decided})
        items.append({**where, "cause": "flagged", "status": "open" if decided is None else "closed",
                      "reason": reason, "opened_at": flagged, "decided_by_id": moderator if decided else None,
                      "decided_at": decided, "decision": decision})
        if decided is not None:
            actions.append({**where, "created_at": decided, "moderator_id": moderator, "subject_id": post["author_id"],
                            "action": decision, "reason": reason,
                            "minutes_to_decision": int((decided - flagged).total_seconds() // 60)})
    _insert(Flag, flags)
    _insert(QueueItem, items)
    _insert(ModerationAction, actions)


def _consultations(chance: random.Random, people: list[int], platform_ids: list[int], official: int,
                   agency: int, start: datetime, now: datetime) -> None:
    """Consultations open for a month each over the period, with comments (some replies), most answered."""
    from sqlalchemy import select

    from forum.consultations.models import Answer, Comment, Consultation
    from forum.extensions import db

    rows = []
    for n in range(CONSULTATIONS):
        opens = start + (now - start) * (n / CONSULTATIONS)
        closes = opens + timedelta(days=30)
        rows.append({"organisation_id": agency, "platform_id": platform_ids[n % len(platform_ids)],
                     "title_es": f"Consulta {n}", "title_en": f"Consultation {n}", "opens_at": opens,
                     "closes_at": closes, "published_at": opens - timedelta(days=3), "author_id": official,
                     "report_published_at": closes + timedelta(days=20) if closes + timedelta(days=20) < now else None,
                     "created_at": opens - timedelta(days=5), "updated_at": opens})
    _insert(Consultation, rows)
    consultations = db.session.execute(select(Consultation.id, Consultation.opens_at, Consultation.closes_at)).all()
    comments = []
    for n in range(COMMENTS):
        consultation = consultations[n % CONSULTATIONS]
        body, html = _text(chance, "es")
        comments.append({"consultation_id": consultation.id, "author_id": chance.choice(people),
                         "kind": chance.choice(("support", "concern", "proposal")), "language": "es",
                         "body_source": body, "body_html": html, "parent_id": None,
                         "created_at": min(_moment(chance, consultation.opens_at, consultation.closes_at), now)})
    top = [row for n, row in enumerate(comments) if n % REPLY_EVERY]
    _insert(Comment, top)
    parents = db.session.execute(select(Comment.id, Comment.consultation_id, Comment.created_at)).all()
    replies = [row for n, row in enumerate(comments) if not n % REPLY_EVERY]
    for row in replies:
        parent = chance.choice(parents)
        row.update(consultation_id=parent.consultation_id, parent_id=parent.id, kind="reply",
                   created_at=min(parent.created_at + timedelta(days=chance.uniform(0, 5)), now))
    _insert(Comment, replies)
    answers = []
    for parent in parents:
        answered = parent.created_at + timedelta(days=chance.uniform(1, 40))
        if chance.random() < 0.8 and answered < now:
            answers.append({"comment_id": parent.id, "status": chance.choice(("accepted", "not_accepted")),
                            "explanation_es": "Gracias.", "explanation_html_es": "<p>Gracias.</p>",
                            "author_id": official, "created_at": answered, "updated_at": answered})
    _insert(Answer, answers)


def _events(chance: random.Random, people: list[int], platform_ids: list[int], organiser: int,
            start: datetime, now: datetime) -> None:
    """Events over the period (the last few still to come), each on one platform, with registrations: most
    confirmed, some waitlisted or cancelled, seven in ten of the confirmed checked in at past events."""
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.events.models import Event, Registration, event_platforms
    from forum.extensions import db

    rows = []
    for n in range(EVENTS):
        starts = start + (now + timedelta(days=60) - start) * ((n + 1) / EVENTS)
        rows.append({"title_es": f"Diálogo {n}", "title_en": f"Dialogue {n}", "kind": "dialogue",
                     "status": "published", "organiser_id": organiser, "city": "Oaxaca de Juárez",
                     "state": "OAX" if n % 2 else "SLP", "starts_at": starts, "ends_at": starts + timedelta(hours=4),
                     "capacity": 2 * REGISTRATIONS // EVENTS, "published_at": starts - timedelta(days=30),
                     "created_at": starts - timedelta(days=31), "updated_at": starts - timedelta(days=30)})
    _insert(Event, rows)
    events = db.session.execute(select(Event.id, Event.starts_at, Event.published_at).order_by(Event.id)).all()
    _insert(event_platforms, [{"event_id": event.id, "platform_id": platform_ids[n % len(platform_ids)]}
                              for n, event in enumerate(events)])
    profiles = {row.id: row for row in db.session.execute(select(
        User.id, User.display_name, User.email, User.locale, User.sector, User.state, User.gender, User.age_range)
        .where(User.email.like("persona%@bench.example")))}
    registrations = []
    for event in events:
        for number, person in enumerate(chance.sample(people, REGISTRATIONS // EVENTS)):
            profile = profiles[person]
            registered = _moment(chance, event.published_at, min(event.starts_at, now))
            status = "cancelled" if number % 10 == 0 else "waitlisted" if number % 20 == 1 else "confirmed"
            attended = status == "confirmed" and event.starts_at < now and chance.random() < 0.7
            registrations.append({
                "event_id": event.id, "user_id": person, "status": status, "code": f"B{number:05d}",
                "name": profile.display_name, "email": profile.email, "locale": profile.locale,
                "sector": profile.sector, "state": profile.state, "gender": profile.gender,
                "age_range": profile.age_range, "created_at": registered, "updated_at": registered,
                "confirmed_at": registered if status != "waitlisted" else None,
                "waitlisted_at": registered if status == "waitlisted" else None,
                "cancelled_at": registered if status == "cancelled" else None,
                "attended_at": event.starts_at if attended else None})
    _insert(Registration, registrations)


def seed(url: str) -> float:
    """Migrate and fill the database; returns the seconds it took."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from forum.accounts import services as accounts
    from forum.accounts.models import Membership, Organisation
    from forum.core.db import commit, utcnow
    from forum.extensions import db

    began = time.perf_counter()
    chance = random.Random(2026)
    app = _bench_app(url)
    with app.app_context(), app.test_request_context():
        upgrade()
        now = utcnow()
        start = now - timedelta(days=30.44 * MONTHS)
        admin = accounts.create_user(email=ADMIN, password=PASSWORD, display_name="Administración", role="admin",
                                     sector="international_cooperation", state="CMX", confirmed=True)
        official = accounts.create_user(email="official@bench.example", password=PASSWORD, display_name="Oficial",
                                        sector="federal_government", state="CMX", confirmed=True)
        agency = Organisation(name_es="Secretaría", name_en="Ministry", acronym="SEC", kind="federal_agency",
                              verified=True)
        db.session.add_all([agency, Membership(user=official, organisation=agency, status="approved",
                                               is_representative=True)])
        db.session.flush()
        people = _people(chance, start, now)
        platform_ids = _platforms(people)
        posts = _threads(chance, people, platform_ids, start, now)
        _translations(chance, posts, people, now)
        _moderation(chance, posts, admin.id, people, now)
        _consultations(chance, people, platform_ids, official.id, agency.id, start, now)
        _events(chance, people, platform_ids, official.id, start, now)
        commit()
        if db.engine.dialect.name == "postgresql":  # statistics, as autovacuum gathers them after a bulk load
            with db.engine.connect() as connection:
                connection.execute(text("ANALYZE"))
                connection.commit()
        db.session.remove()
        db.engine.dispose()
    return time.perf_counter() - began


def _sign_in(client, email: str) -> None:
    """Sign ``client`` in through the sign-in form, with the form's CSRF token."""
    page = client.get("/login").get_data(as_text=True)
    answer = client.post("/login", data={"email": email, "password": PASSWORD,
                                         "csrf_token": _CSRF.search(page).group(1)})
    if answer.status_code not in (302, 303):
        raise RuntimeError(f"signing in as {email} answered {answer.status_code}")


def measure(url: str) -> dict[str, tuple[int, list[float], int, float]]:
    """Request every address of :data:`REQUESTS`; by label: the status of the first answer, the measured
    seconds (none when it did not answer 200), the size of the answer in bytes and the seconds of the first
    answer (the first request of all counts every month and keeps the closed ones, see
    ``forum.indicators.closed_months``)."""
    from forum.extensions import db

    app = _bench_app(url)
    gc.freeze()  # as wsgi.py does after making the app
    visitor, admin = app.test_client(), app.test_client()
    _sign_in(admin, ADMIN)
    measured = {}
    for label, address, as_admin in REQUESTS:
        client = admin if as_admin else visitor
        began = time.perf_counter()
        answer = client.get(address, headers={"Accept-Language": "es"})
        first = time.perf_counter() - began
        if answer.status_code != 200:
            measured[label] = (answer.status_code, [], 0, first)
            continue
        for _ in range(WARM_UPS - 1):
            client.get(address, headers={"Accept-Language": "es"})
        seconds = []
        for _ in range(RUNS):
            began = time.perf_counter()
            answer = client.get(address, headers={"Accept-Language": "es"})
            seconds.append(time.perf_counter() - began)
            if answer.status_code != 200:
                raise RuntimeError(f"{address} answered {answer.status_code} after answering 200")
        measured[label] = (200, seconds, len(answer.get_data()), first)
        print(f"  {label}: first {milliseconds(first)}, p50 {milliseconds(percentile(seconds, .5))}, p95 "
              f"{milliseconds(percentile(seconds, .95))}", flush=True)
    with app.app_context():
        db.engine.dispose()
    return measured


def run(server_url: str | None, folder: Path) -> tuple[list[str], str]:
    """Seed and measure one database; returns its table rows and a line on the seeding."""
    with scratch_database(server_url, folder) as url:
        took = seed(url)
        database = database_description(url)
        print(f"[{database}] seeded in {took:.0f} s", flush=True)
        measured = measure(url)
    rows = []
    for label, address, _as_admin in REQUESTS:
        status, seconds, size, first = measured[label]
        if status != 200:
            rows.append(f"| {database} | {label} (`{address}`) | {status}: not measured | | | | | |")
            continue
        p95 = percentile(seconds, .95)
        rows.append(f"| {database} | {label} (`{address}`) | {size / 1024:,.0f} KiB | {milliseconds(first)} | "
                    f"{milliseconds(percentile(seconds, .5))} | {milliseconds(p95)} | "
                    f"{milliseconds(max(seconds))} | {'yes' if p95 <= TARGET else '**no**'} |")
    return rows, f"{database}: seeding (migrations and bulk inserts) took {took:.0f} s."


def section(rows: list[str], notes: list[str], info: dict[str, str]) -> str:
    """The Markdown section of this benchmark."""
    lines = [
        START, "## (e) Participation indicators", "",
        f"Measured on {time.strftime('%Y-%m-%d at %H:%M UTC', time.gmtime())} on the machine above "
        f"({info['CPUs (nproc)']} CPUs, {info['CPU model']}, {info['memory']}, Python {info['Python']}; load "
        f"average {info['load average (1 min) when the run began']} when it began); written by "
        "`tests/bench/bench_indicators.py`.", "",
        f"Data: {USERS:,} people (sector, state, and mostly gender and age range), {PLATFORMS} platforms (one for "
        f"members only), {THREADS:,} threads with {POSTS:,} posts over {MONTHS} months (1 % hidden, 0.5 % "
        f"deleted), {TRANSLATIONS:,} post translations, {FLAGS:,} flags (nine in ten decided by a moderator, in "
        f"the moderation log), {CONSULTATIONS} consultations with {COMMENTS:,} comments (one in {REPLY_EVERY} a "
        f"reply; four in five of the others answered), {EVENTS} events with {REGISTRATIONS:,} registrations "
        "(seven in ten of the confirmed seats at past events checked in).", "",
        f"Each address is requested {WARM_UPS} times unmeasured, then {RUNS} times measured, in one process "
        "through the Flask test client (no server, no network), the app's own objects left out of the garbage "
        "collector's passes as `wsgi.py` does: the time covers the whole answer, from routing "
        "and the database queries to the rendered page or file. The default period is the last 12 months. "
        "The very first request (\"first\" of the first row) counts every month from the content and keeps the "
        "months that have closed; from then on only the open months are counted (`forum/indicators/"
        f"closed_months.py`). The target is a 95th percentile of at most {TARGET * 1000:.0f} ms.", "",
        "| database | request | size | first | p50 | p95 | max | target met |",
        "|---|---|---:|---:|---:|---:|---:|:---:|",
        *rows, "",
    ]
    lines += [f"- {note}" for note in notes]
    return "\n".join([*lines, "", END, ""])


def main() -> int:
    """Run the indicators benchmark on SQLite and PostgreSQL and write its section into docs/benchmarks.md."""
    return write_database_benchmark("indicators", run, section, START, END)


if __name__ == "__main__":
    sys.exit(main())
