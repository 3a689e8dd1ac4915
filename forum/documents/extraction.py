"""Extracting the text of uploaded files for search: PDF (pypdf), DOCX and ODT (their XML, read with caps
against zip bombs), TXT and CSV. It runs right after the upload's commit, in the same process; a file whose
text cannot be extracted stays stored, with ``text_status="failed"``."""

from __future__ import annotations

import zipfile
from typing import BinaryIO
from xml.etree import ElementTree

from flask import current_app

from forum.core.db import on_commit
from forum.core.storage import storage
from forum.documents.files import ACCEPTED
from forum.documents.models import DocumentVersion
from forum.extensions import db

#: the most text kept for search, in characters
MAX_TEXT = 1_000_000
#: the most uncompressed XML read from a DOCX or ODT
MAX_XML = 20 * 1024 * 1024
#: the most pages of a PDF read
MAX_PAGES = 500

_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


class NoText(Exception):
    """The file's text could not be extracted."""


def _capped_xml(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError as error:
        raise NoText(name) from error
    if info.file_size > MAX_XML:
        raise NoText("too large")
    with archive.open(info) as entry:
        data = entry.read(MAX_XML + 1)  # the declared size may lie: read no further than the cap
    if len(data) > MAX_XML:
        raise NoText("too large")
    return data


def _paragraphs(xml: bytes, paragraph: str, texts: tuple[str, ...], breaks: tuple[str, ...]) -> str:
    root = ElementTree.fromstring(xml)  # noqa: S314 (the standard parser expands no external entities)
    lines = []
    for element in root.iter(paragraph):
        parts = []
        for node in element.iter():
            if node.tag in texts:
                parts.append(node.text or "")
            elif node.tag in breaks:
                parts.append(" ")
        lines.append("".join(parts).strip())
    return "\n".join(line for line in lines if line)


def _docx(stream: BinaryIO) -> str:
    with zipfile.ZipFile(stream) as archive:
        xml = _capped_xml(archive, "word/document.xml")
    return _paragraphs(xml, _WORD + "p", (_WORD + "t",), (_WORD + "tab", _WORD + "br"))


def _odt(stream: BinaryIO) -> str:
    with zipfile.ZipFile(stream) as archive:
        xml = _capped_xml(archive, "content.xml")
    root = ElementTree.fromstring(xml)  # noqa: S314
    lines = []
    for element in root.iter():
        if element.tag in (_ODF_TEXT + "p", _ODF_TEXT + "h"):
            lines.append("".join(element.itertext()).strip())
    return "\n".join(line for line in lines if line)


def _pdf(stream: BinaryIO) -> str:
    from pypdf import PdfReader

    reader = PdfReader(stream)
    if reader.is_encrypted:
        raise NoText("encrypted")
    parts, length = [], 0
    for page in reader.pages[:MAX_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        length += len(text)
        if length > MAX_TEXT:
            break
    return "\n".join(parts)


def _plain(stream: BinaryIO) -> str:
    data = stream.read(MAX_TEXT * 4)
    return data.decode("utf-8-sig", errors="replace")


_EXTRACTORS = {"pdf": _pdf, "docx": _docx, "odt": _odt, "txt": _plain, "csv": _plain}


def extract_text(file_type: str, stream: BinaryIO) -> str:
    """The text of a file of type ``file_type`` (a key of ``files.ACCEPTED``); raises ``NoText``."""
    extractor = _EXTRACTORS.get(file_type)
    if extractor is None:
        raise NoText(file_type)
    try:
        text = extractor(stream)
    except NoText:
        raise
    except Exception as error:  # a damaged or hostile file: whatever its parser raises, there is no text
        raise NoText(str(error)) from error
    text = " ".join(text.replace("\x00", " ").split(" "))
    return text[:MAX_TEXT]


def initial_status(file_type: str) -> str:
    """``pending`` for types whose text is extracted, else ``none``."""
    kind = ACCEPTED.get(file_type)
    return "pending" if kind is not None and kind.has_text else "none"


def extract_version(version_id: int) -> str:
    """Extract and store the text of one version now; returns its new ``text_status``."""
    version = db.session.get(DocumentVersion, version_id)
    if version is None or version.text_status != "pending":
        return version.text_status if version else "none"
    try:
        with storage().open(version.storage_key) as stream:
            text, status = extract_text(version.file_type, stream), "done"
    except (NoText, OSError, ValueError) as error:
        current_app.logger.info("no text extracted from document version %s: %s", version_id, error)
        text, status = None, "failed"
    version.text, version.text_status = text, status
    db.session.commit()
    return status


def extract_after_commit(version: DocumentVersion) -> None:
    """Extract the version's text once the request has committed (nothing happens for types without text)."""
    if version.text_status != "pending":
        return
    version_id = version.id
    on_commit(lambda: extract_version(version_id))
