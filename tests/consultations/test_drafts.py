"""The draft's text: sections and numbered paragraphs aligned across Spanish and English, kept across versions,
and compared paragraph by paragraph."""

from __future__ import annotations

import pytest

from forum.consultations import drafts
from forum.core.errors import ActionRefused

ES = """Preámbulo del protocolo.

## 1. Objetivo

El protocolo garantiza intérpretes.

Aplica en las fiscalías de Oaxaca.

## 2. Alcance

- Fiscalías
- Defensorías
"""
EN = """Preamble of the protocol.

## 1. Aim

The protocol guarantees interpreters.

It applies in Oaxaca's prosecutors' offices.

## 2. Scope

- Prosecutors' offices
- Public defenders
"""


def test_paragraphs_are_numbered_and_paired_across_languages(app):
    paragraphs = drafts.align(ES, EN)
    assert [(p.key, p.section) for p in paragraphs] == [(1, 0), (2, 1), (3, 1), (4, 2)]
    third = paragraphs[2]
    assert third.text_es == "Aplica en las fiscalías de Oaxaca." and third.text_en.startswith("It applies")
    assert (third.heading_es, third.heading_en) == ("1. Objetivo", "1. Aim")
    assert paragraphs[3].text_es == "- Fiscalías\n- Defensorías"


def test_a_new_version_keeps_numbers_adds_after_the_highest_and_drops_what_is_left_out(app):
    first = drafts.align(ES, EN)
    text = drafts.source(first, "es")
    assert "[§3] Aplica en las fiscalías de Oaxaca." in text and "## 1. Objetivo" in text
    revised = text.replace("[§2] El protocolo garantiza intérpretes.\n\n", "") \
        .replace("[§3] Aplica en las fiscalías de Oaxaca.", "[§3] Aplica en todas las fiscalías de Oaxaca.\n\n"
                 "Y en los juzgados.")
    second = drafts.align(revised, "", known={p.key for p in first})
    assert [p.key for p in second] == [1, 3, 5, 4]
    changes = {c.key: c for c in drafts.compare(first, second, "es")}
    assert changes[2].kind == "removed" and changes[5].kind == "added" and changes[1].kind == "same"
    assert changes[3].kind == "changed" and "<ins>todas</ins>" in changes[3].html


@pytest.mark.parametrize(("es", "en", "words"), [
    ("Uno.\n\nDos.", "One.", "paragraphs in Spanish"),
    ("## A\n\nUno.", "One.", "sections"),
    ("[§9] Uno.", "", "is not a paragraph of this draft"),
    ("[§1] Uno.\n\n[§1] Dos.", "", "appears twice"),
    ("[§1] Uno.\n\n[§2] Dos.", "[§2] One.\n\n[§1] Two.", "same number in both"),
    ("", "", "at least one paragraph"),
    ("[§1]", "", "has no text"),
])
def test_drafts_that_cannot_be_aligned_are_refused_with_the_reason(app, es, en, words):
    with app.test_request_context(headers={"Accept-Language": "en"}), pytest.raises(ActionRefused) as refused:
        drafts.align(es, en, known={1, 2})
    assert words in refused.value.message


def test_differences_are_escaped(app):
    old = drafts.align("Texto <b>viejo</b>.", "")
    new = drafts.align("[§1] Texto <script>nuevo</script>.", "", known={1})
    [change] = drafts.compare(old, new, "es")
    assert "<script>" not in change.html and "&lt;script&gt;nuevo&lt;/script&gt;." in change.html


def test_a_document_text_becomes_paragraphs():
    assert drafts.from_plain_text("Uno\nsigue.\n\n\n  Dos  \n\n") == "Uno sigue.\n\nDos"
