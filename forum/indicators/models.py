"""The targets the programme measures participation against (for example 50 % women), set by administrators, and
the counts of the months that have closed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.core.db import UTCDateTime, utcnow
from forum.extensions import db


class Target(db.Model):
    """The share of participants the programme aims for in one group: women, or people under 30."""

    __tablename__ = "indicator_targets"

    #: a key of ``choices.MEASURES``
    measure: Mapped[str] = mapped_column(String(20), primary_key=True)
    #: the share aimed for, in per cent (0–100)
    percent: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    updated_by: Mapped[User | None] = relationship()


class ClosedMonth(db.Model):
    """The counts of people of one month that has closed (it is over and the check-in of its events has closed),
    kept as they were when first shown: a figure once published never changes, whatever is hidden, deleted or
    edited afterwards. Counts by group only, no person's id (see ``closed_months``)."""

    __tablename__ = "indicator_closed_months"

    #: ``YYYY-MM``
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: ``closed_months.MonthCounts.stored()``
    counts: Mapped[dict] = mapped_column(JSON)
