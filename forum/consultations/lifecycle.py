"""A consultation's course: its phase follows from its dates by itself (no scheduled job is needed), and the
agency's officials may close it early or extend it; every change is recorded and shown.

draft → scheduled (published, before ``opens_at``) → open → closed (at ``closes_at``, or closed early) →
answered (once the report is published).
"""

from __future__ import annotations

from datetime import datetime

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
