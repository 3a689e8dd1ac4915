"""What a person typed in the search box, read once: its words (at most :data:`MAX_WORDS`), every one of which
must be found, the last one also as the beginning of a word ("informaci" finds "información")."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from forum.core.errors import ActionRefused
from forum.search.language import WORD, fold, stems

MAX_LENGTH = 200
MAX_WORDS = 10


@dataclass(frozen=True)
class Terms:
    """The words of a query: as typed (lower case, accents kept, for PostgreSQL's own folding) and folded."""

    typed: tuple[str, ...]

    @property
    def folded(self) -> tuple[str, ...]:
        """The words without accents, in lower case."""
        return tuple(fold(word) for word in self.typed)

    @property
    def prefix(self) -> str:
        """The folded last word, also matched as the beginning of a word."""
        return self.folded[-1]

    def forms(self) -> list[set[str]]:
        """For each word, the forms that match it in the index: its stems and itself."""
        return [stems(word) for word in self.folded]

    def __bool__(self) -> bool:
        return bool(self.typed)


def read(text: str | None) -> Terms:
    """The terms of ``text``; empty terms for an empty query or one without letters or digits. A query longer
    than :data:`MAX_LENGTH` characters is refused; words beyond :data:`MAX_WORDS` are ignored."""
    text = text if isinstance(text, str) else ""
    if len(text) > MAX_LENGTH:
        raise ActionRefused(_("Search for at most %(count)d characters.", count=MAX_LENGTH), field="q")
    found = [word.lower() for word in WORD.findall(text)]
    return Terms(typed=tuple(dict.fromkeys(found))[:MAX_WORDS])
