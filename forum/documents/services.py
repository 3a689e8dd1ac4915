"""Every change to documents: upload, new versions, metadata edits, removal and download counts. Services check
permissions (``rules``) and input, write and flush; the caller commits once. Text extraction runs after that
commit (``extraction.extract_after_commit``).

Files are stored first (``forum.core.storage``, under a generated key, with their SHA-256), then checked by
extension and content (``files.detect``); a refused file is deleted at once. The same file uploaded twice is
recognised by its SHA-256 and refused with a link to the document that has it (when the uploader may see it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, event, func, insert, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from forum.accounts.models import Organisation, User
from forum.accounts.rules import approved_memberships
from forum.core.db import MAX_ID, utcnow
from forum.core.errors import ActionRefused
from forum.core.storage import LocalStorage, Saved, TooLarge, storage
from forum.documents import extraction, files, rules
from forum.documents.choices import ACCESS_LEVELS, DOCUMENT_TYPES, FILE_LANGUAGES
from forum.documents.models import Document, DocumentVersion, document_tags, document_threads
from forum.extensions import db
from forum.moderation import log as moderation_log
from forum.moderation.choices import REASONS
from forum.moderation.targets import Described
from forum.platforms import rules as platform_rules
from forum.platforms.models import Platform
from forum.threads import queries as thread_queries
from forum.threads.models import Tag
from forum.threads.services import parse_tags

TITLE_MAX = 200
DESCRIPTION_MAX = 5_000
NOTE_MAX = 1_000
MAX_THREADS = 20
FIRST_YEAR = 1900
METADATA = ("title_es", "title_en", "description_es", "description_en", "kind", "language", "year",
            "organisation_id", "access", "tags", "thread_ids")


def _not_found() -> ActionRefused:
    return ActionRefused(_("Not found."), status=404, code="not_found")


def _forbidden(message: str) -> ActionRefused:
    return ActionRefused(message, status=403, code="forbidden")


def _choose() -> str:
    return _("Please choose one of the options offered.")


def upload_limit() -> int:
    """The largest file accepted, in bytes (``FORUM_MAX_UPLOAD_MB``)."""
    return int(current_app.config.get("FORUM_MAX_UPLOAD_MB") or 25) * 1024 * 1024


def too_large() -> ActionRefused:
    """The refusal of a file over the size limit (413)."""
    return ActionRefused(_("The file is larger than the limit of %(mb)d MB.",
                           mb=int(current_app.config.get("FORUM_MAX_UPLOAD_MB") or 25)),
                         status=413, code="too_large", field="file")


# --- files --------------------------------------------------------------------------------------------------

@dataclass
class StoredFile:
    """An uploaded file, stored and checked."""

    saved: Saved
    kind: files.FileType
    name: str


def store_file(file: FileStorage | None) -> StoredFile:
    """Store an uploaded file under a generated key and check its type; refused files are not kept."""
    if file is None or not getattr(file, "filename", None):
        raise ActionRefused(_("Please choose a file to upload. Accepted types: %(types)s.",
                              types=files.accepted_list()), field="file")
    name = files.clean_name(file.filename)
    place = storage()
    try:
        saved = place.save(file.stream, limit=upload_limit())
    except TooLarge as error:
        raise too_large() from error
    if saved.size == 0:
        place.delete(saved.key)
        raise ActionRefused(_("The file is empty."), field="file")
    try:
        with place.open(saved.key) as stream:
            kind = files.detect(name, stream)
    except BaseException:
        place.delete(saved.key)
        raise
    return StoredFile(saved=saved, kind=kind, name=name)


_NEW_FILES = "forum_documents_new_files"


def _forget_unless_committed(key: str) -> None:
    """Delete the stored file ``key`` if the transaction that records it is rolled back."""
    db.session.info.setdefault(_NEW_FILES, []).append((storage().root, key))


@event.listens_for(Session, "after_commit")
def _keep_new_files(session: Session) -> None:
    session.info.pop(_NEW_FILES, None)


@event.listens_for(Session, "after_rollback")
def _delete_new_files(session: Session) -> None:
    for root, key in session.info.pop(_NEW_FILES, []):
        LocalStorage(root).delete(key)


def same_file(user: User | None, sha256: str) -> Document | None:
    """A document ``user`` may see that already holds a file with this SHA-256 (any version), if any."""
    return db.session.scalar(
        select(Document).join(DocumentVersion, DocumentVersion.document_id == Document.id)
        .where(DocumentVersion.sha256 == sha256, rules.readable_documents(user)).limit(1))


def _refuse_duplicate(user: User, stored: StoredFile) -> None:
    existing = same_file(user, stored.saved.sha256)
    if existing is not None:
        storage().delete(stored.saved.key)
        raise ActionRefused(_("This file is already in the library: “%(title)s” (document %(id)d).",
                              title=existing.title_es or existing.title_en, id=existing.id),
                            status=409, code="duplicate", field="file")


def _version(document: Document, stored: StoredFile, user: User, number: int, note: str) -> DocumentVersion:
    version = DocumentVersion(
        document=document, number=number, storage_key=stored.saved.key, original_name=stored.name,
        file_type=stored.kind.name, content_type=stored.kind.content_type, size=stored.saved.size,
        sha256=stored.saved.sha256, note=note, uploader_id=user.id,
        text_status=extraction.initial_status(stored.kind.name))
    db.session.add(version)
    return version


# --- metadata -----------------------------------------------------------------------------------------------

def _text(value: Any, field: str, maximum: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ActionRefused(_("The field %(field)s must be text.", field=field), field=field)
    value = value.strip()
    if len(value) > maximum:
        raise ActionRefused(_("This field can have at most %(max)d characters.", max=maximum), field=field)
    return value


def _year(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = 0
    latest = datetime.now(UTC).year + 1
    if isinstance(value, bool) or not FIRST_YEAR <= year <= latest:
        raise ActionRefused(_("Please give a year between %(first)d and %(last)d.", first=FIRST_YEAR, last=latest),
                            field="year")
    return year


def _organisation(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if isinstance(value, bool) or number <= 0 or number > MAX_ID or db.session.get(Organisation, number) is None:
        raise ActionRefused(_("Please choose one of the options offered."), field="organisation_id")
    return number


def _access_organisation(user: User, access: str, organisation_id: int | None, current: int | None) -> int | None:
    """The organisation an ``organisation``-only document belongs to: the publishing organisation when the
    uploader is an approved member of it, else the uploader's (first) organisation; kept when already set."""
    if access != "organisation":
        return None
    mine = [m.organisation_id for m in approved_memberships(user)]
    if current is not None and (current in mine or not mine):
        return current
    if organisation_id in mine:
        return organisation_id
    if mine:
        return mine[0]
    raise ActionRefused(_("Only members of an organisation can limit a document to their organisation."),
                        field="access")


def _threads(user: User, ids: Any) -> list[int]:
    if ids in (None, ""):
        return []
    if isinstance(ids, str):
        ids = [part for part in ids.replace(",", " ").split() if part]
    if not isinstance(ids, list | tuple):
        raise ActionRefused(_("Give the threads as a list of their numbers."), field="thread_ids")
    found: list[int] = []
    for value in ids:
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        thread = thread_queries.visible_thread(user, number) if 0 < number <= MAX_ID and not isinstance(
            value, bool) else None
        if thread is None:
            raise ActionRefused(_("There is no thread %(id)s that you can read.", id=str(value)[:20]),
                                field="thread_ids")
        if thread.id not in found:
            found.append(thread.id)
    if len(found) > MAX_THREADS:
        raise ActionRefused(_("At most %(max)d linked threads.", max=MAX_THREADS), field="thread_ids")
    return found


def _tag_ids(names: list[str]) -> list[int]:
    existing = {t.name: t for t in db.session.scalars(select(Tag).where(Tag.name.in_(names)))} if names else {}
    tags = []
    for name in names:
        tag = existing.get(name)
        if tag is None:
            tag = Tag(name=name)
            db.session.add(tag)
        tags.append(tag)
    db.session.flush()
    return [tag.id for tag in tags]


def _set_links(document: Document, *, tags: list[str] | None = None, thread_ids: list[int] | None = None) -> None:
    if tags is not None:
        db.session.execute(delete(document_tags).where(document_tags.c.document_id == document.id))
        ids = _tag_ids(tags)
        if ids:
            db.session.execute(insert(document_tags), [{"document_id": document.id, "tag_id": i} for i in ids])
    if thread_ids is not None:
        db.session.execute(delete(document_threads).where(document_threads.c.document_id == document.id))
        if thread_ids:
            db.session.execute(insert(document_threads),
                               [{"document_id": document.id, "thread_id": i} for i in thread_ids])


def _metadata(user: User, platform: Platform | None, values: dict, document: Document | None = None) -> dict:
    """Check metadata fields (all of them for a new document, those given for an edit)."""
    checked: dict[str, Any] = {}
    for field in ("title_es", "title_en"):
        if field in values:
            checked[field] = " ".join(_text(values[field], field, TITLE_MAX).split())
    for field in ("description_es", "description_en"):
        if field in values:
            checked[field] = _text(values[field], field, DESCRIPTION_MAX)
    title_es = checked.get("title_es", document.title_es if document else "")
    title_en = checked.get("title_en", document.title_en if document else "")
    if not (title_es or title_en):
        raise ActionRefused(_("Please give a title in Spanish or in English."), field="title_es")
    if "kind" in values or document is None:
        if values.get("kind") not in DOCUMENT_TYPES:
            raise ActionRefused(_choose(), field="kind")
        checked["kind"] = values["kind"]
    if "language" in values or document is None:
        if values.get("language") not in FILE_LANGUAGES:
            raise ActionRefused(_choose(), field="language")
        checked["language"] = values["language"]
    if "year" in values:
        checked["year"] = _year(values["year"])
    if "organisation_id" in values:
        checked["organisation_id"] = _organisation(values["organisation_id"])
    if "access" in values or document is None:
        access = values.get("access") or "public"
        if access not in ACCESS_LEVELS:
            raise ActionRefused(_choose(), field="access")
        if access == "members" and platform is None:
            raise ActionRefused(_("The general library has no members: choose another access level."),
                                field="access")
        if access in ("public", "registered") and platform is not None and platform.visibility == "members":
            raise ActionRefused(_("This platform is for its members only: its documents are for its members or "
                                  "your organisation."), field="access")
        checked["access"] = access
        organisation_id = checked.get("organisation_id", document.organisation_id if document else None)
        checked["access_organisation_id"] = _access_organisation(
            user, access, organisation_id,
            document.access_organisation_id if document is not None and document.access == access else None)
    if "tags" in values:
        checked["tags"] = parse_tags(values["tags"])
    if "thread_ids" in values:
        checked["thread_ids"] = _threads(user, values["thread_ids"])
    return checked


# --- writes -------------------------------------------------------------------------------------------------

def upload(user: User, *, file: FileStorage | None, platform: Platform | None, title_es: str = "",
           title_en: str = "", description_es: str = "", description_en: str = "", kind: str | None = None,
           language: str | None = None, year: int | str | None = None, organisation_id: int | str | None = None,
           access: str = "public", tags: str | list[str] | None = None,
           thread_ids: list[int] | str | None = None) -> Document:
    """Add a document with its first version to a platform's library (``platform`` None: the general one)."""
    if platform is not None and not platform_rules.can_read(user, platform):
        raise _not_found()
    if not rules.can_upload_to(user, platform):
        if rules.may_upload(user):
            raise _forbidden(_("You can only add documents to libraries of platforms where you may post."))
        raise _forbidden(_("Only officials, moderators and members of verified organisations add documents."))
    values = dict(title_es=title_es, title_en=title_en, description_es=description_es,
                  description_en=description_en, kind=kind, language=language, year=year,
                  organisation_id=organisation_id, access=access, tags=tags, thread_ids=thread_ids)
    checked = _metadata(user, platform, values)
    stored = store_file(file)
    _refuse_duplicate(user, stored)
    _forget_unless_committed(stored.saved.key)
    links = {"tags": checked.pop("tags"), "thread_ids": checked.pop("thread_ids")}
    document = Document(platform=platform, uploader_id=user.id, **checked)
    db.session.add(document)
    version = _version(document, stored, user, 1, "")
    db.session.flush()
    _set_links(document, **links)
    db.session.flush()
    extraction.extract_after_commit(version)
    return document


def add_version(user: User, document: Document, file: FileStorage | None, note: str = "") -> DocumentVersion:
    """Upload a new file for ``document``; earlier versions stay downloadable, the document's link gives this
    one."""
    if not rules.can_read(user, document):
        raise _not_found()
    if not rules.can_edit(user, document):
        raise _forbidden(_("Only the uploader and the moderators can add a version of this document."))
    note = _text(note, "note", NOTE_MAX)
    stored = store_file(file)
    _refuse_duplicate(user, stored)
    _forget_unless_committed(stored.saved.key)
    number = (db.session.scalar(select(func.max(DocumentVersion.number))
                                .where(DocumentVersion.document_id == document.id)) or 0) + 1
    version = _version(document, stored, user, number, note)
    document.updated_at = utcnow()
    db.session.flush()
    db.session.expire(document, ["versions"])
    extraction.extract_after_commit(version)
    return version


def update(user: User, document: Document, **metadata: Any) -> Document:
    """Change a document's metadata (its uploader or a moderator); fields not given stay as they are."""
    if not rules.can_read(user, document):
        raise _not_found()
    if not rules.can_edit(user, document):
        raise _forbidden(_("Only the uploader and the moderators can edit this document."))
    unknown = set(metadata) - set(METADATA)
    if unknown:
        raise ActionRefused(_("Unknown field: %(field)s.", field=sorted(unknown)[0]))
    checked = _metadata(user, document.platform, metadata, document)
    links = {"tags": checked.pop("tags", None), "thread_ids": checked.pop("thread_ids", None)}
    for name, value in checked.items():
        setattr(document, name, value)
    document.updated_at = utcnow()
    db.session.flush()
    _set_links(document, **links)
    db.session.flush()
    return document


def describe(document: Document) -> Described:
    """A document as moderation shows and records it."""
    return Described(type="document", id=document.id, platform=document.platform,
                     language=document.language if document.language in ("es", "en") else None,
                     author=document.uploader, title=document.title_es or document.title_en,
                     text="\n\n".join(t for t in (document.description_es, document.description_en) if t),
                     url=f"/documents/{document.id}", status="deleted" if document.removed_at else "visible")


def remove(user: User | None, document: Document, reason: str | None = None, *, note: str = "") -> None:
    """Remove a document (administrators and its platform's moderators); recorded in the moderation log.
    Its files stay stored for the record but nobody else can see or download it any more."""
    if user is not None and not rules.can_read(user, document):
        raise _not_found()
    if user is not None and not rules.can_remove(user, document):
        raise _forbidden(_("Only moderators and administrators can remove documents."))
    if document.removed_at is not None:
        return
    if reason not in (None, "") and reason not in REASONS:
        raise ActionRefused(_choose(), field="reason")
    mark_removed(document)
    moderation_log.record(user, "delete", target=describe(document), reason=reason or None, note=note)
    db.session.flush()


def mark_removed(document: Document) -> None:
    """Take the document out of every library (no permission check, no log entry: for moderation decisions,
    which check and log themselves)."""
    if document.removed_at is None:
        document.removed_at = utcnow()
        db.session.flush()


def count_download(version: DocumentVersion) -> None:
    """Count one download of ``version`` (and of its document)."""
    db.session.execute(sql_update(DocumentVersion).where(DocumentVersion.id == version.id)
                       .values(download_count=DocumentVersion.download_count + 1))
    db.session.execute(sql_update(Document).where(Document.id == version.document_id)
                       .values(download_count=Document.download_count + 1))
