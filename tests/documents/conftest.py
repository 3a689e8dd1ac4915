"""Fixtures of the document tests: an upload folder per test, small real sample files, and an upload helper."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from werkzeug.datastructures import FileStorage

from forum.core.db import commit
from forum.demo.documents import tiny_pdf


def make_pdf(text: str = "Informe de cohesion social") -> bytes:
    """A minimal valid one-page PDF showing ``text`` (ASCII): the demo data's own generator."""
    return tiny_pdf(text)


def make_docx(text: str = "Documento de trabajo") -> bytes:
    """A minimal DOCX with one paragraph."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/><Override '
            'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>'))
        archive.writestr("word/document.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>'))
    return out.getvalue()


def make_odt(text: str = "Acta de la reunion") -> bytes:
    """A minimal ODT with one paragraph."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
            'opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
            f'<office:body><office:text><text:p>{text}</text:p></office:text></office:body>'
            '</office:document-content>'))
    return out.getvalue()


def make_png() -> bytes:
    """A 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


CSV = "municipio,poblacion\nOaxaca de Juárez,270955\n".encode()


@pytest.fixture
def upload_dir(app, tmp_path):
    """Uploaded files go to a folder of this test."""
    folder = tmp_path / "uploads"
    app.config["FORUM_UPLOAD_DIR"] = str(folder)
    return folder


@pytest.fixture
def file_of():
    """``file_of(data, name)``: an uploaded file as the services receive it."""
    def make(data: bytes, name: str) -> FileStorage:
        return FileStorage(stream=io.BytesIO(data), filename=name)

    return make


@pytest.fixture
def official(make_user, make_organisation, add_member):
    """An official: an approved member of a verified federal agency."""
    user = make_user(role="participant")
    add_member(user, make_organisation(verified=True))
    return user


@pytest.fixture
def make_document(app, upload_dir, file_of):
    """Factory: a document uploaded by ``user`` (committed; text extracted)."""
    from forum.documents import services

    counter = iter(range(1, 10_000))

    def make(user, platform=None, *, data: bytes | None = None, name: str = "informe.pdf", **fields):
        n = next(counter)
        values = dict(title_es=f"Documento {n}", title_en=f"Document {n}", kind="report", language="es")
        values.update(fields)
        document = services.upload(user, file=file_of(data or make_pdf(f"Texto {n}"), name), platform=platform,
                                   **values)
        commit()
        return document

    return make
