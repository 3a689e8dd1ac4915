"""The live moderation queue over Socket.IO ``/live``: who may follow which queue (``moderation.subscribe``),
``queue.item`` when an item enters, is claimed or decided (after the commit, rows in both languages, to
moderators only), the reader's page losing a hidden post's text, and a moderator who loses the duty."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.core.db import commit
from forum.extensions import db
from forum.moderation import decisions, flags, queue
from forum.moderation.models import QueueItem
from forum.platforms import services as platforms
from forum.platforms.models import PlatformRole
from tests.conftest import Auth
from tests.live import Live
from tests.moderation import translated

NOT_AVAILABLE = "This topic does not exist or is not available to you."


@pytest.fixture
def live_as(app, token):
    """``live_as(user)``: a live connection authenticated with a token of ``user``."""

    def connect(user) -> Live:
        return Live(app, token=token(user)["Authorization"].removeprefix("Bearer "))

    return connect


def refused(message: str, locale: str = "es", **values) -> dict:
    return {"ok": False, "error": translated(message, locale, **values)}


def test_only_moderators_follow_queues(app, forum, live_as):
    """Pablo (a participant) and visitors are refused every queue, like a queue that does not exist; Mara follows
    Justicia's queue only; Gael (global) follows every queue and ``moderation:all``."""
    pablo = live_as(forum.pablo)
    for topic in ("moderation:justicia", "moderation:all", "moderation:nowhere"):
        assert pablo.follow(topic) == refused(NOT_AVAILABLE), topic
    assert Live(app).follow("moderation:justicia") == refused(NOT_AVAILABLE)
    mara = live_as(forum.mara)
    assert mara.follow("moderation:justicia") == {"ok": True}
    assert mara.follow("moderation:seguridad") == refused(NOT_AVAILABLE)
    assert mara.follow("moderation:all") == refused(NOT_AVAILABLE)
    gael = live_as(forum.gael)
    assert gael.follow("moderation:seguridad") == {"ok": True}
    assert gael.follow("moderation:all") == {"ok": True}
    assert gael.ask("moderation.unsubscribe", {"topic": "moderation:all"}) == {"ok": True}


def test_malformed_payloads_are_answered_not_dropped(app, forum, live_as):
    """Bad payloads get a clear refusal in the person's language; the connection stays open."""
    gael = live_as(forum.gael)
    expected = refused('Name a topic such as "moderation:justicia" or "moderation:all".', "en")
    for payload in (None, "moderation:all", {"topic": 3}, {"topic": "thread:1"}, {"topic": "moderation:"}):
        assert gael.ask("moderation.subscribe", payload) == expected, payload
    assert gael.client.is_connected("/live")


def test_a_signed_in_browser_follows_with_its_session(app, forum):
    """The queue page's own connection is known by the session cookie."""
    client = app.test_client()
    Auth(client).login("mara@example.org")
    assert Live(app, flask_client=client).follow("moderation:justicia") == {"ok": True}


def test_a_new_flag_reaches_the_platforms_moderators_only(app, forum, live_as):
    """Diego flags Rosa's post: Mara (Justicia) and Gael (all) receive ``queue.item`` with the row in both
    languages; Pablo, reading the thread, receives nothing about it; nothing is sent before the commit."""
    mara, gael, pablo = live_as(forum.mara), live_as(forum.gael), live_as(forum.pablo)
    assert mara.follow("moderation:justicia")["ok"] and gael.follow("moderation:all")["ok"]
    assert pablo.ask("subscribe", {"topic": f"thread:{forum.thread.id}"})["ok"]
    for connection in (mara, gael, pablo):
        connection.events()

    flags.flag(forum.diego, "post", forum.post.id, reason="harassment", note="Insultos")
    assert mara.events("queue.item") == []  # not yet committed
    commit()
    [event] = mara.events("queue.item")
    item = db.session.scalar(select(QueueItem))
    assert {key: event[key] for key in ("id", "platform", "cause", "reason", "language", "status", "flags")} == {
        "id": item.id, "platform": "justicia", "cause": "flagged", "reason": "harassment", "language": "es",
        "status": "open", "flags": 1}
    assert set(event["html"]) == {"es", "en"}
    assert "Harassment or abuse" in event["html"]["en"]
    assert translated("Harassment or abuse", "es") in event["html"]["es"]
    assert f'id="queue-item-{item.id}"' in event["html"]["es"]
    assert [e["id"] for e in gael.events("queue.item")] == [item.id]
    assert pablo.events() == []


def test_claims_and_decisions_update_the_queue_and_the_readers_page(app, forum, live_as):
    """A claim and a decision each send ``queue.item``; the hide reaches the thread's readers as ``post.updated``
    with the placeholder instead of the text."""
    flags.flag(forum.diego, "post", forum.post.id, reason="spam")
    commit()
    item = db.session.scalar(select(QueueItem))
    mara, reader = live_as(forum.mara), Live(app)
    assert mara.follow("moderation:justicia")["ok"]
    assert reader.ask("subscribe", {"topic": f"thread:{forum.thread.id}"})["ok"]
    mara.events(), reader.events()

    queue.claim(forum.mara, item)
    commit()
    [claimed] = mara.events("queue.item")
    assert claimed["status"] == "open" and claimed["claimed_by"] == "Mara Díaz"

    decisions.decide(forum.mara, "post", forum.post.id, "hide", reason="spam", item_id=item.id)
    commit()
    [closed] = mara.events("queue.item")
    assert (closed["status"], closed["decision"]) == ("closed", "hide")
    updates = reader.events("post.updated")
    assert [u["id"] for u in updates] == [forum.post.id]
    assert "algunas personas consideran" not in updates[0]["html"]["es"]
    assert translated("Hidden by the moderators: %(reason)s", "es", reason=translated("Spam", "es")) in \
        updates[0]["html"]["es"]


def test_a_moderator_who_loses_the_duty_stops_receiving_the_queue(app, forum, live_as, make_user):
    """When an administrator takes Mara's duty away, her subscription to Justicia's queue ends at once."""
    admin = make_user(role="admin")
    mara = live_as(forum.mara)
    assert mara.follow("moderation:justicia")["ok"]
    mara.events()
    duty = db.session.scalar(select(PlatformRole).where(PlatformRole.user_id == forum.mara.id))
    platforms.revoke_role(admin, duty)
    commit()
    assert mara.events("subscription.ended") == [{"topic": "moderation:justicia", "reason": "access_revoked"}]
    flags.flag(forum.diego, "post", forum.post.id, reason="spam")
    commit()
    assert mara.events("queue.item") == []


def test_a_former_global_moderator_stops_following_every_queue(app, forum, make_user, token_for):
    """When an administrator takes a global moderator's role away, their open queue connection is closed."""
    from forum.accounts import services as accounts
    from forum.core.db import commit

    live = Live(app, token=token_for(forum.gael))
    assert live.follow("moderation:all")["ok"] is True
    accounts.change_role(make_user(role="admin"), forum.gael, "participant")
    commit()
    assert not live.client.is_connected("/live")
