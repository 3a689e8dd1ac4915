"""Documents in search: found by their title and description, and by the text extracted from their current file,
dated by when they were added; who finds them is :func:`forum.documents.rules.readable_documents`. Removed
documents leave the index.

The file's text goes with the language the uploader gave it: Spanish or English, both for a bilingual file, and
for a file in another language the languages its title and description are written in (so the language filter
still says which language a reader can use to learn what it is)."""

from __future__ import annotations

from collections.abc import Sequence

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.documents import rules
from forum.documents.models import Document, DocumentVersion
from forum.extensions import db
from forum.i18n import localized
from forum.platforms.models import Platform
from forum.search.kinds import Described, Entry, Kind, Watch, register

LANGUAGES = ("es", "en")


def _current_texts(document_ids: Sequence[int]) -> dict[int, str]:
    """The extracted text of each document's current (highest-numbered) version, where there is one."""
    newest = (select(DocumentVersion.document_id, func.max(DocumentVersion.number).label("number"))
              .where(DocumentVersion.document_id.in_(document_ids)).group_by(DocumentVersion.document_id).subquery())
    rows = db.session.execute(
        select(DocumentVersion.document_id, DocumentVersion.text)
        .join(newest, and_(DocumentVersion.document_id == newest.c.document_id,
                           DocumentVersion.number == newest.c.number)))
    return {document_id: text for document_id, text in rows if text}


def _file_languages(document: Document) -> tuple[str, ...]:
    """The body columns the file's text goes in."""
    if document.language in LANGUAGES:
        return (document.language,)
    if document.language == "both":
        return LANGUAGES
    return tuple(language for language in LANGUAGES
                 if getattr(document, f"title_{language}") or getattr(document, f"description_{language}"))


def document_entries(ids: Sequence[int]) -> list[Entry]:
    """Documents as found: title, description and their current file's text."""
    documents = db.session.scalars(select(Document).where(Document.id.in_(ids), Document.removed_at.is_(None))).all()
    texts = _current_texts([document.id for document in documents])
    entries = []
    for document in documents:
        in_file = _file_languages(document)
        columns = {}
        for language in LANGUAGES:
            body = [getattr(document, f"description_{language}"),
                    texts.get(document.id, "") if language in in_file else ""]
            columns[f"title_{language}"] = getattr(document, f"title_{language}")
            columns[f"body_{language}"] = "\n\n".join(part for part in body if part)
        entries.append(Entry(kind="document", object_id=document.id, dated_at=document.created_at, **columns))
    return entries


def findable_documents(user: User | None, platform: Platform | None) -> Select:
    """Ids of the documents ``user`` may read (in ``platform``'s library)."""
    query = select(Document.id).where(rules.readable_documents(user))
    return query.where(Document.platform_id == platform.id) if platform is not None else query


def describe_documents(ids: Sequence[int]) -> dict[int, Described]:
    """Documents as results: their title, in their library."""
    described = {}
    for document in db.session.scalars(select(Document).where(Document.id.in_(ids))
                                       .options(joinedload(Document.platform))):
        title, language, _fallback = localized(document, "title")
        library = localized(document.platform, "name")[0] if document.platform is not None else _("General library")
        described[document.id] = Described(title=title, language=language,
                                           url=url_for("documents.show", document_id=document.id), context=library,
                                           when=document.created_at)
    return described


register(Kind(
    name="document", label=_l("Documents"), one=_l("Document"), entries=document_entries,
    every_id=lambda: select(Document.id),
    findable=findable_documents, describe=describe_documents,
    watches=(Watch(Document, ("title_es", "title_en", "description_es", "description_en", "language", "removed_at"),
                   lambda document: [("document", document.id)]),
             Watch(DocumentVersion, ("text",), lambda version: [("document", version.document_id)]))))
