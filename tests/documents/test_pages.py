"""Library pages as people use them, without JavaScript, in both languages: the lists and their filters, the
document page, uploads (kept fields, size and type refusals), edits, new versions, removal, downloads, and
strange file names shown escaped."""

from __future__ import annotations

import html
import io

import pytest
from flask_babel import force_locale
from markupsafe import escape
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from forum.core.db import commit
from forum.demo.documents import tiny_pdf
from forum.documents import files, services
from forum.documents.models import Document, DocumentVersion
from forum.extensions import db
from forum.moderation.models import ModerationAction
from forum.platforms import rules as platform_rules
from tests.conftest import Auth

PDF = tiny_pdf("Informe de prueba")
CSV = b"estado,total\nOaxaca,12\n"


@pytest.fixture
def app(app_factory, tmp_path):
    """The application with its own upload folder and a 1 MB upload limit."""
    application = app_factory(FORUM_UPLOAD_DIR=str(tmp_path / "uploads"), FORUM_MAX_UPLOAD_MB=1)
    with application.app_context():
        yield application


@pytest.fixture
def people(make_user, make_organisation, add_member):
    """Rosa (member of a verified CSO), Claire (another, English), an outsider and a global moderator."""
    cso = make_organisation(kind="cso", name_es="Red de Mujeres", name_en="Women's Network",
                            acronym="RMM")
    rosa = make_user("rosa@example.org", display_name="Rosa López")
    claire = make_user("claire@example.org", display_name="Claire Dubois", locale="en")
    add_member(rosa, cso)
    add_member(claire, cso)
    return {"rosa": rosa, "claire": claire, "cso": cso,
            "outsider": make_user("nadie@example.org", display_name="Persona Ajena"),
            "mod": make_user("mod@example.org", display_name="Mateo Moderador", role="moderator")}


@pytest.fixture
def platform(make_platform, people):
    """A public platform whose members are Rosa and Claire."""
    return make_platform(slug="justicia", name_es="Justicia", name_en="Justice",
                         members=[people["rosa"], people["claire"]])


@pytest.fixture
def add_document(app):
    """Factory: a document uploaded through the service (committed)."""

    def add(user, platform, *, name="informe.pdf", data=PDF, **fields):
        values = dict(title_es="Informe de prueba", title_en="Test report", kind="report", language="es",
                      access="public")
        values.update(fields)
        platform_rules.forget_access()  # memberships may have changed since this test's context cached them
        document = services.upload(user, file=FileStorage(io.BytesIO(data), filename=name), platform=platform,
                                   **values)
        commit()
        return document

    return add


def text(response) -> str:
    """The page's HTML."""
    return response.get_data(as_text=True)


def upload_data(**fields) -> dict:
    """A complete upload form; ``file`` is a (bytes, name) pair."""
    data = {"platform": "justicia", "title_es": "Diagnóstico de acceso a la justicia",
            "title_en": "Access to justice assessment", "description_es": "Resumen", "description_en": "",
            "kind": "report", "language": "es", "year": "2025", "organisation_id": "", "access": "public",
            "tags": "oaxaca", "thread_ids": "", "file": (io.BytesIO(PDF), "diagnostico.pdf")}
    data.update(fields)
    if isinstance(data.get("file"), tuple) and isinstance(data["file"][0], bytes):
        data["file"] = (io.BytesIO(data["file"][0]), data["file"][1])
    return data


def test_the_library_lists_and_filters_in_both_languages(client, english_client, people, platform, add_document,
                                                         make_platform):
    """Both languages; the general library and the platforms'; filters by type, year, library and tag;
    members-only documents stay out of others' lists."""
    add_document(people["rosa"], platform, title_es="Protocolo de intérpretes", title_en="Interpreters protocol",
                 kind="policy_draft", year=2025, tags=["oaxaca"])
    add_document(people["mod"], None, name="datos.csv", data=CSV, title_es="Datos de referencia", title_en="",
                 year=2023)
    closed = make_platform(slug="mesa", name_es="Mesa", name_en="Table", visibility="members",
                           members=[people["rosa"]])
    add_document(people["rosa"], closed, name="minuta.txt", data=b"Minuta secreta", title_es="Minuta secreta",
                 title_en="Secret minutes", kind="minutes", access="members")

    page = text(client.get("/library"))
    assert '<html lang="es">' in page
    assert "Protocolo de intérpretes" in page and "Datos de referencia" in page and "Minuta secreta" not in page
    english = text(english_client.get("/library"))
    assert '<html lang="en">' in english and "Interpreters protocol" in english and "Library" in english
    # a title only in Spanish is shown in Spanish and marked as such
    assert 'lang="es">Datos de referencia</a>' in english and "only in Español" in english
    assert "Secret minutes" not in english

    only_drafts = text(client.get("/library?kind=policy_draft"))
    assert "Protocolo de intérpretes" in only_drafts and "Datos de referencia" not in only_drafts
    of_2023 = text(english_client.get("/library?year=2023"))
    assert "Datos de referencia" in of_2023 and "Interpreters protocol" not in of_2023
    general = text(client.get("/library?library=general"))
    assert "Datos de referencia" in general and "Protocolo de intérpretes" not in general
    tagged = text(client.get("/library?tag=oaxaca&sort=title"))
    assert "Protocolo de intérpretes" in tagged and "Datos de referencia" not in tagged
    justice = text(english_client.get("/p/justicia/library"))
    assert "Interpreters protocol" in justice and "Datos de referencia" not in justice
    assert client.get("/p/nowhere/library").status_code == 404
    assert client.get("/library?year=abc&organisation=-1&sort=zzz&kind=x").status_code == 200

    Auth(client).login("rosa@example.org")
    assert "Minuta secreta" in text(client.get("/library"))
    assert "Minuta secreta" in text(client.get("/p/mesa/library"))
    # the navigation and the platform page lead to the libraries
    assert 'href="/library"' in text(client.get("/p/justicia"))
    assert 'href="/p/justicia/library"' in text(client.get("/p/justicia"))


def test_the_document_page_shows_versions_downloads_and_references(client, english_client, people, platform,
                                                                   add_document, make_thread):
    """Metadata in the reader's language with the fallback marked, versions with size and uploader, download
    figures, and the threads it is linked to; the thread page lists the document."""
    thread = make_thread(people["rosa"], platform, title="Intérpretes en las fiscalías")
    document = add_document(people["rosa"], platform, title_en="", description_es="Un **resumen**.",
                            thread_ids=[thread.id], organisation_id=people["cso"].id, year=2024)
    page = text(english_client.get(f"/documents/{document.id}"))
    assert "Informe de prueba" in page and "only in Español" in page and "Un **resumen**." in page
    assert "Women&#39;s Network" in page and "2024" in page and "Rosa López" in page
    assert "informe.pdf" in page and f"/documents/{document.id}/versions/1/download" in page
    assert "Intérpretes en las fiscalías" in page and f'href="/t/{thread.id}"' in page
    spanish = text(client.get(f"/documents/{document.id}"))
    assert '<html lang="es">' in spanish and "Red de Mujeres" in spanish
    thread_page = text(client.get(f"/t/{thread.id}"))
    assert f'href="/documents/{document.id}"' in thread_page and "Informe de prueba" in thread_page
    assert client.get("/documents/999999").status_code == 404
    assert client.get("/documents/99999999999").status_code == 404


def test_the_thread_page_lists_documents_with_one_query_whatever_their_number(client, people, platform,
                                                                              add_document, make_thread,
                                                                              count_queries):
    """The Documents list on a thread page costs the same number of queries for one document or five."""
    thread = make_thread(people["rosa"], platform)
    add_document(people["rosa"], platform, thread_ids=[thread.id])
    client.get(f"/t/{thread.id}")
    with count_queries() as one:
        client.get(f"/t/{thread.id}")
    for n in range(4):
        add_document(people["rosa"], platform, name=f"d{n}.txt", data=f"texto {n}".encode(),
                     title_es=f"Documento {n}", thread_ids=[thread.id])
    with count_queries() as five:
        page = text(client.get(f"/t/{thread.id}"))
    assert "Documento 3" in page and len(five) == len(one)


def test_uploading_through_the_form(client, people, platform):
    """A member of a verified organisation uploads to a platform's library and lands on the document page;
    the platform select offers only libraries she may upload to."""
    auth = Auth(client)
    auth.login("rosa@example.org")
    form = text(client.get("/library/upload?platform=justicia"))
    assert 'enctype="multipart/form-data"' in form and '<option selected value="justicia">' in form
    response = client.post("/library/upload", data=upload_data(), content_type="multipart/form-data")
    assert response.status_code == 303
    document = db.session.scalar(select(Document))
    assert response.headers["Location"].endswith(f"/documents/{document.id}")
    assert document.platform.slug == "justicia" and document.year == 2025 and document.uploader_id == people["rosa"].id
    assert "Diagnóstico de acceso a la justicia" in text(client.get("/p/justicia/library"))
    auth.logout()
    auth.login("nadie@example.org")
    assert client.get("/library/upload").status_code == 403
    auth.logout()
    assert client.get("/library/upload").status_code == 302


def test_the_upload_form_keeps_what_was_typed(client, people, platform):
    """Without a file (and without a type), the form comes back with 422, the errors next to their fields and
    everything typed still there."""
    Auth(client).login("rosa@example.org")
    response = client.post("/library/upload", data=upload_data(file=None, kind="", description_es="Mi <b>texto</b>"),
                           content_type="multipart/form-data")
    assert response.status_code == 422
    page = text(response)
    assert 'value="Diagnóstico de acceso a la justicia"' in page and "Mi &lt;b&gt;texto&lt;/b&gt;" in page
    assert 'id="file-error"' in page and 'id="kind-error"' in page and 'aria-invalid="true"' in page
    assert '<option selected value="justicia">' in page and 'value="oaxaca"' in page
    untitled = client.post("/library/upload", data=upload_data(title_es="", title_en=""),
                           content_type="multipart/form-data")
    assert untitled.status_code == 422 and 'id="title_es-error"' in text(untitled)
    assert db.session.scalar(select(Document)) is None


def test_an_oversized_upload_is_refused_with_413(client, english_client, people, platform):
    """A file over the limit gets 413 with the limit named next to the file field, the fields kept; a body far
    over the limit is turned away before it is read."""
    auth = Auth(english_client)
    auth.login("claire@example.org")
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)
    response = english_client.post("/library/upload", data=upload_data(file=(big, "big.pdf")),
                                   content_type="multipart/form-data")
    assert response.status_code == 413
    page = text(response)
    assert "1 MB" in page and 'id="file-error"' in page and 'value="Access to justice assessment"' in page
    huge = b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024)
    response = english_client.post("/library/upload", data=upload_data(file=(huge, "huge.pdf")),
                                   content_type="multipart/form-data")
    assert response.status_code == 413
    assert db.session.scalar(select(Document)) is None


@pytest.mark.parametrize("locale", ["es", "en"])
def test_a_refused_type_is_explained_in_the_readers_language(app, client, people, platform, locale):
    """A file of a type the library does not take (or whose content is not what its name says) comes back
    with a message naming the accepted types, in the reader's language."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = locale
    Auth(client).login("claire@example.org" if locale == "en" else "rosa@example.org")
    with app.test_request_context(), force_locale(locale):
        expected = html.escape(files.refusal().message, quote=True)
    for name, data in (("script.exe", b"MZ\x90\x00"), ("falso.pdf", b"<html>no</html>"),
                       ("dibujo.txt", b"<svg onload=alert(1)>")):
        response = client.post("/library/upload", data=upload_data(file=(data, name)),
                               content_type="multipart/form-data")
        assert response.status_code == 422, name
        page = text(response)
        assert f'<html lang="{locale}">' in page and expected in page and "PDF" in page
    assert db.session.scalar(select(Document)) is None


def test_the_uploader_and_moderators_edit_others_may_not(client, people, platform, add_document,
                                                         make_platform):
    """The uploader edits the metadata (form prefilled, errors kept); a moderator may too; another member gets
    403; documents one may not see answer 404 on every page."""
    document = add_document(people["rosa"], platform, tags=["oaxaca"])
    auth = Auth(client)
    auth.login("rosa@example.org")
    form = text(client.get(f"/documents/{document.id}/edit"))
    assert 'value="Informe de prueba"' in form and 'value="oaxaca"' in form
    data = {"title_es": "", "title_en": "", "description_es": "", "description_en": "", "kind": "minutes",
            "language": "both", "year": "2024", "organisation_id": "", "access": "registered", "tags": "",
            "thread_ids": ""}
    refused = client.post(f"/documents/{document.id}/edit", data=data)
    assert refused.status_code == 422 and 'value="2024"' in text(refused)
    response = client.post(f"/documents/{document.id}/edit", data={**data, "title_en": "Minutes"})
    assert response.status_code == 303
    db.session.expire_all()
    stored = db.session.get(Document, document.id)
    assert (stored.title_en, stored.kind, stored.access, stored.year) == ("Minutes", "minutes", "registered", 2024)
    auth.logout()

    auth.login("claire@example.org")
    assert client.get(f"/documents/{document.id}/edit").status_code == 403
    assert client.post(f"/documents/{document.id}/versions/new", data={}).status_code == 403
    assert client.post(f"/documents/{document.id}/remove", data={"reason": "spam"}).status_code == 403
    auth.logout()
    auth.login("mod@example.org")
    assert client.post(f"/documents/{document.id}/edit", data={**data, "title_en": "Minutes (moderated)"}) \
        .status_code == 303
    auth.logout()

    closed = make_platform(slug="mesa", visibility="members", members=[people["rosa"]])
    secret = add_document(people["rosa"], closed, name="s.txt", data=b"secreto", title_es="Secreto",
                          access="members")
    auth.login("claire@example.org")
    for url in (f"/documents/{secret.id}", f"/documents/{secret.id}/edit", f"/documents/{secret.id}/download",
                f"/documents/{secret.id}/versions/1/download", f"/documents/{secret.id}/versions/new"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/documents/{secret.id}/remove", data={"reason": "spam"}).status_code == 404


def test_a_moderator_removes_a_document_with_a_reason_recorded_in_the_log(client, people, platform,
                                                                           add_document):
    """The removal needs a reason, is logged, and the document is gone for everyone else."""
    document = add_document(people["rosa"], platform)
    auth = Auth(client)
    auth.login("mod@example.org")
    page = text(client.get(f"/documents/{document.id}"))
    assert f'action="/documents/{document.id}/remove"' in page
    missing = client.post(f"/documents/{document.id}/remove", data={"reason": ""})
    assert missing.status_code == 422 and 'id="reason-error"' in text(missing)
    response = client.post(f"/documents/{document.id}/remove", data={"reason": "personal_data",
                                                                      "note": "Datos de víctimas"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/p/justicia/library")
    entry = db.session.scalar(select(ModerationAction).where(ModerationAction.target_type == "document"))
    assert (entry.target_id, entry.reason, entry.moderator_id) == (document.id, "personal_data", people["mod"].id)
    auth.logout()
    auth.login("rosa@example.org")
    assert client.get(f"/documents/{document.id}").status_code == 404
    assert client.get(f"/documents/{document.id}/download").status_code == 404
    assert "Informe de prueba" not in text(client.get("/library"))


def test_a_new_version_keeps_the_old_one(client, people, platform, add_document):
    """The uploader adds version 2; the page lists both; the document's link gives the new one, the old one is
    still downloadable."""
    document = add_document(people["rosa"], platform, name="datos.csv", data=CSV)
    Auth(client).login("rosa@example.org")
    assert 'enctype="multipart/form-data"' in text(client.get(f"/documents/{document.id}/versions/new"))
    empty = client.post(f"/documents/{document.id}/versions/new", data={"note": "Corregido"},
                        content_type="multipart/form-data")
    assert empty.status_code == 422 and "Corregido" in text(empty)
    response = client.post(f"/documents/{document.id}/versions/new", content_type="multipart/form-data",
                           data={"note": "Cifras corregidas", "file": (io.BytesIO(CSV + b"Puebla,3\n"), "v2.csv")})
    assert response.status_code == 303
    page = text(client.get(f"/documents/{document.id}"))
    assert "v2.csv" in page and "datos.csv" in page and "Cifras corregidas" in page
    assert client.get(f"/documents/{document.id}/download").data.endswith(b"Puebla,3\n")
    assert client.get(f"/documents/{document.id}/versions/1/download").data == CSV
    assert client.get(f"/documents/{document.id}/versions/3/download").status_code == 404


def test_downloads_are_counted_and_sent_safely(client, people, platform, add_document):
    """Downloads come as attachments with nosniff and a sandboxing policy, and are counted."""
    document = add_document(people["rosa"], platform)
    response = client.get(f"/documents/{document.id}/download")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    inline = client.get(f"/documents/{document.id}/download?inline=1")
    assert inline.headers["Content-Type"].startswith("application/pdf")
    client.get(f"/documents/{document.id}/versions/1/download")
    db.session.expire_all()
    assert db.session.get(Document, document.id).download_count == 3
    assert db.session.scalar(select(DocumentVersion.download_count)) == 3


@pytest.mark.parametrize("name", ['../../x.txt', 'NUL', 'in"forme".txt', '<svg onload=alert(1)>.txt',
                                  '..\\..\\evil.txt'])
def test_odd_file_names_are_kept_as_names_and_shown_escaped(client, people, platform, add_document, tmp_path,
                                                            name):
    """Names are never paths: ``../`` is dropped, quotes and markup are escaped on the page and in the
    download's header; a name without a known extension is refused."""
    Auth(client).login("rosa@example.org")
    if '"' in name:  # browsers send quotes as %22 (and the test client not at all): straight to the service
        add_document(people["rosa"], platform, name=name, data=b"Texto plano")
    else:
        response = client.post("/library/upload", data=upload_data(file=(b"Texto plano", name)),
                               content_type="multipart/form-data")
        if name == "NUL":
            assert response.status_code == 422
            return
        assert response.status_code == 303, text(response)
    document = db.session.scalar(select(Document))
    version = db.session.scalar(select(DocumentVersion))
    assert "/" not in version.original_name and "\\" not in version.original_name
    assert not (tmp_path / "x.txt").exists() and not (tmp_path.parent / "x.txt").exists()
    page = text(client.get(f"/documents/{document.id}"))
    assert "<svg onload" not in page
    assert str(escape(version.original_name)) in page
    download = client.get(f"/documents/{document.id}/download")
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and not any(c in disposition for c in '<>\n\r\\')
    assert disposition.count('"') in (0, 2)
    assert download.data == b"Texto plano"


def test_the_demo_libraries_are_seeded_once(app, client):
    """``seed-demo`` adds the demo documents once: public ones in the lists, the working group's minutes only
    for its members, and every file downloads."""
    from forum.demo import PASSWORD
    from forum.demo.documents import DOCUMENTS

    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    documents = list(db.session.scalars(select(Document)))
    assert len(documents) == len(DOCUMENTS) == 4
    assert {d.platform.slug if d.platform else None for d in documents} == \
        {"justicia", "transparencia", "mesa-tecnica-segob-osc", None}
    listed = text(client.get("/library"))
    assert "Protocolo de intérpretes" in listed and "Minuta de la sesión 3" not in listed
    for document in documents:
        if document.access == "public":
            assert client.get(f"/documents/{document.id}/download").status_code == 200
    Auth(client).login("segob@foro.example", PASSWORD)
    assert "Minuta de la sesión 3" in text(client.get("/p/mesa-tecnica-segob-osc/library"))
