"""What threads announce over the live connection, and the HTML fragments that travel with it.

Topics: ``platform:<slug>`` (new threads) and ``thread:<id>`` (its posts). Every post event carries ``id``,
``thread_id``, ``author``, ``lang`` and ``html``: the post rendered in each interface language (the page takes
the one of its own language). Fragments hold nothing specific to one reader; the page's script adds the
controls a reader may use.

Moderation: nothing is announced about a held or rejected post, or about anything in a thread that is not
visible; a hidden post's fragment is the placeholder every reader sees ("hidden by the moderators: <reason>").
Only the replay of one connection (``since``) draws posts for that reader (see ``sockets``).
"""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.accounts.models import Membership, User
from forum.core.db import on_commit
from forum.core.realtime import NAMESPACE, publish
from forum.extensions import db, socketio
from forum.i18n import LOCALES
from forum.platforms.models import Platform
from forum.threads.models import Post, PostTranslation, Thread


def thread_topic(thread_id: int) -> str:
    """The topic of one thread's posts."""
    return f"thread:{thread_id}"


def platform_topic(slug: str) -> str:
    """The topic of a platform's new threads."""
    return f"platform:{slug}"


def post_options():
    """Loader options that bring everything a post fragment shows in a constant number of queries."""
    return (selectinload(Post.translations).joinedload(PostTranslation.translator),
            selectinload(Post.author).selectinload(User.memberships).selectinload(Membership.organisation))


def post_fragment(post: Post, reveal: bool = False) -> dict[str, str]:
    """The post rendered as on the thread page, once per interface language. ``reveal``: with the text of a
    hidden, held or rejected post (only for one reader allowed to read it, never for a topic)."""
    fragments = {}
    for locale in LOCALES:
        with force_locale(locale):
            fragments[locale] = render_template("threads/_post.html", post=post, reveal=reveal)
    return fragments


def post_payload(post: Post, reveal: bool = False) -> dict:
    """The data of every post event (``reveal``: see :func:`post_fragment`)."""
    author = post.author
    shown = reveal or (post.status == "visible" and not post.is_deleted)  # readers get no figures of a withheld post
    return {
        "id": post.id, "thread_id": post.thread_id, "lang": post.language,
        "author": {"id": author.id, "name": author.display_name, "handle": author.handle} if author else None,
        "created_at": post.created_at.isoformat(), "deleted": post.is_deleted, "status": post.status,
        "support": post.support_count if shown else 0, "thanks": post.thanks_count if shown else 0,
        "html": post_fragment(post, reveal),
    }


def is_public(post: Post) -> bool:
    """Whether the thread's readers may hear of ``post`` at all: it is visible or hidden (a placeholder) in a
    visible thread."""
    return post.status in ("visible", "hidden") and post.thread.status == "visible"


def _fresh_post(post_id: int) -> Post:
    return db.session.scalar(select(Post).where(Post.id == post_id).options(*post_options()))


def post_changed(event: str, post: Post) -> None:
    """Announce ``post.created``, ``post.updated`` or ``post.deleted`` to the thread once committed (nothing for
    a post its readers may not know of)."""
    if not is_public(post):
        return
    post_id = post.id
    publish(thread_topic(post.thread_id), event, lambda: post_payload(_fresh_post(post_id)))


def reactions_changed(post: Post) -> None:
    """Announce the new support and thanks counts of a post."""
    post_id, thread_id = post.id, post.thread_id

    def payload() -> dict:
        fresh = db.session.get(Post, post_id)
        return {"id": post_id, "thread_id": thread_id, "support": fresh.support_count, "thanks": fresh.thanks_count}

    publish(thread_topic(thread_id), "post.reactions", payload)


def thread_payload(thread: Thread) -> dict:
    """The data of a ``thread.created`` event: enough for a thread list to show a new row."""
    items = {}
    for locale in LOCALES:
        with force_locale(locale):
            items[locale] = render_template("threads/_thread_row.html", thread=thread)
    return {"id": thread.id, "platform": thread.platform.slug, "title": thread.title, "kind": thread.kind,
            "lang": thread.language, "author": thread.author.display_name if thread.author else None,
            "html": items}


def thread_created(thread: Thread) -> None:
    """Announce a new thread on its platform's topic once committed (a thread is "new" to its readers when it
    becomes visible: at once, or when its opening post is approved)."""
    if thread.status != "visible":
        return
    thread_id = thread.id
    publish(platform_topic(thread.platform.slug), "thread.created",
            lambda: thread_payload(db.session.get(Thread, thread_id)))


def _end_topic(topic: str) -> None:
    """Tell every subscriber of ``topic`` ``subscription.ended`` and empty it, in every process."""
    socketio.emit("subscription.ended", {"topic": topic, "reason": "access_revoked"}, to=topic, namespace=NAMESPACE)
    socketio.close_room(topic, namespace=NAMESPACE)


def readers_lost_access(thread: Thread) -> None:
    """After the commit, end every live subscription to the thread (it was hidden, or moved where its readers
    may not follow): subscribers are told ``subscription.ended`` and get nothing more from its topic, in every
    process. Those who may still read it (its moderators) subscribe again."""
    topic = thread_topic(thread.id)
    on_commit(lambda: _end_topic(topic))


def platform_closed(platform_id: int) -> None:
    """A public platform became members-only: end every live subscription to it and to its threads (those who
    may still read them subscribe again)."""
    platform = db.session.get(Platform, platform_id)
    _end_topic(platform_topic(platform.slug))
    for thread_id in db.session.scalars(select(Thread.id).where(Thread.platform_id == platform_id)):
        _end_topic(thread_topic(thread_id))
