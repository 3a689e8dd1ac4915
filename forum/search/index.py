"""Keeping the index current: every write to a watched model marks entries stale (at flush), and they are
rewritten just before the transaction commits, in it, so the index never disagrees with what was saved; a
rollback forgets them. ``flask --app forum reindex`` rebuilds everything from the domains' own tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import chain, islice

from sqlalchemy import delete, event, inspect, select
from sqlalchemy.orm import Session

from forum.core.db import upsert_into, utcnow
from forum.extensions import db
from forum.search import kinds
from forum.search.backends import engine_for
from forum.search.models import SearchEntry

_STALE = "forum_search_stale"
#: items read and written per statement
BATCH = 500


def _changed(row: object, fields: tuple[str, ...]) -> bool:
    state = inspect(row)
    return any(state.attrs[name].history.has_changes() for name in fields)


@event.listens_for(Session, "after_flush")
def _note_stale(session: Session, _context) -> None:
    """Remember which entries the flushed writes made stale (nothing is read here)."""
    watches = [watch for kind in kinds.every() for watch in kind.watches]
    stale = session.info.setdefault(_STALE, set())
    for row in chain(session.new, session.deleted):
        for watch in watches:
            if isinstance(row, watch.model):
                stale.update(watch.stale(row))
    for row in session.dirty:
        for watch in watches:
            if isinstance(row, watch.model) and _changed(row, watch.fields):
                stale.update(watch.stale(row))


@event.listens_for(Session, "before_commit")
def _rewrite_stale(session: Session) -> None:
    """Rewrite the stale entries inside the transaction about to commit."""
    session.flush()
    while session.info.get(_STALE):
        refresh(session, session.info.pop(_STALE))


@event.listens_for(Session, "after_rollback")
def _forget_stale(session: Session) -> None:
    session.info.pop(_STALE, None)


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    iterator = iter(ids)
    while chunk := list(islice(iterator, BATCH)):
        yield chunk


def refresh(session: Session, stale: Iterable[tuple[str, int]]) -> None:
    """Rewrite the entries of these (kind, id) pairs from what their domain holds now."""
    wanted: dict[str, list[int]] = defaultdict(list)
    for name, object_id in stale:
        wanted[name].append(object_id)
    for name, ids in wanted.items():
        kind = kinds.get(name)
        if kind is not None:
            for chunk in _chunks(sorted(set(ids))):
                _rewrite(session, kind, chunk)


def _upsert(connection, rows: list[dict]) -> None:
    """Insert the entries, or update those that exist (keeping their id): two transactions rewriting one entry
    at once then wait for each other instead of colliding on its (kind, object_id)."""
    insert = upsert_into(SearchEntry.__table__, connection.dialect.name)
    changing = [name for name in rows[0] if name not in ("kind", "object_id")] + ["indexed_at"]
    connection.execute(insert.on_conflict_do_update(
        index_elements=["kind", "object_id"], set_={name: insert.excluded[name] for name in changing}),
        [{**row, "indexed_at": utcnow()} for row in rows])


def _rewrite(session: Session, kind: kinds.Kind, ids: Sequence[int]) -> None:
    fresh = kind.entries(ids)
    kept = [entry.object_id for entry in fresh]
    session.execute(delete(SearchEntry).where(SearchEntry.kind == kind.name, SearchEntry.object_id.in_(ids),
                                              SearchEntry.object_id.not_in(kept)))
    if fresh:
        connection = session.connection()
        _upsert(connection, [entry.values() for entry in fresh])
        written = session.scalars(select(SearchEntry.id).where(SearchEntry.kind == kind.name,
                                                               SearchEntry.object_id.in_(kept))).all()
        engine_for(connection.dialect.name).write(connection, written)


def rebuild() -> dict[str, int]:
    """Empty the index and index every item of every kind again; returns the entries written per kind. The
    caller commits."""
    session = db.session
    connection = session.connection()
    engine_for(connection.dialect.name).clear(connection)
    session.execute(delete(SearchEntry))
    written = {}
    for kind in kinds.every():
        for chunk in _chunks(session.scalars(kind.every_id()).all()):
            _rewrite(session, kind, chunk)
        written[kind.name] = session.scalar(select(db.func.count()).where(SearchEntry.kind == kind.name))
    return written
