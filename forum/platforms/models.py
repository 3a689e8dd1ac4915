"""Thematic platforms, the people who belong to them, and who moderates or translates on each."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.core.db import UTCDateTime, utcnow
from forum.extensions import db


class Platform(db.Model):
    """A thematic space (justice, security, gender…) where threads are discussed."""

    __tablename__ = "platforms"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the platform's address (``/p/<slug>``), lower-case letters, digits and hyphens
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_es: Mapped[str] = mapped_column(String(120), default="")
    name_en: Mapped[str] = mapped_column(String(120), default="")
    description_es: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    #: accent colour, ``#rrggbb``
    colour: Mapped[str] = mapped_column(String(7), default="#1f5f8b")
    #: a key of ``choices.ICONS``
    icon: Mapped[str] = mapped_column(String(30), default="chat")
    #: order in the navigation (smallest first)
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: ``public``: anyone reads, members post; ``members``: only members read and post
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    #: ``open``: joining is immediate; ``approval``: the platform's moderators decide
    join_policy: Mapped[str] = mapped_column(String(10), default="open")
    #: every new post waits for a moderator's approval before others see it
    premoderated: Mapped[bool] = mapped_column(Boolean, default=False)
    #: whether people who delete their account may take their posts here with them (moderators decide: otherwise
    #: the posts stay, signed "former participant", so conversations stay readable)
    leavers_may_delete_posts: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: archived platforms stay readable but take no new threads or posts, and leave the navigation
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_archived(self) -> bool:
        """True once an administrator has archived the platform."""
        return self.archived_at is not None

    def __repr__(self) -> str:
        return f"<Platform {self.slug}>"


class PlatformMembership(db.Model):
    """A person's membership of a platform (or their request to join one)."""

    __tablename__ = "platform_memberships"
    __table_args__ = (UniqueConstraint("platform_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: ``pending`` until a moderator approves a request on an approval platform, then ``approved``
    status: Mapped[str] = mapped_column(String(10), default="approved")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    platform: Mapped[Platform] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class PlatformRole(db.Model):
    """A platform-level duty given by an administrator: ``moderator`` or ``translator`` of one platform."""

    __tablename__ = "platform_roles"
    __table_args__ = (UniqueConstraint("platform_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: ``moderator`` or ``translator``
    role: Mapped[str] = mapped_column(String(20))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    platform: Mapped[Platform] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
