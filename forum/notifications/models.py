"""What people follow, what they are told, and how they want to be told by e-mail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.core.db import UTCDateTime, utcnow
from forum.extensions import db


class Follow(db.Model):
    """A person following a platform, a consultation or an event (threads are followed through their reading
    record, ``forum.threads.models.ThreadReader.following``)."""

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("user_id", "target_type", "target_id"),
                      Index("ix_follows_target", "target_type", "target_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: ``platform``, ``consultation`` or ``event``
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Notification(db.Model):
    """One thing one person is told: its kind (a key of ``choices.KINDS``), who did it, and what it is about.

    No text of the item is copied here: the notification centre reads the item's title when it is shown, and
    only if the person may still see it."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_id_id", "user_id", "id"),
                      Index("ix_notifications_email", "email_status", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: a key of ``choices.KINDS``
    kind: Mapped[str] = mapped_column(String(30))
    #: who caused it (None: the platform itself, or an account since deleted)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: the item it is about: a search kind (``post``, ``thread``, ``comment``, ``consultation``, ``event``…)
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(Integer)
    #: small facts the message needs (a moderation reason, an answer's status…), never the item's text
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: ``queued`` for the next digest, ``sent`` (alone or in a digest), or ``none`` (not by e-mail)
    email_status: Mapped[str] = mapped_column(String(10), default="none")

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class EmailPreference(db.Model):
    """How one person wants one kind of notification by e-mail (no row: the kind's default)."""

    __tablename__ = "email_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: a key of ``choices.KINDS``
    kind: Mapped[str] = mapped_column(String(30))
    #: ``immediately``, ``daily`` (in the digest) or ``never``
    delivery: Mapped[str] = mapped_column(String(12))


class Announcement(db.Model):
    """That something which happens at a time (a consultation opening, closing in 48 hours) was announced for
    one occasion, so the scheduled job tells people once."""

    __tablename__ = "announcements"
    __table_args__ = (UniqueConstraint("kind", "subject_type", "subject_id", "occasion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(Integer)
    #: what makes a new announcement due (e.g. the closing time: an extension announces again)
    occasion: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
