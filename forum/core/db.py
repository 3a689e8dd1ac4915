"""Database helpers: UTC time, the one commit per request, and work that must wait for that commit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, DateTime, Text, cast, event, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.types import TypeDecorator

from forum.extensions import db

_AFTER_COMMIT = "forum_after_commit"
#: the largest id an integer primary key holds on every supported database (URL rules stop larger numbers at 404)
MAX_ID = 2**31 - 1


def whole_number(value: object, maximum: int = MAX_ID) -> int | None:
    """A whole number a client sent as text (ASCII digits, 1 to ``maximum``), or None for anything else: no
    sign, no other digits ("²", "٣"), nothing larger than the database can hold."""
    text = value.strip() if isinstance(value, str) else ""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if 0 < number <= maximum else None


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC on every database and read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Convert aware values to naive UTC; refuse naive ones, whose zone is unknown."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        """Attach UTC to the stored value."""
        return value.replace(tzinfo=UTC) if value is not None else None


def on_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the current transaction has been committed by :func:`commit`.

    Real-time events and mail delivery go through here, so nothing is announced for data that a rollback
    later takes back.
    """
    db.session.info.setdefault(_AFTER_COMMIT, []).append(callback)


def commit() -> None:
    """Commit the session (or roll it back on error), then run the work queued with :func:`on_commit`."""
    try:
        db.session.commit()
    except Exception:
        rollback()
        raise
    callbacks = db.session.info.pop(_AFTER_COMMIT, [])
    for callback in callbacks:
        try:
            callback()
        except Exception:  # a failed notification must not turn a saved change into an error page
            current_app.logger.exception("after-commit task failed")


def rollback() -> None:
    """Roll back the session and forget the work that waited for its commit."""
    db.session.rollback()
    db.session.info.pop(_AFTER_COMMIT, None)


def configure_sqlite(engine: Engine) -> None:
    """Turn on WAL, a busy timeout and foreign keys on every new SQLite connection."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def month_of(column: Any) -> ColumnElement[str]:
    """``YYYY-MM`` of a stored timestamp (naive UTC, see :class:`UTCDateTime`), on SQLite and PostgreSQL."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def listed_ids(column: Any) -> ColumnElement[str]:
    """An aggregate: every value of an integer ``column`` in the group, as often as it occurs, as one
    comma-separated text, on SQLite and PostgreSQL (read back with :func:`read_ids`). Much quicker to send than one
    row per value."""
    if db.engine.dialect.name == "postgresql":
        return func.string_agg(cast(column, Text), ",", type_=Text)
    return func.group_concat(column, type_=Text)


def read_ids(text: str | None) -> list[int]:
    """The ids of a :func:`listed_ids` aggregate."""
    return list(map(int, text.split(","))) if text else []


def upsert_into(table: Any, dialect: str) -> Any:
    """An INSERT on ``table`` that can say what to do on a conflict (``on_conflict_do_nothing``,
    ``on_conflict_do_update``), for the database ``dialect`` (``postgresql`` or ``sqlite``)."""
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
