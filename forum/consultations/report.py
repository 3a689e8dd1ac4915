"""The consultation's report: the agency publishes it once the consultation has closed (it is then "answered"),
with its summary of what it took from the comments; the report shows the figures per paragraph, every comment
with its answer, and who took part (counts only, groups under five withheld). Services check permissions
(``rules``) and input, write and flush; the caller commits once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum.accounts.models import User
from forum.accounts.organisations import first_organisation_kinds
from forum.consultations import announcements, comments, lifecycle, rules, services
from forum.consultations.api import consultation_json
from forum.consultations.choices import ANSWER_STATUSES, COMMENT_KINDS, REPLY
from forum.consultations.models import Answer, Comment, Consultation
from forum.core import validation
from forum.core.db import utcnow
from forum.core.errors import ActionRefused
from forum.core.figures import SMALLEST_GROUP, Breakdown, breakdown
from forum.core.text import render
from forum.events.figures import DIMENSIONS, NOT_GIVEN
from forum.extensions import db

SUMMARY_MAX = 20_000


def publish_report(user: User, consultation: Consultation, *, summary_es: Any = "",
                   summary_en: Any = "") -> Consultation:
    """Publish the agency's report on a closed consultation, with its summary in Spanish, English or both: the
    consultation is then "answered" and its report public. Recorded in the consultation's course; its followers
    and commenters are told."""
    if not rules.can_see(user, consultation):
        raise ActionRefused(_("Not found."), status=404, code="not_found")
    if not rules.can_manage(user, consultation):
        raise ActionRefused(_("Only officials of the consulting organisation may do this."), status=403,
                            code="forbidden")
    if lifecycle.phase(consultation) != "closed":
        raise ActionRefused(_("The report is published once the consultation has closed, and only once."),
                            status=409, code="not_closed")
    texts = {language: validation.text(value, f"summary_{language}", SUMMARY_MAX)
             for language, value in (("es", summary_es), ("en", summary_en))}
    if not any(texts.values()):
        raise ActionRefused(_("Write the summary in Spanish, in English or in both."), field="summary_es")
    for language, text in texts.items():
        setattr(consultation, f"report_summary_{language}", text)
        setattr(consultation, f"report_summary_html_{language}", render(text).html if text else "")
    consultation.report_published_at = utcnow()
    services.record_change(consultation, user, "report")
    db.session.flush()
    announcements.answered(consultation, user)
    return consultation


# --- statistics -----------------------------------------------------------------------------------------------


def _shown() -> tuple:
    """The conditions of the comments a report counts and lists: visible, not removed, and not a reply to a
    comment readers no longer see."""
    return Comment.status == "visible", Comment.deleted_at.is_(None), rules.under_a_shown_comment()


@dataclass
class ParagraphFigures:
    """The figures of one paragraph (``key`` None: the whole draft): comments by kind, replies, how many
    comments were answered and the answers by status."""

    key: int | None
    kinds: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COMMENT_KINDS, 0))
    replies: int = 0
    answered: int = 0
    statuses: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ANSWER_STATUSES, 0))

    @property
    def comments(self) -> int:
        """Comments that are not replies."""
        return sum(self.kinds.values())

    def as_json(self) -> dict:
        """The figures as the open data gives them."""
        return {"paragraph": self.key, "kinds": self.kinds, "comments": self.comments, "replies": self.replies,
                "answered": self.answered, "answers": self.statuses}


@dataclass
class Statistics:
    """Figures per paragraph of the current version (then the whole draft, then removed paragraphs that have
    comments), and their totals."""

    paragraphs: list[ParagraphFigures]
    total: ParagraphFigures


def statistics(consultation: Consultation) -> Statistics:
    """Comments by kind, replies and answers by status, per paragraph, in two queries."""
    keys = [p.key for p in comments.current_version(consultation).paragraphs]
    rows = {key: ParagraphFigures(key) for key in keys}
    rows[None] = ParagraphFigures(None)
    mine = (Comment.consultation_id == consultation.id, *_shown())
    by_kind = db.session.execute(select(Comment.paragraph_key, Comment.kind, func.count()).where(*mine)
                                 .group_by(Comment.paragraph_key, Comment.kind))
    by_status = db.session.execute(select(Comment.paragraph_key, Answer.status, func.count()).join(Answer)
                                   .where(*mine, Comment.parent_id.is_(None))
                                   .group_by(Comment.paragraph_key, Answer.status))
    total = ParagraphFigures(None)
    for key, kind, count in by_kind:
        row = rows.setdefault(key, ParagraphFigures(key))
        for figures in (row, total):
            if kind == REPLY:
                figures.replies += count
            else:
                figures.kinds[kind] = figures.kinds.get(kind, 0) + count
    for key, status, count in by_status:
        row = rows.setdefault(key, ParagraphFigures(key))
        for figures in (row, total):
            figures.statuses[status] = figures.statuses.get(status, 0) + count
            figures.answered += count
    removed = sorted(key for key in rows if key is not None and key not in keys)
    return Statistics([rows[key] for key in [*keys, None, *removed]], total)


# --- participation --------------------------------------------------------------------------------------------


def participation(consultation: Consultation) -> dict[str, Breakdown]:
    """Distinct people with a visible comment or reply, by sector, type of organisation (of their first
    approved membership), state, gender and age range: a breakdown per dimension, groups under five withheld."""
    commenters = select(Comment.author_id).where(Comment.consultation_id == consultation.id, *_shown(),
                                                 Comment.author_id.is_not(None)).distinct()
    people = db.session.execute(select(User.id, User.sector, User.state, User.gender, User.age_range)
                                .where(User.id.in_(commenters))).all()
    kinds = first_organisation_kinds(commenters)
    counts: dict[str, dict[str, int]] = {dimension: {} for dimension in DIMENSIONS}
    for user_id, sector, state, gender, age_range in people:
        values = {"sector": sector, "organisation_kind": kinds.get(user_id), "state": state, "gender": gender,
                  "age_range": age_range}
        for dimension in DIMENSIONS:
            group = values[dimension] or NOT_GIVEN
            counts[dimension][group] = counts[dimension].get(group, 0) + 1
    return {dimension: breakdown(groups) for dimension, groups in counts.items()}


# --- the comments ---------------------------------------------------------------------------------------------


def listed(consultation: Consultation) -> list[Comment]:
    """Every visible comment and reply, by paragraph then in order, with its version and answer read at once."""
    return list(db.session.scalars(select(Comment).where(Comment.consultation_id == consultation.id, *_shown())
                                   .options(selectinload(Comment.answer), selectinload(Comment.version))
                                   .order_by(Comment.created_at, Comment.id)))


#: the columns of :func:`rows`, in order (the CSV's header)
COLUMNS = ("id", "paragraph", "kind", "language", "created_at", "version", "parent_id", "text", "answer_status",
           "explanation_es", "explanation_en")


def rows(consultation: Consultation) -> list[dict]:
    """Every visible comment with its answer, for the open data: never who wrote it."""
    return [{
        "id": item.id, "paragraph": item.paragraph_key, "kind": item.kind, "language": item.language,
        "created_at": item.created_at.isoformat(), "version": item.version.number if item.version else None,
        "parent_id": item.parent_id, "text": item.body_source,
        "answer_status": item.answer.status if item.answer else None,
        "explanation_es": item.answer.explanation_es if item.answer else "",
        "explanation_en": item.answer.explanation_en if item.answer else "",
    } for item in listed(consultation)]


# --- the open data --------------------------------------------------------------------------------------------


def open_data(consultation: Consultation) -> dict:
    """The report as open data (its JSON download and the open-data API): the consultation, its report summary,
    the figures per paragraph, who took part (groups shown, and how many people are in groups withheld) and every
    visible comment with its answer. Never who wrote them."""
    figures = statistics(consultation)
    return {
        "consultation": consultation_json(consultation),
        "report": {"summary": {"es": consultation.report_summary_es, "en": consultation.report_summary_en},
                   "summary_html": {"es": consultation.report_summary_html_es,
                                    "en": consultation.report_summary_html_en},
                   "url": url_for("consultations.report", consultation_id=consultation.id, _external=True)},
        "statistics": {"paragraphs": [row.as_json() for row in figures.paragraphs],
                       "total": figures.total.as_json()},
        "participation": {dimension: {"total": counts.total, "groups": dict(counts.shown),
                                      "withheld": counts.withheld}
                          for dimension, counts in participation(consultation).items()},
        "smallest_group": SMALLEST_GROUP,
        "comments": rows(consultation),
    }
