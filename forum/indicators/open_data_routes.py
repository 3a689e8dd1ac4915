"""The open-data page: the catalogue of datasets with their CSV and JSON files, the answered consultations'
reports, the licence and the data dictionary in Spanish and English side by side."""

from __future__ import annotations

from flask import render_template, request

from forum.extensions import db
from forum.i18n import LOCALES, current_locale
from forum.indicators import bp, open_data

#: consultation reports listed on one page
REPORTS_PER_PAGE = 50


@bp.route("/open-data", endpoint="open_data")
def open_data_page() -> str:
    """The datasets (every indicator table, the participation tables, the consultation reports), the licence
    (CC BY 4.0) and what every field, status, unit, table and column means, in both languages."""
    page = max(1, request.args.get("page", 1, type=int))
    reports = db.paginate(open_data.answered_consultations(), page=page, per_page=REPORTS_PER_PAGE,
                          error_out=False)
    return render_template("indicators/open_data.html", about=open_data.about(), reports=reports,
                           entries=[(c, open_data.report_entry(c)) for c in reports.items], locale=current_locale(),
                           languages=LOCALES)
