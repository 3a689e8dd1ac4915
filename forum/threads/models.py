"""Threads, posts, their edit history and translations, reactions, tags, follows and read positions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.accounts.models import User
from forum.core.db import UTCDateTime, utcnow
from forum.extensions import db
from forum.platforms.models import Platform

thread_tags = Table(
    "thread_tags",
    db.metadata,
    Column("thread_id", ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(db.Model):
    """A free keyword that groups threads across a platform ("reforma-judicial", "oaxaca")."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: lower-case letters, digits and hyphens
    name: Mapped[str] = mapped_column(String(40), unique=True)


class Thread(db.Model):
    """A conversation on a platform: a title and its posts, the first of which opens it."""

    __tablename__ = "threads"
    __table_args__ = (Index("ix_threads_platform_activity", "platform_id", "last_activity_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    #: ``discussion``, ``question`` or ``announcement``
    kind: Mapped[str] = mapped_column(String(20), default="discussion")
    #: the language of the opening post, ``es`` or ``en``
    language: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: when the last visible post was written; the default order of thread lists
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: replies, not counting the opening post or deleted posts
    reply_count: Mapped[int] = mapped_column(Integer, default=0)
    #: the id of the newest post (for "unread" marks)
    last_post_id: Mapped[int | None] = mapped_column(Integer)
    is_locked: Mapped[bool] = mapped_column(Boolean, default=False)
    is_pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    #: ``visible``; ``held`` while its opening post awaits review; ``hidden`` by the moderators; ``rejected``
    status: Mapped[str] = mapped_column(String(10), default="visible")
    #: why the moderators hid it (a key of ``forum.moderation.choices.REASONS``)
    moderation_reason: Mapped[str | None] = mapped_column(String(20))

    platform: Mapped[Platform] = relationship()
    author: Mapped[User | None] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=thread_tags, order_by=Tag.name)


class Post(db.Model):
    """One message in a thread, kept as Markdown and as the sanitised HTML rendered from it."""

    __tablename__ = "posts"
    #: posts by date: the indicators count the posts of a month (``forum.indicators.activity``)
    __table_args__ = (Index("ix_posts_thread_id_id", "thread_id", "id"), Index("ix_posts_created_at", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: the post this one answers or quotes, if any
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    #: the language the author wrote in, ``es`` or ``en``
    language: Mapped[str] = mapped_column(String(5))
    body_source: Mapped[str] = mapped_column(Text)
    #: rendered once at write time by ``forum.core.text.render``
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: set when the author or a moderator changes the text (the "edited" mark)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: increases with every edit of the original; translations remember the one they were made from
    revision: Mapped[int] = mapped_column(Integer, default=1)
    #: soft deletion keeps the conversation readable ("deleted by its author")
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: ``visible``; ``held`` awaiting review (pre-moderation); ``hidden`` by the moderators; ``rejected``
    status: Mapped[str] = mapped_column(String(10), default="visible")
    #: why the moderators hid it (a key of ``forum.moderation.choices.REASONS``)
    moderation_reason: Mapped[str | None] = mapped_column(String(20))
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    thanks_count: Mapped[int] = mapped_column(Integer, default=0)

    thread: Mapped[Thread] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    translations: Mapped[list[PostTranslation]] = relationship(back_populates="post",
                                                               order_by="PostTranslation.language")

    @property
    def is_deleted(self) -> bool:
        """True once the post was deleted (its text is no longer shown)."""
        return self.deleted_at is not None


class PostTranslation(db.Model):
    """The current translation of a post into the other language, and who made it."""

    __tablename__ = "post_translations"
    __table_args__ = (UniqueConstraint("post_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(5))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    translator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: ``author``, ``official`` (a colleague from the author's organisation), ``moderator`` or ``community``
    provenance: Mapped[str] = mapped_column(String(20))
    #: the post's ``revision`` this translation was made from; older means outdated
    source_revision: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    post: Mapped[Post] = relationship(back_populates="translations")
    translator: Mapped[User | None] = relationship()

    @property
    def is_outdated(self) -> bool:
        """The original was edited after this translation was written."""
        return self.source_revision < self.post.revision


class PostRevision(db.Model):
    """An earlier text of a post or of one of its translations (the history moderators may read)."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    #: the language of the text; equal to the post's language for the original, else a translation's
    language: Mapped[str] = mapped_column(String(5))
    #: True for a translation's text, False for the original's
    is_translation: Mapped[bool] = mapped_column(Boolean, default=False)
    body_source: Mapped[str] = mapped_column(Text)
    #: who wrote this text, and when it was replaced
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    editor: Mapped[User | None] = relationship(foreign_keys=[editor_id])
    replaced_by: Mapped[User | None] = relationship(foreign_keys=[replaced_by_id])


class Reaction(db.Model):
    """A person's "support" or "thanks" on a post (once each)."""

    __tablename__ = "reactions"
    __table_args__ = (UniqueConstraint("post_id", "user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: ``support`` or ``thanks``
    kind: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ThreadReader(db.Model):
    """What one person does with one thread: how far they read and whether they follow it."""

    __tablename__ = "thread_readers"
    __table_args__ = (UniqueConstraint("thread_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: the newest post id seen on a page of the thread
    last_read_post_id: Mapped[int] = mapped_column(Integer, default=0)
    following: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
