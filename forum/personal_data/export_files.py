"""How a copy of a person's data is written: a ZIP holding one JSON file per part (the records as stored: codes,
times in UTC as ISO 8601), one readable page per part and an index linking them with the meaning of every key (in
the person's language and time zone, every text escaped), and the files they uploaded. It is built in a
temporary file and then saved to storage, so a half-written copy is never kept."""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from datetime import datetime
from typing import Any

from flask import current_app, render_template
from flask_babel import gettext as _

from forum.accounts.models import User
from forum.core.db import utcnow
from forum.core.storage import Saved, storage
from forum.moderation.sanctions import moment
from forum.personal_data.export_contents import Gathered, Part, Section

#: keys whose value is an address: the readable pages link them (``file``: a file inside the copy)
LINKED = frozenset({"link", "file"})


def _json_value(value: Any) -> Any:
    """What ``json`` cannot write by itself: times, as ISO 8601 in UTC."""
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def as_json(records: dict[str, list[dict]]) -> str:
    """One part's records as its JSON file: an object with one list of records per section."""
    return json.dumps(records, ensure_ascii=False, indent=2, default=_json_value)


def readable(value: Any, vocabulary: Any, person: User) -> Any:
    """A value as the readable pages show it: a code by its label, a time in ``person``'s time zone and language,
    yes or no, a mapping (answers, details) as a list of pairs, and several values one after the other."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return moment(value, person)
    if isinstance(value, dict):
        return [(str(key), readable(item, None, person)) for key, item in value.items()]
    if isinstance(value, list | tuple):  # several answers to one question
        return "; ".join(str(readable(item, vocabulary, person)) for item in value)
    if vocabulary is not None:
        return str(vocabulary.get(value, value))
    return str(value)


def _rows(section: Section, record: dict, person: User) -> list[tuple[str, str, Any, str | None]]:
    """One record as (meaning of the key, key, value shown, address to link or None)."""
    rows = []
    for key, value in record.items():
        documented = section.keys.get(key)
        meaning = str(documented.meaning) if documented else key
        shown = readable(value, documented.vocabulary if documented else None, person)
        rows.append((meaning[:1].upper() + meaning[1:], key, shown, value if key in LINKED and value else None))
    return rows


def _page(part: Part, records: dict[str, list[dict]], person: User) -> str:
    sections = [(section, [_rows(section, record, person) for record in records.get(section.name, [])])
                for section in part.sections]
    return render_template("personal_data/export_part.html", part=part, sections=sections, person=person)


def _add_file(archive: zipfile.ZipFile, path: str, key: str) -> None:
    """Copy a stored file into the copy; one lost from storage is left out (and logged), not a failed copy."""
    try:
        source = storage().open(key)
    except (OSError, ValueError):
        current_app.logger.warning("file %s of a copy of personal data is missing from storage", key)
        return
    with source, archive.open(path, "w", force_zip64=True) as target:
        shutil.copyfileobj(source, target)


def write(gathered: Gathered) -> Saved:
    """Write ``gathered`` as a ZIP into storage (call in the person's language); returns where it is kept."""
    person = gathered.person
    counts = {part.name: {name: len(items) for name, items in records.items()} for part, records in gathered.parts}
    with tempfile.TemporaryFile() as scratch:
        with zipfile.ZipFile(scratch, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("index.html", render_template(
                "personal_data/export_index.html", person=person, parts=[part for part, _records in gathered.parts],
                counts=counts, generated=moment(utcnow(), person)))
            for part, records in gathered.parts:
                archive.writestr(f"{part.name}.json", as_json(records))
                archive.writestr(f"{part.name}.html", _page(part, records, person))
            for path, key in gathered.files:
                _add_file(archive, path, key)
        scratch.seek(0)
        return storage().save(scratch)
