"""The documents API: list with filters, detail, download headers, multipart uploads and versions."""

from __future__ import annotations

import io
import time

import pytest

from forum.core.db import commit
from tests.documents.conftest import CSV, make_docx, make_pdf, make_png

HTML = b"<!DOCTYPE html><html><body onload=alert(1)></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


def _upload(client, headers, data: bytes, name: str, **fields):
    """Post a multipart upload of ``data`` named ``name`` with default metadata, overridable by ``fields``."""
    form = {"title_es": "Informe anual", "title_en": "Annual report", "kind": "report", "language": "both",
            **fields, "file": (io.BytesIO(data), name)}
    return client.post("/api/v1/documents", data=form, headers=headers, content_type="multipart/form-data")


def test_upload_and_read_back(client, official, token, upload_dir):
    """An official uploads a PDF through the API; it answers 201 with its details and is found by kind, language,
    year, tag and "general" filters, but not by others."""
    headers = token(official)
    response = _upload(client, headers, make_pdf("Texto buscable"), "informe final.pdf", tags="justicia",
                       year="2023")
    assert response.status_code == 201, response.json
    body = response.json
    assert body["title"] == {"es": "Informe anual", "en": "Annual report"} and body["tags"] == ["justicia"]
    assert body["current_version"]["number"] == 1 and body["current_version"]["file_type"] == "pdf"
    assert body["current_version"]["text_status"] == "done" and body["year"] == 2023
    detail = client.get(f"/api/v1/documents/{body['id']}").json
    assert [v["number"] for v in detail["versions"]] == [1]
    listing = client.get("/api/v1/documents?kind=report&language=both&year=2023&tag=justicia").json
    assert [d["id"] for d in listing["items"]] == [body["id"]]
    assert client.get("/api/v1/documents?kind=minutes").json["total"] == 0
    assert client.get("/api/v1/documents?general=1").json["total"] == 1
    assert client.get("/api/v1/documents?platform=nowhere").json["total"] == 0


@pytest.mark.parametrize(("data", "name"), [(HTML, "x.pdf"), (SVG, "x.pdf"), (SVG, "x.svg"), (HTML, "x.txt"),
                                            (b"print(1)", "../../x.py"), (make_pdf(), "x.png")])
def test_upload_refuses_disguised_files(client, official, token, upload_dir, data, name):
    """Disguised or mismatched files are refused with a 400 naming the accepted types; nothing is stored."""
    response = _upload(client, token(official), data, name)
    assert response.status_code == 400
    assert response.json["error"]["code"] == "file_type"
    assert "PDF" in response.json["error"]["message"] and "PNG" in response.json["error"]["message"]
    assert not [p for p in upload_dir.rglob("*") if p.is_file()]


@pytest.mark.parametrize(("locale", "words"), [("en", "Accepted types"), ("es", "Tipos aceptados")])
def test_refusal_in_each_language(client, official, token, upload_dir, locale, words):
    """An English-speaking account is told in English which file types are accepted; a Spanish-speaking one in
    Spanish (the account's language wins over the browser's)."""
    official.locale = locale
    commit()
    response = _upload(client, token(official, **{"Accept-Language": "en"}), HTML, "x.pdf")
    assert response.status_code == 400 and words in response.json["error"]["message"]


def test_oversized_upload_is_refused_before_reading(app, client, official, token, upload_dir):
    """A file over the size limit gets a quick 413; a request declaring too large a body is refused unread."""
    app.config["FORUM_MAX_UPLOAD_MB"] = 1
    headers = token(official)
    started = time.monotonic()
    response = _upload(client, headers, b"%PDF-" + b"x" * (3 * 1024 * 1024), "big.pdf")
    assert response.status_code == 413 and response.json["error"]["code"] == "too_large"
    assert time.monotonic() - started < 2
    # a declared length over the limit is answered without reading the body at all
    response = client.post("/api/v1/documents", headers=headers, data=b"",
                           content_type="multipart/form-data; boundary=x",
                           environ_overrides={"CONTENT_LENGTH": str(500 * 1024 * 1024)})
    assert response.status_code == 413


def test_uploads_above_the_form_limit_pass(app, client, official, token, upload_dir):
    """The forms' 2 MB limit does not apply to documents (up to FORUM_MAX_UPLOAD_MB)."""
    big = b"a,b\n" * (800 * 1024)  # 3.2 MB of CSV
    response = _upload(client, token(official), big, "grande.csv")
    assert response.status_code == 201, response.json


def test_duplicate_upload_is_recognised(client, official, token, upload_dir):
    """Uploading the same file twice is refused the second time with a 409 "duplicate" error."""
    headers = token(official)
    assert _upload(client, headers, CSV, "a.csv").status_code == 201
    response = _upload(client, headers, CSV, "b.csv")
    assert response.status_code == 409 and response.json["error"]["code"] == "duplicate"


def test_download_headers(client, official, token, upload_dir):
    """Downloads carry the file with safe, encoded file names and sandboxing headers, inline on request, and each
    download is counted."""
    headers = token(official)
    name = "año <svg onload=alert(1)>.pdf"
    document = _upload(client, headers, make_pdf(), name).json
    response = client.get(f"/api/v1/documents/{document['id']}/download")
    assert response.status_code == 200 and response.data == make_pdf()
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=\"") and "filename*=UTF-8''" in disposition
    assert "<" not in disposition and disposition.count('"') == 2
    assert "%3Csvg" in disposition and "a%C3%B1o" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "application/pdf"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    inline = client.get(f"/api/v1/documents/{document['id']}/download?inline=1")
    assert inline.headers["Content-Disposition"].startswith("inline;")
    assert "sandbox" in inline.headers["Content-Security-Policy"]
    assert "default-src 'none'" in inline.headers["Content-Security-Policy"]
    assert client.get(f"/api/v1/documents/{document['id']}").json["download_count"] == 2


def test_text_files_are_never_inline(client, official, token, upload_dir):
    """Text files such as CSV are always offered as attachments, even when inline viewing is asked for."""
    document = _upload(client, token(official), CSV, "datos.csv").json
    response = client.get(f"/api/v1/documents/{document['id']}/download?inline=1")
    assert response.headers["Content-Disposition"].startswith("attachment;")


def test_versions(client, official, token, make_user, upload_dir):
    """The uploader adds a new version: it becomes the default download, old versions stay downloadable, a missing one
    is 404, and strangers cannot add versions."""
    headers = token(official)
    document = _upload(client, headers, make_pdf("uno"), "v1.pdf").json
    response = client.post(f"/api/v1/documents/{document['id']}/versions", headers=headers,
                           data={"note": "Segunda", "file": (io.BytesIO(make_docx("dos")), "v2.docx")},
                           content_type="multipart/form-data")
    assert response.status_code == 201 and response.json["number"] == 2
    latest = client.get(f"/api/v1/documents/{document['id']}/download")
    assert latest.data == make_docx("dos")
    old = client.get(f"/api/v1/documents/{document['id']}/download?version=1")
    assert old.data == make_pdf("uno")
    assert client.get(f"/api/v1/documents/{document['id']}/download?version=9").status_code == 404
    detail = client.get(f"/api/v1/documents/{document['id']}").json
    assert [v["number"] for v in detail["versions"]] == [2, 1]
    stranger = make_user()
    refused = client.post(f"/api/v1/documents/{document['id']}/versions", headers=token(stranger),
                          data={"file": (io.BytesIO(make_png()), "x.png")}, content_type="multipart/form-data")
    assert refused.status_code == 403


def test_upload_needs_a_right_to_upload(client, make_user, token, upload_dir):
    """Uploading without signing in answers 401; an ordinary participant gets 403."""
    assert _upload(client, {}, CSV, "a.csv").status_code == 401
    assert _upload(client, token(make_user()), CSV, "a.csv").status_code == 403


def test_upload_to_a_platform(client, official, token, make_platform, upload_dir):
    """A member can upload to their platform; an unknown platform answers 404 and an unknown field 400."""
    platform = make_platform(members=[official])
    response = _upload(client, token(official), CSV, "a.csv", platform=platform.slug, access="members")
    assert response.status_code == 201 and response.json["platform"] == platform.slug
    assert _upload(client, token(official), CSV, "a.csv", platform="nowhere").status_code == 404
    assert _upload(client, token(official), CSV, "a.csv", unknown="x").status_code == 400


def test_openapi_lists_the_document_endpoints(client):
    """The API description lists listing, multipart upload, new versions and downloads of documents."""
    spec = client.get("/api/v1/openapi.json").json
    assert {"get", "post"} <= set(spec["paths"]["/documents"])
    assert "multipart/form-data" in spec["paths"]["/documents"]["post"]["requestBody"]["content"]
    assert "post" in spec["paths"]["/documents/{document_id}/versions"]
    assert "get" in spec["paths"]["/documents/{document_id}/download"]


def test_signed_in_upload_above_the_form_limit(client, auth, official, upload_dir):
    """With a session (and its CSRF token), the upload limit is lifted before the CSRF check reads the body."""
    auth.login(official.email)
    big = b"x;y\n" * (700 * 1024)  # 2.8 MB, over the forms' 2 MB
    response = _upload(client, {}, big, "grande.csv")
    assert response.status_code == 201, response.json
