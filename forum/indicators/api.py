"""The open-data endpoints: the catalogue (licence and data dictionary in both languages), the indicators tables
(all, one, or the participation tables) as JSON or CSV under the filters of the query string, and the reports of
answered consultations. Open data is always the public level, a visitor's view, even when a token is sent."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, jsonify, request
from flask_babel import gettext as _

from forum.api import bp, naming_fields, not_found, operation, page_arguments, paginated, refuse
from forum.api.openapi import BILINGUAL, PAGE_PARAMETERS, TIMESTAMP, list_of, schema
from forum.consultations import report
from forum.core.db import MAX_ID
from forum.extensions import db
from forum.indicators import exports, filters, open_data
from forum.indicators.scope import public_scope
from forum.indicators.tables import RECORD_FIELDS, UNITS, Table

TAG = "open data"
_URI = {"type": "string", "format": "uri"}
_FORMATS = {"type": "object", "properties": {"csv": _URI, "json": _URI},
            "description": "the addresses of the dataset's files"}
_ENTRIES = {"type": "array", "items": {"type": "object", "required": ["key", "description"],
                                       "properties": {"key": {"type": "string"}, "description": BILINGUAL}}}
LICENCE = schema("OpenDataLicence", {
    "type": "object", "required": list(open_data.LICENCE),
    "properties": {name: {"type": "string"} for name in open_data.LICENCE},
})
CATALOGUE = schema("OpenDataCatalogue", {
    "type": "object", "required": ["licence", "smallest_group", "datasets", "dictionary"],
    "properties": {
        "licence": LICENCE,
        "smallest_group": {"type": "integer", "description": "figures of smaller groups of people are withheld"},
        "datasets": {"type": "array", "items": {
            "type": "object", "required": ["key", "section", "title", "description", "formats", "api"],
            "properties": {"key": {"type": "string"}, "section": {"type": ["string", "null"]}, "title": BILINGUAL,
                           "description": BILINGUAL, "formats": _FORMATS, "api": _URI}}},
        "dictionary": {"type": "object", "required": ["fields", "statuses", "units", "tables"], "properties": {
            "fields": {**_ENTRIES, "description": f"the fields of a record: {', '.join(RECORD_FIELDS)}"},
            "statuses": _ENTRIES,
            "units": _ENTRIES,
            "tables": {"type": "array", "items": {
                "type": "object",
                "required": ["key", "section", "unit", "title", "description", "section_title", "columns"],
                "properties": {"key": {"type": "string"}, "section": {"type": "string"},
                               "unit": {"type": "string", "enum": list(UNITS)}, "title": BILINGUAL,
                               "description": BILINGUAL, "section_title": BILINGUAL,
                               "columns": {"type": "array", "items": {
                                   "type": "object", "required": ["key", "label"],
                                   "properties": {"key": {"type": "string",
                                                          "description": "YYYY-MM stands for every month"},
                                                  "label": BILINGUAL}}}}}}}},
    },
})
_CELL = {"type": "object", "required": ["value", "status"], "properties": {
    "value": {"type": ["number", "null"], "description": "null unless the status is `shown`"},
    "status": {"type": "string", "enum": list(open_data.STATUSES)}}}
TABLE = schema("IndicatorTable", {
    "type": "object", "required": ["key", "title", "description", "unit", "section", "columns", "rows", "notes"],
    "properties": {
        "key": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"},
        "unit": {"type": "string", "enum": list(UNITS)}, "section": {"type": "string"},
        "columns": {"type": "array", "items": {"type": "object", "required": ["key", "label"], "properties": {
            "key": {"type": "string"}, "label": {"type": "string"}}}},
        "rows": {"type": "array", "items": {"type": "object", "required": ["key", "label", "kind", "cells"],
                                            "properties": {
            "key": {"type": "string"}, "label": {"type": "string"},
            "kind": {"type": "string", "enum": ["group", "withheld", "total"]},
            "cells": {"type": "array", "items": _CELL, "description": "one per column, in order"}}}},
        "notes": {"type": "array", "items": {"type": "string"}},
    },
})
INDICATORS = schema("Indicators", {
    "type": "object", "required": ["level", "filters", "generated_at", "smallest_group", "licence", "tables"],
    "properties": {
        "level": {"type": "string", "enum": ["public"]},
        "filters": {"type": "object", "required": ["since", "until", "platform", "state"], "properties": {
            "since": {"type": "string"}, "until": {"type": "string"}, "platform": {"type": ["string", "null"]},
            "state": {"type": ["string", "null"]}}},
        "generated_at": TIMESTAMP, "smallest_group": {"type": "integer"}, "licence": LICENCE,
        "tables": {"type": "array", "items": TABLE},
    },
})
REPORT_ENTRY = schema("ConsultationReportEntry", {
    "type": "object", "required": ["id", "title", "organisation", "platform", "report_published_at", "url",
                                   "formats", "api"],
    "properties": {"id": {"type": "integer"}, "title": BILINGUAL,
                   "organisation": {"type": "string", "description": "the agency's acronym"},
                   "platform": {"type": "string"}, "report_published_at": TIMESTAMP, "url": _URI,
                   "formats": _FORMATS, "api": _URI},
})
REPORT = schema("ConsultationReport", {
    "type": "object",
    "required": ["consultation", "report", "statistics", "participation", "smallest_group", "comments"],
    "description": "the same document as the consultation's report.json",
    "properties": {"consultation": {"type": "object"}, "report": {"type": "object"},
                   "statistics": {"type": "object"}, "participation": {"type": "object"},
                   "smallest_group": {"type": "integer"}, "comments": {"type": "array", "items": {"type": "object"}}},
})
FILTERS = [
    {"name": "since", "in": "query", "schema": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
     "description": "first month (YYYY-MM, UTC); default: the months before `until` that make a year"},
    {"name": "until", "in": "query", "schema": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
     "description": "last month (YYYY-MM, UTC); default: the current month"},
    {"name": "platform", "in": "query", "schema": {"type": "string"},
     "description": "a public platform's slug"},
    {"name": "state", "in": "query", "schema": {"type": "string"}, "description": "a state's code, e.g. OAX"},
    {"name": "format", "in": "query", "schema": {"type": "string", "enum": list(exports.FORMATS),
                                                 "default": "json"},
     "description": "`csv`: one record per figure (fields " + ", ".join(RECORD_FIELDS) + "), UTF-8 with a BOM"},
]
KEY = {"name": "key", "in": "path", "required": True, "schema": {"type": "string"},
       "description": "a table's key, as listed in the catalogue"}
REPORT_ID = {"name": "consultation_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _indicators(key: str, pick: Callable[[list[Table]], list[Table]] | None = None) -> Response:
    """The public tables (``key``: one of them, or ``all``; ``pick``: a selection of them, the file named after
    ``key``) under the query string's filters, as JSON or, with ``format=csv``, CSV."""
    extension = request.args.get("format", "json")
    if extension not in exports.FORMATS:
        raise refuse(_("Choose the format csv or json."), field="format")
    asked = filters.read(request.args, None)
    with naming_fields():
        refusal = asked.refusal()
        if refusal is not None:
            raise refusal
    scope = public_scope()
    tables = exports.chosen(scope, asked.filters, None if pick else key)
    if tables is None:
        raise not_found()
    if pick is not None:
        tables = pick(tables)
    return exports.download(tables, scope, asked.filters, key, extension)


@bp.route("/open-data")
@operation("/open-data", "GET", summary="Open-data catalogue", response=CATALOGUE, tag=TAG, auth=False)
def open_data_catalogue() -> Response:
    """The datasets with the addresses of their files, their licence (CC BY 4.0) and the data dictionary: every
    record field, status, unit, table and column, in Spanish and English."""
    return jsonify(open_data.about())


@bp.route("/open-data/indicators")
@operation("/open-data/indicators", "GET", summary="Every public indicator", response=INDICATORS, tag=TAG,
           auth=False, parameters=FILTERS, errors=(400,))
def open_data_indicators() -> Response:
    """Every table of the public indicators under ``since``, ``until``, ``platform`` and ``state``; figures of
    groups under five people are withheld (value null, status ``withheld``)."""
    return _indicators(exports.ALL)


@bp.route("/open-data/indicators/<key>")
@operation("/open-data/indicators/{key}", "GET", summary="One public indicator", response=INDICATORS, tag=TAG,
           auth=False, parameters=[KEY, *FILTERS], errors=(400, 404))
def open_data_table(key: str) -> Response:
    """One table of the public indicators (404 when there is none with this key), under the same filters."""
    return _indicators(key)


@bp.route("/open-data/participation")
@operation("/open-data/participation", "GET", summary="Participation", response=INDICATORS, tag=TAG, auth=False,
           parameters=FILTERS, errors=(400,))
def open_data_participation() -> Response:
    """The participants tables (who takes part, month by month, by group: every table whose key begins with
    ``participants-``), under the same filters."""
    return _indicators("participation", open_data.participation)


@bp.route("/open-data/consultation-reports")
@operation("/open-data/consultation-reports", "GET", summary="Consultation reports",
           response=list_of(REPORT_ENTRY), tag=TAG, auth=False, parameters=PAGE_PARAMETERS, errors=(400,))
def open_data_consultation_reports() -> Response:
    """The answered consultations a visitor may see, the latest report first, with the addresses of their
    report's files."""
    page, per_page = page_arguments()
    pagination = db.paginate(open_data.answered_consultations(), page=page, per_page=per_page, error_out=False)
    return jsonify(paginated(pagination, [open_data.report_entry(item) for item in pagination.items]))


@bp.route(f"/open-data/consultation-reports/<int(max={MAX_ID}):consultation_id>")
@operation("/open-data/consultation-reports/{consultation_id}", "GET", summary="One consultation report",
           response=REPORT, tag=TAG, auth=False, parameters=[REPORT_ID], errors=(404,))
def open_data_consultation_report(consultation_id: int) -> Response:
    """The report of an answered consultation, as its ``report.json``: 404 unless a visitor may see the
    consultation and its report is published."""
    consultation = open_data.answered_consultation(consultation_id)
    if consultation is None:
        raise not_found()
    return jsonify(report.open_data(consultation))
