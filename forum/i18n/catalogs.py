"""The message catalogs: extraction from the code and templates, and their completeness.

Used by ``flask --app forum translations update`` and by the test that keeps both catalogs complete.
"""

from __future__ import annotations

import subprocess  # noqa: S404  (runs pybabel from this virtual environment)
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
KEYWORDS = ["_l", "lazy_gettext", "ngettext:1,2", "lazy_ngettext:1,2"]


def catalog_path(locale: str) -> Path:
    """Where the ``.po`` file of ``locale`` lives."""
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def extract(output: Path = POT) -> Catalog:
    """Run pybabel extract over ``forum/`` and ``templates/`` and return the template catalog."""
    pybabel = Path(sys.executable).with_name("pybabel")
    command = [str(pybabel), "-q", "extract", "-F", str(TRANSLATIONS / "babel.cfg"), "--no-location",
               "--sort-output", "--project", "social-cohesion-forum", "-o", str(output)]
    command += [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    subprocess.run([*command, "."], check=True, cwd=ROOT)  # noqa: S603
    with output.open("rb") as handle:
        return read_po(handle)


def read(locale: str) -> Catalog:
    """Read the ``.po`` catalog of ``locale``."""
    with catalog_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale)


def missing_translations(catalog: Catalog) -> list[str]:
    """The message ids of ``catalog`` that have no translation, or only a fuzzy one."""
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy or not all(s and s.strip() for s in strings):
            problems.append(message.id if isinstance(message.id, str) else message.id[0])
    return problems


def update() -> int:
    """Extract, merge into both catalogs, fill English from the source strings; return Spanish gaps."""
    template = extract()
    for locale in ("es", "en"):
        path = catalog_path(locale)
        catalog = read(locale) if path.exists() else Catalog(locale=locale)
        catalog.update(template, no_fuzzy_matching=True)
        if locale == "en":
            for message in catalog:
                if message.id and isinstance(message.id, tuple | list):
                    message.string = tuple(message.id)
                elif message.id:
                    message.string = message.id
                message.flags.discard("fuzzy")
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, omit_header=False, sort_output=True, ignore_obsolete=True,
                     include_previous=False, width=110)
    return len(missing_translations(read("es")))
