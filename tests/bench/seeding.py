"""The benchmark's data: a scratch database and a public thread of 1,000 posts by ten people."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from tests.servers import scratch_postgresql

#: an id no other thread on a shared Redis is likely to have (Socket.IO rooms are named after it)
THREAD_ID = 900_001
SEED_POSTS = 1_000
AUTHORS = 10
POSTS_PER_PAGE = 20
SECRET_KEY = "bench-secret-key-not-for-production"

PARAGRAPHS_ES = [
    "Propongo que la fiscalía estatal publique cada trimestre los tiempos de respuesta a las denuncias de "
    "violencia familiar, desagregados por municipio, para que las organizaciones podamos dar seguimiento.",
    "En Oaxaca hemos visto que la coordinación con las autoridades comunitarias mejora cuando hay **mesas de "
    "trabajo** con intérpretes de lenguas indígenas y calendarios acordados con anticipación.",
    "- Capacitación a personal de primer contacto\n- Protocolos en lenguas indígenas\n- Indicadores públicos",
    "La experiencia europea con los programas de cohesión social muestra que la evaluación independiente "
    "es tan importante como el financiamiento; sugiero incluirla desde el diseño.",
]
PARAGRAPHS_EN = [
    "Thank you for the draft. Could the working group clarify how the indicators will be published, and "
    "whether civil-society organisations will be able to comment on them before the next session?",
    "Our experience in San Luis Potosí suggests that *youth participation* rises when meetings are held "
    "after school hours and online attendance is possible.",
]



@dataclass
class Seeded:
    """The benchmark thread: its id, the last seeded post, and a token of a member who may reply."""

    thread_id: int
    last_post_id: int
    token: str
    last_page: int


@contextmanager
def scratch_database(server_url: str | None, folder: Path) -> Iterator[str]:
    """A new, empty database: a SQLite file in ``folder``, or a scratch database on the PostgreSQL server of
    ``server_url``, dropped afterwards."""
    if not server_url:
        yield f"sqlite:///{folder / 'bench.sqlite3'}"
        return
    with scratch_postgresql(server_url, prefix="forum_bench") as url:
        yield url


def database_description(url: str) -> str:
    """The kind and version of the database at ``url``."""
    from sqlalchemy import create_engine, text

    from forum.config import normalise_database_url

    engine = create_engine(normalise_database_url(url))
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                version = connection.execute(text("select sqlite_version()")).scalar()
                return f"SQLite {version} (file in a temporary folder, WAL)"
            version = connection.execute(text("show server_version")).scalar()
            return f"PostgreSQL {version} (scratch database on 127.0.0.1)"
    finally:
        engine.dispose()


def _bench_app(url: str):
    """An app on ``url`` for seeding and restoring (no Redis: it sends no live event)."""
    from forum import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY, "FORUM_REDIS_URL": None,
                       "RATELIMIT_STORAGE_URI": "memory://", "FORUM_FAST_PASSWORD_HASHING": True})


def _post_rows(thread_id: int, author_ids: list[int], count: int, start: datetime) -> list[dict]:
    """``count`` replies in turn by ``author_ids``, in both languages, one minute apart from ``start``."""
    from forum.core.text import render

    rows = []
    for n in range(count):
        spanish = n % 3 != 2
        pool = PARAGRAPHS_ES if spanish else PARAGRAPHS_EN
        source = f"{'Respuesta' if spanish else 'Reply'} {n + 2}. " + "\n\n".join(
            pool[(n + k) % len(pool)] for k in range(1 + n % 3))
        rows.append({"thread_id": thread_id, "author_id": author_ids[n % len(author_ids)],
                     "language": "es" if spanish else "en", "body_source": source,
                     "body_html": render(source).html, "created_at": start + timedelta(minutes=n + 1),
                     "revision": 1, "support_count": n % 4, "thanks_count": n % 2})
    return rows


def seed(url: str) -> Seeded:
    """Migrate the database and create a public platform, ten members and a thread of 1,000 posts."""
    from flask_migrate import upgrade
    from sqlalchemy import func, insert, select

    from forum.accounts import api_tokens
    from forum.accounts import services as accounts
    from forum.core.db import commit, utcnow
    from forum.core.text import render
    from forum.extensions import db
    from forum.platforms import services as platforms
    from forum.platforms.models import PlatformMembership
    from forum.threads.models import Post, Thread

    app = _bench_app(url)
    with app.app_context():
        upgrade()
        platform_ = platforms.create_platform(None, slug="bench", name_es="Banco de pruebas", name_en="Benchmark",
                                              description_es="Plataforma de medición.",
                                              description_en="Benchmark platform.")
        authors = [accounts.create_user(email=f"bench{n}@example.org", password="bench-password-2026",
                                        display_name=f"Persona de prueba {n}", sector="individual", state="CMX",
                                        confirmed=True) for n in range(1, AUTHORS + 1)]
        db.session.flush()
        for author in authors:
            db.session.add(PlatformMembership(platform=platform_, user_id=author.id, status="approved"))
        _token, secret = api_tokens.create_token(authors[0], "bench")
        start = utcnow() - timedelta(days=30)
        opening = "Hilo de medición: ¿cómo mejorar el acceso a la justicia en los municipios?"
        # created directly (not through start_thread) to give it an id no other thread is likely to have
        thread = Thread(id=THREAD_ID, platform=platform_, author=authors[0], kind="discussion", language="es",
                        title="Acceso a la justicia en los municipios: propuestas", created_at=start,
                        last_activity_at=start)
        db.session.add(thread)
        db.session.add(Post(thread=thread, author=authors[0], language="es", body_source=opening,
                            body_html=render(opening).html, created_at=start))
        db.session.flush()
        db.session.execute(insert(Post), _post_rows(thread.id, [a.id for a in authors], SEED_POSTS - 1, start))
        last_id, count = db.session.execute(
            select(func.max(Post.id), func.count()).where(Post.thread_id == thread.id)).one()
        thread.last_post_id = last_id
        thread.reply_count = count - 1
        thread.last_activity_at = start + timedelta(minutes=SEED_POSTS - 1)
        commit()
        db.session.remove()
        db.engine.dispose()
    return Seeded(thread_id=THREAD_ID, last_post_id=last_id, token=secret,
                  last_page=(count + POSTS_PER_PAGE - 1) // POSTS_PER_PAGE)


def restore(url: str, seeded: Seeded) -> None:
    """Take the thread back to its 1,000 seeded posts (so each run reads the same pages)."""
    from sqlalchemy import delete, update

    from forum.core.db import commit
    from forum.extensions import db
    from forum.threads.models import Post, Thread, ThreadReader

    app = _bench_app(url)
    with app.app_context():
        db.session.execute(delete(Post).where(Post.thread_id == seeded.thread_id,
                                              Post.id > seeded.last_post_id))
        db.session.execute(delete(ThreadReader).where(ThreadReader.thread_id == seeded.thread_id))
        db.session.execute(update(Thread).where(Thread.id == seeded.thread_id).values(
            last_post_id=seeded.last_post_id, reply_count=SEED_POSTS - 1))
        commit()
        db.session.remove()
        db.engine.dispose()
