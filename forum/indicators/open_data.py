"""The open data: the catalogue of datasets (every public indicators table, the participation tables together,
the answered consultations' reports), their licence and the data dictionary in Spanish and English. Open data is
always the public level: what a visitor may read, counted the same for everyone, groups under five withheld."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from forum.consultations.models import Consultation
from forum.consultations.rules import visible_consultations
from forum.core.figures import SMALLEST_GROUP
from forum.extensions import db
from forum.i18n import LOCALES
from forum.indicators import dashboard, periods
from forum.indicators.choices import SECTIONS
from forum.indicators.filters import Filters
from forum.indicators.scope import public_scope
from forum.indicators.tables import RECORD_FIELDS, UNITS, Column, Table

T = TypeVar("T")

#: the licence of every dataset (names and attribution are the same in both languages)
LICENCE = {
    "id": "CC-BY-4.0",
    "name": "Creative Commons Attribution 4.0 International",
    "short_name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "Foro de Cohesión Social / Social Cohesion Forum",
}

#: what each field of a record (one figure of a table) holds, in the order of ``RECORD_FIELDS``
FIELDS = {
    "table": _l("The table the figure belongs to, by its stable key (for example participants-by-sector)."),
    "row": _l("The row's stable key: a group (a sector, a state, a platform…), \"withheld\" for the people of "
              "groups not shown, or \"total\"."),
    "row_label": _l("The row's name in the language of the download."),
    "column": _l("The column's stable key: a month as YYYY-MM, or a measure such as registrations."),
    "column_label": _l("The column's heading in the language of the download."),
    "value": _l("The figure, in the table's unit; empty unless the status is \"shown\"."),
    "status": _l("What the value means: shown, withheld, pending or none."),
}

#: what each status of a figure means (the keys of ``tables.status``)
STATUSES = {
    "shown": _l("The figure is given."),
    "withheld": _l("Withheld: it would count fewer than 5 people, or let such a group be worked out from the "
                   "other figures. Shown as \"fewer than 5\"; the value is never given."),
    "pending": _l("Not given yet: self-declared figures of a month that is not over, or of an event whose "
                  "check-in is still open."),
    "none": _l("Nothing to count."),
}

#: what the numbers of a table are (the keys of ``tables.UNITS``)
UNIT_NAMES = {
    "people": _l("People (each person counted once per cell)"),
    "count": _l("A count of items (comments, posts, flags, registrations…)"),
    "percent": _l("A share, in per cent"),
    "days": _l("Days"),
    "hours": _l("Hours"),
}

#: the month columns of a table, described once in the dictionary
MONTH_COLUMN = _l("A month (UTC), as YYYY-MM")
MONTHS_KEY = "YYYY-MM"

#: the tables of the participation dataset: who takes part, by group
PARTICIPATION_PREFIX = "participants-"

#: the datasets that gather several tables, with their title and description
COLLECTIONS = {
    "indicators": (_l("All indicators"), _l("Every table of the public indicators, in one file.")),
    "participation": (_l("Participation"), _l("Who takes part, month by month, by group: the tables whose key "
                                              "begins with participants-.")),
    "consultation-reports": (_l("Consultation reports"), _l(
        "The report of every answered consultation: the agency's summary, the figures per paragraph, every "
        "comment with its answer (never who wrote it) and who took part, in groups of 5 or more.")),
}


def in_both(make: Callable[[], T]) -> dict[str, T]:
    """``make()`` as each language gives it (``{"es": …, "en": …}``)."""
    made = {}
    for locale in LOCALES:
        with force_locale(locale):
            made[locale] = make()
    return made


def both(text: Any) -> dict[str, str]:
    """A translatable text in both languages."""
    return in_both(lambda: str(text))


def participation(tables: list[Table]) -> list[Table]:
    """The tables of the participation dataset."""
    return [table for table in tables if table.key.startswith(PARTICIPATION_PREFIX)]


def _columns(columns: list[Column]) -> list[dict[str, str]]:
    """The columns of a table for the dictionary: its months described once, as one column."""
    described: list[dict[str, str]] = []
    for column in columns:
        if periods.read_month(column.key) is None:
            described.append({"key": column.key, "label": column.label})
        elif not described or described[-1]["key"] != MONTHS_KEY:
            described.append({"key": MONTHS_KEY, "label": str(MONTH_COLUMN)})
    return described


def _described(table: Table) -> dict[str, Any]:
    """What the dictionary says of a table, in the current language."""
    return {"key": table.key, "section": table.section, "unit": table.unit, "title": str(table.title),
            "description": str(table.description), "section_title": str(SECTIONS.get(table.section, "")),
            "columns": _columns(table.columns)}


def described_tables() -> list[dict[str, Any]]:
    """Every public table as the dictionary describes it, each text in both languages (the tables are made in
    each language, so the dictionary says what the tables say; over the current month only, which is quick to
    count and describes the same columns)."""
    month = periods.current_month()
    filters = Filters(periods.Period(month, month))
    made = in_both(lambda: [_described(table) for table in dashboard.tables(public_scope(), filters)])
    tables = []
    for spanish, english in zip(made["es"], made["en"], strict=True):
        columns = [{"key": es["key"], "label": {"es": es["label"], "en": en["label"]}}
                   for es, en in zip(spanish["columns"], english["columns"], strict=True)]
        tables.append({"key": spanish["key"], "section": spanish["section"], "unit": spanish["unit"],
                       **{name: {"es": spanish[name], "en": english[name]}
                          for name in ("title", "description", "section_title")},
                       "columns": columns})
    return tables


def dictionary(tables: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The data dictionary in both languages: every record field, status and unit, and the ``tables`` (as
    :func:`described_tables` gives them)."""
    def entries(texts: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"key": key, "description": both(text)} for key, text in texts.items()]

    return {"fields": entries({name: FIELDS[name] for name in RECORD_FIELDS}), "statuses": entries(STATUSES),
            "units": entries({unit: UNIT_NAMES[unit] for unit in UNITS}), "tables": tables}


def _formats(endpoint: str, **values: str) -> dict[str, str]:
    """The CSV and JSON addresses of an export."""
    return {extension: url_for(endpoint, extension=extension, _external=True, **values)
            for extension in ("csv", "json")}


def catalogue(tables: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The datasets, each with its title and description in both languages and the addresses of its files:
    every indicator together, the participation tables, the consultation reports, then each table."""
    def collection(key: str, formats: dict[str, str], api: str) -> dict[str, Any]:
        title, description = COLLECTIONS[key]
        return {"key": key, "section": None, "title": both(title), "description": both(description),
                "formats": formats, "api": url_for(api, _external=True)}

    participation_api = url_for("api.open_data_participation", _external=True)
    return [
        collection("indicators", _formats("indicators.export", key="all"), "api.open_data_indicators"),
        collection("participation", {"csv": f"{participation_api}?format=csv", "json": participation_api},
                   "api.open_data_participation"),
        collection("consultation-reports", {}, "api.open_data_consultation_reports"),
        *({"key": table["key"], "section": table["section"], "title": table["title"],
           "description": table["description"], "formats": _formats("indicators.export", key=table["key"]),
           "api": url_for("api.open_data_table", key=table["key"], _external=True)} for table in tables),
    ]


def about() -> dict[str, Any]:
    """The catalogue, the licence and the dictionary together (the open-data page and the API's index)."""
    tables = described_tables()
    return {"licence": LICENCE, "smallest_group": SMALLEST_GROUP, "datasets": catalogue(tables),
            "dictionary": dictionary(tables)}


# --- consultation reports -------------------------------------------------------------------------------------


def answered_consultations() -> Select:
    """The consultations a visitor may see whose report is published, the latest report first."""
    return (select(Consultation).where(visible_consultations(None), Consultation.report_published_at.is_not(None))
            .options(selectinload(Consultation.organisation), selectinload(Consultation.platform))
            .order_by(Consultation.report_published_at.desc(), Consultation.id.desc()))


def answered_consultation(consultation_id: int) -> Consultation | None:
    """The consultation, when a visitor may see it and its report is published."""
    return db.session.scalar(answered_consultations().where(Consultation.id == consultation_id))


def report_entry(consultation: Consultation) -> dict[str, Any]:
    """One report of the catalogue: the consultation's title in both languages, its agency and platform, when
    the report was published and where its files are."""
    values = {"consultation_id": consultation.id, "_external": True}
    return {"id": consultation.id, "title": {"es": consultation.title_es, "en": consultation.title_en},
            "organisation": consultation.organisation.acronym, "platform": consultation.platform.slug,
            "report_published_at": consultation.report_published_at.isoformat(),
            "url": url_for("consultations.report", **values),
            "formats": {"csv": url_for("consultations.report_csv", **values),
                        "json": url_for("consultations.report_json", **values)},
            "api": url_for("api.open_data_consultation_report", **values)}
