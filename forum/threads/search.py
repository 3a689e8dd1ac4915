"""Threads and posts in search: a thread is found by its title, each post (the opening one too) by its text and
translations, each entry on its own, so that hiding a post takes its words out of search whatever happens to
its thread; who finds them is :func:`forum.threads.rules.findable_threads` and
:func:`~forum.threads.rules.findable_posts`."""

from __future__ import annotations

from collections.abc import Sequence

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from forum.accounts.models import User
from forum.core.text import plain_text
from forum.extensions import db
from forum.i18n import localized
from forum.platforms.models import Platform
from forum.search.kinds import Described, Entry, Kind, Watch, register
from forum.threads import rules
from forum.threads.models import Post, PostTranslation, Thread


def _texts(post: Post | None) -> dict[str, str]:
    """The post's text in its language and in its translation's, as ``body_es``/``body_en``."""
    if post is None or post.is_deleted:
        return {}
    texts = {f"body_{post.language}": plain_text(post.body_html)}
    for translation in post.translations:
        texts.setdefault(f"body_{translation.language}", plain_text(translation.body_html))
    return texts


def thread_entries(ids: Sequence[int]) -> list[Entry]:
    """Threads as found: by their title (in the thread's language)."""
    threads = db.session.scalars(select(Thread).where(Thread.id.in_(ids))).all()
    return [Entry(kind="thread", object_id=thread.id, dated_at=thread.created_at,
                  **{f"title_{thread.language}": thread.title}) for thread in threads]


def post_entries(ids: Sequence[int]) -> list[Entry]:
    """Posts as found: by their text in their language and in their translations'."""
    posts = db.session.scalars(select(Post).where(Post.id.in_(ids), Post.deleted_at.is_(None))
                               .options(selectinload(Post.translations))).all()
    return [Entry(kind="post", object_id=post.id, dated_at=post.created_at, **_texts(post)) for post in posts]


def findable_threads(user: User | None, platform: Platform | None) -> Select:
    """Ids of the threads ``user`` may find (on ``platform``)."""
    query = select(Thread.id).where(rules.findable_threads(user))
    return query.where(Thread.platform_id == platform.id) if platform is not None else query


def findable_posts(user: User | None, platform: Platform | None) -> Select:
    """Ids of the posts ``user`` may find (on ``platform``)."""
    query = select(Post.id).join(Thread, Thread.id == Post.thread_id).where(rules.findable_posts(user))
    return query.where(Thread.platform_id == platform.id) if platform is not None else query


def describe_threads(ids: Sequence[int]) -> dict[int, Described]:
    """Threads as results: their title, on their platform."""
    threads = db.session.scalars(select(Thread).where(Thread.id.in_(ids)).options(joinedload(Thread.platform)))
    return {thread.id: Described(title=thread.title, language=thread.language,
                                 url=url_for("threads.show", thread_id=thread.id),
                                 context=localized(thread.platform, "name")[0], when=thread.created_at)
            for thread in threads}


def describe_posts(ids: Sequence[int]) -> dict[int, Described]:
    """Replies as results: the thread they answer, on its platform."""
    posts = db.session.scalars(select(Post).where(Post.id.in_(ids))
                               .options(joinedload(Post.thread).joinedload(Thread.platform)))
    return {post.id: Described(title=post.thread.title, language=post.thread.language,
                               url=url_for("threads.permalink", post_id=post.id),
                               context=localized(post.thread.platform, "name")[0], when=post.created_at)
            for post in posts}


register(Kind(
    name="thread", label=_l("Threads"), one=_l("Thread"), entries=thread_entries, every_id=lambda: select(Thread.id),
    findable=findable_threads, describe=describe_threads,
    watches=(Watch(Thread, ("title", "language"), lambda thread: [("thread", thread.id)]),)))
register(Kind(
    name="post", label=_l("Posts"), one=_l("Post"), entries=post_entries, every_id=lambda: select(Post.id),
    findable=findable_posts, describe=describe_posts,
    watches=(Watch(Post, ("body_html", "language", "deleted_at"), lambda post: [("post", post.id)]),
             Watch(PostTranslation, ("body_html",), lambda translation: [("post", translation.post_id)]))))
