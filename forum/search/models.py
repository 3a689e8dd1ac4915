"""The search index: one entry per findable item, with its words in both languages.

The entry keeps the plain text it was made from (for highlighted snippets); each database adds its own
full-text structure beside it (see :mod:`forum.search.backends`): an FTS5 table on SQLite, a ``tsvector`` column
on PostgreSQL. Whether a person may *find* an entry is never stored here: it is asked of the owning domain's
rules at every search, so a hidden post or a draft consultation leaves the results the moment it changes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.core.db import UTCDateTime, utcnow
from forum.extensions import db


class SearchEntry(db.Model):
    """The searchable text of one thread, post, consultation, comment, event or document."""

    __tablename__ = "search_entries"
    __table_args__ = (UniqueConstraint("kind", "object_id"), Index("ix_search_entries_dated_at", "dated_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the name of a registered :class:`forum.search.kinds.Kind` (``thread``, ``post``, ``comment``…)
    kind: Mapped[str] = mapped_column(String(20))
    #: the id of the item in its own table
    object_id: Mapped[int] = mapped_column(Integer)
    #: the item can be read in Spanish / in English (its original or a translation)
    in_spanish: Mapped[bool] = mapped_column(Boolean, default=False)
    in_english: Mapped[bool] = mapped_column(Boolean, default=False)
    #: plain text, as indexed (titles weigh more than bodies in the ranking)
    title_es: Mapped[str] = mapped_column(Text, default="")
    title_en: Mapped[str] = mapped_column(Text, default="")
    body_es: Mapped[str] = mapped_column(Text, default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    #: the date a reader filters and breaks ties by: when a post was written, when an event starts…
    dated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    indexed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
