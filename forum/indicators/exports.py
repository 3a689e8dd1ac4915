"""The indicators as files: CSV (one record per figure, the tidy form spreadsheets and statistics software read)
and JSON (each table with its columns and rows, as on the page). The same for the dashboard's downloads, the open
data and the command line. A withheld figure never carries its value: only its status says why."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from forum.core.db import utcnow
from forum.core.figures import SMALLEST_GROUP
from forum.core.spreadsheets import csv_response
from forum.indicators import dashboard
from forum.indicators.filters import Filters
from forum.indicators.open_data import LICENCE
from forum.indicators.scope import Scope
from forum.indicators.tables import RECORD_FIELDS, Table, records

#: the key that asks for every table at once
ALL = "all"
#: the file formats
FORMATS = ("csv", "json")


def chosen(scope: Scope, filters: Filters, key: str | None) -> list[Table] | None:
    """The table named ``key`` (as a list of one), every table when ``key`` is None or :data:`ALL`, or None when
    no table of this level has that name."""
    if key is None or key == ALL:
        return dashboard.tables(scope, filters)
    table = dashboard.table(scope, filters, key)
    return [table] if table is not None else None


def record_rows(tables: list[Table]) -> list[list[Any]]:
    """Every record of ``tables`` as a row of values in the order of ``RECORD_FIELDS``."""
    return [[record[name] for name in RECORD_FIELDS] for table in tables for record in records(table)]


def filename(scope: Scope, filters: Filters, key: str, extension: str) -> str:
    """The file's name: what it holds, its level, its period and its filters
    (``indicators-participants-by-sector-2026-01-2026-12-justicia-OAX.csv``)."""
    parts = ["indicators", *(["full"] if scope.full else []), key, filters.period.first, filters.period.last]
    parts += [value for value in (filters.platform.slug if filters.platform else None, filters.state) if value]
    return f"{'-'.join(parts)}.{extension}"


def as_csv(tables: list[Table], name: str, *, private: bool) -> Response:
    """The records of ``tables`` as a CSV download (a header, then one line per figure); ``private`` keeps it out
    of shared caches (the fuller level, which depends on its reader)."""
    return csv_response(RECORD_FIELDS, record_rows(tables), name, private=private)


def _table_json(table: Table) -> dict[str, Any]:
    """One table with its columns and rows, each cell's value and status as its record gives them."""
    width = len(table.columns)
    cells = [{"value": record["value"], "status": record["status"]} for record in records(table)]
    return {"key": table.key, "title": str(table.title), "description": str(table.description), "unit": table.unit,
            "section": table.section,
            "columns": [{"key": column.key, "label": str(column.label), "unit": table.unit_of(column)}
                        for column in table.columns],
            "rows": [{"key": row.key, "label": str(row.label), "kind": row.kind,
                      "cells": cells[index * width:(index + 1) * width]} for index, row in enumerate(table.rows)],
            "notes": [str(note) for note in table.notes]}


def as_json(tables: list[Table], scope: Scope, filters: Filters) -> dict[str, Any]:
    """The JSON document of ``tables``: the level, the filters, when it was made, the smallest group shown, the
    licence, and each table with its columns and rows (one cell per column: ``value`` and ``status``)."""
    return {"level": scope.level,
            "filters": {"since": filters.period.first, "until": filters.period.last,
                        "platform": filters.platform.slug if filters.platform else None, "state": filters.state},
            "generated_at": utcnow().isoformat(), "smallest_group": SMALLEST_GROUP, "licence": LICENCE,
            "tables": [_table_json(table) for table in tables]}


def download(tables: list[Table], scope: Scope, filters: Filters, key: str, extension: str) -> Response:
    """``tables`` as a CSV or JSON download named after ``key`` and the filters; the fuller level is never kept
    in shared caches."""
    name = filename(scope, filters, key, extension)
    if extension == "csv":
        return as_csv(tables, name, private=scope.full)
    response = jsonify(as_json(tables, scope, filters))
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    if scope.full:
        response.headers["Cache-Control"] = "private, no-store"
    return response
