"""API endpoints of the document libraries: listing with filters, one document, downloading (the latest or a
given version), uploading a document (multipart) and adding a version. Permissions are those of the pages (the
same ``rules`` and services); a document the caller may not see answers 404.
"""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_babel import gettext as _

from forum.accounts.models import User
from forum.api import bp, caller, login_required, not_found, operation, page_arguments, page_url, paginated
from forum.api.openapi import _PATHS, BILINGUAL, PAGE_PARAMETERS, TIMESTAMP, list_of, schema
from forum.core.db import MAX_ID, commit, whole_number
from forum.core.errors import ActionRefused
from forum.documents import bp as documents_bp
from forum.documents import files, queries, services
from forum.documents.choices import ACCESS_LEVELS, DOCUMENT_TYPES, FILE_LANGUAGES, SORTS, TEXT_STATUSES
from forum.documents.models import Document, DocumentVersion
from forum.extensions import db
from forum.platforms import directory
from forum.platforms import rules as platform_rules

DOCUMENT_ID = f"<int(max={MAX_ID}):document_id>"
VERSION_NUMBER = f"<int(max={MAX_ID}):number>"

documents_bp.record_once(lambda state: files.install_upload_limit(state.app))

# --- schemas ------------------------------------------------------------------------------------------------

VERSION = schema("DocumentVersion", {
    "type": "object",
    "required": ["number", "original_name", "file_type", "content_type", "size", "sha256", "note", "created_at",
                 "text_status", "download_count", "download_url"],
    "properties": {
        "number": {"type": "integer"},
        "original_name": {"type": "string", "description": "the uploader's file name (shown, never a path)"},
        "file_type": {"type": "string", "enum": list(files.ACCEPTED)},
        "content_type": {"type": "string"}, "size": {"type": "integer", "description": "bytes"},
        "sha256": {"type": "string"}, "note": {"type": "string"}, "created_at": TIMESTAMP,
        "text_status": {"type": "string", "enum": list(TEXT_STATUSES)},
        "download_count": {"type": "integer"},
        "download_url": {"type": "string", "format": "uri"},
    },
})
DOCUMENT = schema("Document", {
    "type": "object",
    "required": ["id", "platform", "title", "description", "kind", "language", "year", "organisation", "access",
                 "tags", "threads", "uploader", "created_at", "updated_at", "download_count", "current_version",
                 "url", "download_url"],
    "properties": {
        "id": {"type": "integer"},
        "platform": {"type": ["string", "null"], "description": "the platform's slug; null: the general library"},
        "title": BILINGUAL, "description": BILINGUAL,
        "kind": {"type": "string", "enum": list(DOCUMENT_TYPES)},
        "language": {"type": "string", "enum": list(FILE_LANGUAGES), "description": "the language of the file"},
        "year": {"type": ["integer", "null"]},
        "organisation": {"type": ["object", "null"], "description": "the publishing organisation",
                         "properties": {"id": {"type": "integer"}, "name_es": {"type": "string"},
                                        "name_en": {"type": "string"}, "acronym": {"type": "string"}}},
        "access": {"type": "string", "enum": list(ACCESS_LEVELS)},
        "tags": {"type": "array", "items": {"type": "string"}},
        "threads": {"type": "array", "description": "linked threads the caller may read",
                    "items": {"type": "object", "properties": {"id": {"type": "integer"},
                                                               "title": {"type": "string"},
                                                               "url": {"type": "string"}}}},
        "uploader": {"type": ["object", "null"], "properties": {"id": {"type": "integer"},
                                                                "display_name": {"type": "string"}}},
        "created_at": TIMESTAMP, "updated_at": TIMESTAMP,
        "download_count": {"type": "integer", "description": "downloads of all its versions"},
        "current_version": {"anyOf": [VERSION, {"type": "null"}]},
        "versions": {"type": "array", "items": VERSION, "description": "every version, newest first (detail only)"},
        "url": {"type": "string", "format": "uri", "description": "the document's page"},
        "download_url": {"type": "string", "format": "uri", "description": "always the latest version"},
    },
})
_METADATA_FIELDS = {
    "title_es": {"type": "string", "maxLength": services.TITLE_MAX},
    "title_en": {"type": "string", "maxLength": services.TITLE_MAX},
    "description_es": {"type": "string", "maxLength": services.DESCRIPTION_MAX},
    "description_en": {"type": "string", "maxLength": services.DESCRIPTION_MAX},
    "kind": {"type": "string", "enum": list(DOCUMENT_TYPES)},
    "language": {"type": "string", "enum": list(FILE_LANGUAGES)},
    "year": {"type": "integer"},
    "organisation_id": {"type": "integer", "description": "the publishing organisation"},
    "access": {"type": "string", "enum": list(ACCESS_LEVELS), "default": "public"},
    "tags": {"type": "string", "description": "comma-separated"},
    "thread_ids": {"type": "string", "description": "comma-separated ids of threads the caller may read"},
}
DOCUMENT_UPLOAD = schema("DocumentUpload", {
    "type": "object", "required": ["file", "kind", "language"],
    "description": "at least one of title_es and title_en",
    "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": f"accepted: {', '.join(t.name.upper() for t in files.ACCEPTED.values())}; "
                                "FORUM_MAX_UPLOAD_MB at most"},
        "platform": {"type": "string", "description": "the platform's slug; absent: the general library"},
        **_METADATA_FIELDS,
    },
})
VERSION_UPLOAD = schema("DocumentVersionUpload", {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary"}, "note": {"type": "string",
                                                                         "maxLength": services.NOTE_MAX}},
})


def _path(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


LIST_PARAMETERS = [
    {"name": "platform", "in": "query", "schema": {"type": "string"}, "description": "a platform's slug"},
    {"name": "general", "in": "query", "schema": {"type": "boolean"}, "description": "1: the general library"},
    {"name": "kind", "in": "query", "schema": {"type": "string", "enum": list(DOCUMENT_TYPES)}},
    {"name": "language", "in": "query", "schema": {"type": "string", "enum": list(FILE_LANGUAGES)}},
    {"name": "organisation", "in": "query", "schema": {"type": "integer"}},
    {"name": "year", "in": "query", "schema": {"type": "integer"}},
    {"name": "tag", "in": "query", "schema": {"type": "string"}},
    {"name": "sort", "in": "query", "schema": {"type": "string", "enum": list(SORTS), "default": "newest"}},
    *PAGE_PARAMETERS,
]
DOWNLOAD_PARAMETERS = [
    _path("document_id"),
    {"name": "version", "in": "query", "schema": {"type": "integer"}, "description": "a version number; "
                                                                                    "default: the latest"},
    {"name": "inline", "in": "query", "schema": {"type": "boolean"},
     "description": "1: show PDF and images in the browser (sandboxed); other types are always attachments"},
]

# --- answers ------------------------------------------------------------------------------------------------


def version_json(document: Document, version: DocumentVersion) -> dict:
    """A version as the API shows it."""
    return {
        "number": version.number, "original_name": version.original_name, "file_type": version.file_type,
        "content_type": version.content_type, "size": version.size, "sha256": version.sha256,
        "note": version.note, "created_at": version.created_at.isoformat(), "text_status": version.text_status,
        "download_count": version.download_count,
        "download_url": url_for("api.download_document", document_id=document.id, version=version.number,
                                _external=True),
    }


def document_json(user: User | None, document: Document, *, detail: bool = False) -> dict:
    """A document as the API shows it (the caller may see it)."""
    latest = queries.latest_version(document)
    organisation = document.organisation
    uploader = document.uploader
    answer = {
        "id": document.id, "platform": document.platform.slug if document.platform else None,
        "title": {"es": document.title_es, "en": document.title_en},
        "description": {"es": document.description_es, "en": document.description_en},
        "kind": document.kind, "language": document.language, "year": document.year,
        "organisation": {"id": organisation.id, "name_es": organisation.name_es, "name_en": organisation.name_en,
                         "acronym": organisation.acronym} if organisation else None,
        "access": document.access, "tags": queries.tags_of(document),
        "threads": [{"id": t.id, "title": t.title,
                     "url": page_url("threads.show", thread_id=t.id)}
                    for t in queries.threads_of(user, document)],
        "uploader": {"id": uploader.id, "display_name": uploader.display_name} if uploader else None,
        "created_at": document.created_at.isoformat(), "updated_at": document.updated_at.isoformat(),
        "download_count": document.download_count,
        "current_version": version_json(document, latest) if latest else None,
        "url": page_url("documents.show", document_id=document.id),
        "download_url": url_for("api.download_document", document_id=document.id, _external=True),
    }
    if detail:
        answer["versions"] = [version_json(document, v) for v in queries.versions(document)]
    return answer


# --- reading the request ------------------------------------------------------------------------------------


def _visible_document(document_id: int) -> Document:
    document = queries.visible_document(caller(), document_id)
    if document is None:
        raise not_found()
    return document


def _uploaded_file():
    uploaded = request.files.get("file")
    if uploaded is None:
        raise ActionRefused(_("Send the file as multipart/form-data in the field “file”. Accepted types: "
                              "%(types)s.", types=files.accepted_list()), field="file")
    return uploaded


def _form_fields(names: tuple[str, ...]) -> dict:
    form = request.form
    allowed = (*names, "file", "csrf_token")
    for name in form:
        if name not in allowed:
            raise ActionRefused(_("Unknown field: %(field)s. Send only: %(fields)s.", field=name,
                                  fields=", ".join(allowed)), field=name)
    return {name: form[name] for name in names if name in form}


def _multipart(path: str, method: str) -> None:
    """Describe the request body of an upload endpoint as multipart/form-data in the OpenAPI document."""
    body = _PATHS[path][method]["requestBody"]
    body["content"] = {"multipart/form-data": body["content"]["application/json"]}


# --- endpoints ----------------------------------------------------------------------------------------------


@bp.route("/documents")
@operation("/documents", "GET", summary="Documents of the libraries", response=list_of(DOCUMENT),
           tag="documents", auth=False, parameters=LIST_PARAMETERS, errors=(400,))
def list_documents():
    """The documents the caller may see, of every library or of one (``platform`` slug, or ``general=1``),
    filtered by ``kind``, ``language``, ``organisation``, ``year`` and ``tag`` and sorted by ``sort`` (newest,
    title, downloads, year); unknown values are ignored."""
    page, per_page = page_arguments()
    arguments = request.args
    query = queries.document_list(
        caller(), platform_slug=arguments.get("platform") or None,
        general=arguments.get("general", "").lower() in ("1", "true", "yes"),
        kind=arguments.get("kind") or None, language=arguments.get("language") or None,
        organisation_id=whole_number(arguments.get("organisation")), year=whole_number(arguments.get("year")),
        tag=arguments.get("tag") or None, sort=arguments.get("sort", "newest"))
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    return jsonify(paginated(pagination, [document_json(caller(), d) for d in pagination.items]))


@bp.route(f"/documents/{DOCUMENT_ID}")
@operation("/documents/{document_id}", "GET", summary="A document with all its versions", response=DOCUMENT,
           tag="documents", auth=False, parameters=[_path("document_id")], errors=(404,))
def get_document(document_id: int):
    """The document's metadata, its linked threads (those the caller may read) and every version."""
    return jsonify(document_json(caller(), _visible_document(document_id), detail=True))


@bp.route(f"/documents/{DOCUMENT_ID}/download")
@operation("/documents/{document_id}/download", "GET", summary="Download a document's file", response=None,
           tag="documents", auth=False, parameters=DOWNLOAD_PARAMETERS, errors=(404,))
def download_document(document_id: int):
    """The file of the latest version (or of ``version``), as an attachment with its original name; PDF and
    images may be asked ``inline=1``. Counts one download."""
    document = _visible_document(document_id)
    if "version" in request.args:
        number = whole_number(request.args.get("version"))
        version = queries.version(document, number) if number else None
    else:
        version = queries.latest_version(document)
    if version is None:
        raise not_found()
    response = files.send_version(version, inline=request.args.get("inline", "").lower() in ("1", "true", "yes"))
    services.count_download(version)
    commit()
    return response


_PATHS["/documents/{document_id}/download"]["get"]["responses"]["200"]["content"] = {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}


@bp.route("/documents", methods=["POST"])
@operation("/documents", "POST", summary="Upload a document", response=DOCUMENT, status=201,
           request_body=DOCUMENT_UPLOAD, tag="documents", errors=(400, 403, 404, 409, 413))
@login_required
@files.accepts_upload
def create_document():
    """Add a document (multipart/form-data) to a platform's library (``platform``) or the general one. Officials,
    moderators and approved members of verified organisations upload, on platforms where they may post. The
    file's extension and content must agree; the same file uploaded twice is refused (409)."""
    fields = _form_fields(("platform", *services.METADATA))
    user = caller()
    platform = None
    slug = fields.pop("platform", "")
    if slug:
        platform = directory.platform_by_slug(slug)
        if platform is None or not platform_rules.can_read(user, platform):
            raise not_found()
    document = services.upload(user, file=_uploaded_file(), platform=platform, **fields)
    commit()
    response = jsonify(document_json(user, document, detail=True))
    response.headers["Location"] = url_for("api.get_document", document_id=document.id)
    return response, 201


_multipart("/documents", "post")


@bp.route(f"/documents/{DOCUMENT_ID}/versions", methods=["POST"])
@operation("/documents/{document_id}/versions", "POST", summary="Upload a new version of a document",
           response=VERSION, status=201, request_body=VERSION_UPLOAD, tag="documents",
           parameters=[_path("document_id")], errors=(400, 403, 404, 409, 413))
@login_required
@files.accepts_upload
def create_document_version(document_id: int):
    """Add a new file to the document (its uploader or a moderator); earlier versions stay downloadable and the
    document's download link gives the new one."""
    document = _visible_document(document_id)
    fields = _form_fields(("note",))
    version = services.add_version(caller(), document, _uploaded_file(), note=fields.get("note", ""))
    commit()
    response = jsonify(version_json(document, version))
    response.headers["Location"] = url_for("api.get_document", document_id=document.id)
    return response, 201


_multipart("/documents/{document_id}/versions", "post")
