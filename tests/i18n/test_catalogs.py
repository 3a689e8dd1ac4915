"""Both catalogs are complete: nothing empty or fuzzy, and every string marked in the code is in them."""

from __future__ import annotations

import re

import pytest

from forum.i18n import catalogs


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The strings marked for translation in the code and templates today."""
    return catalogs.extract(tmp_path_factory.mktemp("pot") / "messages.pot")


@pytest.mark.parametrize("locale", ["es", "en"])
def test_no_entry_is_empty_or_fuzzy(locale):
    """Every entry of the catalog has a real translation."""
    assert catalogs.missing_translations(catalogs.read(locale)) == []


@pytest.mark.parametrize("locale", ["es", "en"])
def test_every_marked_string_is_in_the_catalog(extracted, locale):
    """A string marked in code but missing from a catalog fails the suite (run ``make translations``)."""
    catalog = catalogs.read(locale)
    missing = [m.id for m in extracted if m.id and m.id not in catalog]
    assert missing == []


@pytest.mark.parametrize("locale", ["es", "en"])
def test_placeholders_survive_translation(locale):
    """%(name)s-style placeholders are the same in every translation."""
    pattern = re.compile(r"%\(\w+\)[sd]")
    for message in catalogs.read(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(pattern.findall(" ".join(ids)))
        for string in strings:
            assert set(pattern.findall(string)) == wanted, message.id


def test_spanish_is_really_spanish():
    """A sample of key interface strings differs from the English source."""
    catalog = catalogs.read("es")
    for source in ("Sign in", "Register", "Organisations", "Settings", "Page not found"):
        assert catalog[source].string and catalog[source].string != source
