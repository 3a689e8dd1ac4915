"""CSV files that open safely in spreadsheets: UTF-8 with a byte order mark (so Excel reads accents), and every
cell that a spreadsheet would run as a formula (``= + - @``, a tab or a carriage return first) prefixed with ``'``
so it shows as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A value as a cell a spreadsheet shows as text (None: empty)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_response(header: Iterable[object], rows: Iterable[Iterable[object]], filename: str, *,
                 private: bool = True) -> Response:
    """A CSV download of ``header`` and ``rows``, every cell neutralised; ``private`` keeps it out of shared
    caches (lists of people)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([cell(value) for value in header])
    for row in rows:
        writer.writerow([cell(value) for value in row])
    response = Response(out.getvalue(), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        response.headers["Cache-Control"] = "private, no-store"
    return response
