"""What moderation does to threads and posts, as readers, authors and moderators meet it on the page, through the
API and over the live connection: hidden posts become a placeholder with the reason in the reader's language,
held posts exist only for their author and the moderators until approved, rejected ones only for their author;
hidden threads disappear; lock, pin and move. Decisions are taken through the ``post`` and ``thread`` target
kinds, as the moderation pages take them (those pages have their own tests)."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import select

from forum.core.db import commit
from forum.core.errors import ActionRefused
from forum.extensions import db
from forum.moderation import log, targets
from forum.moderation.choices import REASONS
from forum.moderation.models import QueueItem
from forum.threads.models import Post, Thread
from tests.conftest import Auth
from tests.live import Live

API = "/api/v1"
OFFENSIVE = "Texto ofensivo que nadie debe leer"


def said(locale: str, message: str, **values) -> str:
    """``message`` as a page in ``locale`` shows it (translated, HTML-escaped)."""
    with force_locale(locale):
        return str(escape(_(message, **{name: str(value) for name, value in values.items()})))


def hidden_placeholder(locale: str, reason: str) -> str:
    """What readers in ``locale`` see instead of a post hidden for ``reason``."""
    with force_locale(locale):
        label = str(REASONS[reason])
    return said(locale, "Hidden by the moderators: %(reason)s", reason=label)


def text(response) -> str:
    """The page's HTML."""
    return response.get_data(as_text=True)


def decide(moderator, item, decision: str, **params):
    """Take ``decision`` on a post or thread through its target kind, as the moderation pages do, and commit."""
    kind = targets.kind("post" if isinstance(item, Post) else "thread")
    result = kind.apply(moderator, item, decision, **params)
    commit()
    return result


@pytest.fixture
def people(make_user):
    """Rosa (an author, Spanish), Claire (a reader, English), Mara (the platform's moderator) and an outsider."""
    return {
        "rosa": make_user("rosa@example.org", display_name="Rosa López"),
        "claire": make_user("claire@example.org", display_name="Claire Dubois", locale="en"),
        "mara": make_user("mara@example.org", display_name="Mara Díaz"),
        "outsider": make_user("nadie@example.org", display_name="Persona Ajena"),
    }


@pytest.fixture
def platform(make_platform, people):
    """A public platform: Rosa and Claire are members, Mara moderates."""
    return make_platform(slug="justicia", members=[people["rosa"], people["claire"]], moderators=[people["mara"]])


@pytest.fixture
def conversation(make_thread, make_post, people, platform):
    """A thread by Rosa with an offensive reply by Claire."""
    thread = make_thread(people["rosa"], platform, title="Intérpretes en las fiscalías", body="Primer mensaje.")
    reply = make_post(people["claire"], thread, OFFENSIVE)
    return thread, reply


# --- hidden posts -----------------------------------------------------------------------------------------------


def test_a_hidden_post_is_a_placeholder_with_the_reason_in_each_language(
        app, client, english_client, people, conversation, token, token_for):
    """Readers see "hidden by the moderators" and the reason in their language, on the page, through the API,
    in the live event that hides it and in a replay; never its text, translation or reactions."""
    thread, reply = conversation
    watching = Live(app)
    watching.subscribe(f"thread:{thread.id}")
    watching.events()

    assert decide(None, reply, "hide", reason="harassment") == (None, None)  # the system, after enough flags

    [event] = watching.events("post.updated")
    assert event["id"] == reply.id and event["status"] == "hidden"
    for locale, page in (("es", text(client.get(f"/t/{thread.id}"))),
                         ("en", text(english_client.get(f"/t/{thread.id}"))),
                         ("es", event["html"]["es"]), ("en", event["html"]["en"])):
        assert hidden_placeholder(locale, "harassment") in page
        assert OFFENSIVE not in page
    assert 'data-kind="support"' not in event["html"]["es"]
    page = text(client.get(f"/t/{thread.id}"))
    assert page.count('class="reactions"') == 1  # the opening post's only

    replayed = Live(app)
    replayed.subscribe(f"thread:{thread.id}", since=0)
    [_opening, again] = replayed.events("post.created")
    assert again["id"] == reply.id and OFFENSIVE not in again["html"]["es"]
    assert hidden_placeholder("en", "harassment") in again["html"]["en"]

    for headers in ({}, token(people["rosa"]), token(people["claire"])):
        post = client.get(f"{API}/threads/{thread.id}", headers=headers).json["posts"]["items"][1]
        assert (post["status"], post["moderation_reason"], post["body_markdown"], post["body_html"],
                post["translations"]) == ("hidden", "harassment", None, None, [])
    assert db.session.get(Thread, thread.id).reply_count == 0


def test_hidden_placeholder_reads_spanish_in_spanish(app, client, people, conversation):
    """The Spanish page says it in Spanish (needs the Spanish catalog to carry the new strings)."""
    thread, reply = conversation
    decide(people["mara"], reply, "hide", reason="harassment")
    with force_locale("es"):
        spanish_reason = str(REASONS["harassment"])
    assert spanish_reason != "Harassment or abuse"
    assert hidden_placeholder("es", "harassment") != hidden_placeholder("en", "harassment")
    assert hidden_placeholder("es", "harassment") in text(client.get(f"/t/{thread.id}"))


def test_moderators_read_a_hidden_post_and_restore_it(app, client, people, conversation, token, token_for):
    """The platform's moderators see the text under "hidden from readers"; restoring brings it back to all,
    live too."""
    thread, reply = conversation
    decide(people["mara"], reply, "hide", reason="off_topic")
    Auth(client).login("mara@example.org")
    page = text(client.get(f"/t/{thread.id}"))
    assert OFFENSIVE in page
    assert said("es", "Hidden from readers: %(reason)s", reason=str(REASONS["off_topic"])) in page
    post = client.get(f"{API}/threads/{thread.id}", headers=token(people["mara"])).json["posts"]["items"][1]
    assert post["body_markdown"] == OFFENSIVE and post["status"] == "hidden"
    replayed = Live(app, token=token_for(people["mara"]))
    replayed.subscribe(f"thread:{thread.id}", since=reply.id - 1)
    assert OFFENSIVE in replayed.events("post.created")[0]["html"]["es"]

    watching = Live(app)
    watching.subscribe(f"thread:{thread.id}")
    watching.events()
    decide(people["mara"], db.session.get(Post, reply.id), "restore")
    [event] = watching.events("post.updated")
    assert event["status"] == "visible" and OFFENSIVE in event["html"]["en"]
    Auth(client).logout()
    assert OFFENSIVE in text(client.get(f"/t/{thread.id}"))
    assert db.session.get(Thread, thread.id).reply_count == 1


def test_a_hidden_post_takes_no_reaction_translation_or_quote(client, people, conversation):
    """Reacting to, translating or quoting a hidden post is refused or ignored."""
    thread, reply = conversation
    decide(people["mara"], reply, "hide", reason="spam")
    Auth(client).login("rosa@example.org")
    assert client.post(f"/posts/{reply.id}/react", data={"kind": "support"}).status_code == 403
    assert client.get(f"/posts/{reply.id}/translate").status_code == 403
    assert OFFENSIVE not in text(client.get(f"/t/{thread.id}?quote={reply.id}"))


def test_dismissing_restores_only_what_the_flags_hid(people, conversation):
    """Dismissing the flags of a post the system hid restores it; one a moderator hid stays hidden."""
    _thread, reply = conversation
    post_kind = targets.kind("post")
    decide(None, reply, "hide", reason="spam")
    log.record(None, "hide", target=post_kind.describe(reply), reason="spam")
    commit()
    decide(people["mara"], reply, "dismiss")
    assert db.session.get(Post, reply.id).status == "visible"

    reply = db.session.get(Post, reply.id)
    decide(people["mara"], reply, "hide", reason="spam")
    log.record(people["mara"], "hide", target=post_kind.describe(reply), reason="spam")
    commit()
    decide(people["mara"], db.session.get(Post, reply.id), "dismiss")
    assert db.session.get(Post, reply.id).status == "hidden"


# --- held and rejected posts -------------------------------------------------------------------------------------


@pytest.fixture
def premoderated(make_platform, people):
    """A public, pre-moderated platform: Rosa and Claire are members, Mara moderates."""
    return make_platform(slug="genero", premoderated=True, members=[people["rosa"], people["claire"]],
                         moderators=[people["mara"]])


def test_a_held_reply_exists_only_for_its_author_and_the_moderators_until_approved(
        app, client, english_client, people, premoderated, make_thread, token, token_for):
    """Claire's reply waits: she sees it "awaiting review", Rosa and visitors see nothing (page, API, live,
    replay); Mara reads it. Approved, it reaches the thread's readers live and counts as a reply."""
    thread = make_thread(people["mara"], premoderated, title="Participación de mujeres jóvenes")
    watching = Live(app, token=token_for(people["rosa"]))
    watching.subscribe(f"thread:{thread.id}")
    watching.events()

    claire = Auth(english_client)
    claire.login("claire@example.org")
    sent = english_client.post(f"/t/{thread.id}/reply", data={"body": "Young women first.", "language": "en"},
                               follow_redirects=True)
    reply = db.session.scalar(select(Post).order_by(Post.id.desc()))
    assert reply.status == "held"
    assert said("en", "Your post is awaiting review by the moderators.") in text(sent)
    assert said("en", "Awaiting review by the moderators") in text(sent) and "Young women first." in text(sent)
    assert watching.events() == []
    queued = db.session.scalar(select(QueueItem).where(QueueItem.target_type == "post",
                                                       QueueItem.target_id == reply.id))
    assert (queued.cause, queued.status, queued.platform_id) == ("held", "open", premoderated.id)

    for headers in ({}, token(people["rosa"])):
        posts = client.get(f"{API}/threads/{thread.id}", headers=headers).json["posts"]["items"]
        assert [p["id"] for p in posts] == [reply.id - 1]
    mine = client.get(f"{API}/threads/{thread.id}", headers=token(people["claire"])).json["posts"]["items"]
    assert (mine[-1]["status"], mine[-1]["body_markdown"]) == ("held", "Young women first.")
    assert "Young women first." not in text(client.get(f"/t/{thread.id}"))
    replayed = Live(app, token=token_for(people["rosa"]))
    replayed.subscribe(f"thread:{thread.id}", since=0)
    assert [p["id"] for p in replayed.events("post.created")] == [reply.id - 1]
    assert client.get(f"{API}/threads/{thread.id}").json["reply_count"] == 0
    Auth(client).login("mara@example.org")
    assert "Young women first." in text(client.get(f"/t/{thread.id}"))
    assert 'value="approve"' in text(client.get(f"/t/{thread.id}"))

    decide(people["mara"], db.session.get(Post, reply.id), "approve")
    [created] = watching.events("post.created")
    assert created["id"] == reply.id and "Young women first." in created["html"]["es"]
    Auth(client).logout()
    assert "Young women first." in text(client.get(f"/t/{thread.id}"))
    assert client.get(f"{API}/threads/{thread.id}").json["reply_count"] == 1


def test_a_rejected_post_is_seen_only_by_its_author(app, client, english_client, people, premoderated,
                                                   make_thread, make_post, token):
    """Rejected, Claire's reply says "not approved" to her and is gone for every other reader (the platform's
    moderators still find it, marked, and may approve it after all)."""
    thread = make_thread(people["mara"], premoderated)
    reply = make_post(people["claire"], thread, "Please approve me.", language="en")
    decide(people["mara"], reply, "reject", reason="off_topic")
    Auth(english_client).login("claire@example.org")
    mine = text(english_client.get(f"/t/{thread.id}"))
    assert said("en", "Not approved by the moderators: %(reason)s", reason=REASONS["off_topic"]) in mine
    assert client.get(f"{API}/threads/{thread.id}", headers=token(people["claire"])).json["posts"]["items"][-1][
        "status"] == "rejected"
    for who in (None, "rosa@example.org"):
        if who:
            Auth(client).login(who)
        assert "Please approve me." not in text(client.get(f"/t/{thread.id}"))
        assert client.get(f"/posts/{reply.id}/edit").status_code in (302, 404)
    assert [p["id"] for p in client.get(f"{API}/threads/{thread.id}", headers=token(people["rosa"]))
            .json["posts"]["items"]] == [reply.id - 1]
    Auth(client).logout()
    assert client.get(f"{API}/threads/{thread.id}", headers=token(people["mara"])).json["posts"]["items"][-1][
        "body_markdown"] == "Please approve me."
    decide(people["mara"], db.session.get(Post, reply.id), "approve")
    assert "Please approve me." in text(client.get(f"/t/{thread.id}"))


def test_a_held_thread_is_listed_only_for_its_author_and_the_moderators(
        app, client, people, premoderated, token, token_for):
    """A held thread is a 404 and out of the lists for others; approving its opening post publishes it, and the
    platform's live readers see it appear only then."""
    watching = Live(app)
    watching.subscribe("platform:genero")
    watching.events()
    Auth(client).login("rosa@example.org")
    sent = client.post("/p/genero/new", data={"title": "Propuesta sin revisar", "kind": "discussion",
                                              "language": "es", "body": "Texto inicial."}, follow_redirects=True)
    thread = db.session.scalar(select(Thread))
    assert thread.status == "held"
    assert said("es", "Your post is awaiting review by the moderators.") in text(sent)
    assert "Propuesta sin revisar" in text(client.get("/p/genero"))
    assert said("es", "Awaiting review by the moderators") in text(client.get("/p/genero"))
    assert watching.events() == []
    Auth(client).logout()
    assert client.get(f"/t/{thread.id}").status_code == 404
    assert "Propuesta sin revisar" not in text(client.get("/p/genero"))
    assert client.get(f"{API}/threads/{thread.id}", headers=token(people["claire"])).status_code == 404
    assert client.get(f"{API}/platforms/genero/threads", headers=token(people["claire"])).json["total"] == 0
    assert client.get(f"{API}/threads/{thread.id}", headers=token(people["rosa"])).json["status"] == "held"
    assert client.get(f"{API}/platforms/genero/threads", headers=token(people["mara"])).json["items"][0][
        "status"] == "held"
    assert Live(app, token=token_for(people["claire"])).subscribe(f"thread:{thread.id}")["ok"] is False

    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    decide(people["mara"], opening, "approve")
    assert [t["id"] for t in watching.events("thread.created")] == [thread.id]
    assert client.get(f"/t/{thread.id}").status_code == 200
    assert "Propuesta sin revisar" in text(client.get("/p/genero"))


def test_rejecting_the_opening_post_rejects_the_thread(client, people, premoderated, make_thread):
    """The thread of a rejected opening post is gone for everyone but the moderators."""
    thread = make_thread(people["claire"], premoderated, title="Hilo rechazado")
    assert thread.status == "held"
    decide(people["mara"], db.session.scalar(select(Post)), "reject", reason="spam")
    assert db.session.get(Thread, thread.id).status == "rejected"
    Auth(client).login("claire@example.org")
    assert client.get(f"/t/{thread.id}").status_code == 404
    Auth(client).logout()
    Auth(client).login("mara@example.org")
    assert client.get(f"/t/{thread.id}").status_code == 200


# --- threads -----------------------------------------------------------------------------------------------------


def test_a_hidden_thread_disappears_for_readers_and_stays_for_moderators(
        app, client, english_client, people, conversation, token, token_for):
    """Hidden: 404 and out of the lists (page and API); live subscriptions end; moderators see it with the
    reason; restored, it is back."""
    thread, _reply = conversation
    watching = Live(app, token=token_for(people["rosa"]))
    watching.subscribe(f"thread:{thread.id}")
    watching.events()
    decide(people["mara"], thread, "hide", reason="personal_data")
    assert watching.events("subscription.ended") == [{"topic": f"thread:{thread.id}", "reason": "access_revoked"}]
    for headers in ({}, token(people["rosa"])):
        assert client.get(f"{API}/threads/{thread.id}", headers=headers).status_code == 404
        assert client.get(f"{API}/platforms/justicia/threads", headers=headers).json["total"] == 0
    assert client.get(f"/t/{thread.id}").status_code == 404
    assert thread.title not in text(client.get("/p/justicia"))
    assert watching.subscribe(f"thread:{thread.id}")["ok"] is False
    Auth(english_client).login("mara@example.org")  # her account is in Spanish: the page follows it
    page = text(english_client.get(f"/t/{thread.id}"))
    assert said("es", "Hidden from readers: %(reason)s", reason=str(REASONS["personal_data"])) in page

    decide(people["mara"], db.session.get(Thread, thread.id), "restore")
    assert client.get(f"/t/{thread.id}").status_code == 200
    assert client.get(f"{API}/threads/{thread.id}").json["status"] == "visible"


def test_a_locked_thread_takes_replies_only_from_moderators(client, people, conversation):
    """Locked: participants get 403 and no reply form; moderators still reply; unlocked, everyone again."""
    thread, _reply = conversation
    decide(people["mara"], thread, "lock")
    auth = Auth(client)
    auth.login("rosa@example.org")
    assert client.post(f"/t/{thread.id}/reply", data={"body": "¿Sigue abierto?", "language": "es"}).status_code \
        == 403
    assert 'id="reply-form"' not in text(client.get(f"/t/{thread.id}"))
    auth.logout()
    auth.login("mara@example.org")
    assert client.post(f"/t/{thread.id}/reply", data={"body": "Cerramos el hilo.", "language": "es"}).status_code \
        == 303
    auth.logout()
    decide(people["mara"], db.session.get(Thread, thread.id), "unlock")
    auth.login("rosa@example.org")
    assert client.post(f"/t/{thread.id}/reply", data={"body": "Gracias.", "language": "es"}).status_code == 303


def test_a_pinned_thread_is_listed_first(client, people, platform, make_thread, make_post):
    """Pinned threads come before newer activity, on the page and in the API; unpinned, they take their place."""
    older = make_thread(people["rosa"], platform, title="Reglas de la plataforma")
    newer = make_thread(people["claire"], platform, title="Debate reciente")
    make_post(people["rosa"], newer)

    def titles() -> list[str]:
        return re.findall(r'<a href="/t/\d+">([^<]+)</a>', text(client.get("/p/justicia")))

    assert titles() == [newer.title, older.title]
    decide(people["mara"], older, "pin")
    assert titles() == [older.title, newer.title]
    assert [t["id"] for t in client.get(f"{API}/platforms/justicia/threads").json["items"]] == [older.id, newer.id]
    decide(people["mara"], db.session.get(Thread, older.id), "unpin")
    assert titles() == [newer.title, older.title]


def test_moving_a_thread(client, people, conversation, make_platform):
    """The thread appears on the other platform and leaves the first; moved into a members-only platform, it
    no longer exists for non-members."""
    thread, _reply = conversation
    employment = make_platform(slug="empleo", moderators=[people["mara"]])
    closed = make_platform(slug="mesa", visibility="members", members=[people["rosa"]], moderators=[people["mara"]])
    decide(people["mara"], thread, "move", platform="empleo")
    assert thread.title in text(client.get("/p/empleo")) and thread.title not in text(client.get("/p/justicia"))
    assert client.get(f"{API}/threads/{thread.id}").json["platform"] == employment.slug

    decide(people["mara"], db.session.get(Thread, thread.id), "move", platform="mesa")
    assert client.get(f"/t/{thread.id}").status_code == 404
    Auth(client).login("rosa@example.org")
    assert client.get(f"/t/{thread.id}").status_code == 200
    assert db.session.get(Thread, thread.id).platform_id == closed.id


@pytest.mark.parametrize("slug", ["", "no-such-platform", "archivo", "justicia", "ajena"])
def test_a_thread_moves_only_to_another_active_platform_of_the_same_moderator(people, conversation, make_platform,
                                                                               slug):
    """An unknown, archived or the same platform, or one the moderator does not moderate, is refused and
    nothing changes."""
    from forum.core.db import utcnow

    thread, _reply = conversation
    make_platform(slug="archivo", moderators=[people["mara"]]).archived_at = utcnow()
    make_platform(slug="ajena")
    commit()
    with pytest.raises(ActionRefused) as refused:
        decide(people["mara"], thread, "move", platform=slug)
    assert refused.value.field == "platform" and refused.value.status == 400
    db.session.rollback()
    assert db.session.get(Thread, thread.id).platform.slug == "justicia"


def test_only_the_platforms_moderators_decide_and_the_system_only_hides(people, conversation, make_user):
    """Members are refused (403), outsiders of members-only content get 404 from ``can_see``; the system may
    hide but not lock, restore or delete."""
    thread, reply = conversation
    for decision in ("hide", "delete", "approve"):
        with pytest.raises(ActionRefused) as refused:
            targets.kind("post").apply(people["rosa"], reply, decision, reason="spam")
        assert refused.value.status == 403
    for decision in ("lock", "restore", "move", "dismiss"):
        with pytest.raises(ActionRefused) as refused:
            targets.kind("thread").apply(None, thread, decision, reason=None)
        assert refused.value.status == 403
    with pytest.raises(ActionRefused):
        targets.kind("thread").apply(people["mara"], thread, "approve", reason=None)
    assert targets.kind("post").decisions == ("hide", "restore", "delete", "edit", "approve", "reject", "dismiss")
    assert set(targets.kind("thread").decisions) == {"hide", "restore", "lock", "unlock", "pin", "unpin", "move",
                                                     "dismiss"}
    global_moderator = make_user(role="moderator")
    targets.kind("thread").apply(global_moderator, thread, "pin", reason=None)
    assert thread.is_pinned


def test_members_only_items_do_not_exist_for_outsiders(people, make_platform, make_thread, make_post):
    """``can_see`` follows reading: non-members of a members-only platform do not learn its posts exist."""
    closed = make_platform(slug="mesa", visibility="members", members=[people["rosa"]], moderators=[people["mara"]])
    thread = make_thread(people["rosa"], closed)
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    for kind, item in (("post", post), ("thread", thread)):
        assert targets.kind(kind).can_see(people["outsider"], item) is False
        assert targets.kind(kind).can_see(None, item) is False
        assert targets.kind(kind).can_see(people["rosa"], item) is True
        assert targets.kind(kind).can_see(people["mara"], item) is True


def test_an_edit_keeps_the_earlier_text_and_reports_both(client, people, conversation):
    """A moderator's edit through the kind returns the text before and after and marks the post edited."""
    _thread, reply = conversation
    before, after = decide(people["mara"], reply, "edit", body="Texto moderado.")
    assert (before, after) == (OFFENSIVE, "Texto moderado.")
    Auth(client).login("mara@example.org")
    assert OFFENSIVE in text(client.get(f"/posts/{reply.id}/history"))
    with pytest.raises(ActionRefused):
        targets.kind("post").apply(people["mara"], db.session.get(Post, reply.id), "edit", reason=None)


def test_described_items_carry_what_moderation_shows(people, conversation):
    """describe(): platform, language, author, thread title, Markdown, address with anchor, status."""
    thread, reply = conversation
    described = targets.kind("post").describe(reply)
    assert (described.type, described.id, described.platform.slug, described.language, described.author.id,
            described.title, described.text, described.status) == (
        "post", reply.id, "justicia", "en", people["claire"].id, thread.title, OFFENSIVE, "visible")
    assert described.url.endswith(f"/t/{thread.id}#post-{reply.id}")
    opening = targets.kind("thread").describe(thread)
    assert (opening.type, opening.title, opening.text, opening.status) == (
        "thread", thread.title, "Primer mensaje.", "visible")
    decide(people["mara"], reply, "delete")
    assert targets.kind("post").describe(db.session.get(Post, reply.id)).status == "deleted"


def test_readers_get_flag_links_and_moderators_their_forms(client, people, conversation, make_platform):
    """Signed-in readers may flag what others wrote; the platform's moderators get a form per post and for the
    thread, whose fields the moderation page takes (it sends them back to the thread)."""
    thread, reply = conversation
    auth = Auth(client)
    assert "/flag/" not in text(client.get(f"/t/{thread.id}"))
    auth.login("rosa@example.org")
    page = text(client.get(f"/t/{thread.id}"))
    assert f'href="/flag/post/{reply.id}"' in page and f'href="/flag/post/{reply.id - 1}"' not in page
    assert f'href="/flag/thread/{thread.id}"' not in page and "/moderate/" not in page
    auth.logout()
    auth.login("claire@example.org")
    assert f'href="/flag/thread/{thread.id}"' in text(client.get(f"/t/{thread.id}"))
    auth.logout()
    auth.login("mara@example.org")
    assert 'name="platform"' not in text(client.get(f"/t/{thread.id}"))  # nowhere she moderates to move it to
    make_platform(slug="empleo", name_es="Empleo", moderators=[people["mara"]])
    page = text(client.get(f"/t/{thread.id}"))
    assert '<option value="empleo">Empleo</option>' in page
    assert f'action="/moderate/post/{reply.id}"' in page and f'action="/moderate/thread/{thread.id}"' in page
    for field in ('name="decision"', 'name="reason"', 'name="note"', 'name="platform"', 'value="lock"'):
        assert field in page
    sent = client.post(f"/moderate/post/{reply.id}", data={
        "decision": "hide", "reason": "spam", "note": "", "next": f"/t/{thread.id}#post-{reply.id}"})
    assert sent.status_code == 303 and sent.headers["Location"].endswith(f"/t/{thread.id}#post-{reply.id}")
    assert db.session.get(Post, reply.id).status == "hidden"


def test_the_moderators_thread_page_keeps_its_query_count(client, people, platform, make_thread, count_queries):
    """With hidden and held posts, a moderator's page of 10 posts takes as many queries as one of 60."""
    small = make_thread(people["rosa"], platform, title="Hilo corto")
    large = make_thread(people["claire"], platform, title="Hilo largo")
    for thread, count in ((small, 9), (large, 59)):
        posts = [Post(thread_id=thread.id, author_id=people["rosa"].id, language="es", body_source=f"m {n}",
                      body_html=f"<p>m {n}</p>", status=("hidden", "held", "visible")[n % 3],
                      moderation_reason="spam" if n % 3 == 0 else None) for n in range(count)]
        db.session.add_all(posts)
    commit()
    Auth(client).login("mara@example.org")
    measured = []
    for thread in (small, large):
        client.get(f"/t/{thread.id}")
        with count_queries() as statements:
            assert client.get(f"/t/{thread.id}").status_code == 200
        measured.append(len(statements))
    assert measured[0] == measured[1], measured
