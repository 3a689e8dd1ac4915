"""Consultation pages as people use them, without JavaScript, in both languages: drafts kept from everyone but
the agency's officials and administrators; the listing; the draft paragraph by paragraph with §N anchors,
counts and the comments beside each; commenting, replying and refusals (before opening, after closing); the
official answer; both languages side by side; versions, removed paragraphs and the comparison; escaped text;
and a page whose queries do not grow with its comments."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from forum.consultations import comments, services
from forum.core.db import commit, utcnow
from tests.conftest import browser
from tests.conftest import spanish_page as _es

V2_ES = "## 1. Objetivo\n\n[§1] Garantizar intérpretes certificados.\n\n## 2. Alcance\n\n[§3] Oaxaca.\n\nChiapas."
V2_EN = "## 1. Aim\n\n[§1] Guarantee certified interpreters.\n\n## 2. Scope\n\n[§3] Oaxaca.\n\nChiapas."


def text(response) -> str:
    """The page's HTML."""
    return response.get_data(as_text=True)


def paragraph(page: str, key: int) -> str:
    """The section of paragraph ``key`` (its text and the comments beside it)."""
    found = re.search(rf'<section class="draft-paragraph" id="p-{key}".*?(?=<section class="draft-paragraph"|'
                      r'<section aria-labelledby="removed-heading"|<section aria-labelledby="whole-draft)', page, re.S)
    return found.group(0) if found else ""


@pytest.fixture
def ana(make_user):
    """Ana, a participant of a civil-society organisation (Spanish)."""
    return make_user("ana@example.org", display_name="Ana Pérez")


@pytest.fixture
def claire(make_user):
    """Claire, reading in English."""
    return make_user("claire@eu.example", display_name="Claire Dubois", locale="en")


def post_comment(client, consultation, **fields):
    """Send the comment form."""
    data = {"kind": "concern", "paragraph": "", "body": "Un comentario.", "replacement": "", "language": "es",
            "parent": "", **fields}
    return client.post(f"/consultations/{consultation.id}/comments", data=data)


def test_a_draft_is_seen_only_by_the_agency_and_administrators(app, client, official, make_consultation, ana,
                                                               make_user, make_organisation, add_member):
    """Every page of a draft is 404 for a participant, a visitor and another agency's official; the agency's
    official and an administrator see it, marked as a draft, and only they find it in the listing."""
    draft = make_consultation(official, publish=False, title_es="Borrador reservado")
    other = make_user("otro@sre.gob.mx")
    add_member(other, make_organisation(acronym="SRE", name_es="Secretaría de Relaciones Exteriores"))
    make_user("admin@example.org", role="admin")
    pages = [f"/consultations/{draft.id}", f"/consultations/{draft.id}/compare",
             f"/consultations/{draft.id}?version=1&lang=both"]
    for reader in (client, browser(app, "ana@example.org"), browser(app, "otro@sre.gob.mx")):
        for page in pages:
            assert reader.get(page).status_code == 404, page
        assert "Borrador reservado" not in text(reader.get("/consultations"))
    assert post_comment(browser(app, "ana@example.org"), draft).status_code == 404
    for email in ("jorge@segob.gob.mx", "admin@example.org"):
        reader = browser(app, email)
        for page in pages:
            assert reader.get(page).status_code == 200, (email, page)
        assert "Borrador reservado" in text(reader.get("/consultations"))
    assert _es("Edit") in text(browser(app, "jorge@segob.gob.mx").get(pages[0]))


def test_the_listing_filters_and_shows_progress(client, english_client, official, make_consultation, ana, app):
    """Newest first, with agency, platform, phase and "N of M comments answered"; filters by phase, platform and
    organisation; unknown filter values are ignored."""
    older = make_consultation(official, title_es="Consulta abierta", title_en="Open consultation")
    later = make_consultation(official, title_es="Consulta futura", title_en="",
                              opens_at=utcnow() + timedelta(days=2), closes_at=utcnow() + timedelta(days=9))
    comments.comment(ana, older, body="Bien.", kind="support")
    commit()
    page = text(english_client.get("/consultations"))
    assert page.index("Consulta futura") < page.index("Open consultation")
    assert "0 of 1 comments answered" in page and "SEGOB" in page and "Justice" in page
    assert "only in Español" in page and "Scheduled" in page and "Open for comments" in page
    assert "Consulta futura" not in text(english_client.get("/consultations?phase=open"))
    assert "Open consultation" not in text(english_client.get("/consultations?phase=scheduled"))
    assert "Consulta futura" in text(english_client.get(f"/consultations?organisation={later.organisation_id}"))
    ignored = text(english_client.get("/consultations?platform=nowhere&phase=x&organisation=%C2%B2"))
    assert "Consulta futura" in ignored and "Open consultation" in ignored
    assert "No consultations match" in text(english_client.get("/consultations?phase=answered"))
    spanish = text(client.get("/consultations"))
    assert '<html lang="es">' in spanish and _es("Open for comments") in spanish
    assert english_client.get("/consultations?page=9").status_code == 404


def test_paragraphs_have_anchors_counts_and_comments_beside_them(app, client, official, make_consultation, ana):
    """Sections with headings, each paragraph labelled §N with id="p-N" and its count; a comment on paragraph 3
    appears beside it and its count becomes 1; the link to comment on a paragraph preselects it."""
    consultation = make_consultation(official)
    page = text(client.get(f"/consultations/{consultation.id}"))
    for key in (1, 2, 3):
        assert f'id="p-{key}"' in page and f"§{key}" in page
    assert "1. Objetivo" in page and "2. Alcance" in page and "¿Qué cambiaría?" in page
    assert _es("Sign in to comment") in page and 'id="comment-form"' in page
    reader = browser(app, "ana@example.org")
    form = text(reader.get(f"/consultations/{consultation.id}?paragraph=3"))
    assert '<option selected value="3">§3</option>' in form or '<option value="3" selected>§3</option>' in form
    response = post_comment(reader, consultation, paragraph="3", kind="proposal", body="Falta **Chiapas**.",
                            replacement="Oaxaca y Chiapas.")
    assert response.status_code == 303
    created = re.search(r"#comment-(\d+)$", response.headers["Location"])
    assert created
    page = text(reader.get(f"/consultations/{consultation.id}"))
    beside = paragraph(page, 3)
    assert f'id="comment-{created.group(1)}"' in beside and "<strong>Chiapas</strong>" in beside
    assert "Oaxaca y Chiapas." in beside and "Ana Pérez" in beside and _es("Proposal for change") in beside
    assert "1 comentario" in beside or "1 comment" in beside
    assert "Ana Pérez" not in paragraph(page, 2)


def test_comments_are_refused_before_opening_and_after_closing(app, official, make_consultation, claire):
    """Before it opens and after it closes the form is replaced by the phase, and a comment sent anyway gets
    409 with the reason, keeping the text; bad input gets 422 with what was typed."""
    scheduled = make_consultation(official, opens_at=utcnow() + timedelta(days=1),
                                  closes_at=utcnow() + timedelta(days=5))
    reader = browser(app, "claire@eu.example")
    page = text(reader.get(f"/consultations/{scheduled.id}"))
    assert "not taking comments: it is scheduled" in page and 'name="body"' not in page
    response = post_comment(reader, scheduled, body="Mi texto guardado")
    assert response.status_code == 409 and "it is scheduled" in text(response)
    assert "Mi texto guardado" in text(response)
    closed = make_consultation(official)
    services.close_early(official, closed)
    commit()
    response = post_comment(reader, closed)
    assert response.status_code == 409 and "it is closed" in text(response)
    open_one = make_consultation(official)
    response = post_comment(reader, open_one, paragraph="99", body="Texto que queda")
    assert response.status_code == 422 and "no paragraph 99" in text(response)
    assert "Texto que queda" in text(response)
    assert post_comment(reader, open_one, body="").status_code == 422
    assert post_comment(reader, open_one, kind="nonsense").status_code == 422
    assert post_comment(reader, open_one, parent="12345").status_code == 422


def test_replies_nest_and_text_is_escaped(app, official, make_consultation, ana, make_user):
    """A reply sits under the comment it answers, with its paragraph; HTML in a comment shows as text."""
    consultation = make_consultation(official)
    first = comments.comment(ana, consultation, body="<script>alert(1)</script> Hola", kind="concern", paragraph=2)
    commit()
    make_user("luis@example.org", display_name="Luis")
    reader = browser(app, "luis@example.org")
    form = text(reader.get(f"/consultations/{consultation.id}?parent={first.id}"))
    assert "Ana Pérez" in form and f'value="{first.id}"' in form
    assert post_comment(reader, consultation, parent=str(first.id), body="Estoy de acuerdo.").status_code == 303
    page = text(reader.get(f"/consultations/{consultation.id}"))
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    replies = re.search(rf'id="comment-{first.id}".*?<div class="replies">(.*?)<p class="reply-link">',
                        paragraph(page, 2), re.S)
    assert replies and "Estoy de acuerdo." in replies.group(1) and "Luis" in replies.group(1)


def test_the_answer_shows_with_its_status_and_official_links(app, official, make_consultation, ana, claire):
    """The official sees "Answer" on unanswered comments; once answered everyone sees the status and the
    explanation (in the other language when only that one was written, marked)."""
    consultation = make_consultation(official)
    item = comments.comment(ana, consultation, body="Incluir Chiapas.", kind="proposal", paragraph=3)
    commit()
    jorge = browser(app, "jorge@segob.gob.mx")
    assert f"/comments/{item.id}/answer" in text(jorge.get(f"/consultations/{consultation.id}"))
    comments.answer(official, item, status="partly_accepted", explanation_es="Lo incluimos en la versión 2.")
    commit()
    reader = browser(app, "claire@eu.example")
    page = text(reader.get(f"/consultations/{consultation.id}"))
    beside = paragraph(page, 3)
    assert "Partly accepted" in beside and "Lo incluimos en la versión 2." in beside and "only in Español" in beside
    assert "1 of 1 comments answered" in page and f"/comments/{item.id}/answer" not in page
    assert f"/comments/{item.id}/answer" not in text(jorge.get(f"/consultations/{consultation.id}"))


def test_side_by_side_shows_both_languages(client, english_client, official, make_consultation):
    """?lang=both puts Spanish and English in two columns, each marked with its language."""
    consultation = make_consultation(official)
    page = text(english_client.get(f"/consultations/{consultation.id}?lang=both"))
    one = paragraph(page, 1)
    assert '<div class="paragraph-column" lang="es">' in one and "Garantizar intérpretes." in one
    assert '<div class="paragraph-column" lang="en">' in one and "Guarantee interpreters." in one
    single = paragraph(text(english_client.get(f"/consultations/{consultation.id}")), 1)
    assert "Guarantee interpreters." in single and "Garantizar" not in single
    spanish = paragraph(text(client.get(f"/consultations/{consultation.id}")), 1)
    assert "Garantizar intérpretes." in spanish and "Guarantee" not in spanish


def test_versions_keep_comments_and_list_those_on_removed_paragraphs(app, english_client, official,
                                                                     make_consultation, ana):
    """Version 2 keeps the comments on kept paragraphs beside them and lists those on removed paragraphs; the
    first version still shows them all in place, and the comparison marks what changed."""
    consultation = make_consultation(official)
    kept = comments.comment(ana, consultation, body="Sobre el objetivo.", kind="support", paragraph=1)
    gone = comments.comment(ana, consultation, body="Sobre las fiscalías.", kind="concern", paragraph=2)
    commit()
    services.new_version(official, consultation, text_es=V2_ES, text_en=V2_EN, note_en="Chiapas added")
    commit()
    page = text(english_client.get(f"/consultations/{consultation.id}"))
    assert f'id="comment-{kept.id}"' in paragraph(page, 1) and 'id="p-2"' not in page
    removed = page[page.index('id="removed-heading"'):]
    assert f'id="comment-{gone.id}"' in removed and "On version 1" in removed
    assert "Record of changes" in page and "New version of the draft" in page
    old = text(english_client.get(f"/consultations/{consultation.id}?version=1"))
    assert f'id="comment-{gone.id}"' in paragraph(old, 2) and "Made on this version" in old
    assert "Comments on removed paragraphs" not in old
    assert english_client.get(f"/consultations/{consultation.id}?version=3").status_code == 404
    assert english_client.get(f"/consultations/{consultation.id}?version=x").status_code == 404
    compared = text(english_client.get(f"/consultations/{consultation.id}/compare?from=1&to=2"))
    assert "<ins>certified</ins>" in compared and "change-removed" in compared and "change-added" in compared
    assert "change-same" in compared and "Chiapas added" in compared
    assert english_client.get(f"/consultations/{consultation.id}/compare?from=1&to=7").status_code == 404


def test_the_page_does_not_grow_with_its_comments(app, english_client, official, make_consultation, make_user,
                                                  count_queries):
    """Authors, answers and replies are read at once: more comments, the same number of queries."""
    consultation = make_consultation(official)
    first = comments.comment(make_user(), consultation, body="Uno.", kind="support", paragraph=1)
    comments.answer(official, first, status="accepted", explanation_es="Sí.")
    commit()
    address = f"/consultations/{consultation.id}"
    english_client.get(address)
    with count_queries() as one:
        english_client.get(address)
    for n in range(6):
        item = comments.comment(make_user(), consultation, body=f"Comentario {n}.", kind="concern",
                                paragraph=n % 3 + 1 if n % 2 else None)
        comments.comment(make_user(), consultation, body="Respuesta.", parent=item)
        comments.answer(official, item, status="accepted", explanation_en="Yes.")
    commit()
    with count_queries() as many:
        page = text(english_client.get(address))
    assert "7 of 7 comments answered" in page and len(many) == len(one)
