"""Users, organisations, memberships, personal access tokens and the account audit log."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.core.db import UTCDateTime, utcnow
from forum.extensions import db


class Organisation(db.Model):
    """A government body, civil-society organisation, university or international partner."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: name in Spanish and English (either may be empty; the other is shown as a fallback)
    name_es: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str] = mapped_column(String(200), default="")
    acronym: Mapped[str] = mapped_column(String(30), default="")
    #: a key of ``choices.ORGANISATION_TYPES``
    kind: Mapped[str] = mapped_column(String(30))
    #: a key of ``choices.STATES``
    state: Mapped[str | None] = mapped_column(String(10))
    website: Mapped[str | None] = mapped_column(String(300))
    description_es: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    #: set by administrators once the organisation is known to be genuine
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the user who proposed it at registration (None for organisations created by admins)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    memberships: Mapped[list[Membership]] = relationship(back_populates="organisation")

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.acronym or self.name_es}>"


class User(UserMixin, db.Model):
    """A person with an account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stored lower-cased; unique
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80))
    #: how others @mention the person: made from the name at registration, unique, lower-case
    handle: Mapped[str] = mapped_column(String(40), unique=True)
    #: preferred interface language, ``es`` or ``en``
    locale: Mapped[str] = mapped_column(String(5), default="es")
    timezone: Mapped[str] = mapped_column(String(64), default="America/Mexico_City")
    #: keys of ``choices.SECTORS`` and ``choices.STATES``
    sector: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(10))
    #: job title or position, shown on the profile
    position: Mapped[str] = mapped_column(String(120), default="")
    #: self-declared, optional, private: used only in aggregate figures
    gender: Mapped[str | None] = mapped_column(String(20))
    gender_description: Mapped[str | None] = mapped_column(String(80))
    age_range: Mapped[str | None] = mapped_column(String(10))
    #: a key of ``choices.ROLES``; "official" is not a role but follows from memberships
    role: Mapped[str] = mapped_column(String(20), default="participant")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: a suspension for a period ends by itself at this time (None: until lifted, as a ban)
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspension_reason: Mapped[str | None] = mapped_column(Text)
    #: the languages a moderator reads and moderates, e.g. "es,en" (empty: both)
    moderation_languages: Mapped[str] = mapped_column(String(10), default="")
    #: when the person accepted the privacy notice, and which version of it (``personal_data.notice.VERSION``)
    privacy_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    privacy_notice_version: Mapped[str | None] = mapped_column(String(20))

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", foreign_keys="Membership.user_id", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        """Suspended users cannot sign in and lose their sessions (read by Flask-Login)."""
        return not self.is_suspended

    @property
    def is_suspended(self) -> bool:
        """True while a suspension stands; a suspension for a period lifts itself when the period ends."""
        if self.suspended_at is None:
            return False
        return self.suspended_until is None or self.suspended_until > utcnow()

    #: the sign-in session this object was loaded for (not stored; set by the session services)
    login_session_id = None

    def get_id(self) -> str:
        """What Flask-Login keeps in the cookie: the user and their server-side sign-in session."""
        return f"{self.id}:{self.login_session_id or ''}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class Membership(db.Model):
    """A user's request to belong to an organisation, and its outcome."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    #: a key of ``choices.MEMBERSHIP_STATUSES``
    status: Mapped[str] = mapped_column(String(20), default="pending")
    #: representatives approve membership requests for their organisation
    is_representative: Mapped[bool] = mapped_column(Boolean, default=False)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(back_populates="memberships", foreign_keys=[user_id])
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class LoginSession(db.Model):
    """A signed-in browser. Deleting the row signs that browser out, whatever its cookie says."""

    __tablename__ = "login_sessions"

    #: random, unguessable; kept in the session cookie next to the user id
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the browser's own description, shown in the list of one's sessions
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship()


class ApiToken(db.Model):
    """A personal access token for the JSON API; only a hash of it is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: the owner's label for it ("reporting script")
    name: Mapped[str] = mapped_column(String(80))
    #: SHA-256 of the token, hex
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: the token's first characters, shown so the owner can tell tokens apart
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class AuditEntry(db.Model):
    """One administrative change to an account or organisation: who did what, to whom, when."""

    __tablename__ = "account_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: who acted (None when done from the command line)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: the user affected, if any
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    #: a key of ``choices.AUDIT_ACTIONS``
    action: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(String(200))
    new_value: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    organisation: Mapped[Organisation | None] = relationship()
