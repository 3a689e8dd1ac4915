"""Benchmark of search: 100,000 posts in Spanish and English, query latency on SQLite and PostgreSQL, written to its
own section of ``docs/benchmarks.md``.

Run with ``make bench`` (after the other benchmarks) or ``.venv/bin/python -m tests.bench.bench_search``.

For each database (SQLite in a temporary folder; PostgreSQL in a scratch database on the server of
``FORUM_BENCH_DATABASE_URL``, default ``postgresql://postgres@127.0.0.1:5432/postgres``, skipped with a note when
it does not answer): seeds two platforms (one public, one for members only) with :data:`THREADS` threads of
:data:`POSTS_PER_THREAD` posts, two in three in Spanish and one in three in English, written from a fixed
vocabulary with a seeded random generator (so every run indexes the same text); rebuilds the index as
``flask --app forum reindex`` does (timed); then runs every query of :data:`QUERIES` :data:`REPEAT` times for an
anonymous visitor and for a member of the private platform, through the same function the search page and the API
call (matching, permission filtering, counts by kind, the page of 20 results with titles and snippets). Nothing
leaves 127.0.0.1.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import timedelta
from pathlib import Path

from tests.bench.figures import milliseconds, percentile
from tests.bench.report import write_database_benchmark
from tests.bench.seeding import _bench_app, database_description, scratch_database

THREADS = 1_000
POSTS_PER_THREAD = 100
REPEAT = 10
START, END = "<!-- search benchmark -->", "<!-- /search benchmark -->"

SENTENCES_ES = [
    "La fiscalía estatal debe publicar los tiempos de respuesta a las denuncias de violencia familiar.",
    "Las mujeres indígenas de Oaxaca piden intérpretes en las mesas de trabajo con las autoridades.",
    "Proponemos indicadores públicos de participación de jóvenes en los municipios.",
    "La transparencia presupuestaria mejora cuando las organizaciones civiles revisan los datos abiertos.",
    "En San Luis Potosí el programa de empleo juvenil necesita evaluación independiente.",
    "El acceso a la información pública sigue siendo desigual entre municipios rurales y urbanos.",
    "Sugerimos protocolos de atención en lenguas indígenas para el personal de primer contacto.",
    "La cooperación con la Unión Europea puede financiar capacitación en derechos humanos.",
    "Las políticas de seguridad ciudadana deben incluir a las comunidades desde el diseño.",
    "¿Cómo se medirá la participación de las mujeres en los consejos consultivos?",
    "Los defensores de derechos humanos requieren mecanismos de protección eficaces.",
    "La reforma judicial local debería considerar la justicia cotidiana y la mediación comunitaria.",
]
SENTENCES_EN = [
    "Thank you for the draft; could the working group clarify how the indicators will be published?",
    "Youth participation rises when meetings are held after school hours and online attendance is possible.",
    "The European experience with social cohesion programmes shows that evaluation matters as much as funding.",
    "We recommend gender-responsive budgeting in every employment policy.",
    "Civil-society organisations should be able to comment on the policies before the next session.",
    "Public security strategies work better with community oversight and transparent data.",
    "Access to justice for indigenous women requires interpreters and local legal aid.",
    "The agency should answer every comment publicly and publish a report.",
]
#: rarer words, each put into about one post in :data:`RARE_EVERY`
RARE_WORDS = ["interseccionalidad", "ombudsperson", "sindicalización", "whistleblowers", "georreferenciación"]
RARE_EVERY = 1_000

#: (label, query, filters) — filters as keyword arguments of forum.search.finding.Filters, by name
QUERIES = [
    ("common Spanish word", "mujeres", {}),
    ("common English word, stemmed", "policies", {}),
    ("two words", "participación jóvenes", {}),
    ("without accents", "informacion publica", {}),
    ("prefix of the last word", "transparen", {}),
    ("rare word", "interseccionalidad", {}),
    ("English only", "justice", {"language": "en"}),
    ("posts only, one platform", "derechos humanos", {"kind": "post", "platform": "publica"}),
    ("no match", "zzzyyyxxx", {}),
]


def _post_text(chance: random.Random, spanish: bool, n: int) -> str:
    pool = SENTENCES_ES if spanish else SENTENCES_EN
    text = " ".join(chance.sample(pool, chance.randint(1, 3)))
    if n % RARE_EVERY == RARE_EVERY // 7:  # (on a public thread)
        text += f" {RARE_WORDS[(n // RARE_EVERY) % len(RARE_WORDS)]}."
    return text


def seed(url: str) -> tuple[float, dict[str, int]]:
    """Migrate, create the platforms, people, threads and posts, and rebuild the index; returns the seconds the
    rebuild took and the entries it wrote by kind."""
    from flask_migrate import upgrade
    from markupsafe import escape
    from sqlalchemy import insert, select, text

    from forum.accounts import services as accounts
    from forum.core.db import commit, utcnow
    from forum.extensions import db
    from forum.platforms import services as platforms
    from forum.platforms.models import PlatformMembership
    from forum.search import index
    from forum.threads.models import Post, Thread

    chance = random.Random(2026)
    app = _bench_app(url)
    with app.app_context():
        upgrade()
        public = platforms.create_platform(None, slug="publica", name_es="Pública", name_en="Public")
        private = platforms.create_platform(None, slug="privada", name_es="Privada", name_en="Private",
                                            visibility="members")
        authors = [accounts.create_user(email=f"search{n}@bench.example", password="bench-password-2026",
                                        display_name=f"Persona {n}", sector="civil_society", state="OAX",
                                        confirmed=True) for n in range(20)]
        db.session.flush()
        for author in authors:
            for platform in (public, private):
                db.session.add(PlatformMembership(platform=platform, user_id=author.id, status="approved"))
        start = utcnow() - timedelta(days=365)
        threads = [{"platform_id": (public if n % 5 else private).id, "author_id": authors[n % 20].id,
                    "title": _post_text(chance, n % 3 != 2, n)[:190], "kind": "discussion",
                    "language": "es" if n % 3 != 2 else "en", "created_at": start + timedelta(hours=n),
                    "last_activity_at": start + timedelta(hours=n)} for n in range(THREADS)]
        db.session.execute(insert(Thread), threads)
        thread_ids = db.session.scalars(select(Thread.id).order_by(Thread.id)).all()
        n = 0
        for thread_number, thread_id in enumerate(thread_ids):
            rows = []
            for position in range(POSTS_PER_THREAD):
                spanish = n % 3 != 2
                body = _post_text(chance, spanish, n)
                rows.append({"thread_id": thread_id, "author_id": authors[n % 20].id,
                             "language": "es" if spanish else "en", "body_source": body,
                             "body_html": f"<p>{escape(body)}</p>",
                             "created_at": start + timedelta(hours=thread_number, minutes=position)})
                n += 1
            db.session.execute(insert(Post), rows)
        commit()
        began = time.perf_counter()
        written = index.rebuild()
        commit()
        took = time.perf_counter() - began
        if db.engine.dialect.name == "postgresql":  # statistics, as autovacuum gathers them after a bulk load
            with db.engine.connect() as connection:
                connection.execute(text("ANALYZE"))
                connection.commit()
        db.session.remove()
        db.engine.dispose()
    return took, written


def measure(url: str) -> tuple[dict[str, list[float]], dict[str, str]]:
    """Run every query :data:`REPEAT` times as a visitor and as a member; latencies by query, and what each
    found (for the visitor)."""
    from sqlalchemy import select

    from forum.accounts.models import User
    from forum.extensions import db
    from forum.platforms.models import Platform
    from forum.search import query
    from forum.search.finding import Filters, find

    app = _bench_app(url)
    timings: dict[str, list[float]] = {label: [] for label, _text, _filters in QUERIES}
    found: dict[str, str] = {}
    with app.app_context():
        member = db.session.scalar(select(User).where(User.email == "search0@bench.example"))
        for label, text, given in QUERIES:
            for who in (None, member):
                with app.test_request_context(headers={"Accept-Language": "es"}):
                    platform = (db.session.scalar(select(Platform).where(Platform.slug == given["platform"]))
                                if "platform" in given else None)
                    filters = Filters(kind=given.get("kind"), language=given.get("language"), platform=platform)
                    for _ in range(REPEAT):
                        began = time.perf_counter()
                        results = find(who, query.read(text), filters)
                        timings[label].append(time.perf_counter() - began)
                    if who is None:
                        found[label] = f"more than {results.total:,}" if results.more else f"{results.total:,}"
        db.engine.dispose()
    return timings, found


def run(server_url: str | None, folder: Path) -> tuple[list[str], str]:
    """Measure one database; returns its table rows and a line on the rebuild."""
    with scratch_database(server_url, folder) as url:
        took, written = seed(url)
        timings, found = measure(url)
        database = database_description(url)
    every = [value for values in timings.values() for value in values]
    rows = [f"| {database} | {label} | {found[label]} | {milliseconds(percentile(timings[label], .5))} | "
            f"{milliseconds(percentile(timings[label], .95))} |" for label, _text, _filters in QUERIES]
    rows.append(f"| {database} | **all queries** | | **{milliseconds(percentile(every, .5))}** | "
                f"**{milliseconds(percentile(every, .95))}** |")
    entries = sum(written.values())
    print(f"[{database}] rebuilt {entries:,} entries in {took:.1f} s; p50 {milliseconds(percentile(every, .5))}, "
          f"p95 {milliseconds(percentile(every, .95))}", flush=True)
    return rows, f"{database}: `reindex` wrote {entries:,} entries in {took:.1f} s."


def section(rows: list[str], notes: list[str], info: dict[str, str]) -> str:
    """The Markdown section of this benchmark."""
    posts = THREADS * POSTS_PER_THREAD
    lines = [
        START, "## (d) Search over 100,000 posts", "",
        f"Measured on {time.strftime('%Y-%m-%d at %H:%M UTC', time.gmtime())} on the machine above "
        f"({info['CPUs (nproc)']} CPUs, {info['CPU model']}); written by `tests/bench/bench_search.py`.", "",
        f"{THREADS:,} threads of {POSTS_PER_THREAD} posts ({posts:,} posts; two in three in Spanish, one in "
        "three in English; one thread in five on a members-only platform), written from a fixed vocabulary, so "
        "common words match tens of thousands of posts. Each query runs "
        f"{REPEAT} times for an anonymous visitor and {REPEAT} times for a member of the private platform, "
        "through the function the search page and `GET /api/v1/search` call (on PostgreSQL after `ANALYZE`, as "
        "autovacuum does after a bulk load): matching, the permission filter "
        "of every kind, the counts by kind, and the first page of 20 results with titles and highlighted "
        "snippets. \"Found\" is what the visitor was told it found (counting stops past 1,000).", "",
        "| database | query | found | p50 | p95 |",
        "|---|---|---:|---:|---:|",
        *rows, "",
    ]
    lines += [f"- {note}" for note in notes]
    return "\n".join([*lines, "", END, ""])


def main() -> int:
    """Run the search benchmark on SQLite and PostgreSQL and write its section into docs/benchmarks.md."""
    return write_database_benchmark("search", run, section, START, END)


if __name__ == "__main__":
    sys.exit(main())
