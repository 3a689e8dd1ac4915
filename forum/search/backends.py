"""The two full-text engines behind one interface: SQLite FTS5 (the embedded default) and PostgreSQL's text
search (``tsvector`` with the Spanish and English configurations and ``unaccent``).

Both index the same entries the same way: titles and bodies as their Spanish and their English stems (people
quote and mislabel languages; a word is found whichever language its post was marked), plus every word as
written (folded), and both answer the same :class:`~forum.search.query.Terms`: every word must match one of its
stems or itself, the last one also as the beginning of a word. :func:`matching` gives (entry id, rank) for a
query, higher ranks first; the rest of searching is ordinary SQL shared by both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import (
    CTE,
    Connection,
    FromClause,
    Subquery,
    bindparam,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.sql.expression import ColumnElement

from forum.search.language import stem, words
from forum.search.models import SearchEntry
from forum.search.query import Terms

#: what the SQLite schema adds beside ``search_entries`` (the FTS5 table and its shadow tables)
SQLITE_TABLE = "search_index"
#: what the PostgreSQL schema adds to ``search_entries``
POSTGRESQL_COLUMN = "document"
_TEXTS = ("title_es", "title_en", "body_es", "body_en")
_CONFIGURATIONS = {name: literal_column(f"'{name}'::regconfig") for name in ("spanish", "english", "simple")}


class Engine(Protocol):
    """What each database does for search."""

    def write(self, connection: Connection, entry_ids: Sequence[int]) -> None:
        """(Re)build the full-text data of these entries from their stored text."""

    def clear(self, connection: Connection) -> None:
        """Drop every entry's full-text data (before the entries themselves, when rebuilding)."""

    def matching(self, terms: Terms) -> FromClause:
        """The entries that match ``terms``: columns ``entry_id`` and ``rank`` (higher is better)."""


def _stemmed(*texts: str) -> str:
    found = words(" ".join(texts))
    return " ".join([stem(word, "es") for word in found] + [stem(word, "en") for word in found])


class SQLiteEngine:
    """FTS5 over stems computed here (SQLite has no Spanish stemmer): columns ``title`` and ``body`` hold the
    Spanish and English stems of the texts, ``words`` every folded word."""

    index = table(SQLITE_TABLE, column("rowid"), column("title"), column("body"), column("words"))

    def write(self, connection: Connection, entry_ids: Sequence[int]) -> None:
        """Re-stem the entries' text into the FTS5 table."""
        if not entry_ids:
            return
        rows = connection.execute(select(SearchEntry.id, *(getattr(SearchEntry, name) for name in _TEXTS))
                                  .where(SearchEntry.id.in_(entry_ids))).all()
        connection.execute(self.index.delete().where(self.index.c.rowid.in_(entry_ids)))
        if rows:
            connection.execute(self.index.insert(), [{
                "rowid": row.id,
                "title": _stemmed(row.title_es, row.title_en),
                "body": _stemmed(row.body_es, row.body_en),
                "words": " ".join(words(" ".join((row.title_es, row.title_en, row.body_es, row.body_en)))),
            } for row in rows])

    def clear(self, connection: Connection) -> None:
        """Empty the FTS5 table (a trigger also deletes the row of each entry deleted)."""
        connection.execute(self.index.delete())

    @staticmethod
    def expression(terms: Terms) -> str:
        """The FTS5 query: each word as any of its forms, the last one also as a prefix; all words required."""
        groups = []
        for position, forms in enumerate(terms.forms()):
            options = [f'"{form}"' for form in sorted(forms)]
            if position == len(terms.typed) - 1:
                options.append(f'"{terms.prefix}" *')
            groups.append("(" + " OR ".join(options) + ")")
        return " AND ".join(groups)

    def matching(self, terms: Terms) -> CTE:
        """FTS5 ``MATCH`` ranked by BM25, titles weighing five times a body; computed first and once (a
        materialised CTE: left to itself, SQLite's planner may start from the permission side and run the match
        once per entry, 3.5 s instead of 0.17 s at 100,000 posts with a kind and a platform chosen)."""
        whole = literal_column(SQLITE_TABLE)  # MATCH and bm25 name the table itself
        return (select(self.index.c.rowid.label("entry_id"), (-func.bm25(whole, 5.0, 1.0, 0.5)).label("rank"))
                .where(whole.op("MATCH")(bindparam("search_terms", self.expression(terms))))
                .cte("matches").prefix_with("MATERIALIZED"))


class PostgreSQLEngine:
    """A weighted ``tsvector`` per entry: titles (A) and bodies (B) through the Spanish and the English
    configurations, and every word through ``simple`` (D), all after ``unaccent``."""

    document = literal_column(f"search_entries.{POSTGRESQL_COLUMN}")

    def write(self, connection: Connection, entry_ids: Sequence[int]) -> None:
        """Recompute the entries' ``tsvector`` from their stored text."""
        if entry_ids:
            connection.execute(text("""
                UPDATE search_entries SET document =
                    setweight(to_tsvector('spanish', unaccent(concat_ws(' ', title_es, title_en))), 'A')
                 || setweight(to_tsvector('english', unaccent(concat_ws(' ', title_es, title_en))), 'A')
                 || setweight(to_tsvector('spanish', unaccent(concat_ws(' ', body_es, body_en))), 'B')
                 || setweight(to_tsvector('english', unaccent(concat_ws(' ', body_es, body_en))), 'B')
                 || setweight(to_tsvector('simple', unaccent(concat_ws(' ', title_es, title_en, body_es, body_en))),
                              'D')
                WHERE id = ANY(:ids)"""), {"ids": list(entry_ids)})

    def clear(self, connection: Connection) -> None:
        """Nothing to do: each vector goes with its row."""

    @staticmethod
    def query(terms: Terms) -> ColumnElement:
        """The ``tsquery``: each word through the three configurations, the last one also as a prefix."""
        combined = None
        for position, word in enumerate(terms.typed):
            # unaccent turns a few letters into punctuation ("ʼ" into "'"), which to_tsquery would read as syntax
            folded = func.regexp_replace(func.unaccent(literal(word)), "[^[:alnum:]]+", "", "g")
            options = [func.to_tsquery(_CONFIGURATIONS[name], folded) for name in ("spanish", "english", "simple")]
            if position == len(terms.typed) - 1:  # (nothing left of the word: no prefix, which would be ":*")
                prefix = func.to_tsquery(_CONFIGURATIONS["simple"], func.nullif(folded, "").concat(":*"))
                options.append(func.coalesce(prefix, literal_column("''::tsquery")))
            either = options[0]
            for option in options[1:]:
                either = either.op("||")(option)
            combined = either if combined is None else combined.op("&&")(either)
        return combined

    def matching(self, terms: Terms) -> Subquery:
        """``@@`` ranked by ``ts_rank`` (normalised by length), titles first; a plain subquery, which PostgreSQL's
        planner joins well (materialised, the ranking of every match ran three times a search: 1.4 s instead of
        0.2 s at 100,000 posts)."""
        query = self.query(terms)
        return (select(SearchEntry.id.label("entry_id"), func.ts_rank(self.document, query, 1).label("rank"))
                .where(self.document.op("@@")(query))
                .subquery("matches"))


def engine_for(dialect_name: str) -> Engine:
    """The engine of a database dialect (``sqlite`` or ``postgresql``)."""
    return PostgreSQLEngine() if dialect_name == "postgresql" else SQLiteEngine()


def described_by_the_models(item: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic's ``include_object``: leave out of schema comparisons what the engines add beside the models
    (the FTS5 table and its shadow tables, the ``tsvector`` column and its index)."""
    if type_ == "table" and name and name.startswith(SQLITE_TABLE):
        return False
    if type_ == "column" and name == POSTGRESQL_COLUMN and getattr(item, "table", None) is not None:
        return item.table.name != "search_entries"
    return not (type_ == "index" and name == "ix_search_entries_document")
