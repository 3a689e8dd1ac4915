"""Which content the indicators count for whom, and how much of them is shown: the scope every table is made
in."""

from __future__ import annotations

from dataclasses import dataclass

from forum.accounts.models import User
from forum.indicators import rules
from forum.indicators.filters import Filters
from forum.platforms import directory
from forum.platforms.models import Platform


@dataclass(frozen=True)
class Scope:
    """Whose view of the content is counted and how much is shown. ``viewer`` is None for the public level (a
    visitor's view, the same for everyone); ``platforms`` are those whose content counts, in navigation order."""

    level: str
    viewer: User | None
    platforms: tuple[Platform, ...]

    @property
    def full(self) -> bool:
        """The fuller page for administrators and officials."""
        return self.level == "full"

    def counted(self, filters: Filters) -> tuple[Platform, ...]:
        """The platforms counted under ``filters``: the chosen one, or all of the scope's."""
        return (filters.platform,) if filters.platform is not None else self.platforms


def scope(user: User | None, level: str) -> Scope:
    """The scope of ``level`` (``public`` or ``full``) for ``user``: the fuller level only for those who may see
    it (see ``rules.can_see_full``)."""
    viewer = rules.counted_for(user, level)
    level = "full" if viewer is not None else "public"
    return Scope(level=level, viewer=viewer, platforms=tuple(directory.readable_platforms(viewer)))


def public_scope() -> Scope:
    """A visitor's view: the public page's, the open data's, and that of every figure about people."""
    return scope(None, "public")
