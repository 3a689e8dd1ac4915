"""Comments on paragraphs and on the whole draft, replies, the window for comments, and the official answers
with their progress figure."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.consultations import comments, rules, services
from forum.core.db import commit, utcnow
from forum.core.errors import ActionRefused
from tests.conftest import browser


def test_participants_comment_on_a_paragraph_or_the_whole_draft_and_reply(official, make_user,
                                                                          make_consultation):
    consultation = make_consultation(official)
    ana, ben = make_user(), make_user(locale="en")
    on_two = comments.comment(ana, consultation, body="Falta **Oaxaca** <script>x</script>", kind="proposal",
                              paragraph="2", replacement="En todas las fiscalías y juzgados.")
    whole = comments.comment(ben, consultation, body="Good draft.", kind="support")
    reply = comments.comment(ben, consultation, body="Agreed.", parent=on_two)
    commit()
    assert (on_two.paragraph_key, on_two.language, on_two.version.number) == (2, "es", 1)
    assert "<strong>Oaxaca</strong>" in on_two.body_html and "<script>" not in on_two.body_html
    assert on_two.replacement_html.startswith("<p>En todas")
    assert (whole.paragraph_key, whole.language) == (None, "en")
    assert (reply.kind, reply.paragraph_key) == ("reply", 2)
    assert comments.paragraph_counts(consultation) == {2: 2, None: 1}


@pytest.mark.parametrize(("fields", "field"), [
    ({"kind": "support", "paragraph": "99"}, "paragraph"),
    ({"kind": "support", "paragraph": "x" * 5000}, "paragraph"),
    ({"kind": "applause"}, "kind"),
    ({"kind": "support", "body": ""}, "body"),
    ({"kind": "support", "body": ["no"]}, "body"),
    ({"kind": "proposal", "replacement": "Otra redacción."}, "paragraph"),
    ({"kind": "support", "language": "fr"}, "language"),
])
def test_bad_comments_are_refused_with_the_field(official, make_user, make_consultation, fields, field):
    consultation = make_consultation(official)
    with pytest.raises(ActionRefused) as refused:
        comments.comment(make_user(), consultation, **{"body": "Comentario.", **fields})
    assert refused.value.field == field


def test_comments_only_while_open(official, make_user, make_consultation):
    now = utcnow()
    person = make_user()
    scheduled = make_consultation(official, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=2))
    with pytest.raises(ActionRefused) as refused:
        comments.comment(person, scheduled, body="Pronto.", kind="support")
    assert refused.value.status == 409 and "programada" in refused.value.message
    open_one = make_consultation(official, title_es="Abierta")
    services.close_early(official, open_one)
    commit()
    with pytest.raises(ActionRefused) as refused:
        comments.comment(person, open_one, body="Tarde.", kind="concern")
    assert refused.value.status == 409
    draft = make_consultation(official, publish=False, title_es="Borrador")
    with pytest.raises(ActionRefused) as refused:
        comments.comment(person, draft, body="¿Qué es esto?", kind="support")
    assert refused.value.status == 404


def test_only_the_agencys_officials_answer_and_progress_counts_answers(official, make_user, make_organisation,
                                                                       add_member, make_consultation):
    consultation = make_consultation(official)
    people = [make_user() for _ in range(3)]
    items = [comments.comment(p, consultation, body=f"Comentario {n}.", kind="concern", paragraph=1)
             for n, p in enumerate(people)]
    comments.comment(people[1], consultation, body="Respuesta.", parent=items[0])
    commit()
    assert comments.progress(consultation) == (0, 3)
    other = make_user()
    add_member(other, make_organisation(acronym="SRE", name_es="SRE"))
    for intruder in (other, people[0], make_user(role="admin")):
        with pytest.raises(ActionRefused) as refused:
            comments.answer(intruder, items[0], status="accepted", explanation_es="Sí.")
        assert refused.value.status == 403
    with pytest.raises(ActionRefused) as refused:
        comments.answer(official, items[0], status="accepted")
    assert refused.value.field == "explanation_es"
    answer = comments.answer(official, items[0], status="partly_accepted", explanation_es="Se incorpora en parte.",
                             explanation_en="Partly included.")
    commit()
    assert answer.explanation_html_en == "<p>Partly included.</p>\n"
    assert comments.progress(consultation) == (1, 3)
    comments.answer(official, items[0], status="accepted", explanation_es="Se incorpora.")
    commit()
    assert comments.progress(consultation) == (1, 3) and items[0].answer.status == "accepted"


def test_the_commenter_is_told_of_the_answer_in_their_language(official, make_user, make_consultation, outbox):
    """The commenter is notified (by e-mail at once, as by default) in their language, with a link to the
    consultation; again only when the status changes. The notifications' own tests cover the preferences."""
    consultation = make_consultation(official)
    claire = make_user("claire@eu.example", locale="en")
    item = comments.comment(claire, consultation, body="Please add the Huasteca.", kind="proposal", paragraph=3)
    comments.answer(official, item, status="partly_accepted", explanation_es="En parte.",
                    explanation_en="Partly: regional offices will be named.")
    commit()
    [message] = outbox("claire@eu.example")
    assert message.subject.startswith("Jorge Ramírez answered your comment")
    assert f"/consultations/{consultation.id}" in outbox.link(message)
    comments.answer(official, item, status="partly_accepted", explanation_en="Partly, with an annex.")
    commit()
    assert len(outbox("claire@eu.example")) == 1
    comments.answer(official, item, status="accepted", explanation_en="Accepted in full.")
    commit()
    assert len(outbox("claire@eu.example")) == 2


def test_comments_are_translated_by_their_author_the_agency_or_translators(app, official, make_user,
                                                                         make_consultation, english_client):
    consultation = make_consultation(official)
    rosa, stranger = make_user("rosa@example.org"), make_user()
    item = comments.comment(rosa, consultation, body="Falta la Huasteca.", kind="concern", paragraph=3)
    commit()
    assert rules.can_translate_comment(rosa, item) and rules.can_translate_comment(official, item)
    assert not rules.can_translate_comment(stranger, item) and not rules.can_translate_comment(None, item)
    with pytest.raises(ActionRefused) as refused:
        comments.translate(stranger, item, body="The Huasteca is missing.")
    assert refused.value.status == 403
    translation = comments.translate(official, item, body="The **Huasteca** is missing.")
    commit()
    assert (translation.language, translation.provenance) == ("en", "agency")
    page = english_client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "<strong>Huasteca</strong> is missing" in page and "Translated by the consulting organisation" in page
    assert "See original" in page and "Falta la Huasteca." in page
    comments.translate(rosa, item, body="The Huasteca region is missing.")
    commit()
    assert [(t.body_source, t.provenance) for t in item.translations] == [("The Huasteca region is missing.",
                                                                            "author")]


def test_the_translation_page(app, official, make_user, make_consultation):
    consultation = make_consultation(official)
    rosa = make_user("rosa@example.org")
    item = comments.comment(rosa, consultation, body="Falta la Huasteca.", kind="concern")
    commit()
    mine = browser(app, "rosa@example.org")
    assert mine.get(f"/comments/{item.id}/translate").status_code == 200
    empty = mine.post(f"/comments/{item.id}/translate", data={"body": ""})
    assert empty.status_code == 422
    sent = mine.post(f"/comments/{item.id}/translate", data={"body": "The Huasteca is missing."})
    assert sent.status_code == 303 and sent.headers["Location"].endswith(f"#comment-{item.id}")
    make_user("otra@example.org")
    assert browser(app, "otra@example.org").get(f"/comments/{item.id}/translate").status_code == 403
    assert mine.get("/comments/999999/translate").status_code == 404


@pytest.mark.parametrize("value", [["support"], {"a": 1}, 3])
def test_kinds_and_statuses_of_the_wrong_type_are_refused(official, make_user, make_consultation, value):
    consultation = make_consultation(official)
    with pytest.raises(ActionRefused) as refused:
        comments.comment(make_user(), consultation, body="Comentario.", kind=value)
    assert refused.value.field == "kind"
    item = comments.comment(make_user(), consultation, body="Comentario.", kind="support")
    with pytest.raises(ActionRefused) as refused:
        comments.answer(official, item, status=value, explanation_es="Sí.")
    assert refused.value.field == "status"
