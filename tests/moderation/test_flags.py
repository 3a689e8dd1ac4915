"""Flagging as people meet it: the flag page for posts and threads, what may not be flagged (one's own words,
twice while open, what one cannot see), the queue item a flag opens, hiding after enough different people
flagged (with the author notified why), and the flagger's own list of flags and outcomes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.core.db import commit
from forum.core.errors import ActionRefused
from forum.extensions import db
from forum.moderation import decisions, rules
from forum.moderation import flags as flag_service
from forum.moderation.models import Flag, ModerationAction, QueueItem
from forum.notifications.models import Notification
from forum.threads import services as threads
from forum.threads.models import Post
from tests.conftest import Auth
from tests.moderation import signed_in, text, translated


def test_a_member_flags_a_post_and_sees_it_received(app, forum):
    """The flag page offers the reasons in the reader's language; sending it thanks the flagger, lists the flag
    as received on their flags page, and puts the post in Justicia's queue with its reason and language."""
    client = signed_in(app, "diego@example.org")
    page = client.get(f"/flag/post/{forum.post.id}")
    assert page.status_code == 200
    assert translated("Harassment or abuse", "es") in text(page)
    assert "Intérpretes en las fiscalías" in text(page)

    response = client.post(f"/flag/post/{forum.post.id}", data={"reason": "spam", "note": "Publicidad repetida"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/flags/mine")
    mine = client.get("/flags/mine")
    assert translated("Thank you: your flag has been received. The moderators will review it; you will find the "
                      "outcome here.", "es") in text(mine)
    assert translated("Received: waiting for the moderators", "es") in text(mine)
    assert "Publicidad repetida" in text(mine)

    stored = db.session.scalar(select(Flag))
    assert (stored.target_type, stored.target_id, stored.user_id, stored.reason, stored.status) == \
        ("post", forum.post.id, forum.diego.id, "spam", "open")
    item = db.session.scalar(select(QueueItem))
    assert (item.target_type, item.target_id, item.platform_id, item.cause, item.reason, item.language,
            item.status) == ("post", forum.post.id, forum.justicia.id, "flagged", "spam", "es", "open")


def test_threads_are_flagged_the_same_way_in_english(app, forum):
    """The flag target is generic: a thread is flagged through the same page, here in English."""
    client = signed_in(app, "claire@example.org")
    page = client.get(f"/flag/thread/{forum.thread.id}")
    assert "Harassment or abuse" in text(page) and "Flag for the moderators" in text(page)
    assert client.post(f"/flag/thread/{forum.thread.id}", data={"reason": "off_topic"}).status_code == 303
    assert "Received: waiting for the moderators" in text(client.get("/flags/mine"))
    assert db.session.scalar(select(QueueItem.target_type)) == "thread"


def test_one_open_flag_per_person_and_item(app, forum):
    """Flagging again while the first flag is open answers 409, on the form and on the page itself."""
    client = signed_in(app, "diego@example.org")
    assert client.post(f"/flag/post/{forum.post.id}", data={"reason": "spam"}).status_code == 303
    again = client.post(f"/flag/post/{forum.post.id}", data={"reason": "hate"})
    assert again.status_code == 409
    assert translated("You have already flagged this. The moderators will review it.", "es") in text(again)
    assert client.get(f"/flag/post/{forum.post.id}").status_code == 409
    assert len(db.session.scalars(select(Flag)).all()) == 1


def test_nobody_flags_their_own_words(app, forum):
    """The author gets 403 on the page and from the service."""
    client = signed_in(app, "rosa@example.org")
    assert client.get(f"/flag/post/{forum.post.id}").status_code == 403
    refused = client.post(f"/flag/post/{forum.post.id}", data={"reason": "spam"})
    assert refused.status_code == 403
    assert translated("You cannot flag what you wrote yourself.", "es") in text(refused)
    assert db.session.scalar(select(Flag)) is None


def test_what_one_cannot_see_cannot_be_flagged(app, forum, make_user, make_platform, make_thread):
    """Unknown types and ids, and a members-only platform's posts for an outsider, answer 404; visitors are sent
    to sign in."""
    insider = make_user()
    closed = make_platform(slug="mesa", visibility="members", members=[insider])
    secret = make_thread(insider, closed)
    client = signed_in(app, "diego@example.org")
    for path in (f"/flag/thread/{secret.id}", "/flag/nothing/1", f"/flag/post/{forum.post.id + 1000}",
                 "/flag/post/99999999999"):
        assert client.get(path).status_code == 404, path
        assert client.post(path, data={"reason": "spam"}).status_code == 404, path
    visitor = app.test_client().get(f"/flag/post/{forum.post.id}")
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"]


def test_what_readers_no_longer_see_is_not_flagged(app, forum):
    """A post the moderators hid shows readers a placeholder: there is nothing to flag (409)."""
    decisions.decide(forum.mara, "post", forum.post.id, "hide", reason="spam")
    commit()
    refused = signed_in(app, "claire@example.org").post(f"/flag/post/{forum.post.id}", data={"reason": "spam"})
    assert refused.status_code == 409
    assert "This is no longer shown to readers, so there is nothing to flag." in text(refused)
    assert db.session.scalar(select(Flag)) is None


def test_bad_input_keeps_what_was_typed(app, forum):
    """No reason, or a note over 1,000 characters, answers 422 with the message next to the field."""
    client = signed_in(app, "claire@example.org")
    missing = client.post(f"/flag/post/{forum.post.id}", data={"reason": "", "note": "Mi nota"})
    assert missing.status_code == 422 and "Mi nota" in text(missing)
    assert "This field is required." in text(missing)
    long_note = "x" * 1001
    too_long = client.post(f"/flag/post/{forum.post.id}", data={"reason": "spam", "note": long_note})
    assert too_long.status_code == 422 and long_note in text(too_long)
    assert db.session.scalar(select(Flag)) is None


def notified(person, kind: str) -> list[dict]:
    """The details of ``person``'s notifications of ``kind``, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(Notification.details).where(
        Notification.user_id == person.id, Notification.kind == kind).order_by(Notification.id)))


def flag_three_times(app, forum, reasons=("spam", "hate", "spam")) -> None:
    for person, reason in zip(forum.flaggers, reasons, strict=True):
        client = signed_in(app, person.email)
        assert client.post(f"/flag/post/{forum.post.id}", data={"reason": reason}).status_code == 303


def test_three_different_people_hide_the_post_and_the_author_is_told(app, forum, outbox, client):
    """Two flags leave the post readable; the third different person's hides it pending review, as done by the
    system with the most common reason; the author is notified (and e-mailed, as by default) with the decision
    and the reason, readers see the placeholder."""
    for person in forum.flaggers[:2]:
        signed_in(app, person.email).post(f"/flag/post/{forum.post.id}", data={"reason": "spam"})
    assert db.session.get(Post, forum.post.id).status == "visible"
    assert "algunas personas consideran" in text(client.get(f"/t/{forum.thread.id}"))
    assert outbox("rosa@example.org") == []

    signed_in(app, forum.elena.email).post(f"/flag/post/{forum.post.id}", data={"reason": "hate"})
    post = db.session.get(Post, forum.post.id)
    assert post.status == "hidden"
    entry = db.session.scalar(select(ModerationAction))
    assert (entry.action, entry.moderator_id, entry.reason, entry.target_type, entry.target_id, entry.subject_id) \
        == ("hide", None, "spam", "post", forum.post.id, forum.rosa.id)
    item = db.session.scalar(select(QueueItem))
    assert item.status == "open" and entry.item_id == item.id

    assert notified(forum.rosa, "moderated") == [{"decision": "hide", "reason": "spam"}]
    assert len(outbox("rosa@example.org")) == 1
    page = text(client.get(f"/t/{forum.thread.id}"))
    assert "algunas personas consideran" not in page
    assert translated("Hidden by the moderators: %(reason)s", "es", reason=translated("Spam", "es")) in page


def test_the_author_is_told_in_english_and_the_threshold_is_a_setting(app_factory, forum, outbox):
    """With FORUM_FLAG_HIDE_THRESHOLD=2, two people hide Claire's English post; she is told, in English."""
    strict = app_factory(FORUM_FLAG_HIDE_THRESHOLD=2)
    english = threads.reply(forum.claire, forum.thread, body="Buy cheap watches here", language="en")
    commit()
    for person in (forum.diego, forum.elena):
        client = strict.test_client()
        Auth(client).login(person.email)
        assert client.post(f"/flag/post/{english.id}", data={"reason": "spam"}).status_code == 303
    assert db.session.get(Post, english.id).status == "hidden"
    assert notified(forum.claire, "moderated") == [{"decision": "hide", "reason": "spam"}]
    [mail] = outbox("claire@example.org")
    assert mail.body.startswith("Hello Claire Dubois,")


def test_the_same_person_counts_once(app, forum):
    """Only different people count towards hiding: a second flag by the same person is refused (409)."""
    flag_service.flag(forum.diego, "post", forum.post.id, reason="spam")
    commit()
    with pytest.raises(ActionRefused) as refused:
        flag_service.flag(forum.diego, "post", forum.post.id, reason="spam")
    assert refused.value.status == 409
    db.session.rollback()
    assert flag_service.open_flaggers("post", forum.post.id) == 1
    assert db.session.get(Post, forum.post.id).status == "visible"


def test_the_flagger_sees_the_outcome_in_their_language(app, forum):
    """After Mara deletes the post, Claire's flags page says action was taken ("Deleted"), in English; Diego's,
    in Spanish; both are notified that their flag was upheld."""
    flag_three_times(app, forum)
    mara = signed_in(app, "mara@example.org")
    item = db.session.scalar(select(QueueItem))
    assert mara.post(f"/moderate/post/{forum.post.id}", data={
        "decision": "delete", "reason": "spam", "note": "", "item": str(item.id)}).status_code == 303

    page = text(signed_in(app, "claire@example.org").get("/flags/mine"))
    assert "Action taken" in page and "Deleted" in page
    diego_page = text(signed_in(app, "diego@example.org").get("/flags/mine"))
    assert translated("Action taken", "es") in diego_page and translated("Deleted", "es") in diego_page
    for person in (forum.claire, forum.diego):
        assert notified(person, "flag_outcome") == [{"upheld": True, "decision": "delete"}]
    statuses = {f.status for f in db.session.scalars(select(Flag))}
    assert statuses == {"upheld"}


def test_the_flag_link_rule_for_other_pages(app, forum):
    """``moderation_rules.can_flag`` (for any domain's pages): signed-in readers, not the author, not visitors,
    and only while readers see the item."""
    post = db.session.get(Post, forum.post.id)
    assert rules.can_flag(forum.diego, "post", post)
    assert not rules.can_flag(forum.rosa, "post", post)
    assert not rules.can_flag(None, "post", post)
    assert not rules.can_flag(forum.diego, "nothing", post)
    decisions.decide(forum.mara, "post", forum.post.id, "hide", reason="spam")
    commit()
    assert not rules.can_flag(forum.diego, "post", db.session.get(Post, forum.post.id))


def test_the_database_refuses_a_second_open_flag(app, forum, monkeypatch):
    """Two flags by one person racing past the check (two tabs at once): the unique index refuses the second
    with 409, and none of its work is kept."""
    flag_service.flag(forum.diego, "post", forum.post.id, reason="spam")
    commit()
    monkeypatch.setattr(flag_service, "open_flag", lambda *args: None)  # as if the first were not saved yet
    with pytest.raises(ActionRefused) as refused:
        flag_service.flag(forum.diego, "post", forum.post.id, reason="hate")
    assert refused.value.status == 409
    db.session.rollback()
    assert [f.reason for f in db.session.scalars(select(Flag))] == ["spam"]
