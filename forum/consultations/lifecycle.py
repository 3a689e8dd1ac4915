"""A consultation's course: its phase follows from its dates by itself (no scheduled job is needed), and the
agency's officials may close it early or extend it; every change is recorded and shown.

draft → scheduled (published, before ``opens_at``) → open → closed (at ``closes_at``, or closed early) →
answered (once the report is published).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_

from forum.consultations.models import Consultation
from forum.core.db import utcnow


def phase(consultation: Consultation, now: datetime | None = None) -> str:
    """The consultation's phase now (a key of ``choices.PHASES``)."""
    now = now or utcnow()
    if consultation.published_at is None:
        return "draft"
    if consultation.report_published_at is not None:
        return "answered"
    if consultation.closed_early_at is not None or consultation.closes_at <= now:
        return "closed"
    return "open" if consultation.opens_at <= now else "scheduled"


def accepts_comments(consultation: Consultation, now: datetime | None = None) -> bool:
    """Comments are taken only while the consultation is open."""
    return phase(consultation, now) == "open"


def in_phase(phase: str, now: datetime | None = None) -> ColumnElement[bool]:
    """A SQL condition on :class:`Consultation` true for those in ``phase`` at ``now`` (as ``lifecycle.phase``
    works it out)."""
    now = now or utcnow()
    published = Consultation.published_at.is_not(None)
    running = and_(published, Consultation.report_published_at.is_(None))
    going = and_(running, Consultation.closed_early_at.is_(None), Consultation.closes_at > now)
    return {
        "draft": Consultation.published_at.is_(None),
        "scheduled": and_(going, Consultation.opens_at > now),
        "open": and_(going, Consultation.opens_at <= now),
        "closed": and_(running, or_(Consultation.closed_early_at.is_not(None), Consultation.closes_at <= now)),
        "answered": and_(published, Consultation.report_published_at.is_not(None)),
    }[phase]
