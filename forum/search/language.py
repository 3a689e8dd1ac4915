"""Words as search sees them, the same for the index, the query and the highlighting: lower-case, without
accents ("Información" and "informacion" are one word), reduced to their stem in Spanish and in English."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

#: letters and digits; everything else separates words
WORD = re.compile(r"[^\W_]+")
_STEMMERS = {language: snowballstemmer.stemmer(name) for language, name in (("es", "spanish"), ("en", "english"))}


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """``word`` in lower case without accents or other marks ("Información" → "informacion", "ñ" → "n")."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order."""
    return [fold(match) for match in WORD.findall(text or "")]


@lru_cache(maxsize=65536)
def stem(word: str, language: str) -> str:
    """The Snowball stem of a folded ``word`` in ``language`` (``es`` or ``en``)."""
    return _STEMMERS[language].stemWord(word)


def stems(word: str) -> set[str]:
    """What a folded query ``word`` may stand for in a text: its Spanish and English stems, and the word itself
    (so "mujeres", whose stem is "mujer", finds the word "mujer", whose own stem is "muj")."""
    return {stem(word, "es"), stem(word, "en"), word}
