"""Comments are moderated like posts: flagged into the platform's queue, hidden after enough flags, decided on
by the platform's moderators only; a hidden comment leaves the counts and needs no answer."""

from __future__ import annotations

import pytest

from forum.consultations import comments, report
from forum.core.db import commit
from forum.core.errors import ActionRefused
from forum.moderation import decisions, flags, queue


def test_a_flagged_comment_enters_the_queue_and_moderators_hide_it(app, official, make_user, make_consultation):
    consultation = make_consultation(official)
    author, flagger = make_user(), make_user()
    item = comments.comment(author, consultation, body="Spam, spam.", kind="concern", paragraph=1)
    commit()
    with app.test_request_context():
        flags.flag(flagger, "comment", item.id, reason="spam")
        commit()
        queued = queue.open_item_of("comment", item.id)
        assert queued is not None and queued.platform_id == consultation.platform_id
        target = flags.visible_target(flagger, "comment", item.id)[2]
        assert target.url.endswith(f"/consultations/{consultation.id}#comment-{item.id}")
        with pytest.raises(ActionRefused) as refused:
            decisions.decide(flagger, "comment", item.id, "hide", reason="spam")
        assert refused.value.status == 403
        moderator = make_user(role="moderator")
        decisions.decide(moderator, "comment", item.id, "hide", reason="spam")
        commit()
    assert item.status == "hidden"
    assert comments.paragraph_counts(consultation) == {}
    assert comments.progress(consultation) == (0, 0)
    with pytest.raises(ActionRefused) as refused:
        comments.answer(official, item, status="accepted", explanation_es="No aplica.")
    assert refused.value.status in (404, 409)


def test_people_cannot_flag_their_own_comment(app, official, make_user, make_consultation):
    consultation = make_consultation(official)
    author = make_user()
    item = comments.comment(author, consultation, body="Mi comentario.", kind="support")
    commit()
    with app.test_request_context(), pytest.raises(ActionRefused) as refused:
        flags.flag(author, "comment", item.id, reason="spam")
    assert refused.value.status == 403


def test_replies_leave_lists_counts_and_exports_with_the_comment_they_answer(app, official, make_user,
                                                                             make_consultation, client):
    consultation = make_consultation(official)
    author, other = make_user(), make_user()
    item = comments.comment(author, consultation, body="Spam, spam.", kind="concern", paragraph=1)
    comments.comment(other, consultation, body="Una respuesta visible.", parent=item)
    commit()
    assert comments.paragraph_counts(consultation) == {1: 2}
    with app.test_request_context():
        decisions.decide(make_user(role="moderator"), "comment", item.id, "hide", reason="spam")
        commit()
    assert comments.paragraph_counts(consultation) == {}
    listed = client.get(f"/api/v1/consultations/{consultation.id}/comments").get_json()
    assert listed["items"] == [] and listed["total"] == 0
    assert report.rows(consultation) == []
    with pytest.raises(ActionRefused) as refused:
        comments.comment(author, consultation, body="Insisto.", parent=item)
    assert refused.value.field == "parent"
