"""Linking library documents to other things (an event's materials, a consultation's attachments): one way to
replace the linked documents, and one way to read those a person may see. A person links only documents they
may see; links to documents they may not see are kept as they are (a co-organiser does not unlink what only
another organiser sees)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Column, Table, select

from forum.accounts.models import User
from forum.core.db import whole_number
from forum.core.errors import ActionRefused
from forum.documents import queries, rules
from forum.documents.models import Document
from forum.extensions import db

#: the most documents one thing links
MAX_LINKS = 30


def _references(value: Any) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [v for v in value.replace(";", ",").split(",") if v.strip()]
    if not isinstance(value, list | tuple):
        raise ActionRefused(_("Send a list."), field="documents")
    return list(value)


def linked_ids(table: Table, owner: Column, owner_id: int) -> list[int]:
    """Every document linked to the owner, whoever may see it."""
    return list(db.session.scalars(select(table.c.document_id).where(owner == owner_id)))


def replace(user: User, table: Table, owner: Column, owner_id: int, document_ids: Any) -> list[int]:
    """Link exactly ``document_ids`` (those ``user`` may see) to the owner, keeping links ``user`` cannot see.
    Returns every linked id."""
    wanted: list[int] = []
    for reference in _references(document_ids)[:MAX_LINKS + 1]:
        number = reference if isinstance(reference, int) and not isinstance(reference, bool) else \
            whole_number(str(reference))
        if number is None or queries.visible_document(user, number) is None:
            raise ActionRefused(_("You can only link documents of the library that you can see."), field="documents")
        if number not in wanted:
            wanted.append(number)
    if len(wanted) > MAX_LINKS:
        raise ActionRefused(_("Link at most %(max)d documents.", max=MAX_LINKS), field="documents")
    unseen = [d for d in linked_ids(table, owner, owner_id) if queries.visible_document(user, d) is None]
    wanted += [d for d in unseen if d not in wanted]
    db.session.execute(table.delete().where(owner == owner_id))
    if wanted:
        db.session.execute(table.insert(), [{owner.key: owner_id, "document_id": d} for d in wanted])
    return wanted


def readable(user: User | None, table: Table, owner: Column, owner_id: int) -> list[Document]:
    """The linked documents ``user`` may see, by title."""
    return list(db.session.scalars(select(Document).join(table, table.c.document_id == Document.id).where(
        owner == owner_id, rules.readable_documents(user)).order_by(Document.title_es, Document.id)))


def offered(user: User, linked: list[Document], limit: int = 100) -> list[Document]:
    """What a linking form offers: the documents already linked, then the most recent ones ``user`` may see."""
    recent = db.session.scalars(queries.document_list(user).limit(limit))
    return linked + [document for document in recent if document not in linked]
