"""Uploading, versions, metadata edits, removal, download counts and text extraction through the services."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.core.db import commit, rollback
from forum.core.errors import ActionRefused
from forum.documents import queries, services
from forum.documents.models import DocumentVersion
from forum.extensions import db
from forum.moderation.models import ModerationAction
from tests.documents.conftest import make_docx, make_pdf, make_png


def test_upload_stores_under_a_generated_name_and_extracts_text(official, make_document, upload_dir):
    """An upload is stored under a generated name (never the user's path), with its size and checksum, and its
    text, tags and year are saved."""
    document = make_document(official, name="../../x.pdf", data=make_pdf("Hola cohesion"), tags="justicia, oaxaca",
                             year="2024")
    version = queries.latest_version(document)
    assert version.original_name == "x.pdf" and version.file_type == "pdf"
    assert version.storage_key.count("/") == 2 and "x.pdf" not in version.storage_key
    stored = upload_dir / version.storage_key
    assert stored.is_file() and stored.read_bytes() == make_pdf("Hola cohesion")
    assert not any(p.name == "x.py" or p.name == "x.pdf" for p in upload_dir.parent.rglob("*"))
    assert len(version.sha256) == 64 and version.size == len(make_pdf("Hola cohesion"))
    db.session.refresh(version)
    assert version.text_status == "done" and "Hola cohesion" in version.text
    assert queries.tags_of(document) == ["justicia", "oaxaca"] and document.year == 2024


def test_images_have_no_text_and_broken_files_are_kept(official, make_document):
    """Images are kept without text; a broken PDF is kept too, with its text extraction marked as failed."""
    image = make_document(official, data=make_png(), name="mapa.png", kind="infographic")
    assert queries.latest_version(image).text_status == "none"
    broken = make_document(official, data=b"%PDF-1.4\nnot really a pdf", name="roto.pdf")
    version = queries.latest_version(broken)
    db.session.refresh(version)
    assert version.text_status == "failed" and version.text is None


def test_refused_file_is_not_kept(official, file_of, upload_dir):
    """A disguised file is refused as the wrong type and leaves nothing in the upload folder."""
    with pytest.raises(ActionRefused) as refused:
        services.upload(official, file=file_of(b"<html><script>x</script></html>", "x.pdf"), platform=None,
                        title_es="Falso", kind="report", language="es")
    assert refused.value.code == "file_type"
    rollback()
    assert not [p for p in upload_dir.rglob("*") if p.is_file()]


def test_oversized_file_is_refused(app, official, file_of, upload_dir):
    """A file over the size limit is refused with a 413 and leaves nothing in the upload folder."""
    app.config["FORUM_MAX_UPLOAD_MB"] = 1
    with pytest.raises(ActionRefused) as refused:
        services.upload(official, file=file_of(b"%PDF-" + b"x" * (1024 * 1024 + 10), "big.pdf"), platform=None,
                        title_es="Grande", kind="report", language="es")
    assert refused.value.status == 413
    rollback()
    assert not [p for p in upload_dir.rglob("*") if p.is_file()]


def test_same_file_twice_is_recognised(official, make_document, file_of):
    """Uploading the same file again is refused with a 409 that names the existing document."""
    first = make_document(official, data=make_pdf("Unico"))
    with pytest.raises(ActionRefused) as refused:
        services.upload(official, file=file_of(make_pdf("Unico"), "copia.pdf"), platform=None, title_es="Copia",
                        kind="report", language="es")
    assert refused.value.status == 409 and str(first.id) in refused.value.message
    rollback()


def test_versions_keep_history(official, make_document, file_of):
    """A new version becomes the current one, while earlier versions stay listed and readable."""
    document = make_document(official)
    first = queries.latest_version(document)
    version = services.add_version(official, document, file_of(make_docx("Segunda"), "v2.docx"), note="Corregido")
    commit()
    assert version.number == 2 and queries.latest_version(document).id == version.id
    assert [v.number for v in queries.versions(document)] == [2, 1]
    assert queries.version(document, 1).id == first.id
    db.session.refresh(version)
    assert version.text == "Segunda"


def test_who_uploads_and_edits(make_user, make_platform, official, make_document, file_of):
    """Ordinary participants cannot upload and strangers cannot edit a document; a moderator can edit its details."""
    participant = make_user()
    with pytest.raises(ActionRefused) as refused:
        services.upload(participant, file=file_of(make_pdf(), "a.pdf"), platform=None, title_es="Nada",
                        kind="report", language="es")
    assert refused.value.status == 403
    rollback()
    platform = make_platform(members=[official])
    document = make_document(official, platform)
    stranger = make_user()
    with pytest.raises(ActionRefused):
        services.update(stranger, document, title_es="Otro")
    rollback()
    moderator = make_user(role="moderator")
    services.update(moderator, document, title_en="Edited", kind="minutes", tags=["actas"])
    commit()
    assert document.title_en == "Edited" and document.kind == "minutes" and queries.tags_of(document) == ["actas"]


@pytest.mark.parametrize(("field", "value"), [("kind", "poem"), ("language", "fr"), ("year", "1800"),
                                              ("access", "secret"), ("title_es", "x" * 201), ("tags", "no/slash"),
                                              ("thread_ids", "999999"), ("organisation_id", "999999")])
def test_bad_metadata_is_refused(official, file_of, field, value):
    """Unknown kinds, languages, access levels, implausible years, over-long titles, bad tags or missing threads and
    organisations are refused with a 400."""
    values = dict(title_es="Titulo", kind="report", language="es")
    values[field] = value
    with pytest.raises(ActionRefused) as refused:
        services.upload(official, file=file_of(make_pdf(), "a.pdf"), platform=None, **values)
    assert refused.value.status == 400
    rollback()


def test_thread_links(official, make_platform, make_thread, make_document, make_user):
    """A document linked to a thread is listed with that thread, and the thread with the document."""
    platform = make_platform(members=[official])
    thread = make_thread(official, platform)
    document = make_document(official, platform, thread_ids=str(thread.id))
    assert [t.id for t in queries.threads_of(None, document)] == [thread.id]
    assert [d.id for d in queries.documents_of_thread(None, thread)] == [document.id]


def test_removal_is_logged_and_hides_the_document(official, make_user, make_document):
    """Only an admin can remove a document; it then disappears and the removal is logged with its reason."""
    document = make_document(official)
    with pytest.raises(ActionRefused):
        services.remove(official, document, "spam")
    rollback()
    admin = make_user(role="admin")
    services.remove(admin, document, "spam")
    commit()
    assert queries.visible_document(official, document.id) is None
    entry = db.session.scalar(select(ModerationAction).where(ModerationAction.target_type == "document"))
    assert entry.action == "delete" and entry.target_id == document.id and entry.reason == "spam"


def test_download_count(official, make_document):
    """Each download is counted on both the document and the version downloaded."""
    document = make_document(official)
    version = db.session.scalar(select(DocumentVersion).where(DocumentVersion.document_id == document.id))
    services.count_download(version)
    services.count_download(version)
    commit()
    db.session.refresh(document)
    db.session.refresh(version)
    assert document.download_count == 2 and version.download_count == 2


def test_flagging_a_document(official, make_user, make_document):
    """A moderator's delete decision on a document removes it and is logged."""
    from forum.moderation import decisions

    document = make_document(official)
    moderator = make_user(role="moderator")
    decisions.decide(moderator, "document", document.id, "delete", reason="spam")
    commit()
    assert document.removed_at is not None
    assert db.session.scalar(select(ModerationAction.action).where(ModerationAction.target_type == "document")) \
        == "delete"


def test_a_rolled_back_upload_leaves_no_file(official, file_of, upload_dir):
    """If an upload is rolled back, its stored file is deleted too."""
    services.upload(official, file=file_of(make_pdf("Revertido"), "a.pdf"), platform=None, title_es="Revertido",
                    kind="report", language="es")
    assert [p for p in upload_dir.rglob("*") if p.is_file()]
    rollback()
    assert not [p for p in upload_dir.rglob("*") if p.is_file()]


def test_a_members_only_platforms_documents_stay_with_its_members(official, make_platform, make_document):
    """On a members-only platform a document cannot be made public or open to every registered person."""
    from forum.core.errors import ActionRefused

    group = make_platform(visibility="members", members=[official])
    for access in ("public", "registered"):
        with pytest.raises(ActionRefused) as refused:
            make_document(official, group, access=access)
        assert refused.value.field == "access"
    assert make_document(official, group, access="members").access == "members"
