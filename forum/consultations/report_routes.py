"""The consultation's report: the agency's officials publish it once the consultation has closed; then anyone who
sees the consultation reads it (a print-friendly page) and downloads it as open data (CSV and JSON): the agency's
summary, the figures per paragraph, every comment with its answer, and who took part in groups of five or more.
The open data never names the commenters."""

from __future__ import annotations

from flask import abort, jsonify, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from forum.consultations import bp, comments, lifecycle, report
from forum.consultations.choices import ANSWER_STATUSES, COMMENT_KINDS, PHASES
from forum.consultations.manage_routes import CONSULTATION, done, managed_consultation
from forum.consultations.models import Consultation
from forum.consultations.routes import consultation_or_404
from forum.core import spreadsheets
from forum.core.errors import ActionRefused
from forum.core.figures import SMALLEST_GROUP
from forum.core.forms import save
from forum.events.figures import group_label
from forum.events.organiser_routes import DIMENSIONS


class ReportForm(FlaskForm):
    """The agency's summary of the consultation, in Spanish, English or both."""

    summary_es = TextAreaField(_l("Summary in Spanish"), [Optional(), Length(max=report.SUMMARY_MAX)],
                               render_kw={"rows": 12})
    summary_en = TextAreaField(_l("Summary in English"), [Optional(), Length(max=report.SUMMARY_MAX)],
                               render_kw={"rows": 12})


@bp.route(f"{CONSULTATION}/report/publish", methods=["GET", "POST"])
@login_required
def publish_report(consultation_id: int):
    """The agency's officials publish the report of a closed consultation with their summary; the consultation
    is then answered. 409 with the reason while it is not closed (or once the report is out)."""
    consultation = managed_consultation(consultation_id)
    if lifecycle.phase(consultation) != "closed":
        raise ActionRefused(_("The report is published once the consultation has closed, and only once."),
                            status=409, code="not_closed")
    form = ReportForm()
    saved, _result, status = save(form, lambda: report.publish_report(
        current_user, consultation, summary_es=form.summary_es.data or "", summary_en=form.summary_en.data or ""))
    if saved:
        return done(_("The report is published."), consultation, "consultations.report")
    answered, total = comments.progress(consultation)
    return render_template("consultations/manage/publish_report.html", consultation=consultation, form=form,
                           answered=answered, total=total), status


def _answered_consultation(consultation_id: int) -> Consultation:
    """A consultation the reader may see whose report is published (404 otherwise)."""
    consultation = consultation_or_404(consultation_id)
    if lifecycle.phase(consultation) != "answered":
        abort(404)
    return consultation


@bp.route(f"{CONSULTATION}/report", endpoint="report")
def report_page(consultation_id: int):
    """The report: the agency's summary (in the reader's language, the other marked when it is all there is),
    the answered-comments figure, the figures per paragraph, every comment with its answer grouped by paragraph,
    and who took part (groups of fewer than five not shown); with links to the CSV and JSON open data."""
    consultation = _answered_consultation(consultation_id)
    by_paragraph: dict[int | None, list] = {}
    for item in report.listed(consultation):
        by_paragraph.setdefault(item.paragraph_key, []).append(item)
    return render_template(
        "consultations/report.html", consultation=consultation, progress=comments.progress(consultation),
        statistics=report.statistics(consultation), participation=report.participation(consultation),
        by_paragraph=by_paragraph, dimensions=DIMENSIONS, group_label=group_label, kinds=COMMENT_KINDS,
        statuses=ANSWER_STATUSES, phases=PHASES, smallest=SMALLEST_GROUP)



@bp.route(f"{CONSULTATION}/report.csv")
def report_csv(consultation_id: int):
    """Every visible comment with its answer as a CSV file (UTF-8 with a byte order mark so spreadsheets read
    accents; cells that would run as formulas are neutralised). Never who wrote them."""
    consultation = _answered_consultation(consultation_id)
    return spreadsheets.csv_response(report.COLUMNS, ([row[name] for name in report.COLUMNS]
                                                      for row in report.rows(consultation)),
                                     f"consultation-{consultation.id}-report.csv", private=False)


@bp.route(f"{CONSULTATION}/report.json")
def report_json(consultation_id: int):
    """The report as JSON: the consultation, its report summary, the figures per paragraph, who took part (groups
    shown, and how many people are in groups withheld) and every visible comment with its answer."""
    return jsonify(report.open_data(_answered_consultation(consultation_id)))
