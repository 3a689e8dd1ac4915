"""Pre-moderation as people meet it: a new account's first posts (``FORUM_PREMODERATION_POSTS``) and every post on
a pre-moderated platform wait for a moderator's approval in the moderation queue; officials and moderators are
never held; the author is told, in their language; administrators switch a platform to pre-moderated."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import func, select

from forum.core.db import commit
from forum.extensions import db
from forum.moderation import targets
from forum.moderation.models import QueueItem
from forum.platforms.models import Platform
from forum.threads.models import Post, Thread
from tests.conftest import Auth

API = "/api/v1"


def said(locale: str, message: str) -> str:
    """``message`` as a page in ``locale`` shows it."""
    with force_locale(locale):
        return str(escape(_(message)))


def text(response) -> str:
    """The page's HTML."""
    return response.get_data(as_text=True)


def held_items() -> list[tuple[str, int]]:
    """The open queue items waiting for approval, as (type, id)."""
    return [tuple(row) for row in db.session.execute(select(QueueItem.target_type, QueueItem.target_id).where(
        QueueItem.cause == "held", QueueItem.status == "open").order_by(QueueItem.id))]


def approve(moderator, post: Post) -> None:
    """Approve a held post through its target kind and commit."""
    targets.kind("post").apply(moderator, db.session.get(Post, post.id), "approve", reason=None)
    commit()


@pytest.fixture
def first_posts_wait(app):
    """A new account's first two posts wait for review (the tests' default is none)."""
    app.config["FORUM_PREMODERATION_POSTS"] = 2
    yield 2
    app.config["FORUM_PREMODERATION_POSTS"] = 0


@pytest.fixture
def people(make_user, make_organisation, add_member):
    """A newcomer (Spanish), a newcomer writing in English, an official, the platform's moderator and a global
    moderator."""
    official = make_user("sre@example.org", display_name="Lucía Hernández")
    add_member(official, make_organisation(kind="federal_agency", acronym="SRE"))
    return {
        "nueva": make_user("nueva@example.org", display_name="Ana Nueva"),
        "newcomer": make_user("new@example.org", display_name="Ben New", locale="en"),
        "official": official,
        "mara": make_user("mara@example.org", display_name="Mara Díaz"),
        "global": make_user("global@example.org", display_name="Mateo Moderador", role="moderator"),
    }


@pytest.fixture
def platform(make_platform, people):
    """A public platform everyone above belongs to; Mara moderates it."""
    return make_platform(slug="justicia", members=[people[p] for p in ("nueva", "newcomer", "official")],
                         moderators=[people["mara"]])


@pytest.fixture
def thread(make_thread, people, platform):
    """A thread opened by the official (never held)."""
    return make_thread(people["official"], platform, title="Consulta abierta")


def test_a_new_accounts_first_two_posts_wait_and_the_third_does_not(client, people, thread, first_posts_wait):
    """Each of the first two replies is held (and queued) until approved; with two visible posts, the third is
    published at once. The author reads "awaiting review" in Spanish."""
    auth = Auth(client)
    auth.login("nueva@example.org")
    statuses = []
    for n in range(3):
        sent = client.post(f"/t/{thread.id}/reply", data={"body": f"Aporte {n}", "language": "es"},
                           follow_redirects=True)
        post = db.session.scalar(select(Post).order_by(Post.id.desc()))
        statuses.append(post.status)
        if post.status == "held":
            assert said("es", "Your post is awaiting review by the moderators.") in text(sent)
            assert said("es", "Awaiting review by the moderators") in text(sent) and f"Aporte {n}" in text(sent)
            assert held_items()[-1] == ("post", post.id)
            approve(people["mara"], post)
        else:
            assert said("es", "Your post is awaiting review by the moderators.") not in text(sent)
    assert statuses == ["held", "held", "visible"]
    assert db.session.get(Thread, thread.id).reply_count == 3


def test_posts_wait_while_the_earlier_ones_are_not_yet_approved(people, thread, make_post, first_posts_wait):
    """What counts is visible posts: while the first two wait, a third waits too."""
    posts = [make_post(people["nueva"], thread, f"Aporte {n}") for n in range(3)]
    assert [p.status for p in posts] == ["held"] * 3
    assert held_items() == [("post", p.id) for p in posts]
    assert db.session.get(Thread, thread.id).reply_count == 0


def test_a_new_thread_waits_as_a_whole(client, english_client, people, platform, first_posts_wait, token):
    """A newcomer's thread is held with its opening post, whose review is queued; the author reads why in
    English; through the API too."""
    Auth(english_client).login("new@example.org")
    sent = english_client.post("/p/justicia/new", data={"title": "My first thread", "kind": "discussion",
                                                        "language": "en", "body": "Hello everyone."},
                               follow_redirects=True)
    assert said("en", "Your post is awaiting review by the moderators.") in text(sent)
    thread = db.session.scalar(select(Thread))
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    assert (thread.status, opening.status) == ("held", "held")
    assert held_items() == [("post", opening.id)]

    created = client.post(f"{API}/platforms/justicia/threads", headers=token(people["newcomer"]),
                                  json={"title": "Another thread", "body": "Hello again."})
    assert created.status_code == 201
    assert (created.json["status"], created.json["posts"]["items"][0]["status"],
            created.json["posts"]["items"][0]["body_markdown"]) == ("held", "held", "Hello again.")


def test_officials_and_moderators_are_never_held(people, platform, make_thread, make_post, first_posts_wait):
    """An official, the platform's moderator and a global moderator publish at once, even on a pre-moderated
    platform."""
    for premoderated in (False, True):
        platform.premoderated = premoderated
        commit()
        for who in ("official", "mara", "global"):
            thread = make_thread(people[who], db.session.get(Platform, platform.id))
            assert thread.status == "visible"
            assert make_post(people[who], thread).status == "visible"
    assert held_items() == []


def test_a_premoderated_platform_holds_every_participants_post(people, platform, thread, make_post, token,
                                                                client):
    """With no new-account rule, a pre-moderated platform still holds each post of participants, however many
    they published before; the API answers status held."""
    earlier = [make_post(people["nueva"], thread, f"Antes {n}") for n in range(3)]
    assert {p.status for p in earlier} == {"visible"}
    db.session.get(Platform, platform.id).premoderated = True
    commit()
    assert said("es", "Pre-moderated") in text(client.get("/p/justicia"))
    sent = client.post(f"{API}/threads/{thread.id}/posts", headers=token(people["nueva"]),
                       json={"body": "Después"})
    assert (sent.status_code, sent.json["status"], sent.json["body_markdown"]) == (201, "held", "Después")
    assert held_items() == [("post", sent.json["id"])]
    assert make_post(people["official"], thread).status == "visible"


def test_a_held_post_does_not_bump_its_thread_until_approved(people, thread, make_post, first_posts_wait):
    """Replies, latest activity and the newest post stay as they were until approval."""
    before = db.session.get(Thread, thread.id)
    figures = (before.reply_count, before.last_activity_at, before.last_post_id)
    post = make_post(people["nueva"], thread, "Espera")
    after = db.session.get(Thread, thread.id)
    assert (after.reply_count, after.last_activity_at, after.last_post_id) == figures
    approve(people["mara"], post)
    approved = db.session.get(Thread, thread.id)
    assert (approved.reply_count, approved.last_post_id) == (1, post.id)
    assert approved.last_activity_at == db.session.get(Post, post.id).created_at


def test_an_administrator_makes_a_platform_premoderated(client, make_user, platform):
    """The platform form has the pre-moderation checkbox; ticking it saves it, unticking clears it."""
    make_user("admin@example.org", role="admin")
    Auth(client).login("admin@example.org")
    page = text(client.get("/admin/platforms/justicia"))
    assert '<input id="premoderated" name="premoderated" type="checkbox"' in page
    assert said("es", "Pre-moderated: every new post waits for approval") in page
    fields = {"slug": "justicia", "name_es": "Justicia", "name_en": "Justice", "description_es": "",
              "description_en": "", "colour": "#1f5f8b", "icon": "chat", "visibility": "public",
              "join_policy": "open"}
    assert client.post("/admin/platforms/justicia", data={**fields, "premoderated": "y"}).status_code == 303
    assert db.session.get(Platform, platform.id).premoderated is True
    assert '<input checked id="premoderated" name="premoderated"' in text(client.get("/admin/platforms/justicia"))
    assert client.post("/admin/platforms/justicia", data=fields).status_code == 303
    assert db.session.get(Platform, platform.id).premoderated is False


def test_the_demo_conversations_are_published(app_factory):
    """Seeding with the production default (two held posts per new account) still publishes every demo post and
    leaves nothing waiting."""
    app = app_factory(FORUM_PREMODERATION_POSTS=2)
    with app.app_context():
        assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
        assert db.session.scalar(select(func.count(Post.id))) > 0
        assert set(db.session.scalars(select(Post.status))) == {"visible"}
        assert set(db.session.scalars(select(Thread.status))) == {"visible"}
        assert held_items() == []


def test_deleting_a_post_that_awaits_review_takes_it_out_of_the_queue(people, thread, make_post, first_posts_wait):
    """An author who deletes their post before review leaves nothing for the moderators to decide."""
    from forum.threads import services

    waiting, other = make_post(people["nueva"], thread, "Mejor no"), make_post(people["nueva"], thread, "Este sí")
    services.delete_post(people["nueva"], db.session.get(Post, waiting.id))
    commit()
    assert held_items() == [("post", other.id)]
