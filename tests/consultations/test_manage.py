"""The agency officials' pages, as officials use them without JavaScript, in both languages: creating a draft
(times read in Mexico City, refusals that keep what was typed: dates, misaligned paragraphs, unknown markers,
another agency, a tampered platform), starting from a library document, editing and publishing, new versions
that keep paragraph numbers, closing early and extending, answering comments (only the agency's officials; not
replies) and the progress figure; other people answering 403, 404 or the sign-in page."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from forum.consultations import comments, lifecycle, services
from forum.consultations.models import Consultation
from forum.core.db import commit
from forum.documents import queries as document_queries
from forum.documents import services as document_services
from forum.documents import services as documents
from forum.extensions import db
from forum.platforms.models import PlatformMembership
from tests.conftest import browser, saved
from tests.conftest import spanish_page as _es
from tests.consultations.conftest import DRAFT_EN, DRAFT_ES

MEXICO = ZoneInfo("America/Mexico_City")
OFFICIAL = "jorge@segob.gob.mx"


def _en(message: str, **values) -> str:
    """``message`` as an English page shows it."""
    with force_locale("en"):
        return str(escape(_(message, **values)))


def text(response) -> str:
    """The page's HTML."""
    return response.get_data(as_text=True)


def local(days: int = 0, hour: int = 10) -> str:
    """A time in Mexico City as a ``datetime-local`` field holds it."""
    moment = (datetime.now(MEXICO) + timedelta(days=days)).replace(hour=hour, minute=0)
    return moment.strftime("%Y-%m-%dT%H:%M")


def new_consultation(segob, justicia, **fields) -> dict:
    """A complete new-consultation form as a browser sends it."""
    data = {"organisation": str(segob.id), "platform": str(justicia.id), "title_es": "Protocolo de intérpretes",
            "title_en": "Interpreters' protocol", "summary_es": "Un **protocolo**.", "summary_en": "",
            "question_es": "¿Qué cambiaría?", "question_en": "", "opens_at": local(1, 9),
            "closes_at": local(15, 18), "text_es": DRAFT_ES, "text_en": DRAFT_EN}
    data.update(fields)
    return data


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Consultation))


@pytest.fixture
def signed_in(app, official):
    """The official's browser (Spanish)."""
    return browser(app, OFFICIAL)


@pytest.fixture
def other_official(make_user, make_organisation, add_member, justicia):
    """Elena, an official of another agency (SRE), also a member of Justicia."""
    user = make_user("elena@sre.gob.mx", display_name="Elena Soto")
    add_member(user, make_organisation(acronym="SRE", name_es="Secretaría de Relaciones Exteriores"))
    db.session.add(PlatformMembership(platform=justicia, user=user))
    commit()
    return user


def test_an_official_creates_a_draft_and_publishes_it(signed_in, official, segob, justicia):
    """The form offers the official's agency and the platforms they may post on; saving keeps a draft (times
    read in Mexico City, summary rendered, paragraphs numbered) that the edit page shows back; publishing
    makes it public and the edit page then answers 409."""
    page = text(signed_in.get("/consultations/new"))
    assert '<html lang="es">' in page and 'type="datetime-local"' in page
    assert f'value="{segob.id}"' in page and "SEGOB" in page and f'value="{justicia.id}"' in page
    assert "[§3]" in page  # the explanation of the markers

    response = signed_in.post("/consultations/new", data=new_consultation(segob, justicia))
    assert response.status_code == 303
    consultation = db.session.scalars(select(Consultation)).one()
    assert response.headers["Location"].endswith(f"/consultations/{consultation.id}/edit")
    assert consultation.published_at is None and consultation.organisation_id == segob.id
    assert consultation.opens_at.astimezone(MEXICO).strftime("%Y-%m-%dT%H:%M") == local(1, 9)
    assert "<strong>protocolo</strong>" in consultation.summary_html_es
    assert [p.key for p in consultation.versions[0].paragraphs] == [1, 2, 3]

    edit = text(signed_in.get(f"/consultations/{consultation.id}/edit"))
    assert f'value="{local(1, 9)}"' in edit and "[§2] En todas las fiscalías." in edit
    assert "Protocolo de intérpretes" in edit

    changed = signed_in.post(f"/consultations/{consultation.id}/edit",
                             data=new_consultation(segob, justicia, title_es="Protocolo revisado"))
    assert changed.status_code == 303 and saved(consultation).title_es == "Protocolo revisado"
    refused = signed_in.post(f"/consultations/{consultation.id}/edit", data=new_consultation(
        segob, justicia, title_es="Otro título", text_es="[§2] Sin su par.", text_en="[§3] Alone."))
    assert refused.status_code == 422 and "Otro título" in text(refused)
    assert saved(consultation).title_es == "Protocolo revisado"

    published = signed_in.post(f"/consultations/{consultation.id}/publish", data={})
    assert published.status_code == 303
    assert published.headers["Location"].endswith(f"/consultations/{consultation.id}")
    assert lifecycle.phase(saved(consultation)) == "scheduled"
    assert signed_in.get(f"/consultations/{consultation.id}/edit").status_code == 409
    assert signed_in.post(f"/consultations/{consultation.id}/publish", data={}).status_code == 409


@pytest.mark.parametrize(("changes", "field", "message", "values"), [
    ({"closes_at": local(0, 8), "opens_at": local(1, 9)}, "closes_at", "The consultation must close after it opens.",
     {}),
    ({"text_en": "## 1. Aim\n\nGuarantee interpreters.\n\n## 2. Scope\n\nOaxaca."}, "text_en",
     "Section %(section)d has %(es)d paragraphs in Spanish and %(en)d in English: each paragraph needs its "
     "counterpart.", {"section": 1, "es": 2, "en": 1}),
    ({"text_es": "[§7] Un párrafo con número inventado.", "text_en": ""}, "text_es",
     "[§%(key)d] is not a paragraph of this draft. To add a paragraph, write it without a number.", {"key": 7}),
    ({"platform": "999999"}, "platform", "You can only consult on a platform where you may post.", {}),
    ({"opens_at": "mañana"}, "opens_at", None, {}),
])
def test_refused_input_is_shown_at_its_field_with_what_was_typed(signed_in, segob, justicia, changes, field,
                                                                 message, values):
    """Dates in the wrong order, paragraphs without their counterpart, an unknown marker, a tampered platform
    and an unreadable date are refused with 422: the message at its field, the typed values kept, nothing
    saved."""
    data = new_consultation(segob, justicia, title_es="Título <b>escrito</b>", **changes)
    response = signed_in.post("/consultations/new", data=data)
    page = text(response)
    assert response.status_code == 422 and count() == 0
    assert re.search(rf'<p class="error" id="{field}-error">', page)
    if message:
        assert _es(message, **values) in page
    assert "Título &lt;b&gt;escrito&lt;/b&gt;" in page and "<b>escrito</b>" not in page
    assert str(escape(data["text_es"].splitlines()[0])) in page


def test_an_official_cannot_consult_for_another_agency(signed_in, segob, justicia, make_organisation):
    """An organisation id the official does not belong to (tampered select) is refused at its field."""
    other = make_organisation(acronym="SRE")
    response = signed_in.post("/consultations/new", data=new_consultation(segob, justicia,
                                                                          organisation=str(other.id)))
    assert response.status_code == 422 and count() == 0
    assert _es("You can only consult for a government organisation you are an official of.") in text(response)


def test_visitors_sign_in_and_participants_are_refused(app, client, make_user, official, make_consultation):
    """Visitors are sent to the sign-in page; a participant may not create a consultation (403) nor see a
    draft (404) nor run a published one (403)."""
    draft = make_consultation(official, publish=False)
    response = client.get("/consultations/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "/login" in client.post(f"/consultations/{draft.id}/publish", data={}).headers["Location"]
    make_user("ana@example.org")
    ana = browser(app, "ana@example.org")
    assert ana.get("/consultations/new").status_code == 403
    assert ana.post("/consultations/new", data={"title_es": "x"}).status_code == 403
    assert ana.get(f"/consultations/{draft.id}/edit").status_code == 404
    published = make_consultation(official, title_es="Publicada")
    assert ana.get(f"/consultations/{published.id}/versions/new").status_code == 403
    assert ana.post(f"/consultations/{published.id}/close", data={}).status_code == 403
    assert lifecycle.phase(saved(published)) == "open"


def test_another_agency_sees_not_the_draft_and_may_not_run_the_published_one(app, official, other_official,
                                                                            make_consultation):
    """Another agency's official: 404 on a draft (and on unknown ids), 403 on a published consultation."""
    draft = make_consultation(official, publish=False)
    published = make_consultation(official, title_es="Publicada")
    elena = browser(app, "elena@sre.gob.mx")
    assert elena.get(f"/consultations/{draft.id}/edit").status_code == 404
    assert elena.post(f"/consultations/{draft.id}/publish", data={}).status_code == 404
    assert elena.get("/consultations/999999/edit").status_code == 404
    assert elena.get(f"/consultations/{published.id}/edit").status_code == 403
    assert elena.get(f"/consultations/{published.id}/versions/new").status_code == 403
    assert elena.post(f"/consultations/{published.id}/extend", data={"closes_at": local(30)}).status_code == 403
    assert saved(draft).published_at is None


def test_a_draft_starts_from_a_library_document(signed_in, official, make_user, make_organisation, add_member):
    """``?document=<id>`` puts the document's extracted text, split into paragraphs, in the Spanish draft; a
    document the official may not see answers 404."""
    report = document_services.upload(official, file=FileStorage(io.BytesIO(b"x"), filename="protocolo.txt"),
                                      platform=None, title_es="Protocolo", title_en="", kind="report",
                                      language="es", access="public")
    outsider = make_user("ajena@example.org")
    add_member(outsider, make_organisation(kind="cso", name_es="Colectivo", name_en="Collective"))
    secret = document_services.upload(outsider, file=FileStorage(io.BytesIO(b"s"), filename="s.txt"),
                                      platform=None, title_es="Minuta interna", title_en="", kind="minutes",
                                      language="es", access="organisation")
    commit()
    document_queries.latest_version(report).text = "Artículo primero.\nSigue   el artículo.\n\n\nArtículo segundo."
    commit()
    page = text(signed_in.get(f"/consultations/new?document={report.id}"))
    assert "Artículo primero. Sigue el artículo.\n\nArtículo segundo.</textarea>" in page
    assert signed_in.get(f"/consultations/new?document={secret.id}").status_code == 404
    assert signed_in.get("/consultations/new?document=abc").status_code == 404


def test_a_new_version_keeps_paragraph_numbers(signed_in, official, make_user, make_consultation):
    """The form holds the current text with its markers; the new version keeps the numbers (and comments) of
    the paragraphs kept, numbers new ones after them, and is recorded; a bad marker is refused with 422."""
    consultation = make_consultation(official)
    comments.comment(make_user(), consultation, body="Faltan juzgados.", kind="concern", paragraph="2")
    commit()
    page = text(signed_in.get(f"/consultations/{consultation.id}/versions/new"))
    assert "[§1] Garantizar intérpretes." in page and "[§3] Guarantee" not in page and "[§3] Oaxaca." in page

    refused = signed_in.post(f"/consultations/{consultation.id}/versions/new",
                             data={"text_es": "[§9] Otro.", "text_en": "", "note_es": "", "note_en": ""})
    assert refused.status_code == 422 and "[§9] Otro." in text(refused)
    assert _es("[§%(key)d] is not a paragraph of this draft. To add a paragraph, write it without a number.",
               key=9) in text(refused)

    text_es = ("## 1. Objetivo\n\n[§2] En todas las fiscalías y juzgados.\n\nNuevo párrafo.\n\n"
               "## 2. Alcance\n\n[§3] Oaxaca.")
    response = signed_in.post(f"/consultations/{consultation.id}/versions/new",
                              data={"text_es": text_es, "text_en": "", "note_es": "Se añaden juzgados.",
                                    "note_en": ""})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/consultations/{consultation.id}")
    current = comments.current_version(saved(consultation))
    assert current.number == 2 and [p.key for p in current.paragraphs] == [2, 4, 3]
    assert current.paragraphs[0].text_es == "En todas las fiscalías y juzgados."
    assert [c.action for c in services.changes(consultation)] == ["published", "version"]


def test_close_early_and_extend_are_recorded(signed_in, official, make_consultation):
    """Closing early and extending show in the record of the consultation's course; an earlier closing date
    is refused at its field with what was typed."""
    consultation = make_consultation(official)
    closed = signed_in.post(f"/consultations/{consultation.id}/close", data={"note": "Se cumplió el plazo."})
    assert closed.status_code == 303 and lifecycle.phase(saved(consultation)) == "closed"
    assert signed_in.post(f"/consultations/{consultation.id}/close", data={}).status_code == 409

    refused = signed_in.post(f"/consultations/{consultation.id}/extend",
                             data={"closes_at": local(-3), "note": "Más tiempo"})
    assert refused.status_code == 422 and f'value="{local(-3)}"' in text(refused)
    assert _es("The new closing date must be later than the current one and in the future.") in text(refused)

    extended = signed_in.post(f"/consultations/{consultation.id}/extend",
                              data={"closes_at": local(30, 18), "note": "Más tiempo para Oaxaca."})
    assert extended.status_code == 303 and lifecycle.phase(saved(consultation)) == "open"
    assert saved(consultation).closes_at.astimezone(MEXICO).strftime("%Y-%m-%dT%H:%M") == local(30, 18)
    record = services.changes(consultation)
    assert [(c.action, c.note) for c in record] == [("published", ""), ("closed_early", "Se cumplió el plazo."),
                                                    ("extended", "Más tiempo para Oaxaca.")]


def test_only_the_agencys_officials_answer_and_progress_moves(app, signed_in, official, other_official,
                                                              make_user, make_consultation):
    """The answer page shows the comment and its paragraph; administrators and other officials get 403, a
    reply 409, an unknown comment 404; an answer moves the progress figure and comes back to be changed."""
    consultation = make_consultation(official)
    ana = make_user("ana@example.org")
    make_user("admin@example.org", role="admin")
    item = comments.comment(ana, consultation, body="Faltan **juzgados**.", kind="concern", paragraph="2")
    reply = comments.comment(make_user(), consultation, body="De acuerdo.", parent=item)
    commit()
    page = text(signed_in.get(f"/comments/{item.id}/answer"))
    assert "<strong>juzgados</strong>" in page and "En todas las fiscalías." in page
    assert _es("%(answered)s of %(total)s comments answered", answered=0, total=1) in page

    for email in ("admin@example.org", "elena@sre.gob.mx", "ana@example.org"):
        other = browser(app, email)
        assert other.get(f"/comments/{item.id}/answer").status_code == 403
        assert other.post(f"/comments/{item.id}/answer", data={"status": "accepted",
                                                                "explanation_es": "Sí."}).status_code == 403
    assert signed_in.get(f"/comments/{reply.id}/answer").status_code == 409
    assert signed_in.post(f"/comments/{reply.id}/answer", data={"status": "accepted",
                                                                 "explanation_es": "Sí."}).status_code == 409
    assert signed_in.get("/comments/999999/answer").status_code == 404

    refused = signed_in.post(f"/comments/{item.id}/answer", data={"status": "maybe", "explanation_es": "Quizá."})
    assert refused.status_code == 422 and "Quizá." in text(refused)
    empty = signed_in.post(f"/comments/{item.id}/answer", data={"status": "accepted"})
    assert empty.status_code == 422
    assert _es("Explain the answer in Spanish, in English or in both.") in text(empty)

    answered = signed_in.post(f"/comments/{item.id}/answer",
                              data={"status": "partly_accepted", "explanation_es": "Se añaden juzgados.",
                                    "explanation_en": ""})
    assert answered.status_code == 303 and answered.headers["Location"].endswith(
        f"/consultations/{consultation.id}#comment-{item.id}")
    assert comments.progress(consultation) == (1, 1)
    again = text(signed_in.get(f"/comments/{item.id}/answer"))
    assert _es("%(answered)s of %(total)s comments answered", answered=1, total=1) in again
    assert re.search(r'<option selected value="partly_accepted"|value="partly_accepted" selected', again)
    assert "Se añaden juzgados.</textarea>" in again
    signed_in.post(f"/comments/{item.id}/answer", data={"status": "accepted", "explanation_es": "Aceptado."})
    assert saved(item).answer.status == "accepted"


def test_english_pages(app, official, segob, justicia, make_user, make_consultation):
    """The officials' pages and their messages in English (an official who chose English)."""
    official.locale = "en"
    commit()
    english = browser(app, OFFICIAL, "en-GB,en;q=0.9")
    page = text(english.get("/consultations/new"))
    assert '<html lang="en">' in page and _en("New consultation") in page and _en("Draft in Spanish") in page
    refused = english.post("/consultations/new", data=new_consultation(segob, justicia, title_es="", title_en=""))
    assert refused.status_code == 422
    assert _en("Give a title in Spanish, in English or in both.") in text(refused)
    consultation = make_consultation(official)
    item = comments.comment(make_user(locale="en"), consultation, body="Good.", kind="support")
    commit()
    course = text(english.get(f"/consultations/{consultation.id}/versions/new"))
    assert _en("Publish a new version of the draft") in course and _en("Close early") in course
    assert _en("Comment on the whole draft") in text(english.get(f"/comments/{item.id}/answer"))


def test_attachments_from_the_library(app, official, make_consultation, make_user):
    """The agency's officials attach library documents; readers see those they may see; others may not attach."""
    consultation = make_consultation(official)
    study = documents.upload(official, file=FileStorage(io.BytesIO(b"Estudio"), filename="estudio.txt"),
                             platform=None, title_es="Estudio sobre intérpretes", kind="report", language="es",
                             access="public")
    commit()
    desk = browser(app, "jorge@segob.gob.mx")
    page = desk.get(f"/consultations/{consultation.id}/attachments")
    assert page.status_code == 200 and "Estudio sobre intérpretes" in page.get_data(as_text=True)
    assert desk.post(f"/consultations/{consultation.id}/attachments",
                     data={"documents": [str(study.id)]}).status_code == 303
    assert "Estudio sobre intérpretes" in browser(app).get(f"/consultations/{consultation.id}").get_data(as_text=True)
    detail = browser(app).get(f"/api/v1/consultations/{consultation.id}").get_json()
    assert [a["title"]["es"] for a in detail["attachments"]] == ["Estudio sobre intérpretes"]
    refused = desk.post(f"/consultations/{consultation.id}/attachments", data={"documents": ["999999"]})
    assert refused.status_code == 422
    make_user("otra@example.org")
    assert browser(app, "otra@example.org").get(f"/consultations/{consultation.id}/attachments").status_code == 403
