"""Benchmark of event registration: a burst of simultaneous registrations for fewer seats than people, written to
its own section of ``docs/benchmarks.md``.

Run with ``make bench`` (after the threads benchmark) or ``.venv/bin/python -m tests.bench.bench_events``.

For each database (SQLite in a temporary folder; PostgreSQL in a scratch database on the server of
``FORUM_BENCH_DATABASE_URL``, default ``postgresql://postgres@127.0.0.1:5432/postgres``, skipped with a note when
it does not answer): seeds a published event with :data:`SEATS` seats and :data:`PEOPLE` people with personal access
tokens, starts one production server (gunicorn, one worker with threads), releases :data:`PEOPLE` client threads
at once, each sending ``POST /api/v1/events/<id>/registrations``, and reports the latency of each registration, the
wall time of the burst and what the database holds afterwards: exactly :data:`SEATS` confirmed seats is the
correctness condition. Everything runs on 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import http.client
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from tests.bench.figures import milliseconds, percentile
from tests.bench.processes import logged_errors, servers
from tests.bench.report import machine, on_each_database, replace_section
from tests.bench.seeding import _bench_app, database_description, scratch_database

SEATS = 100
PEOPLE = 200
THREADS = PEOPLE + 20
START, END = "<!-- events benchmark -->", "<!-- /events benchmark -->"


def seed(url: str) -> tuple[int, list[str]]:
    """A published event with :data:`SEATS` seats and :data:`PEOPLE` people; returns its id and their tokens."""
    from flask_migrate import upgrade

    from forum.accounts import api_tokens
    from forum.accounts import services as accounts
    from forum.accounts.models import Membership, Organisation
    from forum.core.db import commit, utcnow
    from forum.events import services as events
    from forum.extensions import db

    app = _bench_app(url)
    with app.app_context(), app.test_request_context():
        upgrade()
        organiser = accounts.create_user(email="organiser@bench.example", password="bench-password-2026",
                                         display_name="Organiser", sector="federal_government", state="CMX",
                                         confirmed=True)
        agency = Organisation(name_es="Secretaría", acronym="SEC", kind="federal_agency", verified=True)
        db.session.add_all([agency, Membership(user=organiser, organisation=agency, status="approved")])
        start = utcnow() + timedelta(days=7)
        event = events.create(organiser, title_es="Diálogo", kind="dialogue", city="Oaxaca de Juárez",
                              starts_at=start, ends_at=start + timedelta(hours=3), capacity=SEATS)
        events.publish(organiser, event)
        tokens = []
        for n in range(PEOPLE):
            person = accounts.create_user(email=f"person{n}@bench.example", password="bench-password-2026",
                                          display_name=f"Persona {n}", sector="civil_society", state="OAX",
                                          confirmed=True)
            tokens.append(api_tokens.create_token(person, "bench")[1])
        commit()
        event_id = event.id
        db.engine.dispose()
    return event_id, tokens


def burst(url: str, event_id: int, tokens: list[str]) -> tuple[list[float], Counter, float]:
    """Send every registration at once; return the latencies, the answers by status code and the wall time."""
    parts = urlsplit(url)
    gate = threading.Barrier(len(tokens) + 1)
    latencies: list[float] = []
    answers: Counter = Counter()
    lock = threading.Lock()

    def register(token: str) -> None:
        """Wait for the others, then register once."""
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        gate.wait()
        started = time.perf_counter()
        try:
            connection.request("POST", f"/api/v1/events/{event_id}/registrations", body="{}",
                               headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            status = str(response.status)
        except OSError as error:
            status = type(error).__name__
        finally:
            connection.close()
        with lock:
            latencies.append(time.perf_counter() - started)
            answers[status] += 1

    workers = [threading.Thread(target=register, args=(token,)) for token in tokens]
    for worker in workers:
        worker.start()
    gate.wait()
    began = time.perf_counter()
    for worker in workers:
        worker.join(180)
    return latencies, answers, time.perf_counter() - began


def held(url: str, event_id: int) -> Counter:
    """The registrations of the event by status, as the database holds them."""
    from sqlalchemy import create_engine, text

    from forum.config import normalise_database_url

    engine = create_engine(normalise_database_url(url))
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("select status, count(*) from event_registrations where event_id = :e "
                                           "group by status"), {"e": event_id})
            return Counter(dict(rows.all()))
    finally:
        engine.dispose()


def run(server_url: str | None, folder: Path) -> str:
    """Measure one database; return its table row."""
    with scratch_database(server_url, folder) as url:
        event_id, tokens = seed(url)
        with servers(1, kind="gunicorn", database_url=url, redis_url=None, commit_log=folder / "commits.log",
                     threads=THREADS, folder=folder) as urls:
            latencies, answers, wall = burst(urls[0], event_id, tokens)
        statuses = held(url, event_id)
        database = database_description(url)
    answered = ", ".join(f"{count} × {status}" for status, count in sorted(answers.items()))
    print(f"[{database}] {answered}; held {dict(statuses)}; {wall:.2f} s", flush=True)
    return (f"| {database} | {PEOPLE} | {SEATS} | {wall:.2f} s | {milliseconds(percentile(latencies, .5))} | "
            f"{milliseconds(percentile(latencies, .99))} | {answered} | {statuses.get('confirmed', 0)} | "
            f"{statuses.get('waitlisted', 0)} |")


def section(rows: list[str], notes: list[str], info: dict[str, str]) -> str:
    """The Markdown section of this benchmark."""
    lines = [
        START, "## (c) Event registration: a burst for fewer seats than people", "",
        f"Measured on {time.strftime('%Y-%m-%d at %H:%M UTC', time.gmtime())} on the machine above "
        f"({info['CPUs (nproc)']} CPUs, {info['CPU model']}); written by `tests/bench/bench_events.py`.", "",
        f"A published event with {SEATS} seats and {PEOPLE} people with personal access tokens. {PEOPLE} client "
        "threads, each with its own connection, are released at once and each sends one "
        "`POST /api/v1/events/<id>/registrations` to one gunicorn process (1 worker, "
        f"{THREADS} threads). Every registration first updates the event's row, so on PostgreSQL they queue on "
        "that row lock and on SQLite on the database's write lock; each then counts the seats, writes the "
        "registration, queues the e-mail (with its calendar file and, for a seat, its QR code) and commits. "
        "Latency is from sending the request to reading the answer; the burst is the wall time until the last "
        "answer. \"Held\" is what the database holds afterwards: exactly "
        f"{SEATS} confirmed and {PEOPLE - SEATS} on the waiting list is the condition the tests also check.", "",
        "| database | people | seats | burst | p50 | p99 | answers | held confirmed | held waiting |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|",
        *rows, "",
    ]
    lines += [f"- {note}" for note in notes]
    return "\n".join([*lines, END, ""]) if notes else "\n".join([*lines[:-1], "", END, ""])


def main() -> int:
    """Run the burst on SQLite and PostgreSQL and write the section into docs/benchmarks.md."""
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/benchmarks.md")
    info = machine(os.getloadavg()[0])
    notes: list[str] = []
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="forum-bench-events-")))
        rows = on_each_database(lambda server_url: run(server_url, folder), notes)
        for problem in logged_errors(folder):
            notes.append(f"A server logged an error (`{problem.split(':', 1)[0]}`).")
            print(problem, file=sys.stderr)
    replace_section(output, START, END, section(rows, notes, info))
    print(f"wrote the events section of {output}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
