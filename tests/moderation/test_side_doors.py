"""Side doors found in review, each closed: moved threads change queues, platforms closed to the public end
live subscriptions, withheld posts show no figures, absurd numbers answer 4xx, and notifications respect lost
access."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.core.db import commit
from forum.extensions import db
from forum.moderation import decisions, flags
from forum.moderation.models import QueueItem
from forum.notifications.models import Notification
from forum.platforms import services as platforms
from forum.threads import services as threads
from tests.live import Live
from tests.moderation import signed_in


def test_a_moved_threads_queue_items_follow_it(app, forum, make_user, make_platform):
    """After a move, the old platform's moderator no longer sees the flagged reply; the new platform's does."""
    nico = make_user("nico@example.org", display_name="Nico Ruiz")
    mesa = make_platform(slug="mesa", visibility="members", moderators=[nico])
    flags.flag(forum.claire, "post", forum.post.id, reason="spam")
    commit()
    decisions.decide(forum.gael, "thread", forum.thread.id, "move", platform="mesa")
    commit()
    item = db.session.scalar(select(QueueItem).where(QueueItem.target_type == "post"))
    assert item.platform_id == mesa.id
    mara = signed_in(app, "mara@example.org")
    assert "algunas personas consideran" not in mara.get("/moderation").get_data(as_text=True)
    assert mara.get(f"/moderation/items/{item.id}").status_code == 404
    assert signed_in(app, "nico@example.org").get(f"/moderation/items/{item.id}").status_code == 200


def test_closing_a_platform_to_the_public_ends_open_subscriptions(app, forum, make_user):
    """A visitor following a public platform and its thread stops receiving anything once it is members-only."""
    admin = make_user(role="admin")
    visitor = Live(app)
    assert visitor.subscribe("platform:justicia")["ok"] and visitor.subscribe(f"thread:{forum.thread.id}")["ok"]
    visitor.events()
    platforms.update_platform(admin, forum.justicia, visibility="members")
    commit()
    ended = sorted(event["topic"] for event in visitor.events("subscription.ended"))
    assert ended == sorted(["platform:justicia", f"thread:{forum.thread.id}"])
    threads.reply(forum.rosa, forum.thread, body="Solo para integrantes")
    commit()
    assert visitor.events("post.created") == []


def test_a_hidden_posts_reactions_are_not_shown(app, forum, token):
    """Readers of a hidden post get no reaction figures through the API."""
    threads.toggle_reaction(forum.claire, forum.post, "support")
    commit()
    decisions.decide(forum.mara, "post", forum.post.id, "hide", reason="spam")
    commit()
    answer = app.test_client().get(f"/api/v1/threads/{forum.thread.id}", headers=token(forum.diego))
    hidden = next(post for post in answer.json["posts"]["items"] if post["id"] == forum.post.id)
    assert hidden["reactions"] == {"support": 0, "thanks": 0} and hidden["body_html"] is None


@pytest.mark.parametrize("number", ["9" * 30, "9" * 5000, "%2B99999999999999999999", "9_999_999_999_999_999_999",
                                    "%D9%A9" * 20])
@pytest.mark.parametrize("path", ["/t/{thread}?page=", "/p/justicia?page=", "/api/v1/threads/{thread}?page=",
                                  "/search?q=texto&page=", "/api/v1/search?q=texto&page="])
def test_absurd_page_numbers_are_not_found(client, forum, path, number):
    """Page numbers no list can have answer 404, never a server error, however they are written (a sign,
    underscores, Arabic-Indic digits: Python reads them all as numbers)."""
    assert client.get(path.format(thread=forum.thread.id) + number).status_code == 404


@pytest.mark.parametrize("value", ["²", "٣", "9" * 30, "-1"])
def test_odd_numbers_in_query_strings_are_ignored(app, forum, value):
    """Quote-reply and the log's person filter ignore numbers they cannot use instead of failing."""
    assert signed_in(app, "diego@example.org").get(f"/t/{forum.thread.id}?quote={value}").status_code == 200
    assert signed_in(app, "mara@example.org").get(f"/moderation/log?subject={value}").status_code == 200


def test_an_outcome_leaves_out_what_the_flagger_may_no_longer_see(app, forum, make_platform, outbox):
    """Someone who flagged in a members-only platform and left it is notified of the outcome, but neither their
    notification centre nor their daily summary names the thread."""
    flags.flag(forum.diego, "thread", forum.thread.id, reason="off_topic")
    commit()
    forum.justicia.visibility = "members"
    platforms.leave(forum.diego, forum.justicia)
    commit()
    decisions.decide(forum.mara, "thread", forum.thread.id, "hide", reason="off_topic")
    commit()
    told = db.session.scalar(select(Notification).where(Notification.user_id == forum.diego.id))
    assert (told.kind, told.details) == ("flag_outcome", {"upheld": True, "decision": "hide"})
    assert forum.thread.title not in signed_in(app, forum.diego.email).get("/notifications").get_data(as_text=True)
    assert app.test_cli_runner().invoke(args=["send-digests"]).exit_code == 0
    [summary] = outbox(forum.diego.email)
    assert forum.thread.title not in summary.subject + summary.body
