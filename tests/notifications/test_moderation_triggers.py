"""What moderation tells people: the author of an item hidden (by the moderators, or by the system after enough
flags), restored, deleted, rejected or approved is notified with the decision and reason (e-mailed as they
chose); each flagger is notified of the outcome of their flag, upheld or not (also when they may no longer see the item:
``tests/moderation/test_side_doors.py``)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.core.db import commit
from forum.extensions import db
from forum.moderation import decisions, flags
from forum.notifications import services as notifications
from forum.notifications.models import Notification
from forum.threads import services as threads
from tests.moderation import build_forum


@pytest.fixture
def forum(make_user, make_platform, make_thread, make_post):
    """The moderation tests' forum: Rosa's thread and post on Justicia, moderated by Mara (see
    ``tests.moderation.Forum``)."""
    return build_forum(make_user, make_platform, make_thread, make_post)


def of(kind: str, user) -> list[Notification]:
    """``user``'s notifications of ``kind``, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id,
                                                              Notification.kind == kind).order_by(Notification.id)))


def flag_by_all(forum, reason: str = "spam") -> None:
    for person in forum.flaggers:
        flags.flag(person, "post", forum.post.id, reason=reason)
    commit()


def test_hidden_after_enough_flags_the_author_is_notified_and_emailed(forum, outbox):
    flags.flag(forum.claire, "post", forum.post.id, reason="spam")
    flags.flag(forum.diego, "post", forum.post.id, reason="spam")
    commit()
    assert of("moderated", forum.rosa) == []
    flags.flag(forum.elena, "post", forum.post.id, reason="hate")
    commit()
    [told] = of("moderated", forum.rosa)
    assert (told.subject_type, told.subject_id, told.actor_id, told.details, told.email_status) == (
        "post", forum.post.id, None, {"decision": "hide", "reason": "spam"}, "sent")
    assert len(outbox(forum.rosa.email)) == 1
    assert all(of("moderated", person) == [] for person in forum.flaggers)


def test_confirming_what_the_system_hid_tells_the_author_once(forum, outbox):
    """Hidden after enough flags, then confirmed hidden by a moderator: the author hears of it once."""
    flag_by_all(forum)
    decisions.decide(forum.mara, "post", forum.post.id, "hide", reason="spam")
    commit()
    assert [told.details["decision"] for told in of("moderated", forum.rosa)] == ["hide"]
    assert len(outbox(forum.rosa.email)) == 1


def test_the_author_chose_no_email_for_moderation(forum, outbox):
    notifications.set_delivery(forum.rosa, "moderated", "never")
    commit()
    flag_by_all(forum)
    [told] = of("moderated", forum.rosa)
    assert told.email_status == "none" and outbox(forum.rosa.email) == []


def test_a_moderators_decisions_are_notified_to_the_author(forum):
    decisions.decide(forum.mara, "post", forum.post.id, "hide", reason="off_topic")
    commit()
    decisions.decide(forum.mara, "post", forum.post.id, "restore")
    commit()
    decisions.decide(forum.mara, "thread", forum.thread.id, "lock")  # not about what she wrote: not told
    commit()
    assert [(n.subject_type, n.details) for n in of("moderated", forum.rosa)] == [
        ("post", {"decision": "hide", "reason": "off_topic"}), ("post", {"decision": "restore", "reason": None})]


def test_dismissing_flags_that_hid_an_item_tells_the_author_it_is_back(forum):
    flag_by_all(forum)
    decisions.decide(forum.mara, "post", forum.post.id, "dismiss")
    commit()
    assert [n.details["decision"] for n in of("moderated", forum.rosa)] == ["hide", "restore"]


def test_held_posts_approved_or_rejected(forum):
    """On a pre-moderated platform Diego's held replies are approved (he is told) or rejected (with the reason)."""
    forum.justicia.premoderated = True
    commit()
    first = threads.reply(forum.diego, forum.thread, body="Propongo cuotas.")
    second = threads.reply(forum.diego, forum.thread, body="Enlace sospechoso.")
    commit()
    assert first.status == second.status == "held"
    decisions.decide(forum.mara, "post", first.id, "approve")
    decisions.decide(forum.mara, "post", second.id, "reject", reason="spam")
    commit()
    assert [(n.subject_id, n.details) for n in of("moderated", forum.diego)] == [
        (first.id, {"decision": "approve", "reason": None}), (second.id, {"decision": "reject", "reason": "spam"})]


def test_flaggers_are_notified_of_the_outcome(forum):
    flag_by_all(forum)
    decisions.decide(forum.mara, "post", forum.post.id, "delete", reason="spam")
    commit()
    for person in forum.flaggers:
        [told] = of("flag_outcome", person)
        assert (told.subject_type, told.subject_id, told.details) == (
            "post", forum.post.id, {"upheld": True, "decision": "delete"})
        assert told.email_status == "queued"  # the outcome of a flag goes in the daily summary by default
    assert [n.details["decision"] for n in of("moderated", forum.rosa)] == ["hide", "delete"]


def test_unfounded_flags_are_notified_as_dismissed(forum):
    flags.flag(forum.claire, "post", forum.post.id, reason="spam")
    commit()
    decisions.decide(forum.mara, "post", forum.post.id, "dismiss")
    commit()
    [told] = of("flag_outcome", forum.claire)
    assert told.details == {"upheld": False, "decision": "dismiss"}
    assert of("moderated", forum.rosa) == []  # nothing changed for the author
