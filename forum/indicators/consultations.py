"""The consultations section: for each agency, its consultations open during the period, the comments they
received that need an answer, how many were answered, and how long an answer took (median, in days)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, or_, select

from forum.accounts.models import Organisation
from forum.consultations import rules
from forum.consultations.models import Answer, Comment, Consultation
from forum.extensions import db
from forum.i18n import localized
from forum.indicators.filters import Filters
from forum.indicators.scope import Scope
from forum.indicators.tables import Cell, Chart, Column, Row, Table

#: seconds in a day, for answer times in days
_DAY = 86_400


def _counted(scope: Scope, filters: Filters) -> list[ColumnElement[bool]]:
    """The consultations counted: published ones the scope's viewer may see, on the counted platforms, of an
    agency in the chosen state."""
    conditions = [rules.visible_consultations(scope.viewer), Consultation.published_at.is_not(None),
                  Consultation.platform_id.in_([platform.id for platform in scope.counted(filters)])]
    if filters.state is not None:
        conditions.append(Consultation.organisation_id.in_(
            select(Organisation.id).where(Organisation.state == filters.state)))
    return conditions


def _open_during(filters: Filters) -> list[ColumnElement[bool]]:
    """Consultations open at some time within the period (closing early ends them sooner)."""
    period = filters.period
    return [Consultation.opens_at < period.end, Consultation.closes_at >= period.start,
            or_(Consultation.closed_early_at.is_(None), Consultation.closed_early_at >= period.start)]


def _comments(scope: Scope, filters: Filters) -> list[ColumnElement[bool]]:
    """The comments counted: top-level comments that need an answer (visible, not withdrawn) on a counted
    consultation, received within the period."""
    seen = select(Consultation.id).where(*_counted(scope, filters))
    return [rules.findable_comments(scope.viewer), Comment.parent_id.is_(None), Comment.consultation_id.in_(seen),
            Comment.created_at >= filters.period.start, Comment.created_at < filters.period.end]


def _share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in per cent, to one decimal (None when ``whole`` is nothing)."""
    return round(100 * part / whole, 1) if whole else None


def _median_days(waits: Iterable[tuple[datetime, datetime]]) -> float | None:
    """The median time from comment to answer, in days to one decimal (None when nothing was answered)."""
    days = [(answered - received).total_seconds() / _DAY for received, answered in waits]
    return round(statistics.median(days), 1) if days else None


def tables(scope: Scope, filters: Filters) -> list[Table]:
    """The table "consultations-by-agency", in four queries whatever the number of agencies."""
    consultations = dict(db.session.execute(
        select(Consultation.organisation_id, func.count()).where(*_counted(scope, filters), *_open_during(filters))
        .group_by(Consultation.organisation_id)).all())
    comments = {organisation_id: (received, answered) for organisation_id, received, answered in db.session.execute(
        select(Consultation.organisation_id, func.count(Comment.id), func.count(Answer.id))
        .select_from(Comment).join(Consultation, Comment.consultation_id == Consultation.id)
        .outerjoin(Answer, Answer.comment_id == Comment.id)
        .where(*_comments(scope, filters)).group_by(Consultation.organisation_id))}
    waits: dict[int, list[tuple[datetime, datetime]]] = {}
    for organisation_id, received, answered in db.session.execute(
            select(Consultation.organisation_id, Comment.created_at, Answer.created_at)
            .select_from(Comment).join(Consultation, Comment.consultation_id == Consultation.id)
            .join(Answer, Answer.comment_id == Comment.id).where(*_comments(scope, filters))):
        waits.setdefault(organisation_id, []).append((received, answered))
    ids = sorted(set(consultations) | set(comments))
    agencies = list(db.session.scalars(select(Organisation).where(Organisation.id.in_(ids)))) if ids else []

    def cells(opened: int, received: int, answered: int, median: float | None, url: str | None) -> list[Cell]:
        return [Cell(opened), Cell(received, url=url), Cell(answered, url=url), Cell(_share(answered, received)),
                Cell(median)]

    rows = []
    for agency in agencies:
        label, lang, _fallback = localized(agency, "name")
        url = url_for("consultations.index", organisation=agency.id)
        received, answered = comments.get(agency.id, (0, 0))
        rows.append(Row(key=f"organisation-{agency.id}", label=label, lang=lang, url=url,
                        cells=cells(consultations.get(agency.id, 0), received, answered,
                                    _median_days(waits.get(agency.id, [])), url)))
    rows.sort(key=lambda row: (row.label.casefold(), row.key))
    rows.append(Row(key="total", label=_("All agencies"), kind="total", cells=cells(
        sum(consultations.values()), sum(received for received, _answered in comments.values()),
        sum(answered for _received, answered in comments.values()),
        _median_days(wait for found in waits.values() for wait in found), None)))
    return [Table(
        key="consultations-by-agency",
        title=_("Consultations and answers by agency"),
        description=_(
            "For each agency: its published consultations open at some time within the period; the comments "
            "(not replies) they received within the period that await an official answer (visible and not "
            "withdrawn); how many of those have been answered so far, as a number and as a share; and the "
            "median time from a comment to its answer."),
        unit="count",
        columns=[Column("consultations", _("Consultations open")), Column("comments", _("Comments")),
                 Column("answered", _("Answered")), Column("answered_share", _("Answered (%)"), "percent"),
                 Column("median_days", _("Median time to an answer (days)"), "days")],
        rows=rows,
        chart=Chart("bars", column="answered_share", maximum=100),
        notes=[_("The total's median is taken over every answer.")],
        section="consultations",
    )]
