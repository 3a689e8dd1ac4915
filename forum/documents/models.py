"""Document libraries: documents with bilingual metadata and access levels, their file versions, and the
threads (later consultations and events) they are linked to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import Organisation, User
from forum.core.db import UTCDateTime, utcnow
from forum.extensions import db
from forum.platforms.models import Platform

document_tags = Table(
    "document_tags",
    db.metadata,
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)

document_threads = Table(
    "document_threads",
    db.metadata,
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("thread_id", ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Document(db.Model):
    """A document in a platform's library (or the general library when ``platform_id`` is None)."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: None: the general library
    platform_id: Mapped[int | None] = mapped_column(ForeignKey("platforms.id", ondelete="SET NULL"), index=True)
    title_es: Mapped[str] = mapped_column(String(200), default="")
    title_en: Mapped[str] = mapped_column(String(200), default="")
    description_es: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    #: a key of ``choices.DOCUMENT_TYPES``
    kind: Mapped[str] = mapped_column(String(20))
    #: the language of the file: ``es``, ``en``, ``both`` or ``other``
    language: Mapped[str] = mapped_column(String(5))
    year: Mapped[int | None] = mapped_column(Integer)
    #: the organisation that published it, if known
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    #: ``public``, ``registered``, ``members`` (of its platform) or ``organisation`` (the uploader's)
    access: Mapped[str] = mapped_column(String(20), default="public")
    #: the organisation whose members may read it when ``access`` is ``organisation``
    access_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: downloads of any of its versions
    download_count: Mapped[int] = mapped_column(Integer, default=0)
    #: set when a moderator or administrator removes it (it disappears for everyone else)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    platform: Mapped[Platform | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship(foreign_keys=[organisation_id])
    access_organisation: Mapped[Organisation | None] = relationship(foreign_keys=[access_organisation_id])
    uploader: Mapped[User | None] = relationship()
    versions: Mapped[list[DocumentVersion]] = relationship(back_populates="document",
                                                           order_by="DocumentVersion.number.desc()")


class DocumentVersion(db.Model):
    """One uploaded file of a document; the highest number is the current one."""

    __tablename__ = "document_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    #: the generated name under the storage folder (never the uploader's file name)
    storage_key: Mapped[str] = mapped_column(String(100))
    #: the uploader's file name, only shown and sent back in Content-Disposition, never used as a path
    original_name: Mapped[str] = mapped_column(String(255))
    #: the detected type, a key of ``files.ACCEPTED``
    file_type: Mapped[str] = mapped_column(String(10))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: ``pending``, ``done``, ``failed`` or ``none`` (a type without text, such as images)
    text_status: Mapped[str] = mapped_column(String(10), default="pending")
    #: the extracted text, for search
    text: Mapped[str | None] = mapped_column(Text)
    download_count: Mapped[int] = mapped_column(Integer, default=0)

    document: Mapped[Document] = relationship(back_populates="versions")
    uploader: Mapped[User | None] = relationship()
