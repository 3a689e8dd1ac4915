"""Live threads over Socket.IO ``/live``: who may subscribe, events only after the commit, catching up with
``since``, malformed payloads, "is writing", "N reading now", access taken away, and answers in each language."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from forum.accounts import services as accounts
from forum.core import presence
from forum.core.db import commit
from forum.platforms import services as platforms
from forum.threads import services as threads
from forum.threads.sockets import TYPING_INTERVAL
from tests.live import Live

NOT_AVAILABLE = "This topic does not exist or is not available to you."


def refused(message: str, locale: str = "es") -> dict:
    """The refusal a person reading ``locale`` gets (the factories make Spanish speakers, and visitors without
    a language preference get the site's default, Spanish)."""
    with force_locale(locale):
        return {"ok": False, "error": _(message)}


@pytest.fixture
def closed(make_user, make_platform, make_thread):
    """A members-only platform with a member, a moderator and a thread, and an outsider."""
    member, moderator, outsider = make_user(), make_user(), make_user()
    platform = make_platform(members=[member], moderators=[moderator], visibility="members")
    thread = make_thread(member, platform)
    return member, moderator, outsider, platform, thread


def test_only_readers_of_a_members_only_thread_may_subscribe(app, closed, token_for):
    """A non-member is refused exactly as for a thread that does not exist; members and moderators follow it."""
    member, moderator, outsider, platform, thread = closed
    outsider_live = Live(app, token=token_for(outsider))
    assert outsider_live.subscribe(f"thread:{thread.id}") == refused(NOT_AVAILABLE)
    assert outsider_live.subscribe(f"thread:{thread.id + 1000}") == refused(NOT_AVAILABLE)
    assert outsider_live.subscribe(f"platform:{platform.slug}") == refused(NOT_AVAILABLE)
    assert outsider_live.subscribe("platform:no-such-platform") == refused(NOT_AVAILABLE)
    assert Live(app, token=token_for(member)).subscribe(f"thread:{thread.id}") == {"ok": True, "reading": 1}
    moderator_live = Live(app, token=token_for(moderator))
    assert moderator_live.subscribe(f"thread:{thread.id}") == {"ok": True, "reading": 2}
    assert moderator_live.subscribe(f"platform:{platform.slug}") == {"ok": True}


def test_a_signed_in_browser_subscribes_with_its_session(app, client, auth, closed):
    """The page's own connection is known by the session cookie."""
    member, _moderator, _outsider, _platform, thread = closed
    auth.login(member.email)
    assert Live(app, flask_client=client).subscribe(f"thread:{thread.id}")["ok"] is True


def test_visitors_follow_public_threads_only(app, closed, make_user, make_platform, make_thread):
    """Anonymous connections may follow public threads and platforms, nothing members-only."""
    _member, _moderator, _outsider, closed_platform, closed_thread = closed
    author = make_user()
    public = make_platform(members=[author])
    thread = make_thread(author, public)
    visitor = Live(app)
    assert visitor.subscribe(f"thread:{thread.id}") == {"ok": True, "reading": 1}
    assert visitor.subscribe(f"platform:{public.slug}") == {"ok": True}
    assert visitor.subscribe(f"thread:{closed_thread.id}") == refused(NOT_AVAILABLE)
    assert visitor.subscribe(f"platform:{closed_platform.slug}") == refused(NOT_AVAILABLE)


def test_posts_arrive_only_after_the_commit(app, closed, token_for):
    """A reply is announced to the thread's subscribers once saved, not while its transaction is open."""
    member, moderator, _outsider, _platform, thread = closed
    live = Live(app, token=token_for(member))
    live.subscribe(f"thread:{thread.id}")
    live.events()
    post = threads.reply(moderator, thread, body="Todavía no guardado.")
    assert live.events() == []
    commit()
    created = live.events("post.created")
    assert [(p["id"], p["thread_id"], p["author"]["id"]) for p in created] == [(post.id, thread.id, moderator.id)]
    assert set(created[0]["html"]) == {"es", "en"}


def test_new_threads_reach_the_platforms_subscribers(app, closed, token_for, make_thread):
    """``platform:<slug>`` carries thread.created for the platform's new threads."""
    member, moderator, _outsider, platform, _thread = closed
    live = Live(app, token=token_for(member))
    live.subscribe(f"platform:{platform.slug}")
    thread = make_thread(moderator, platform, title="Agenda de la próxima sesión")
    assert [(t["id"], t["title"]) for t in live.events("thread.created")] == [(thread.id, thread.title)]


def test_since_replays_exactly_the_missed_posts_in_order(app, closed, token_for, make_post):
    """Reconnecting with the last post seen brings every later post once, oldest first, then live ones."""
    member, moderator, _outsider, _platform, thread = closed
    posts = [make_post(moderator, thread, f"Respuesta {n}") for n in range(5)]
    live = Live(app, token=token_for(member))
    assert live.subscribe(f"thread:{thread.id}", since=posts[1].id) == {"ok": True, "reading": 1}
    assert [p["id"] for p in live.events("post.created")] == [p.id for p in posts[2:]]
    newest = make_post(moderator, thread, "Después de reconectar")
    assert [p["id"] for p in live.events("post.created")] == [newest.id]

    caught_up = Live(app, token=token_for(member))
    assert caught_up.subscribe(f"thread:{thread.id}", since=newest.id)["ok"] is True
    assert caught_up.events("post.created") == []
    from_start = Live(app, token=token_for(member))
    from_start.subscribe(f"thread:{thread.id}", since=0)
    replayed = [p["id"] for p in from_start.events("post.created")]
    assert replayed == sorted(set(replayed)) and replayed[-6:] == [p.id for p in posts] + [newest.id]


@pytest.mark.parametrize("payload", [
    None, [], "x", 5, {}, {"topic": 5}, {"topic": None}, {"topic": "thread:abc"}, {"topic": "thread:"},
    {"topic": "nope:1"}, {"topic": "thread:1 "}, {"topic": "thread:" + "9" * 40}, {"topic": "platform:Bad Slug"},
    {"topic": "thread:1", "since": -1}, {"topic": "thread:1", "since": "3"}, {"topic": "thread:1", "since": 1.5},
    {"topic": "thread:1", "since": True}, {"topic": "thread:1", "since": 2**70},
])
def test_malformed_payloads_get_a_clear_refusal_and_the_connection_survives(app, closed, token_for, payload):
    """Each bad payload is answered with ok false and a message; the same connection then works normally."""
    member, _moderator, _outsider, _platform, thread = closed
    live = Live(app, token=token_for(member))
    names_no_topic = not isinstance(payload, dict) or "since" not in payload
    for event in ("subscribe", "unsubscribe", "typing") if names_no_topic else ("subscribe",):
        answer = live.ask(event, payload)
        assert answer["ok"] is False and answer["error"], (event, answer)
    assert live.connected
    assert live.subscribe(f"thread:{thread.id}") == {"ok": True, "reading": 1}


def test_odd_calls_are_refused_too(app, closed, token_for):
    """No argument, two arguments, or a thread id no database holds: refusals, never a crash."""
    member, _moderator, _outsider, _platform, thread = closed
    live = Live(app, token=token_for(member))
    assert live.ask("subscribe")["ok"] is False
    assert live.ask("subscribe", {"topic": f"thread:{thread.id}"}, "extra")["ok"] is False
    assert live.subscribe("thread:" + "9" * 18) == refused(NOT_AVAILABLE)
    assert live.subscribe(f"thread:{2**31}") == refused(NOT_AVAILABLE)
    assert live.subscribe(f"thread:{thread.id}", since=2**31 - 1)["ok"] is True
    assert live.subscribe(f"thread:{thread.id}", since=2**31)["ok"] is False
    assert live.connected


def test_typing_reaches_the_other_readers_only(app, closed, token_for, make_user, make_platform, make_thread):
    """The other subscriber sees who is writing, the writer does not; repeats are throttled; visitors and
    connections that did not subscribe are refused."""
    member, moderator, _outsider, _platform, thread = closed
    writer, reader = Live(app, token=token_for(member)), Live(app, token=token_for(moderator))
    topic = f"thread:{thread.id}"
    assert writer.ask("typing", {"topic": topic}) == refused("Subscribe to this thread first.")
    writer.subscribe(topic)
    reader.subscribe(topic)
    writer.events(), reader.events()
    assert writer.ask("typing", {"topic": topic}) == {"ok": True}
    assert writer.ask("typing", {"topic": topic}) == {"ok": True}
    assert reader.events("typing") == [{"thread_id": thread.id,
                                        "user": {"id": member.id, "name": member.display_name}}]
    assert writer.events("typing") == []
    assert TYPING_INTERVAL <= 5

    author = make_user()
    public_thread = make_thread(author, make_platform(members=[author]))
    visitor = Live(app)
    visitor.subscribe(f"thread:{public_thread.id}")
    assert visitor.ask("typing", {"topic": f"thread:{public_thread.id}"}) == refused(
        "Only people who may reply in this thread can show that they are writing.")


def test_reading_now_counts_go_up_and_down(app, closed, token_for):
    """Readers are told how many they are as people come and go; one person in two tabs counts once."""
    member, moderator, _outsider, _platform, thread = closed
    topic = f"thread:{thread.id}"
    first = Live(app, token=token_for(member))
    assert first.subscribe(topic)["reading"] == 1
    first.events()
    second = Live(app, token=token_for(moderator))
    assert second.subscribe(topic)["reading"] == 2
    assert first.events("presence") == [{"topic": topic, "reading": 2}]
    same_person = Live(app, token=token_for(moderator))
    assert same_person.subscribe(topic)["reading"] == 2
    assert first.events("presence") == []
    visitor_on_public = Live(app)
    assert visitor_on_public.subscribe(topic)["ok"] is False
    assert second.ask("unsubscribe", {"topic": topic}) == {"ok": True}
    assert first.events("presence") == []  # the moderator still reads in the other tab
    same_person.close()
    assert first.events("presence") == [{"topic": topic, "reading": 1}]
    second.subscribe(topic)
    assert first.events("presence") == [{"topic": topic, "reading": 2}]
    second.close()
    assert first.events("presence") == [{"topic": topic, "reading": 1}]
    assert first.ask("unsubscribe", {"topic": topic}) == {"ok": True}
    assert Live(app, token=token_for(moderator)).subscribe(topic)["reading"] == 1


def test_leaving_a_members_only_platform_ends_the_open_subscriptions(app, closed, token_for, make_post):
    """The open connection is told its subscriptions ended and gets no more of the platform's posts."""
    member, moderator, _outsider, platform, thread = closed
    presence.join("another-connection", "consultation:3", member.id)  # another domain's topics are left alone
    leaver, stayer = Live(app, token=token_for(member)), Live(app, token=token_for(moderator))
    for live in (leaver, stayer):
        live.subscribe(f"thread:{thread.id}")
        live.subscribe(f"platform:{platform.slug}")
    leaver.events(), stayer.events()
    platforms.leave(member, platform)
    assert leaver.events() == []
    commit()
    assert sorted((e, p["topic"], p["reason"]) for e, p in leaver.events()) == [
        ("subscription.ended", f"platform:{platform.slug}", "access_revoked"),
        ("subscription.ended", f"thread:{thread.id}", "access_revoked")]
    assert stayer.events("presence") == [{"topic": f"thread:{thread.id}", "reading": 1}]
    post = make_post(moderator, thread, "Solo para miembros.")
    assert leaver.events() == []
    assert [p["id"] for p in stayer.events("post.created")] == [post.id]
    assert leaver.connected and leaver.subscribe(f"thread:{thread.id}")["ok"] is False
    assert ("another-connection", "consultation:3") in presence.subscriptions_of(member.id)


def test_leaving_a_public_platform_keeps_what_anyone_may_read(app, make_user, make_platform, make_thread,
                                                               token_for):
    """Access to public threads does not depend on membership, so those subscriptions go on."""
    member = make_user()
    public = make_platform(members=[member])
    thread = make_thread(member, public)
    live = Live(app, token=token_for(member))
    live.subscribe(f"thread:{thread.id}")
    live.events()
    platforms.leave(member, public)
    commit()
    assert live.events("subscription.ended") == []


def test_a_removed_member_stops_receiving(app, closed, token_for, make_post):
    """A moderator's removal works like leaving."""
    from sqlalchemy import select

    from forum.extensions import db
    from forum.platforms.models import PlatformMembership

    member, moderator, _outsider, platform, thread = closed
    live = Live(app, token=token_for(member))
    live.subscribe(f"thread:{thread.id}")
    live.events()
    membership = db.session.scalar(select(PlatformMembership).where(PlatformMembership.user_id == member.id))
    platforms.remove_member(moderator, membership)
    commit()
    assert live.events("subscription.ended") == [{"topic": f"thread:{thread.id}", "reason": "access_revoked"}]
    make_post(moderator, thread)
    assert live.events("post.created") == []


def test_a_suspended_token_user_is_disconnected_at_the_next_event(app, closed, token_for, make_user):
    """Once suspended, the connection opened with the person's token is ended instead of answered."""
    member, _moderator, _outsider, _platform, thread = closed
    admin = make_user(role="admin")
    live = Live(app, token=token_for(member))
    accounts.suspend(admin, member, "Spam")
    commit()
    live.events()
    live.ask("subscribe", {"topic": f"thread:{thread.id}"})
    assert not live.connected


def test_suspension_closes_a_subscribed_connection_at_once(app, closed, token_for, make_user, make_post):
    """A suspended person's open, subscribed connection is told its session ended and is closed by the server,
    so no later post of the thread reaches it."""
    member, moderator, _outsider, _platform, thread = closed
    admin = make_user(role="admin")
    live = Live(app, token=token_for(member))
    assert live.subscribe(f"thread:{thread.id}")["ok"] is True
    live.events()
    accounts.suspend(admin, member, "Spam")
    commit()
    assert not live.connected
    assert presence.subscriptions_of(member.id) == []


def test_a_signed_out_browser_connection_is_ended(app, client, auth, closed):
    """After the browser signs out, its open connection no longer acts for the person."""
    member, _moderator, _outsider, _platform, thread = closed
    auth.login(member.email)
    live = Live(app, flask_client=client)
    auth.logout()
    answer = live.ask("subscribe", {"topic": f"thread:{thread.id}"})
    assert answer == refused("Your session has ended. Please sign in again.")
    assert not live.connected


def test_answers_come_in_each_persons_language(app, client, auth, closed, make_user, token_for):
    """A Spanish-speaking person reads refusals in Spanish, an English-speaking one in English, whether the
    connection comes from the browser session or a token."""
    _member, _moderator, _outsider, _platform, thread = closed
    spanish = make_user(locale="es")
    english = make_user(locale="en")
    auth.login(spanish.email)
    answers = {"es": Live(app, flask_client=client).subscribe(f"thread:{thread.id}"),
               "en": Live(app, token=token_for(english)).subscribe(f"thread:{thread.id}")}
    spanish_by_token = Live(app, token=token_for(spanish)).subscribe(f"thread:{thread.id}")
    for locale, answer in answers.items():
        assert answer == refused(NOT_AVAILABLE, locale)
    assert answers["es"] != answers["en"], "the Spanish catalog translates the refusal"
    assert spanish_by_token == answers["es"]
    assert Live(app, token=token_for(spanish)).ask("subscribe", None) == refused(
        'Send an object such as {"topic": "thread:12"}.')
