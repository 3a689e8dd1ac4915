"""Which files the library accepts and how they are sent back.

A file is accepted only when its extension and its content agree: PDF, PNG and JPEG by their signatures,
OOXML (DOCX, XLSX, PPTX) by the main part named in ``[Content_Types].xml``, ODF (ODT, ODS, ODP) by the
``mimetype`` entry, TXT and CSV as UTF-8 text without NUL bytes that does not start like markup (HTML, SVG,
XML). Anything else, or a mismatch, is refused with a message naming the accepted types.

Files go back as attachments (inline only for PDF and images, under a sandboxing Content-Security-Policy),
with ``X-Content-Type-Options: nosniff`` and the original name encoded as RFC 6266 / RFC 5987 says.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import quote

from flask import Response, abort, send_file
from flask_babel import gettext as _

from forum.core.errors import ActionRefused
from forum.core.storage import storage


@dataclass(frozen=True)
class FileType:
    """One accepted type of file."""

    #: the key stored in ``DocumentVersion.file_type``
    name: str
    #: the extensions (lower case, without dot) a file of this type may have
    extensions: tuple[str, ...]
    content_type: str
    #: how its content is recognised: ``pdf``, ``png``, ``jpeg``, ``ooxml``, ``odf`` or ``text``
    check: str
    #: for ``ooxml``: the main part's content type; for ``odf``: the ``mimetype`` entry
    marker: str = ""
    #: may be shown in the browser (under a sandboxing CSP)
    inline: bool = False
    #: text can be extracted for search
    has_text: bool = False


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."

#: every accepted type, by name
ACCEPTED: dict[str, FileType] = {t.name: t for t in (
    FileType("pdf", ("pdf",), "application/pdf", "pdf", inline=True, has_text=True),
    FileType("docx", ("docx",), _OOXML + "wordprocessingml.document", "ooxml",
             _OOXML + "wordprocessingml.document.main+xml", has_text=True),
    FileType("odt", ("odt",), _ODF + "text", "odf", _ODF + "text", has_text=True),
    FileType("xlsx", ("xlsx",), _OOXML + "spreadsheetml.sheet", "ooxml", _OOXML + "spreadsheetml.sheet.main+xml"),
    FileType("ods", ("ods",), _ODF + "spreadsheet", "odf", _ODF + "spreadsheet"),
    FileType("pptx", ("pptx",), _OOXML + "presentationml.presentation", "ooxml",
             _OOXML + "presentationml.presentation.main+xml"),
    FileType("odp", ("odp",), _ODF + "presentation", "odf", _ODF + "presentation"),
    FileType("csv", ("csv",), "text/csv; charset=utf-8", "text", has_text=True),
    FileType("txt", ("txt",), "text/plain; charset=utf-8", "text", has_text=True),
    FileType("png", ("png",), "image/png", "png", inline=True),
    FileType("jpeg", ("jpg", "jpeg"), "image/jpeg", "jpeg", inline=True),
)}
_BY_EXTENSION = {extension: t for t in ACCEPTED.values() for extension in t.extensions}

#: how much of a text file is checked for being text
TEXT_SAMPLE = 64 * 1024
MAX_NAME = 255
_MARKUP = re.compile(rb"^\s*<(?:!|\?|[a-zA-Z])")
_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._ ()\-]+")

#: the Content-Security-Policy of a file shown in the browser: no scripts, no forms, no outside requests
INLINE_POLICY = "sandbox; default-src 'none'; img-src 'self'; object-src 'self'; style-src 'unsafe-inline'"
#: the Content-Security-Policy of a downloaded file, should a browser render it anyway
ATTACHMENT_POLICY = "sandbox; default-src 'none'"


def accepted_list() -> str:
    """The accepted types as shown to people: "PDF, DOCX, …, JPEG"."""
    return ", ".join(t.name.upper() for t in ACCEPTED.values())


def refusal() -> ActionRefused:
    """The refusal of a file that is not of an accepted type (or whose content does not match its name)."""
    return ActionRefused(_("This file cannot be accepted: its type is not allowed or its content does not match "
                           "its name. Accepted types: %(types)s.", types=accepted_list()),
                         status=400, code="file_type", field="file")


def clean_name(name: str | None) -> str:
    """The name to remember for an uploaded file: its last path part, without control characters, at most
    255 characters (it is only ever shown and sent back, never used as a path)."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip().lstrip(".")
    if len(name) > MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        name = (stem[:MAX_NAME - len(extension) - 1] + dot + extension) if dot and len(extension) < 10 \
            else name[:MAX_NAME]
    return name or "document"


def extension_of(name: str) -> str:
    """The lower-case extension of ``name`` (without dot), or ""."""
    _stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot else ""


#: the compression methods office files use (others are refused rather than decoded)
ZIP_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})


def _zip_entry(archive: zipfile.ZipFile, name: str, limit: int = 256 * 1024) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > limit or info.compress_type not in ZIP_METHODS:
        return None
    with archive.open(info) as entry:
        return entry.read(limit + 1)[:limit]


def _matches(kind: FileType, stream: BinaryIO) -> bool:
    stream.seek(0)
    head = stream.read(TEXT_SAMPLE)
    if kind.check == "pdf":
        return head.startswith(b"%PDF-")
    if kind.check == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if kind.check == "jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if kind.check == "text":
        if b"\x00" in head:
            return False
        sample = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
        if _MARKUP.match(sample):
            return False
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as error:
            # a character cut at the end of the sample is fine; anything else is not UTF-8 text
            if len(head) < TEXT_SAMPLE or error.start < len(sample) - 4:
                return False
        return True
    if not head.startswith(b"PK\x03\x04"):
        return False
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            if kind.check == "odf":
                return (_zip_entry(archive, "mimetype") or b"").strip() == kind.marker.encode()
            types = _zip_entry(archive, "[Content_Types].xml") or b""
            return kind.marker.encode() in types
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def detect(name: str, stream: BinaryIO) -> FileType:
    """The type of an uploaded file, from its name's extension checked against its content; refuses
    (``ActionRefused``) anything else. ``stream`` must be seekable."""
    kind = _BY_EXTENSION.get(extension_of(name))
    if kind is None or not _matches(kind, stream):
        raise refusal()
    stream.seek(0)
    return kind


def content_disposition(name: str, *, inline: bool = False) -> str:
    """A ``Content-Disposition`` header for ``name``: an ASCII fallback without quotes, slashes or control
    characters, and the exact name as ``filename*`` (RFC 6266 / RFC 5987)."""
    name = clean_name(name)
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = _UNSAFE_ASCII.sub("_", fallback).strip(" .") or "document"
    extension = extension_of(name)
    if extension and not fallback.lower().endswith("." + extension) and extension.isascii():
        fallback = f"{fallback}.{_UNSAFE_ASCII.sub('', extension)}"
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def send_version(version, *, inline: bool = False) -> Response:
    """The stored file of a document version as an HTTP answer: an attachment unless ``inline`` is asked for
    a type that may be shown (PDF, images), which then gets a sandboxing CSP."""
    kind = ACCEPTED.get(version.file_type)
    inline = bool(inline and kind is not None and kind.inline)
    path = storage().path(version.storage_key)
    if not path.is_file():  # lost from storage: say so rather than fail
        abort(404)
    response = send_file(path, mimetype=version.content_type,
                         as_attachment=not inline, conditional=True, etag=version.sha256, max_age=0)
    response.headers["Content-Disposition"] = content_disposition(version.original_name, inline=inline)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = INLINE_POLICY if inline else ATTACHMENT_POLICY
    response.headers["Cache-Control"] = "private, no-cache"
    return response


# --- the size limit of uploads ------------------------------------------------------------------------------

#: room for the form fields and multipart boundaries around the file
UPLOAD_MARGIN = 256 * 1024


def accepts_upload(view):
    """Mark a view (page or API) that receives a document file: it gets the ``FORUM_MAX_UPLOAD_MB`` limit
    instead of the forms' ``MAX_CONTENT_LENGTH``, and a larger declared body is refused (413) before it is
    read."""
    view.accepts_upload = True
    return view


def upload_limit_hook():
    """Before anything reads the body (CSRF included): lift the body limit of upload views to the upload limit,
    and answer 413 at once when the declared ``Content-Length`` is over it."""
    from flask import current_app, request

    from forum.core.errors import error_response

    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or not getattr(view, "accepts_upload", False):
        return None
    megabytes = int(current_app.config.get("FORUM_MAX_UPLOAD_MB") or 25)
    limit = megabytes * 1024 * 1024 + UPLOAD_MARGIN
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        return error_response(413, _("The file is larger than the limit of %(mb)d MB.", mb=megabytes),
                              code="too_large")
    return None


def install_upload_limit(app) -> None:
    """Run :func:`upload_limit_hook` first among the application's ``before_request`` functions."""
    hooks = app.before_request_funcs.setdefault(None, [])
    if upload_limit_hook not in hooks:
        hooks.insert(0, upload_limit_hook)
