"""The schema: migrations match the models, and SQLite runs with WAL, a busy timeout and foreign keys."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from forum.extensions import db
from forum.search.backends import described_by_the_models


def test_migrations_match_the_models(app):
    """The database built by the migrations has exactly the tables and columns the models describe (and the
    full-text structures each engine adds beside them)."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                               "include_object": described_by_the_models})
        assert compare_metadata(context, db.metadata) == []


def test_sqlite_pragmas(app):
    """Embedded SQLite is in WAL mode with a busy timeout and enforced foreign keys."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
