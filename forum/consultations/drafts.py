"""The text of a policy draft: Markdown in Spanish and English, split into sections (``#`` headings) and
paragraphs (blocks between blank lines), with every paragraph aligned across the two languages under one stable
number.

In the editor each paragraph starts with its marker, ``[§3] El presente protocolo…``: the marker is how a
paragraph keeps its number from one version to the next (and so keeps its comments). A paragraph written without
a marker is new and gets the next free number; a marker left out of a new version removes that paragraph. The
Spanish and English texts must have the same sections and, in each, the same number of paragraphs: the n-th
paragraph of a section in one language is the n-th in the other. Either language may be left empty.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

from flask_babel import gettext as _

from forum.core.errors import ActionRefused

MARKER = re.compile(r"^\[§\s*([0-9]{1,6})\]\s*")
HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$")
LANGUAGES = ("es", "en")
#: limits of one version's text, per language
MAX_LENGTH = 200_000
MAX_PARAGRAPHS = 1_000


@dataclass
class Block:
    """A paragraph as written in one language: its marker (None: new), section and text."""

    key: int | None
    section: int
    heading: str
    text: str


@dataclass
class Paragraph:
    """A paragraph of a version in both languages, under its stable number (None until numbered)."""

    key: int | None
    section: int
    heading_es: str
    heading_en: str
    text_es: str
    text_en: str

    def text(self, language: str) -> str:
        """The paragraph's text in ``language``."""
        return self.text_es if language == "es" else self.text_en


def _refused(message: str, field: str = "text_es") -> ActionRefused:
    return ActionRefused(message, field=field)


def split(source: str, language: str) -> list[Block]:
    """Split one language's Markdown into paragraphs under their sections. Text before the first heading is in
    section 0 (a preamble)."""
    field = f"text_{language}"
    if len(source) > MAX_LENGTH:
        raise _refused(_("The draft can have at most %(max)d characters in each language.", max=MAX_LENGTH), field)
    blocks: list[Block] = []
    section, heading, lines = 0, "", []

    def close() -> None:
        text = "\n".join(lines).strip()
        lines.clear()
        if not text:
            return
        found = MARKER.match(text)
        key = int(found.group(1)) if found else None
        body = text[found.end():].strip() if found else text
        if not body:
            raise _refused(_("Paragraph [§%(key)s] has no text.", key=key), field)
        blocks.append(Block(key=key, section=section, heading=heading, text=body))

    for line in source.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        title = HEADING.match(line)
        if title:
            close()
            section, heading = section + 1, title.group(2).strip()
        elif not line.strip():
            close()
        else:
            lines.append(line.rstrip())
    close()
    if len(blocks) > MAX_PARAGRAPHS:
        raise _refused(_("The draft can have at most %(max)d paragraphs.", max=MAX_PARAGRAPHS), field)
    return blocks


def _sections(blocks: list[Block]) -> dict[int, list[Block]]:
    grouped: dict[int, list[Block]] = {}
    for block in blocks:
        grouped.setdefault(block.section, []).append(block)
    return grouped


def _headings(source: str) -> list[str]:
    return [m.group(2).strip() for line in source.replace("\r", "\n").split("\n") if (m := HEADING.match(line))]


def align(text_es: str, text_en: str, known: set[int] | frozenset[int] = frozenset()) -> list[Paragraph]:
    """Pair the Spanish and English paragraphs of a version and number them: markers must be numbers of
    ``known`` (the paragraphs of the draft so far), appear once, and agree between the languages; paragraphs
    without one are new and are numbered after the highest number the draft has used."""
    es, en = split(text_es or "", "es"), split(text_en or "", "en")
    if not es and not en:
        raise _refused(_("Write the draft: at least one paragraph, in Spanish, in English or in both."))
    if es and en:
        headings_es, headings_en = _headings(text_es), _headings(text_en)
        if len(headings_es) != len(headings_en):
            raise _refused(_("The Spanish text has %(es)d sections and the English text %(en)d: give both the same "
                             "sections.", es=len(headings_es), en=len(headings_en)), "text_en")
        by_section_es, by_section_en = _sections(es), _sections(en)
        for section in sorted(set(by_section_es) | set(by_section_en)):
            count_es, count_en = len(by_section_es.get(section, [])), len(by_section_en.get(section, []))
            if count_es != count_en:
                raise _refused(_("Section %(section)d has %(es)d paragraphs in Spanish and %(en)d in English: each "
                                 "paragraph needs its counterpart.", section=section, es=count_es, en=count_en),
                               "text_en")
        pairs = list(zip(es, en, strict=True))
    else:
        pairs = [(b, None) for b in es] if es else [(None, b) for b in en]
    paragraphs = []
    for one, other in pairs:
        first = one or other
        if one is not None and other is not None and None not in (one.key, other.key) and one.key != other.key:
            raise _refused(_("Paragraph [§%(es)d] in Spanish stands where [§%(en)d] stands in English: the same "
                             "paragraph must carry the same number in both.", es=one.key, en=other.key), "text_en")
        key = next((b.key for b in (one, other) if b is not None and b.key is not None), None)
        paragraphs.append(Paragraph(
            key=key, section=first.section,
            heading_es=one.heading if one else "", heading_en=other.heading if other else "",
            text_es=one.text if one else "", text_en=other.text if other else ""))
    _number(paragraphs, known)
    return paragraphs


def _number(paragraphs: list[Paragraph], known: set[int] | frozenset[int]) -> None:
    seen: set[int] = set()
    for paragraph in paragraphs:
        if paragraph.key is None:
            continue
        if paragraph.key not in known:
            raise _refused(_("[§%(key)d] is not a paragraph of this draft. To add a paragraph, write it without a "
                             "number.", key=paragraph.key))
        if paragraph.key in seen:
            raise _refused(_("[§%(key)d] appears twice. Each paragraph keeps its own number.", key=paragraph.key))
        seen.add(paragraph.key)
    following = max(known, default=0)
    for paragraph in paragraphs:
        if paragraph.key is None:
            following += 1
            paragraph.key = following


def source(paragraphs: list[Paragraph], language: str) -> str:
    """One language's text as the editor shows it, every paragraph with its marker (for the next version)."""
    parts: list[str] = []
    section = 0
    for paragraph in paragraphs:
        if paragraph.section != section:
            section = paragraph.section
            heading = paragraph.heading_es if language == "es" else paragraph.heading_en
            if heading:
                parts.append(f"## {heading}")
        text = paragraph.text(language)
        if text:
            parts.append(f"[§{paragraph.key}] {text}")
    return "\n\n".join(parts) + ("\n" if parts else "")


def from_plain_text(text: str) -> str:
    """A draft to start from, made of the text of an uploaded document: its blocks between blank lines become
    paragraphs (the official then adds headings and checks the split in the editor)."""
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", (text or "").replace("\r", "\n"))]
    return "\n\n".join(b for b in blocks if b)[:MAX_LENGTH]


# --- comparing versions ---------------------------------------------------------------------------------------


@dataclass
class Change:
    """How one paragraph changed between two versions: ``added``, ``removed``, ``changed`` or ``same``;
    ``html`` marks the words taken out (``<del>``) and put in (``<ins>``), everything else escaped."""

    key: int
    kind: str
    html: str


def word_diff(old: str, new: str) -> str:
    """The words of ``new`` against ``old``, as escaped HTML with ``<del>``/``<ins>``."""
    before, after = old.split(), new.split()
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(html.escape(" ".join(before[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{html.escape(' '.join(before[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{html.escape(' '.join(after[j1:j2]))}</ins>")
    return " ".join(out)


def compare(old: list[Paragraph], new: list[Paragraph], language: str) -> list[Change]:
    """Paragraph by paragraph, in the new version's order (removed paragraphs where they stood)."""
    old_by_key = {p.key: p for p in old}
    new_keys = {p.key for p in new}
    changes: list[Change] = []
    removed = [p for p in old if p.key not in new_keys]
    for paragraph in new:
        while removed and removed[0].key < paragraph.key and removed[0].key not in new_keys:
            gone = removed.pop(0)
            changes.append(Change(gone.key, "removed", f"<del>{html.escape(gone.text(language))}</del>"))
        before = old_by_key.get(paragraph.key)
        if before is None:
            changes.append(Change(paragraph.key, "added", f"<ins>{html.escape(paragraph.text(language))}</ins>"))
        elif before.text(language) == paragraph.text(language):
            changes.append(Change(paragraph.key, "same", html.escape(paragraph.text(language))))
        else:
            changes.append(Change(paragraph.key, "changed", word_diff(before.text(language), paragraph.text(language))))
    changes += [Change(p.key, "removed", f"<del>{html.escape(p.text(language))}</del>") for p in removed]
    return changes
