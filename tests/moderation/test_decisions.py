"""Moderators' decisions as they meet them: from the item page and from where an item is read; hiding, dismissing
(flags unfounded), editing with a note, thread decisions, held posts; the log entry each writes; two moderators
deciding the same item at once (the first wins, the second is told who, in their language, and nothing happens
twice); and the decision flow for a type other domains register."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.core.db import commit, rollback
from forum.core.errors import ActionRefused
from forum.extensions import db
from forum.moderation import decisions, flags, queue, targets
from forum.moderation.models import Flag, ModerationAction, QueueItem
from forum.moderation.targets import Described
from forum.notifications.models import Notification
from forum.threads import services as threads
from forum.threads.models import Post, Thread
from tests.moderation import signed_in, text, translated


@pytest.fixture
def flagged(forum) -> QueueItem:
    """Rosa's post flagged by Claire (spam) and Diego (harassment): in the queue, still visible."""
    flags.flag(forum.claire, "post", forum.post.id, reason="spam", note="Publicidad")
    flags.flag(forum.diego, "post", forum.post.id, reason="harassment")
    commit()
    return db.session.scalar(select(QueueItem))


def outcomes(person) -> list[dict]:
    """The details of ``person``'s notifications of the outcome of their flags, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(Notification.details).where(
        Notification.user_id == person.id, Notification.kind == "flag_outcome").order_by(Notification.id)))


def log_entries() -> list[ModerationAction]:
    """Every entry of the moderation log, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(ModerationAction).order_by(ModerationAction.id)))


def test_a_moderator_hides_a_flagged_post_from_its_queue_page(app, forum, flagged):
    """Mara opens the item, hides the post with a reason and a note: the post is hidden from readers, the item
    closed with her decision, both flags upheld, the log says who, what, why and when, and each flagger is
    notified of the outcome."""
    mara = signed_in(app, "mara@example.org")
    page = mara.get(f"/moderation/items/{flagged.id}")
    assert page.status_code == 200
    assert f'<option value="hide">{translated("Hidden", "es")}</option>' in text(page)
    response = mara.post(f"/moderate/post/{forum.post.id}", data={
        "decision": "hide", "reason": "spam", "note": "Publicidad de relojes", "item": str(flagged.id)})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/moderation/items/{flagged.id}")
    shown = text(mara.get(response.headers["Location"]))
    assert translated("Decision recorded: %(decision)s.", "es", decision=translated("Hidden", "es")) in shown

    db.session.expire_all()
    assert db.session.get(Post, forum.post.id).status == "hidden"
    item = db.session.get(QueueItem, flagged.id)
    assert (item.status, item.decision, item.decided_by_id) == ("closed", "hide", forum.mara.id)
    assert {f.status for f in db.session.scalars(select(Flag))} == {"upheld"}
    [entry] = log_entries()
    assert (entry.moderator_id, entry.action, entry.reason, entry.note, entry.item_id, entry.target_type,
            entry.target_id, entry.platform_id, entry.subject_id) == (
        forum.mara.id, "hide", "spam", "Publicidad de relojes", flagged.id, "post", forum.post.id,
        forum.justicia.id, forum.rosa.id)
    assert entry.created_at is not None and entry.minutes_to_decision == 0
    for person in (forum.claire, forum.diego):
        assert outcomes(person) == [{"upheld": True, "decision": "hide"}]
    assert "algunas personas consideran" not in text(app.test_client().get(f"/t/{forum.thread.id}"))


def test_two_moderators_deciding_the_same_item_the_first_wins(app, forum, flagged):
    """Mara and Gael both have the item open. Mara hides it first; Gael's deletion is refused with 409 "already
    handled by Mara Díaz" in English (his language): one log entry, one change (hidden, not deleted)."""
    mara = signed_in(app, "mara@example.org")
    gael = signed_in(app, "gael@example.org")
    for client in (mara, gael):
        assert client.get(f"/moderation/items/{flagged.id}").status_code == 200
    first = mara.post(f"/moderate/post/{forum.post.id}", data={"decision": "hide", "reason": "spam",
                                                               "item": str(flagged.id)})
    second = gael.post(f"/moderate/post/{forum.post.id}", data={"decision": "delete", "reason": "spam",
                                                                "item": str(flagged.id)})
    assert first.status_code == 303
    assert second.status_code == 409
    assert "This item was already handled by Mara Díaz." in text(second)
    [entry] = log_entries()
    assert entry.moderator_id == forum.mara.id
    post = db.session.get(Post, forum.post.id)
    assert post.status == "hidden" and not post.is_deleted


def test_the_second_moderator_is_told_in_spanish(app, forum, flagged):
    """The other way round: Gael decides first, Mara (Spanish) is told in Spanish; the form's item page as well
    as a decision sent without naming the item (the item is no longer open: it applies on its own)."""
    gael = signed_in(app, "gael@example.org")
    mara = signed_in(app, "mara@example.org")
    assert gael.post(f"/moderate/post/{forum.post.id}", data={"decision": "dismiss",
                                                              "item": str(flagged.id)}).status_code == 303
    refused = mara.post(f"/moderate/post/{forum.post.id}", data={"decision": "hide", "reason": "spam",
                                                                 "item": str(flagged.id)})
    assert refused.status_code == 409
    assert translated("This item was already handled by %(name)s.", "es", name="Gael Moreno") in text(refused)
    assert [e.action for e in log_entries()] == ["dismiss"]
    assert db.session.get(Post, forum.post.id).status == "visible"


def test_decisions_at_the_same_moment_apply_once(app, forum, flagged):
    """Two moderators' decisions in flight together, each in its own session: the second waits for the first's
    transaction and is refused with 409; exactly one log entry and one change."""
    item_id, post_id = flagged.id, forum.post.id
    mara_id, gael_id = forum.mara.id, forum.gael.id
    written, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def mara_decides() -> None:
        with app.app_context():
            mara = db.session.get(User, mara_id)
            decisions.decide(mara, "post", post_id, "hide", reason="spam", item_id=item_id)
            db.session.flush()
            written.set()  # her decision is written, not yet committed
            release.wait(10)
            commit()
            outcome["mara"] = "decided"

    def gael_decides() -> None:
        written.wait(10)
        with app.app_context():
            gael = db.session.get(User, gael_id)
            try:
                decisions.decide(gael, "post", post_id, "delete", reason="spam", item_id=item_id)
                commit()
                outcome["gael"] = "decided"
            except ActionRefused as refusal:
                rollback()
                outcome["gael"] = refusal.status
                outcome["gael_refused_at"] = time.monotonic()
            finally:
                db.session.remove()

    workers = [threading.Thread(target=mara_decides), threading.Thread(target=gael_decides)]
    for worker in workers:
        worker.start()
    written.wait(10)
    time.sleep(0.3)  # Gael's decision is on its way and must wait for Mara's transaction
    released_at = time.monotonic()
    release.set()
    for worker in workers:
        worker.join(20)
    assert (outcome["mara"], outcome["gael"]) == ("decided", 409)
    assert outcome["gael_refused_at"] >= released_at  # it waited for Mara's commit, then saw her decision
    assert [(e.moderator_id, e.action) for e in log_entries()] == [(mara_id, "hide")]
    post = db.session.get(Post, post_id)
    assert post.status == "hidden" and not post.is_deleted


def test_dismissing_unfounded_flags(app, forum):
    """Three flags hid the post; Mara dismisses them: the post is visible again, the flags dismissed, and the
    flaggers read "no action needed" on their flags page and are notified that their flag was dismissed."""
    for person in forum.flaggers:
        flags.flag(person, "post", forum.post.id, reason="spam")
    commit()
    assert db.session.get(Post, forum.post.id).status == "hidden"
    item = db.session.scalar(select(QueueItem))
    mara = signed_in(app, "mara@example.org")
    assert mara.post(f"/moderate/post/{forum.post.id}", data={"decision": "dismiss", "note": "No es spam",
                                                              "item": str(item.id)}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Post, forum.post.id).status == "visible"
    assert {f.status for f in db.session.scalars(select(Flag))} == {"dismissed"}
    assert [(e.action, e.moderator_id) for e in log_entries()] == [("hide", None), ("dismiss", forum.mara.id)]
    assert "Reviewed: no action needed" in text(signed_in(app, "claire@example.org").get("/flags/mine"))
    assert outcomes(forum.claire) == [{"upheld": False, "decision": "dismiss"}]


def test_an_edit_keeps_the_text_before_and_after_and_the_note(app, forum, flagged):
    """Mara removes a phone number from the post: the log keeps both texts and her note; readers see the new
    text."""
    mara = signed_in(app, "mara@example.org")
    response = mara.post(f"/moderate/post/{forum.post.id}", data={
        "decision": "edit", "reason": "personal_data", "note": "Quité el teléfono",
        "body": "Un mensaje sin datos personales.", "item": str(flagged.id)})
    assert response.status_code == 303
    [entry] = log_entries()
    assert entry.action == "edit" and entry.note == "Quité el teléfono"
    assert entry.before_text == "Un mensaje que algunas personas consideran **spam**."
    assert entry.after_text == "Un mensaje sin datos personales."
    assert "Un mensaje sin datos personales." in text(app.test_client().get(f"/t/{forum.thread.id}"))
    history = text(mara.get(f"/moderation/items/{flagged.id}"))
    assert "Quité el teléfono" in history and "Un mensaje sin datos personales." in history


def test_a_bad_decision_keeps_the_form_and_changes_nothing(app, forum, flagged):
    """A decision the post does not have, or an edit without text, answers 422 on the item page with what was
    typed; the item stays open and nothing is logged."""
    mara = signed_in(app, "mara@example.org")
    wrong = mara.post(f"/moderate/post/{forum.post.id}", data={"decision": "lock", "note": "mi nota",
                                                               "item": str(flagged.id)})
    assert wrong.status_code == 422 and "mi nota" in text(wrong)
    empty = mara.post(f"/moderate/post/{forum.post.id}", data={"decision": "edit", "body": "  ",
                                                               "note": "otra nota", "item": str(flagged.id)})
    assert empty.status_code == 422 and "otra nota" in text(empty)
    assert translated("Please write something before sending.", "es") in text(empty)
    assert log_entries() == []
    assert db.session.get(QueueItem, flagged.id).status == "open"


def test_only_the_platforms_moderators_decide(app, forum, make_user, make_platform, make_thread):
    """Mara does not moderate Seguridad: deciding on its posts is refused with 403; a members-only platform she
    cannot read answers 404; a participant gets 403."""
    other_thread = threads.start_thread(forum.rosa, forum.seguridad, title="Policía comunitaria", body="¿Ideas?")
    commit()
    insider = make_user()
    closed = make_platform(slug="mesa", visibility="members", members=[insider])
    secret = make_thread(insider, closed)
    mara = signed_in(app, "mara@example.org")
    assert mara.post(f"/moderate/thread/{other_thread.id}", data={"decision": "lock"}).status_code == 403
    assert mara.get(f"/moderate/thread/{other_thread.id}").status_code == 403
    assert mara.post(f"/moderate/thread/{secret.id}", data={"decision": "lock"}).status_code == 404
    pablo = signed_in(app, "pablo@example.org")
    assert pablo.post(f"/moderate/post/{forum.post.id}", data={"decision": "hide"}).status_code == 403
    assert log_entries() == []


def test_thread_decisions_from_where_the_thread_is_read(app, forum):
    """Without any flag, Mara locks and pins the thread from its moderation page; a move goes only to a platform
    she moderates; Gael, who moderates everywhere, moves it to Seguridad. Each is logged without a queue item."""
    mara = signed_in(app, "mara@example.org")
    page = mara.get(f"/moderate/thread/{forum.thread.id}")
    assert page.status_code == 200 and "Intérpretes en las fiscalías" in text(page)
    for decision in ("lock", "pin"):
        assert mara.post(f"/moderate/thread/{forum.thread.id}", data={"decision": decision}).status_code == 303
    refused = mara.post(f"/moderate/thread/{forum.thread.id}", data={"decision": "move", "platform": "seguridad"})
    assert refused.status_code == 422
    gael = signed_in(app, "gael@example.org")
    assert gael.post(f"/moderate/thread/{forum.thread.id}", data={"decision": "move", "platform": "seguridad",
                                                                  "next": f"/t/{forum.thread.id}"}).status_code == 303
    db.session.expire_all()
    thread = db.session.get(Thread, forum.thread.id)
    assert thread.is_locked and thread.is_pinned and thread.platform_id == forum.seguridad.id
    assert [(e.action, e.item_id) for e in log_entries()] == [("lock", None), ("pin", None), ("move", None)]


def test_held_posts_are_approved_or_rejected(app, forum):
    """On a pre-moderated platform new replies wait in the queue ("awaiting approval"); Mara approves one (it is
    published) and rejects the other."""
    forum.justicia.premoderated = True
    commit()
    first = threads.reply(forum.diego, forum.thread, body="Primera respuesta en espera")
    second = threads.reply(forum.elena, forum.thread, body="Segunda respuesta en espera")
    commit()
    held = list(db.session.scalars(select(QueueItem).where(QueueItem.cause == "held").order_by(QueueItem.id)))
    assert [item.target_id for item in held] == [first.id, second.id]
    mara = signed_in(app, "mara@example.org")
    queue_page = text(mara.get("/moderation?cause=held"))
    assert "Primera respuesta en espera" in queue_page and translated("Awaiting approval", "es") in queue_page
    assert mara.post(f"/moderate/post/{first.id}", data={"decision": "approve",
                                                         "item": str(held[0].id)}).status_code == 303
    assert mara.post(f"/moderate/post/{second.id}", data={"decision": "reject", "reason": "off_topic",
                                                          "item": str(held[1].id)}).status_code == 303
    db.session.expire_all()
    assert (db.session.get(Post, first.id).status, db.session.get(Post, second.id).status) == ("visible", "rejected")
    page = text(app.test_client().get(f"/t/{forum.thread.id}"))
    assert "Primera respuesta en espera" in page and "Segunda respuesta en espera" not in page


@dataclass
class Note:
    """A stand-in for another domain's moderated item (a contested sanction, a consultation comment…)."""

    id: int
    author: User
    status: str = "contested"


class NoteKind:
    """A target type registered the way other domains register theirs, outside any platform."""

    decisions = ("uphold", "lift")

    def __init__(self) -> None:
        self.notes: dict[int, Note] = {}

    def load(self, target_id: int) -> Note | None:
        return self.notes.get(target_id)

    def describe(self, item: Note) -> Described:
        return Described(type="note", id=item.id, platform=None, language="es", author=item.author,
                         title=f"Nota {item.id}", text="Impugno esta sanción.", url="/", status=item.status)

    def can_see(self, user: User | None, item: Note) -> bool:
        return user is not None

    def offered(self, item: Note) -> tuple[str, ...]:
        """What the form offers as the note stands (optional for a kind)."""
        return ("uphold", "lift") if item.status == "contested" else ()

    def apply(self, moderator: User | None, item: Note, decision: str, *, reason: str | None = None, **params):
        item.status = {"uphold": "upheld", "lift": "lifted"}[decision]
        return None, None


@pytest.fixture
def note_kind():
    """The ``note`` type, registered for one test."""
    kind = NoteKind()
    targets.register("note", kind)
    yield kind
    targets._KINDS.pop("note", None)


def test_other_domains_types_go_through_the_same_flow(app, forum, note_kind):
    """A contested item of a type registered by another domain, outside platforms: global moderators decide
    with its own decisions; a platform moderator gets 403; the decision is logged and the item closed."""
    note_kind.notes[7] = Note(id=7, author=forum.rosa)
    item = queue.open_item(note_kind.describe(note_kind.notes[7]), "contested")
    commit()
    mara = signed_in(app, "mara@example.org")
    assert mara.get(f"/moderation/items/{item.id}").status_code == 403
    assert mara.post("/moderate/note/7", data={"decision": "lift", "item": str(item.id)}).status_code == 403
    gael = signed_in(app, "gael@example.org")
    page = gael.get(f"/moderation/items/{item.id}")
    assert page.status_code == 200 and "Impugno esta sanción." in text(page)
    assert '<option value="lift">' in text(page) and '<option value="uphold">' in text(page)
    assert gael.post("/moderate/note/7", data={"decision": "lift", "item": str(item.id)}).status_code == 303
    assert note_kind.notes[7].status == "lifted"
    after = text(gael.get("/moderate/note/7"))
    assert '<option value="lift">' not in after  # the kind offers nothing more for a lifted note
    [entry] = log_entries()
    assert (entry.action, entry.target_type, entry.target_id, entry.platform_id, entry.item_id) == \
        ("lift", "note", 7, None, item.id)
    assert db.session.scalar(select(func.count()).select_from(QueueItem).where(QueueItem.status == "open")) == 0
