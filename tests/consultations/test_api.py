"""The consultations API as a program meets it: who sees drafts (list, detail, comments), creating consultations
and the refusals of bad input, commenting while open and not before or after, answering (the agency's officials
only), the progress figure, the caller's language, the OpenAPI description and the query count of the comments
list."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.consultations import comments
from forum.consultations.models import Comment, Consultation
from forum.core.db import commit, utcnow
from forum.extensions import db
from tests.conftest import api_error as error
from tests.conftest import saved, spanish
from tests.consultations.conftest import DRAFT_EN, DRAFT_ES

API = "/api/v1"


def titles(response) -> list[str]:
    """The Spanish titles of the consultations of a list answer."""
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["title"]["es"] for item in response.json["items"]]


@pytest.fixture
def ana(make_user):
    """Ana, a participant from civil society."""
    return make_user("ana@example.org", display_name="Ana Ruiz")


@pytest.fixture
def ben(make_user):
    """Ben, a participant whose account is in English."""
    return make_user("ben@example.org", display_name="Ben Smith", locale="en")


@pytest.fixture
def admin(make_user):
    """An administrator of the site."""
    return make_user("admin@example.org", role="admin")


@pytest.fixture
def other_official(make_user, make_organisation, add_member, justicia):
    """Sofía, an official of another agency (SRE), also a member of Justicia."""
    from forum.platforms.models import PlatformMembership

    user = make_user("sofia@sre.gob.mx", display_name="Sofía Díaz")
    add_member(user, make_organisation(acronym="SRE", name_es="Secretaría de Relaciones Exteriores"))
    db.session.add(PlatformMembership(platform=justicia, user=user))
    commit()
    return user


def _new(segob, **fields) -> dict:
    """A valid creation body."""
    now = utcnow()
    return {"organisation": segob.id, "platform": "justicia", "title_es": "Consulta nueva",
            "opens_at": (now - timedelta(hours=1)).isoformat(), "closes_at": (now + timedelta(days=7)).isoformat(),
            "text_es": DRAFT_ES, "text_en": DRAFT_EN, **fields}


def _shift(consultation: Consultation, **dates) -> Consultation:
    """Move a consultation's dates (the services only accept dates that make sense now)."""
    found = saved(consultation)
    for name, value in dates.items():
        setattr(found, name, value)
    commit()
    return found


# --- who sees what ------------------------------------------------------------------------------------------


def test_drafts_are_seen_by_the_agency_and_administrators_only(client, official, make_consultation, ana, admin,
                                                               other_official, token):
    """A draft is absent from the list and 404 (detail and comments) for visitors, participants and another
    agency's officials; the agency's officials and administrators see it."""
    make_consultation(official, title_es="Publicada")
    draft = make_consultation(official, publish=False, title_es="Borrador")
    for headers in ({}, token(ana), token(other_official)):
        assert titles(client.get(f"{API}/consultations", headers=headers)) == ["Publicada"]
        error(client.get(f"{API}/consultations/{draft.id}", headers=headers), 404)
        error(client.get(f"{API}/consultations/{draft.id}/comments", headers=headers), 404)
    for headers in (token(official), token(admin)):
        assert titles(client.get(f"{API}/consultations", headers=headers)) == ["Borrador", "Publicada"]
        body = client.get(f"{API}/consultations/{draft.id}", headers=headers).json
        assert body["phase"] == "draft" and body["published_at"] is None
        assert client.get(f"{API}/consultations/{draft.id}/comments", headers=headers).json["total"] == 0
    body = error(client.post(f"{API}/consultations/{draft.id}/comments", json={"body": "Hola", "kind": "support"},
                             headers=token(ana)), 404)
    assert body["code"] == "not_found"


def test_a_consultation_in_detail(client, official, make_consultation, ana):
    """Both languages, the organisation, the platform, versions, sections, paragraphs with their comment
    counts, the record of changes and the page's address."""
    consultation = make_consultation(official, summary_es="Un **resumen** <script>x</script>")
    comments.comment(ana, consultation, body="Bien", kind="support", paragraph=2)
    comments.comment(ana, consultation, body="En general", kind="concern")
    commit()
    body = client.get(f"{API}/consultations/{consultation.id}").json
    assert body["title"] == {"es": "Protocolo de intérpretes", "en": "Interpreters' protocol"}
    assert "<strong>resumen</strong>" in body["summary_html"]["es"] and "<script" not in body["summary_html"]["es"]
    assert body["question"]["es"] == "¿Qué cambiaría?" and body["phase"] == "open"
    assert body["organisation"]["acronym"] == "SEGOB" and body["platform"] == "justicia"
    assert body["url"].endswith(f"/consultations/{consultation.id}")
    assert body["opens_at"].endswith("+00:00")
    assert [v["number"] for v in body["versions"]] == [1]
    assert [p["key"] for p in body["paragraphs"]] == [1, 2, 3]
    assert body["paragraphs"][0]["text"] == {"es": "Garantizar intérpretes.", "en": "Guarantee interpreters."}
    assert body["paragraphs"][0]["heading"]["en"] == "1. Aim"
    assert body["paragraphs"][1]["html"]["es"].startswith("<p>")
    assert [p["comment_count"] for p in body["paragraphs"]] == [0, 1, 0]
    assert body["general_comment_count"] == 1
    assert [(s["section"], s["paragraphs"]) for s in body["sections"]] == [(1, [1, 2]), (2, [3])]
    assert [c["action"] for c in body["changes"]] == ["published"]
    assert body["progress"] == {"answered": 0, "total": 2}


def test_the_list_filters_by_phase_platform_and_organisation(client, official, make_consultation, segob,
                                                             make_platform, add_member):
    """phase, platform and organisation narrow the list, newest first; an unknown platform or organisation lists
    nothing; an unknown phase is ignored."""
    make_consultation(official, title_es="Abierta")
    scheduled = make_consultation(official, title_es="Programada")
    _shift(scheduled, opens_at=utcnow() + timedelta(days=1))
    closed = make_consultation(official, title_es="Cerrada")
    _shift(closed, closes_at=utcnow() - timedelta(minutes=1))

    def listed(**query) -> list[str]:
        return titles(client.get(f"{API}/consultations", query_string=query))

    assert listed() == ["Cerrada", "Programada", "Abierta"]
    assert listed(phase="open") == ["Abierta"]
    assert listed(phase="scheduled") == ["Programada"]
    assert listed(phase="closed") == ["Cerrada"]
    assert listed(phase="answered") == []
    assert listed(phase="nonsense") == ["Cerrada", "Programada", "Abierta"]
    assert listed(platform="justicia", organisation=str(segob.id), per_page="2") == ["Cerrada", "Programada"]
    assert listed(platform="nowhere") == [] and listed(organisation="99999") == []
    assert listed(organisation="-1") == []
    error(client.get(f"{API}/consultations?per_page=0"), 400)


# --- creating -----------------------------------------------------------------------------------------------


def test_officials_create_consultations(client, official, segob, token, ana):
    """201 with the consultation and its address, a draft unless ``publish`` is true; participants get 403,
    visitors 401."""
    response = client.post(f"{API}/consultations", json=_new(segob), headers=token(official))
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.json["phase"] == "draft" and len(response.json["paragraphs"]) == 3
    assert response.headers["Location"].endswith(f"/api/v1/consultations/{response.json['id']}")
    published = client.post(f"{API}/consultations", json=_new(segob, publish=True), headers=token(official))
    assert published.status_code == 201 and published.json["phase"] == "open"
    assert [c["action"] for c in published.json["changes"]] == ["published"]
    error(client.post(f"{API}/consultations", json=_new(segob), headers=token(ana)), 403)
    error(client.post(f"{API}/consultations", json=_new(segob)), 401)


@pytest.mark.parametrize(("changes", "field"), [
    ({"closes_at": "2020-01-01T00:00"}, "closes_at"),
    ({"opens_at": "el lunes"}, "opens_at"),
    ({"opens_at": "2026-02-30T10:00"}, "opens_at"),
    ({"text_en": "## 1. Aim\n\nOnly one paragraph."}, "text_"),
    ({"title_es": ["una", "lista"]}, "title_es"),
    ({"title_es": "", "title_en": ""}, "title_es"),
    ({"organisation": {"id": 1}}, "organisation"),
    ({"platform": 12.5}, "platform"),
    ({"publish": "sí"}, "publish"),
    ({"author_id": 1}, "author_id"),
    ({"summary_es": "nul\x00"}, "summary_es"),
])
def test_bad_creation_input_is_refused_with_the_field(client, official, segob, token, changes, field):
    """Bad dates, misaligned paragraphs, wrong types and unknown fields answer 400 naming the field; nothing is
    saved."""
    before = db.session.query(Consultation).count()
    body = error(client.post(f"{API}/consultations", json=_new(segob, **changes),
                             headers=token(official, **{"Accept-Language": "en"})), 400)
    assert field in body["message"], body
    assert db.session.query(Consultation).count() == before


def test_bodies_that_are_not_objects_are_refused(client, official, token):
    """A list, a text, no JSON at all and JSON nested far too deeply answer 400, never 500."""
    headers = token(official)
    for data in ("[]", '"texto"', "no es json", "[" * 100_000 + "]" * 100_000):
        response = client.post(f"{API}/consultations", data=data, content_type="application/json", headers=headers)
        error(response, 400)
    error(client.post(f"{API}/consultations", data="{}", content_type="text/plain", headers=headers), 400)


# --- commenting ---------------------------------------------------------------------------------------------


def test_participants_comment_while_it_is_open(client, official, make_consultation, ana, token):
    """201 with the comment on a paragraph or on the whole draft; a proposal carries its wording; a reply keeps
    the paragraph of what it answers."""
    consultation = make_consultation(official)
    path = f"{API}/consultations/{consultation.id}/comments"
    response = client.post(path, json={"body": "Propongo **otra** redacción", "kind": "proposal", "paragraph": 2,
                                       "replacement": "En todas las fiscalías y juzgados."}, headers=token(ana))
    assert response.status_code == 201, response.get_data(as_text=True)
    item = response.json
    assert item["paragraph"] == 2 and item["version"] == 1 and item["kind"] == "proposal"
    assert "<strong>otra</strong>" in item["body_html"] and "juzgados" in item["replacement_html"]
    assert item["author"] == {"id": ana.id, "display_name": "Ana Ruiz"} and item["answer"] is None
    assert item["language"] == "es" and item["parent_id"] is None
    reply = client.post(path, json={"body": "De acuerdo", "parent": item["id"]}, headers=token(official)).json
    assert reply["kind"] == "reply" and reply["paragraph"] == 2 and reply["parent_id"] == item["id"]
    general = client.post(path, json={"body": "In general, yes.", "kind": "support", "language": "en"},
                          headers=token(ana)).json
    assert general["paragraph"] is None and general["language"] == "en"
    listed = client.get(path).json
    assert [c["id"] for c in listed["items"]] == [item["id"], reply["id"], general["id"]]
    assert [c["id"] for c in client.get(path, query_string={"paragraph": "2"}).json["items"]] == [
        item["id"], reply["id"]]
    error(client.get(path, query_string={"paragraph": "dos"}), 400)


@pytest.mark.parametrize(("body", "field"), [
    ({"body": "Hola", "kind": "support", "paragraph": 99}, "paragraph"),
    ({"body": "Hola", "kind": "support", "paragraph": [1]}, "paragraph"),
    ({"body": "Hola", "kind": "applause"}, "kind"),
    ({"body": "", "kind": "support"}, "body"),
    ({"body": {"text": "Hola"}, "kind": "support"}, "body"),
    ({"body": "Hola", "kind": "support", "language": "fr"}, "language"),
    ({"body": "Hola", "parent": 999999}, "parent"),
    ({"body": "Hola", "parent": "1"}, "parent"),
    ({"body": "Hola", "kind": "support", "user_id": 1}, "user_id"),
    ({"kind": "support"}, "body"),
])
def test_bad_comments_are_refused(client, official, make_consultation, ben, token, body, field):
    """A paragraph that does not exist, an unknown kind or language, an empty body, a parent from nowhere and
    unknown fields answer 400 naming the field."""
    consultation = make_consultation(official)
    answer = error(client.post(f"{API}/consultations/{consultation.id}/comments", json=body,
                               headers=token(ben)), 400)
    assert field in answer["message"], answer
    assert db.session.query(Comment).count() == 0


def test_comments_are_refused_before_opening_and_after_closing(client, official, make_consultation, ben, token,
                                                               english_client):
    """409 with the phase, in the caller's language, for a scheduled or closed consultation; 401 for visitors."""
    scheduled = _shift(make_consultation(official), opens_at=utcnow() + timedelta(days=1))
    closed = _shift(make_consultation(official), closes_at=utcnow() - timedelta(minutes=1))
    body = {"body": "Hola", "kind": "support"}
    early = error(client.post(f"{API}/consultations/{scheduled.id}/comments", json=body,
                              headers=token(ben)), 409)
    assert early["message"] == "This consultation is not taking comments: it is scheduled."
    late = error(client.post(f"{API}/consultations/{closed.id}/comments", json=body,
                             headers=token(ben)), 409)
    assert late["message"] == "This consultation is not taking comments: it is closed."
    error(english_client.post(f"{API}/consultations/{closed.id}/comments", json=body), 401)
    assert db.session.query(Comment).count() == 0


def test_held_comments_are_listed_to_their_author_only(client, official, make_consultation, ana, make_user, token):
    """A comment awaiting review is in its author's list and nobody else's."""
    consultation = make_consultation(official)
    item = comments.comment(ana, consultation, body="En revisión", kind="concern")
    item.status = "held"
    commit()
    path = f"{API}/consultations/{consultation.id}/comments"
    assert [c["status"] for c in client.get(path, headers=token(ana)).json["items"]] == ["held"]
    assert client.get(path, headers=token(make_user())).json["total"] == 0
    assert client.get(path).json["total"] == 0


# --- answering ----------------------------------------------------------------------------------------------


def test_only_the_agencys_officials_answer(client, official, make_consultation, ana, admin, other_official, token):
    """The agency's official answers (200, shown with the comment, moving the progress in the list); an
    administrator, another agency's official and the author get 403; a reply 409; an unknown comment 404."""
    consultation = make_consultation(official)
    item = comments.comment(ana, consultation, body="Falta Chiapas", kind="concern", paragraph=3)
    reply = comments.comment(official, consultation, body="Gracias", parent=item)
    commit()
    path = f"{API}/comments/{item.id}/answer"
    body = {"status": "accepted", "explanation_es": "Lo **incluimos**.", "explanation_en": "Included."}
    assert client.get(f"{API}/consultations").json["items"][0]["progress"] == {"answered": 0, "total": 1}
    for someone in (admin, other_official, ana):
        error(client.post(path, json=body, headers=token(someone)), 403)
    error(client.post(path, json=body), 401)
    response = client.post(path, json=body, headers=token(official))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["status"] == "accepted" and response.json["explanation"]["en"] == "Included."
    assert "<strong>incluimos</strong>" in response.json["explanation_html"]["es"]
    assert client.get(f"{API}/consultations").json["items"][0]["progress"] == {"answered": 1, "total": 1}
    listed = client.get(f"{API}/consultations/{consultation.id}/comments").json["items"]
    assert listed[0]["answer"]["status"] == "accepted" and listed[1]["answer"] is None
    changed = client.post(path, json={"status": "partly_accepted", "explanation_en": "In part."},
                          headers=token(official))
    assert changed.json["status"] == "partly_accepted" and changed.json["explanation"]["es"] == ""
    error(client.post(f"{API}/comments/{reply.id}/answer", json=body, headers=token(official)), 409)
    error(client.post(f"{API}/comments/999999/answer", json=body, headers=token(official)), 404)
    error(client.post(path, json={"status": "maybe", "explanation_es": "x"}, headers=token(official)), 400)
    error(client.post(path, json={"status": "accepted"}, headers=token(official)), 400)
    error(client.post(path, json={"status": "accepted", "explanation_es": "x", "author": 1},
                      headers=token(official)), 400)


def test_comments_nobody_may_see_answer_404(client, official, make_consultation, ana, token):
    """A hidden comment answers 404 to the official as if it did not exist."""
    consultation = make_consultation(official)
    item = comments.comment(ana, consultation, body="Oculto", kind="concern")
    item.status = "hidden"
    commit()
    error(client.post(f"{API}/comments/{item.id}/answer", json={"status": "accepted", "explanation_es": "x"},
                      headers=token(official)), 404)


# --- languages, description, queries ------------------------------------------------------------------------


def test_messages_follow_the_callers_language(client, official, make_consultation, ana, ben, token):
    """Accept-Language: en gives English errors to visitors, an English account gets English; Spanish is the
    default, and a Spanish account's own language wins over the browser's."""
    draft = make_consultation(official, publish=False)
    path = f"{API}/consultations/{draft.id}"
    assert error(client.get(path, headers={"Accept-Language": "en"}), 404)["message"] == "Not found."
    assert error(client.get(path), 404)["message"] == spanish("Not found.")
    consultation = make_consultation(official)
    answer = error(client.post(f"{API}/consultations/{consultation.id}/comments",
                               json={"body": "Hola", "kind": "applause"}, headers=token(ben)), 400)
    assert answer["message"] == "kind: Please choose one of the options offered."
    answer = error(client.post(f"{API}/consultations/{consultation.id}/comments",
                               json={"body": "Hola", "kind": "applause"},
                               headers=token(ana, **{"Accept-Language": "en"})), 400)
    assert answer["message"].endswith(spanish("Please choose one of the options offered."))


def test_the_openapi_document_describes_the_endpoints(client):
    """Every consultation endpoint and schema is in the OpenAPI description."""
    document = client.get(f"{API}/openapi.json").json
    paths = document["paths"]
    assert set(paths["/consultations"]) == {"get", "post"}
    assert "get" in paths["/consultations/{consultation_id}"]
    assert set(paths["/consultations/{consultation_id}/comments"]) == {"get", "post"}
    assert "post" in paths["/comments/{comment_id}/answer"]
    for name in ("Consultation", "ConsultationComment", "CommentAnswer", "ConsultationInput", "CommentInput",
                 "AnswerInput"):
        assert name in document["components"]["schemas"]
    assert paths["/consultations"]["post"]["responses"]["201"]


def test_the_comments_list_reads_a_page_in_a_fixed_number_of_queries(client, official, make_consultation,
                                                                     make_user, token, count_queries):
    """Authors, versions and answers are read for the whole page at once."""
    consultation = make_consultation(official)
    headers = token(official)
    path = f"{API}/consultations/{consultation.id}/comments"

    def add(count: int) -> None:
        for n in range(count):
            item = comments.comment(make_user(), consultation, body=f"Comentario {n}", kind="support",
                                    paragraph=1)
            comments.answer(official, item, status="accepted", explanation_es="Gracias")
        commit()

    add(1)
    client.get(path, headers=headers)  # the token's first use is recorded once
    with count_queries() as one:
        assert client.get(path, headers=headers).json["total"] == 1
    add(5)
    with count_queries() as six:
        assert client.get(path, headers=headers).json["total"] == 6
    assert len(six) == len(one)
