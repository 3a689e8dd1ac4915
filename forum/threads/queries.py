"""Reading threads and posts: lists with their sorting and filters, pages of posts, and single objects as a
given person may see them (None for what does not exist or is not theirs to see)."""

from __future__ import annotations

from flask import url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from forum.accounts.models import User
from forum.extensions import db
from forum.i18n import LOCALES
from forum.moderation.targets import Described
from forum.platforms.models import Platform
from forum.threads import rules
from forum.threads.choices import KINDS, SORTS
from forum.threads.live import post_options
from forum.threads.models import Post, PostTranslation, Tag, Thread, thread_tags

POSTS_PER_PAGE = 20
THREADS_PER_PAGE = 20


def thread_list(user: User | None, platform: Platform | None = None, *, sort: str = "activity",
                kind: str | None = None, tag: str | None = None, language: str | None = None,
                unanswered: bool = False) -> Select:
    """Threads ``user`` may read (of one platform, or all), pinned first, with the filters applied; unknown
    filter values are ignored."""
    query = select(Thread).where(rules.readable_threads(user)).options(
        joinedload(Thread.author), joinedload(Thread.platform), selectinload(Thread.tags))
    if platform is not None:
        query = query.where(Thread.platform_id == platform.id)
    if kind in KINDS:
        query = query.where(Thread.kind == kind)
    if language in LOCALES:
        query = query.where(Thread.language == language)
    if tag:
        query = query.where(Thread.id.in_(
            select(thread_tags.c.thread_id).join(Tag, Tag.id == thread_tags.c.tag_id).where(Tag.name == tag)))
    if unanswered:
        query = query.where(Thread.reply_count == 0)
    order = {"newest": Thread.created_at.desc(), "replies": Thread.reply_count.desc()}.get(
        sort if sort in SORTS else "activity", Thread.last_activity_at.desc())
    return query.order_by(Thread.is_pinned.desc(), order, Thread.id.desc())


def visible_thread(user: User | None, thread_id: int) -> Thread | None:
    """The thread, if it exists and ``user`` may read it."""
    thread = db.session.get(Thread, thread_id, options=[joinedload(Thread.platform)])
    return thread if thread is not None and rules.can_read_thread(user, thread) else None


def visible_post(user: User | None, post_id: int) -> Post | None:
    """The post, if it exists and has a place for ``user`` in a thread they may read."""
    post = db.session.get(Post, post_id, options=[joinedload(Post.thread).joinedload(Thread.platform)])
    return post if post is not None and rules.can_see_post(user, post) else None


def posts_page(user: User | None, thread: Thread, page: int, per_page: int = POSTS_PER_PAGE) -> Pagination:
    """One page of the thread's posts that have a place for ``user``, oldest first, with authors and
    translations loaded (constant queries)."""
    query = (select(Post).where(Post.thread_id == thread.id, rules.visible_posts(user, thread))
             .options(*post_options()).order_by(Post.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=100)


def opening_post(thread: Thread) -> Post:
    """The post that opened ``thread``."""
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id).order_by(Post.id).limit(1))


def page_of_post(user: User | None, thread: Thread, post_id: int, per_page: int = POSTS_PER_PAGE) -> int:
    """The page of the thread, as ``user`` sees it, on which post ``post_id`` (or the first after it) stands."""
    before = db.session.scalar(select(func.count(Post.id)).where(
        Post.thread_id == thread.id, Post.id < post_id, rules.visible_posts(user, thread)))
    return before // per_page + 1


def first_unread(user: User | None, thread: Thread, last_read: int) -> int | None:
    """The id of the first post after ``last_read`` that has a place for ``user``, if any."""
    return db.session.scalar(select(Post.id).where(Post.thread_id == thread.id, Post.id > last_read,
                                                   rules.visible_posts(user, thread)).order_by(Post.id).limit(1))


def posts_since(user: User | None, thread: Thread, since: int, limit: int = 500) -> list[Post]:
    """The thread's posts after id ``since`` that have a place for ``user``, oldest first (what a reconnecting
    page missed)."""
    return list(db.session.scalars(select(Post).where(Post.thread_id == thread.id, Post.id > since,
                                                      rules.visible_posts(user, thread))
                                   .options(*post_options()).order_by(Post.id).limit(limit)))


def awaiting_translation(user: User | None, platform: Platform) -> Select:
    """Posts of ``platform`` with no translation yet, oldest first (the translators' work list)."""
    translated = select(PostTranslation.post_id)
    return (select(Post).join(Thread, Thread.id == Post.thread_id)
            .where(Thread.platform_id == platform.id, Post.deleted_at.is_(None), Post.id.not_in(translated),
                   Post.status == "visible", Thread.status == "visible", rules.readable_threads(user))
            .options(joinedload(Post.thread), joinedload(Post.author)).order_by(Post.id))


def tags_in_use(platform: Platform | None = None, limit: int = 30) -> list[str]:
    """The most used tags of visible threads (of one platform, or everywhere), for the filter."""
    query = (select(Tag.name, func.count()).join(thread_tags, thread_tags.c.tag_id == Tag.id)
             .join(Thread, Thread.id == thread_tags.c.thread_id).where(Thread.status == "visible"))
    if platform is not None:
        query = query.where(Thread.platform_id == platform.id)
    rows = db.session.execute(query.group_by(Tag.name).order_by(func.count().desc(), Tag.name).limit(limit))
    return [name for name, _count in rows]


# --- what moderation knows of threads and posts --------------------------------------------------------------

def _address(thread_id: int, page: int, anchor: str | None) -> str:
    try:
        return url_for("threads.show", thread_id=thread_id, page=page if page > 1 else None, _anchor=anchor)
    except RuntimeError:  # no request (command line): the address is fixed all the same
        return f"/t/{thread_id}" + (f"?page={page}" if page > 1 else "") + (f"#{anchor}" if anchor else "")


def describe_post(post: Post) -> Described:
    """A post as moderation shows and records it: its thread's title, its text and where moderators read it
    (they see every post of the thread, so its page is counted among all of them)."""
    thread = post.thread
    before = db.session.scalar(select(func.count(Post.id)).where(Post.thread_id == thread.id, Post.id < post.id))
    return Described(type="post", id=post.id, platform=thread.platform, language=post.language, author=post.author,
                     title=thread.title, text=post.body_source,
                     url=_address(thread.id, before // POSTS_PER_PAGE + 1, f"post-{post.id}"),
                     status="deleted" if post.is_deleted else post.status)


def describe_thread(thread: Thread) -> Described:
    """A thread as moderation shows and records it: its title and the text of its opening post."""
    opening = opening_post(thread)
    return Described(type="thread", id=thread.id, platform=thread.platform, language=thread.language,
                     author=thread.author, title=thread.title, text=opening.body_source if opening else "",
                     url=_address(thread.id, 1, None), status=thread.status)
