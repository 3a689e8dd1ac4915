"""Reading documents: library lists with their filters and sorting, single documents and versions as a given
person may see them (None for what does not exist or is not theirs to see), tags, linked threads and where a
document is referenced. Everything obeys ``rules.readable_documents`` / ``rules.can_read``."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.core.db import MAX_ID
from forum.documents import rules
from forum.documents.choices import DOCUMENT_TYPES, FILE_LANGUAGES, SORTS
from forum.documents.models import Document, DocumentVersion, document_tags, document_threads
from forum.extensions import db
from forum.platforms.models import Platform
from forum.threads import rules as thread_rules
from forum.threads.models import Tag, Thread

DOCUMENTS_PER_PAGE = 20


def document_list(user: User | None, *, platform_slug: str | None = None, general: bool = False,
                  kind: str | None = None, language: str | None = None, organisation_id: int | None = None,
                  year: int | None = None, tag: str | None = None, sort: str = "newest") -> Select:
    """Documents ``user`` may see: of one platform's library (``platform_slug``), of the general library
    (``general``), or all; filtered and sorted (newest, title, downloads, year). Unknown filter values are
    ignored; an unknown platform gives an empty list."""
    query = select(Document).where(rules.readable_documents(user)).options(
        joinedload(Document.platform), joinedload(Document.organisation), joinedload(Document.uploader))
    if general:
        query = query.where(Document.platform_id.is_(None))
    elif platform_slug:
        query = query.where(Document.platform_id.in_(select(Platform.id).where(Platform.slug == platform_slug)))
    if kind in DOCUMENT_TYPES:
        query = query.where(Document.kind == kind)
    if language in FILE_LANGUAGES:
        query = query.where(Document.language == language)
    if isinstance(organisation_id, int) and 0 < organisation_id <= MAX_ID:
        query = query.where(Document.organisation_id == organisation_id)
    if isinstance(year, int) and 0 < year < 10_000:
        query = query.where(Document.year == year)
    if tag:
        query = query.where(Document.id.in_(
            select(document_tags.c.document_id).join(Tag, Tag.id == document_tags.c.tag_id).where(Tag.name == tag)))
    sort = sort if sort in SORTS else "newest"
    order = {
        "newest": (Document.created_at.desc(),),
        "title": (func.lower(func.coalesce(func.nullif(Document.title_es, ""), Document.title_en)),),
        "downloads": (Document.download_count.desc(),),
        "year": (Document.year.is_(None), Document.year.desc()),
    }[sort]
    return query.order_by(*order, Document.id.desc())


def visible_document(user: User | None, document_id: int) -> Document | None:
    """The document, if it exists and ``user`` may see it."""
    if not isinstance(document_id, int) or not 0 < document_id <= MAX_ID:
        return None
    document = db.session.get(Document, document_id, options=[joinedload(Document.platform)])
    return document if document is not None and rules.can_read(user, document) else None


def latest_version(document: Document) -> DocumentVersion | None:
    """The current (highest-numbered) version of the document."""
    return db.session.scalar(select(DocumentVersion).where(DocumentVersion.document_id == document.id)
                             .order_by(DocumentVersion.number.desc()).limit(1))


def version(document: Document, number: int) -> DocumentVersion | None:
    """Version ``number`` of the document, if it exists (the caller has checked that the document is visible)."""
    if not isinstance(number, int) or not 0 < number <= MAX_ID:
        return None
    return db.session.scalar(select(DocumentVersion).where(DocumentVersion.document_id == document.id,
                                                           DocumentVersion.number == number))


def versions(document: Document) -> list[DocumentVersion]:
    """Every version of the document, newest first."""
    return list(db.session.scalars(select(DocumentVersion).where(DocumentVersion.document_id == document.id)
                                   .order_by(DocumentVersion.number.desc())))


def tags_of(document: Document) -> list[str]:
    """The document's tags, alphabetically."""
    return list(db.session.scalars(select(Tag.name).join(document_tags, document_tags.c.tag_id == Tag.id)
                                   .where(document_tags.c.document_id == document.id).order_by(Tag.name)))


def threads_of(user: User | None, document: Document) -> list[Thread]:
    """The threads the document is linked to (where it is referenced) that ``user`` may read."""
    return list(db.session.scalars(
        select(Thread).join(document_threads, document_threads.c.thread_id == Thread.id)
        .where(document_threads.c.document_id == document.id, thread_rules.readable_threads(user))
        .options(joinedload(Thread.platform)).order_by(Thread.id)))


def documents_of_thread(user: User | None, thread: Thread) -> list[Document]:
    """The documents linked to ``thread`` that ``user`` may see, newest first."""
    return list(db.session.scalars(
        select(Document).join(document_threads, document_threads.c.document_id == Document.id)
        .where(document_threads.c.thread_id == thread.id, rules.readable_documents(user))
        .order_by(Document.created_at.desc(), Document.id.desc())))


def tags_in_use(user: User | None, platform: Platform | None = None, *, general: bool = False,
                limit: int = 30) -> list[str]:
    """The most used tags of the documents ``user`` may see (of one library), for the filter."""
    query = (select(Tag.name, func.count()).join(document_tags, document_tags.c.tag_id == Tag.id)
             .join(Document, Document.id == document_tags.c.document_id).where(rules.readable_documents(user)))
    if platform is not None:
        query = query.where(Document.platform_id == platform.id)
    elif general:
        query = query.where(Document.platform_id.is_(None))
    rows = db.session.execute(query.group_by(Tag.name).order_by(func.count().desc(), Tag.name).limit(limit))
    return [name for name, _count in rows]


def years_in_use(user: User | None) -> list[int]:
    """The years of the documents ``user`` may see, newest first, for the filter."""
    return list(db.session.scalars(select(Document.year).where(rules.readable_documents(user),
                                                                Document.year.is_not(None))
                                   .distinct().order_by(Document.year.desc())))
