"""Consultations on policy drafts: the consultation, the versions of its bilingual draft with their numbered
paragraphs, the record of its lifecycle, the participants' comments (with translations) and the official answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import Organisation, User
from forum.core.db import UTCDateTime, utcnow
from forum.extensions import db
from forum.platforms.models import Platform

consultation_documents = Table(
    "consultation_documents",
    db.metadata,
    Column("consultation_id", ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Consultation(db.Model):
    """A government organisation's public consultation on a policy draft.

    Its phase follows from its dates (see ``lifecycle``): a draft until published, then scheduled, open from
    ``opens_at``, closed from ``closes_at`` (or when closed early), and answered once the report is published.
    """

    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the agency that consults: a verified government organisation
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"), index=True)
    title_es: Mapped[str] = mapped_column(String(200), default="")
    title_en: Mapped[str] = mapped_column(String(200), default="")
    #: Markdown source and the sanitised HTML rendered from it, in each language
    summary_es: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    summary_html_es: Mapped[str] = mapped_column(Text, default="")
    summary_html_en: Mapped[str] = mapped_column(Text, default="")
    #: the question the agency asks the participants
    question_es: Mapped[str] = mapped_column(String(500), default="")
    question_en: Mapped[str] = mapped_column(String(500), default="")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: None while a draft, seen by the agency's officials and administrators only
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: set when an official closes it before ``closes_at``
    closed_early_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: set when the agency publishes its report: the consultation is then "answered"
    report_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the agency's summary of what it took from the consultation, published with the report (Markdown and HTML)
    report_summary_es: Mapped[str] = mapped_column(Text, default="")
    report_summary_en: Mapped[str] = mapped_column(Text, default="")
    report_summary_html_es: Mapped[str] = mapped_column(Text, default="")
    report_summary_html_en: Mapped[str] = mapped_column(Text, default="")
    #: the highest paragraph number the draft has used (numbers are never given twice)
    last_paragraph: Mapped[int] = mapped_column(Integer, default=0)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    platform: Mapped[Platform] = relationship()
    author: Mapped[User | None] = relationship()
    versions: Mapped[list[DraftVersion]] = relationship(back_populates="consultation", cascade="all, delete-orphan",
                                                        order_by="DraftVersion.number")

    def __repr__(self) -> str:
        return f"<Consultation {self.id} {self.title_es or self.title_en}>"


class DraftVersion(db.Model):
    """One version of the draft; the highest number is the current one."""

    __tablename__ = "consultation_versions"
    __table_args__ = (UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    #: what changed, in each language (empty for the first version)
    note_es: Mapped[str] = mapped_column(Text, default="")
    note_en: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="versions")
    author: Mapped[User | None] = relationship()
    paragraphs: Mapped[list[VersionParagraph]] = relationship(back_populates="version", cascade="all, delete-orphan",
                                                              order_by="VersionParagraph.position")


class VersionParagraph(db.Model):
    """A paragraph of one version, in both languages, under its stable number (``key``): comments on
    paragraph 3 belong to paragraph 3 in both languages and in every version that keeps it."""

    __tablename__ = "consultation_paragraphs"
    __table_args__ = (UniqueConstraint("version_id", "key"),
                      Index("ix_consultation_paragraphs_version_position", "version_id", "position"))

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("consultation_versions.id", ondelete="CASCADE"))
    #: the paragraph's number, shared by both languages and kept across versions
    key: Mapped[int] = mapped_column(Integer)
    #: order within the version
    position: Mapped[int] = mapped_column(Integer)
    #: the section it belongs to (0: before the first heading) and that section's heading in each language
    section: Mapped[int] = mapped_column(Integer, default=0)
    heading_es: Mapped[str] = mapped_column(String(300), default="")
    heading_en: Mapped[str] = mapped_column(String(300), default="")
    #: Markdown source and sanitised HTML in each language (either may be empty: the other is shown, marked)
    text_es: Mapped[str] = mapped_column(Text, default="")
    text_en: Mapped[str] = mapped_column(Text, default="")
    html_es: Mapped[str] = mapped_column(Text, default="")
    html_en: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[DraftVersion] = relationship(back_populates="paragraphs")


class LifecycleChange(db.Model):
    """A change to a consultation's course, shown on its page: published, closed early, extended, new version,
    report published."""

    __tablename__ = "consultation_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    #: a key of ``choices.CHANGES``
    action: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the dates before and after, for extensions and early closing (ISO 8601, UTC)
    old_value: Mapped[str | None] = mapped_column(String(40))
    new_value: Mapped[str | None] = mapped_column(String(40))
    #: the official's explanation, in the language they wrote it in
    note: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship()


class Comment(db.Model):
    """A participant's comment on the whole draft or on one paragraph, or a reply to another comment. Kept as
    Markdown and as the sanitised HTML rendered from it, moderated like posts."""

    __tablename__ = "consultation_comments"
    __table_args__ = (Index("ix_consultation_comments_consultation_paragraph", "consultation_id", "paragraph_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"))
    #: the version of the draft the comment was made on
    version_id: Mapped[int | None] = mapped_column(ForeignKey("consultation_versions.id", ondelete="SET NULL"))
    #: the paragraph's stable number; None: the whole draft
    paragraph_key: Mapped[int | None] = mapped_column(Integer)
    #: the comment this one replies to (replies carry the paragraph of what they answer)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("consultation_comments.id", ondelete="CASCADE"),
                                                  index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: a key of ``choices.COMMENT_KINDS`` (``reply`` for replies)
    kind: Mapped[str] = mapped_column(String(20))
    #: for a proposal: the wording the commenter suggests for the paragraph (Markdown), if any
    replacement_text: Mapped[str] = mapped_column(Text, default="")
    replacement_html: Mapped[str] = mapped_column(Text, default="")
    #: the language the commenter wrote in, ``es`` or ``en``
    language: Mapped[str] = mapped_column(String(5))
    body_source: Mapped[str] = mapped_column(Text)
    #: rendered once at write time by ``forum.core.text.render``
    body_html: Mapped[str] = mapped_column(Text)
    #: ``visible``; ``held`` while it awaits review; ``hidden`` by the moderators; ``rejected``
    status: Mapped[str] = mapped_column(String(10), default="visible")
    moderation_reason: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the author withdrew it (its place stays, without its text)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    consultation: Mapped[Consultation] = relationship()
    version: Mapped[DraftVersion | None] = relationship()
    author: Mapped[User | None] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id])
    answer: Mapped[Answer | None] = relationship(back_populates="comment", uselist=False)
    translations: Mapped[list[CommentTranslation]] = relationship(back_populates="comment",
                                                                  cascade="all, delete-orphan")


class CommentTranslation(db.Model):
    """A comment in the other language, with who translated it (as for posts)."""

    __tablename__ = "consultation_comment_translations"
    __table_args__ = (UniqueConstraint("comment_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("consultation_comments.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(5))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    translator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: who translated: the author, an official of the consulting organisation, a moderator or a translator
    provenance: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="translations")
    translator: Mapped[User | None] = relationship()


class Answer(db.Model):
    """The consulting organisation's public answer to one comment: a status and an explanation in both
    languages."""

    __tablename__ = "consultation_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("consultation_comments.id", ondelete="CASCADE"), unique=True)
    #: a key of ``choices.ANSWER_STATUSES``
    status: Mapped[str] = mapped_column(String(20))
    explanation_es: Mapped[str] = mapped_column(Text, default="")
    explanation_en: Mapped[str] = mapped_column(Text, default="")
    explanation_html_es: Mapped[str] = mapped_column(Text, default="")
    explanation_html_en: Mapped[str] = mapped_column(Text, default="")
    #: the official who answered last
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="answer")
    author: Mapped[User | None] = relationship()
