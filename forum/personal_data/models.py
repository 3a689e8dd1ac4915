"""Copies of a person's data, and the log of privileged reads of other people's personal data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.core.db import UTCDateTime, utcnow
from forum.extensions import db


class DataExport(db.Model):
    """A person's request for a copy of their data ("Download my data"): a ZIP of JSON and readable HTML, prepared
    at once when small and in the background when large, then downloaded once through a link that expires."""

    __tablename__ = "personal_data_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: a key of ``choices.EXPORT_STATUSES``: pending, ready, downloaded, expired, failed
    status: Mapped[str] = mapped_column(String(20), default="pending")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the link stops working then, and the file is removed
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    downloaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: SHA-256 (hex) of the secret in the download link (the link itself is only in the e-mail sent)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: where the ZIP is kept (``forum.core.storage``) until it is downloaded or expires
    storage_key: Mapped[str | None] = mapped_column(String(255))
    #: the ZIP's size in bytes
    size: Mapped[int | None] = mapped_column(Integer)

    user: Mapped[User] = relationship()


class AccessEntry(db.Model):
    """One read of other people's personal data by someone whose role allows it (an attendee list, an export):
    who read what, about how many people, when."""

    __tablename__ = "personal_data_access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: who read it (None once their account is deleted)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: a key of ``choices.ACCESS_ACTIONS``
    action: Mapped[str] = mapped_column(String(40))
    #: the kind and id of what was read ("event" 12, "user" 7)
    subject_kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    #: how many people's data it showed
    people: Mapped[int | None] = mapped_column(Integer)

    actor: Mapped[User | None] = relationship()
