"""The kinds of things search finds, registered by the domains that own them.

A domain registers one :class:`Kind` per type it makes findable (threads registers ``thread`` and ``post``,
consultations ``consultation`` and ``comment``, and so on). Search then indexes, filters and shows any of them
through this interface, without importing the domain; who may find what is asked of the domain's own rules
(``findable``) at every search.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select

from forum.accounts.models import User
from forum.platforms.models import Platform

#: how much of one text is indexed (a very long document is found by its first 100,000 characters)
MAX_TEXT = 100_000


@dataclass(frozen=True)
class Entry:
    """The searchable text of one item, as its domain reads it now (plain text, no markup)."""

    kind: str
    object_id: int
    dated_at: datetime
    title_es: str = ""
    title_en: str = ""
    body_es: str = ""
    body_en: str = ""

    def values(self) -> dict[str, Any]:
        """The columns of its :class:`forum.search.models.SearchEntry`."""
        texts = {name: (getattr(self, name) or "")[:MAX_TEXT]
                 for name in ("title_es", "title_en", "body_es", "body_en")}
        return {"kind": self.kind, "object_id": self.object_id, "dated_at": self.dated_at, **texts,
                "in_spanish": bool(texts["title_es"] or texts["body_es"]),
                "in_english": bool(texts["title_en"] or texts["body_en"])}


@dataclass(frozen=True)
class Described:
    """How one result is shown, in the reader's language: what it is called, where it is read, where it lives."""

    title: str
    #: the language of ``title``
    language: str
    url: str
    #: where it belongs ("Justicia", or the thread or consultation it is part of)
    context: str = ""
    when: datetime | None = None


@dataclass(frozen=True)
class Watch:
    """Writes to ``model`` that make entries stale: a new or deleted row, or a change to one of ``fields``;
    ``stale(row)`` names the entries, as (kind, id) pairs."""

    model: type
    fields: tuple[str, ...]
    stale: Callable[[Any], Iterable[tuple[str, int]]]


@dataclass(frozen=True)
class Kind:
    """One findable type, implemented by the domain that owns it."""

    name: str
    #: the plural shown in the filter ("Posts")
    label: Any
    #: the singular shown on each result ("Post")
    one: Any
    #: the entries of these ids as they are now; an id without entry (gone, deleted, empty) leaves the index
    entries: Callable[[Sequence[int]], list[Entry]]
    #: the ids of every item of the kind (what ``reindex`` starts from)
    every_id: Callable[[], Select]
    #: the ids of the items ``user`` may find, on ``platform`` only when one is given (the domain's rules)
    findable: Callable[[User | None, Platform | None], Select]
    #: how these ids are shown to the reader (ids missing from the answer are not shown)
    describe: Callable[[Sequence[int]], dict[int, Described]]
    watches: tuple[Watch, ...] = field(default=())


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    """Make a kind findable (each domain registers its kinds when imported)."""
    _KINDS[kind.name] = kind


def get(name: str) -> Kind | None:
    """The registered kind called ``name``, or None."""
    return _KINDS.get(name)


def every() -> list[Kind]:
    """Every registered kind, in the order of registration."""
    return list(_KINDS.values())
