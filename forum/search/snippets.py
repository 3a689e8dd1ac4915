"""Highlighted snippets: the part of a text where the query's words are, escaped, with each match in
``<mark>``. Made here from the entry's stored text, for both databases alike, and only for entries the reader
may find (so a snippet never shows more than the page it links to)."""

from __future__ import annotations

from markupsafe import Markup, escape

from forum.search.language import WORD, fold, stem
from forum.search.query import Terms

#: words shown around the matches
WINDOW = 30


def _matcher(terms: Terms):
    forms = set().union(*terms.forms())
    prefix = terms.prefix

    def matches(word: str) -> bool:
        folded = fold(word)
        return (folded in forms or stem(folded, "es") in forms or stem(folded, "en") in forms
                or folded.startswith(prefix))
    return matches


def hits(text: str, terms: Terms) -> list[tuple[int, int]]:
    """The (start, end) of every word of ``text`` that matches ``terms``."""
    if not terms:
        return []
    matches = _matcher(terms)
    return [found.span() for found in WORD.finditer(text) if matches(found.group())]


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> Markup:
    parts, at = [], start
    for first, last in spans:
        if first < start or last > end:
            continue
        parts.append(escape(text[at:first]))
        parts.append(Markup("<mark>%s</mark>") % text[first:last])
        at = last
    parts.append(escape(text[at:end]))
    return Markup("").join(parts)


def highlight(text: str, terms: Terms) -> Markup:
    """All of ``text`` (a title), escaped, with its matches marked."""
    return _marked(text, hits(text, terms), 0, len(text))


def snippet(text: str, terms: Terms) -> Markup:
    """About :data:`WINDOW` words of ``text`` around its densest run of matches (its beginning when nothing
    matches), escaped and marked, with "…" where it was cut."""
    words = [found.span() for found in WORD.finditer(text)]
    if not words:
        return Markup("")
    spans = hits(text, terms)
    matched = {span for span in spans}
    flags = [span in matched for span in words]
    best, best_count, count = 0, -1, 0
    for position in range(len(words)):
        count += flags[position]
        if position >= WINDOW:
            count -= flags[position - WINDOW]
        if count > best_count:
            best_count, best = count, max(0, position - WINDOW + 1)
    if best_count and flags[best:best + WINDOW].index(True) > WINDOW // 3:  # keep some words before the first match
        best += flags[best:best + WINDOW].index(True) - WINDOW // 3
    first = best
    last = min(len(words), first + WINDOW) - 1
    start = 0 if first == 0 else words[first][0]
    end = len(text) if last == len(words) - 1 else words[last][1]
    body = _marked(text, spans, start, end)
    return Markup("{}{}{}").format("…" if start else "", body, "…" if end < len(text) else "")
