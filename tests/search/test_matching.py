"""Search understands Spanish and English the same on both databases: accents and case do not matter, words
are stemmed in both languages, and the last word also matches as the beginning of a word."""

from __future__ import annotations

import pytest
from flask import current_app

from forum.search import query
from forum.search.finding import Filters, find


@pytest.fixture
def writer(make_user, make_platform):
    person = make_user()
    platform = make_platform(members=[person])
    return person, platform


def _titles(user, text, **filters):
    with current_app.test_request_context():
        return [result.described.title for result in find(user, query.read(text), Filters(**filters)).items]


@pytest.mark.parametrize(("typed", "written"), [
    ("informacion", "Acceso a la información pública"),
    ("MUJER", "Participación de la mujer indígena"),
    ("mujeres", "Participación de la mujer indígena"),
    ("policies", "A new policy for rural employment"),
    ("policy", "Employment policies in Oaxaca"),
    ("informaci", "Acceso a la información pública"),
    ("mujer particip", "Participación de la mujer indígena"),
    ("Política", "Politica de seguridad"),
])
def test_language_cases(app, writer, make_thread, typed, written):
    """Each way of writing finds the thread titled ``written`` (and only it)."""
    person, platform = writer
    make_thread(person, platform, title=written, body="Texto.")
    make_thread(person, platform, title="Otro tema sin relación", body="Nada que ver.")
    assert _titles(person, typed) == [written]


def test_every_word_must_match(app, writer, make_thread):
    """Two words find what has both, not what has either."""
    person, platform = writer
    make_thread(person, platform, title="Justicia para las mujeres", body="Texto.")
    make_thread(person, platform, title="Justicia cotidiana", body="Texto.")
    assert _titles(person, "mujeres justicia") == ["Justicia para las mujeres"]
