"""Flags, the moderation queue, the log of every moderation action, reason templates and sanctions.

Moderated things ("targets") belong to other domains; they are named by a type (``post``, ``thread``, later
consultation comments, documents…) and an id, and reached through :mod:`forum.moderation.targets`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.core.db import UTCDateTime, utcnow
from forum.extensions import db
from forum.platforms.models import Platform


class Flag(db.Model):
    """One person's report that something breaks the rules."""

    __tablename__ = "flags"
    __table_args__ = (
        # one open flag per person per item
        Index("uq_flags_open", "target_type", "target_id", "user_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        Index("ix_flags_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: what is flagged: a registered target type (``post``, ``thread``…) and its id
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(Integer)
    #: the platform the item belongs to, when it belongs to one (for per-platform queues and figures)
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: a key of ``choices.REASONS``
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    #: ``open`` until a moderator decides; then ``upheld`` (action taken) or ``dismissed``
    status: Mapped[str] = mapped_column(String(12), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship()


class QueueItem(db.Model):
    """Something waiting for a moderator: a flagged item, a held post, or a contested sanction."""

    __tablename__ = "moderation_items"
    __table_args__ = (
        Index("uq_moderation_items_open", "target_type", "target_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        Index("ix_moderation_items_queue", "status", "platform_id", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(Integer)
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id", ondelete="SET NULL"))
    #: the language of the item's text (``es``/``en``), for moderators who read only one
    language: Mapped[str | None] = mapped_column(String(5))
    #: ``flagged``, ``held`` (pre-moderation) or ``contested`` (a sanctioned person's reply)
    cause: Mapped[str] = mapped_column(String(12))
    #: ``open`` until decided, then ``closed``
    status: Mapped[str] = mapped_column(String(10), default="open")
    #: the most frequent flag reason, for filtering (None for held posts)
    reason: Mapped[str | None] = mapped_column(String(20))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: a key of ``choices.DECISIONS``
    decision: Mapped[str | None] = mapped_column(String(20))

    platform: Mapped[Platform | None] = relationship()
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class ModerationAction(db.Model):
    """One moderation action, for accountability: who, when, on what, which decision, why, and the text before
    and after an edit. The public transparency page reads only its non-personal columns."""

    __tablename__ = "moderation_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("moderation_items.id", ondelete="SET NULL"))
    target_type: Mapped[str | None] = mapped_column(String(20))
    target_id: Mapped[int | None] = mapped_column(Integer)
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id", ondelete="SET NULL"), index=True)
    #: the person affected (author of the item, or the sanctioned person)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: a key of ``choices.DECISIONS`` or ``choices.SANCTIONS``
    action: Mapped[str] = mapped_column(String(20))
    #: a key of ``choices.REASONS`` (or of a reason template)
    reason: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    before_text: Mapped[str | None] = mapped_column(Text)
    after_text: Mapped[str | None] = mapped_column(Text)
    #: minutes from the item entering the queue to a moderator's decision (None for actions outside the queue and
    #: for the system's own, such as hiding after enough flags)
    minutes_to_decision: Mapped[int | None] = mapped_column(Integer)

    moderator: Mapped[User | None] = relationship(foreign_keys=[moderator_id])
    subject: Mapped[User | None] = relationship(foreign_keys=[subject_id])
    platform: Mapped[Platform | None] = relationship()


class ReasonTemplate(db.Model):
    """A reusable explanation, in both languages, that moderators pick when deciding or sanctioning."""

    __tablename__ = "reason_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the flag reason it explains, if any (a key of ``choices.REASONS``)
    reason: Mapped[str | None] = mapped_column(String(20))
    title_es: Mapped[str] = mapped_column(String(120), default="")
    title_en: Mapped[str] = mapped_column(String(120), default="")
    text_es: Mapped[str] = mapped_column(Text, default="")
    text_en: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Sanction(db.Model):
    """A warning, a suspension for a period, or a ban, with its reason and the person's one reply."""

    __tablename__ = "sanctions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: ``warning``, ``suspension`` or ``ban``
    kind: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: end of a suspension (None for warnings and bans)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: set when a moderator lifts it early
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the person's reply contesting it (once)
    contest_text: Mapped[str | None] = mapped_column(Text)
    contested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
