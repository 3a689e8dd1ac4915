"""Accepted types (extension and content together), safe names and headers, text extraction, storage."""

from __future__ import annotations

import io
import zipfile

import pytest

from forum.core.errors import ActionRefused
from forum.core.storage import LocalStorage, TooLarge
from forum.documents import extraction, files
from tests.documents.conftest import CSV, make_docx, make_odt, make_pdf, make_png

HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("informe.pdf", make_pdf(), "pdf"), ("INFORME.PDF", make_pdf(), "pdf"), ("a.docx", make_docx(), "docx"),
    ("a.odt", make_odt(), "odt"), ("a.png", make_png(), "png"), ("a.jpg", b"\xff\xd8\xff\xe0rest", "jpeg"),
    ("datos.csv", CSV, "csv"), ("notas.txt", "Mañana, reunión.".encode(), "txt"),
])
def test_accepted_types(app, name, data, expected):
    """PDF, DOCX, ODT, PNG, JPEG, CSV and plain text are recognised by name and content, whatever the name's case."""
    assert files.detect(name, io.BytesIO(data)).name == expected


@pytest.mark.parametrize(("name", "data"), [
    ("x.pdf", HTML), ("x.pdf", SVG), ("x.svg", SVG), ("x.html", HTML), ("x.txt", HTML), ("x.csv", SVG),
    ("x.txt", b"<?xml version='1.0'?><svg/>"), ("x.txt", b"text\x00with nul"), ("x.png", make_pdf()),
    ("x.docx", make_odt()), ("x.odt", make_docx()), ("x.xlsx", make_docx()), ("x.docx", b"PK\x03\x04broken"),
    ("x.py", b"print(1)"), ("x", make_pdf()), ("x.pdf.exe", make_pdf()), ("x.txt", b"\xff\xfe\x00\x00bad"),
])
def test_refused_types_name_the_accepted_ones(app, name, data):
    """Disguised or unsupported files (HTML, SVG, scripts, mismatched or broken content) are refused
    with a message listing the accepted types."""
    with pytest.raises(ActionRefused) as refused:
        files.detect(name, io.BytesIO(data))
    assert "PDF" in refused.value.message and "DOCX" in refused.value.message and "JPEG" in refused.value.message


@pytest.mark.parametrize(("name", "kept"), [
    ("../../x.py", "x.py"), ("..\\..\\win.pdf", "win.pdf"), ("a\x00b.pdf", "ab.pdf"), ("", "document"),
    ("/etc/passwd", "passwd"), ("...", "document"), ('say "hi".pdf', 'say "hi".pdf'),
])
def test_clean_name(name, kept):
    """Uploaded file names lose folders, path tricks and NUL characters; an empty name becomes "document"."""
    assert files.clean_name(name) == kept


@pytest.mark.parametrize("name", ['"quoted";.pdf', "../../x.py", "<svg onload=alert(1)>.pdf", "informe\r\nX: y.pdf",
                                  "año 2024 – política.pdf", "a\x00b.pdf"])
def test_content_disposition_is_safe(name):
    """Download headers never carry quotes, slashes, markup or line breaks from a hostile file name, and always
    offer the file as an attachment with a plain-ASCII fallback name."""
    header = files.content_disposition(name)
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert all(c not in fallback for c in '"/\\<>;\r\n\x00')
    assert fallback.isascii()
    assert "\r" not in header and "\n" not in header and "\x00" not in header
    assert header.startswith("attachment; ")
    encoded = header.split("filename*=UTF-8''", 1)[1]
    assert all(c not in encoded for c in "\"<> ;/")


def test_content_disposition_keeps_the_unicode_name():
    """Accented file names are kept (percent-encoded) in the header, and inline viewing can be asked for."""
    assert "filename*=UTF-8''a%C3%B1o.pdf" in files.content_disposition("año.pdf", inline=True)
    assert files.content_disposition("año.pdf", inline=True).startswith("inline; ")


def test_storage_generates_keys_and_refuses_paths(tmp_path):
    """Stored files get generated names inside the upload folder; paths escaping it are refused, and an oversized
    file is refused without leaving anything behind; deleting removes the file."""
    place = LocalStorage(tmp_path)
    saved = place.save(io.BytesIO(b"hola"))
    assert place.open(saved.key).read() == b"hola" and saved.size == 4 and len(saved.sha256) == 64
    assert place.path(saved.key).is_relative_to(tmp_path)
    for bad in ("../x", "/etc/passwd", "aa/bb/../../x", saved.key + "/.."):
        with pytest.raises(ValueError):
            place.path(bad)
    with pytest.raises(TooLarge):
        place.save(io.BytesIO(b"x" * 200_000), limit=100_000)
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert leftovers == [place.path(saved.key)]
    place.delete(saved.key)
    assert not place.path(saved.key).exists()


def test_extraction():
    """Searchable text is taken from PDF, DOCX, ODT and CSV files; broken PDFs and images yield no text."""
    assert "Informe de cohesion social" in extraction.extract_text("pdf", io.BytesIO(make_pdf()))
    assert extraction.extract_text("docx", io.BytesIO(make_docx("Hola mundo"))) == "Hola mundo"
    assert extraction.extract_text("odt", io.BytesIO(make_odt("Acta"))) == "Acta"
    assert "Oaxaca de Juárez" in extraction.extract_text("csv", io.BytesIO(CSV))
    with pytest.raises(extraction.NoText):
        extraction.extract_text("pdf", io.BytesIO(b"%PDF-1.4 garbage"))
    with pytest.raises(extraction.NoText):
        extraction.extract_text("png", io.BytesIO(make_png()))


def test_extraction_caps_zip_bombs(monkeypatch):
    """An office file that unpacks to far too much text yields no text instead of exhausting memory."""
    monkeypatch.setattr(extraction, "MAX_XML", 1000)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<a>" + "x" * 100_000 + "</a>")
    with pytest.raises(extraction.NoText):
        extraction.extract_text("docx", io.BytesIO(out.getvalue()))
