"""The things moderators act on, whatever domain they belong to.

Each domain that has moderated content registers a :class:`TargetKind` for each of its types (threads registers
``post`` and ``thread``; consultations, documents and events will register theirs). Moderation then flags, queues,
hides, restores… any of them through this interface, without importing the domain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from forum.accounts.models import User
from forum.core.db import MAX_ID
from forum.platforms.models import Platform


@dataclass
class Described:
    """What moderation needs to know about one item."""

    type: str
    id: int
    #: the platform it belongs to (None for items outside platforms)
    platform: Platform | None
    #: the language of its text (``es``/``en``)
    language: str | None
    author: User | None
    #: a short title for lists ("Post in: <thread title>")
    title: str
    #: its Markdown source, for moderators (never shown on public pages)
    text: str
    #: the page where it is read
    url: str
    #: ``visible``, ``held``, ``hidden``, ``rejected`` or ``deleted``
    status: str


class TargetKind(Protocol):
    """How moderation reaches one type of item. Implemented by the domain that owns the type."""

    #: the decisions that make sense for this type (keys of ``choices.DECISIONS``)
    decisions: tuple[str, ...]

    def load(self, target_id: int) -> Any | None:
        """The item, or None when there is no such item."""

    def describe(self, item: Any) -> Described:
        """What moderation shows and records about the item."""

    def can_see(self, user: User | None, item: Any) -> bool:
        """Whether ``user`` may know the item exists (flagging and 404s follow this)."""

    def apply(self, moderator: User | None, item: Any, decision: str, *, reason: str | None,
              **params: Any) -> tuple[str | None, str | None]:
        """Carry out ``decision`` (``moderator`` None: the system, e.g. hiding after enough flags); returns the
        text before and after for edits, else (None, None). Raises ``ActionRefused`` for bad parameters."""


_KINDS: dict[str, TargetKind] = {}


def register(type_name: str, kind: TargetKind) -> None:
    """Make ``type_name`` (``post``, ``thread``…) moderatable through ``kind``."""
    _KINDS[type_name] = kind


def kind(type_name: str) -> TargetKind | None:
    """The registered kind of ``type_name``, or None."""
    return _KINDS.get(type_name)


def types() -> tuple[str, ...]:
    """Every registered target type."""
    return tuple(_KINDS)


def load(type_name: str, target_id: Any) -> tuple[TargetKind, Any] | None:
    """(kind, item) for a type name and id as sent by a client; None when either is unknown or malformed."""
    found = _KINDS.get(type_name) if isinstance(type_name, str) else None
    if found is None or isinstance(target_id, bool):
        return None
    try:
        number = int(target_id)
    except (TypeError, ValueError):
        return None
    if not 0 < number <= MAX_ID:
        return None
    item = found.load(number)
    return (found, item) if item is not None else None
