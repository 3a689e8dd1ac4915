"""Every change to threads and posts: start, reply, edit, delete, react, translate, read and follow.
Services check permissions and input, write and flush; the caller commits once, and live events go out after.
Moderators' decisions on threads and posts are in :mod:`forum.threads.moderating`.

Pre-moderation: a new post waits for a moderator's approval (status ``held``, in the moderation queue) when its
author has fewer than ``FORUM_PREMODERATION_POSTS`` visible posts or the platform is pre-moderated; officials
and moderators are never held (``rules.must_wait_for_review``). A held post changes no count of its thread and
is announced to nobody until it is approved.
"""

from __future__ import annotations

import re

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import case, func, select, update

from forum.accounts.models import User
from forum.accounts.rules import not_suspended
from forum.core.db import utcnow
from forum.core.errors import ActionRefused
from forum.core.text import Rendered, render
from forum.extensions import db
from forum.i18n import LOCALES
from forum.moderation import queue as moderation_queue
from forum.notifications import services as notifications
from forum.platforms import rules as platform_rules
from forum.platforms.models import Platform
from forum.threads import live, queries, rules
from forum.threads.choices import KINDS, REACTIONS
from forum.threads.models import Post, PostRevision, PostTranslation, Reaction, Tag, Thread, ThreadReader

TITLE_MIN, TITLE_MAX = 5, 200
BODY_MAX = 20_000
TAG = re.compile(r"^[a-z0-9áéíóúñü]+(?:-[a-z0-9áéíóúñü]+)*$")
MAX_TAGS, TAG_MAX = 5, 40
MAX_MENTIONS = 20


def _not_found() -> ActionRefused:
    return ActionRefused(_("Not found."), status=404, code="not_found")


def _forbidden(message: str) -> ActionRefused:
    return ActionRefused(message, status=403, code="forbidden")


def mention_link(handle: str) -> str | None:
    """The profile address an @mention of ``handle`` links to, or None when no such person may be mentioned."""
    user_id = db.session.scalar(select(User.id).where(User.handle == handle, not_suspended()))
    return url_for("accounts.profile", user_id=user_id) if user_id else None


def render_body(body: str) -> Rendered:
    """Check a post's Markdown and render it (mentions of existing people become links)."""
    body = (body or "").strip()
    if not body:
        raise ActionRefused(_("Please write something before sending."), field="body")
    if len(body) > BODY_MAX:
        raise ActionRefused(_("A post can have at most %(max)d characters; this one has %(length)d.",
                              max=BODY_MAX, length=len(body)), status=413 if len(body) > 4 * BODY_MAX else 400,
                            field="body")
    mentions: list[str] = []

    def resolve(handle: str) -> str | None:
        if len(mentions) >= MAX_MENTIONS:
            return None
        url = mention_link(handle)
        if url:
            mentions.append(handle)
        return url

    return render(body, resolve)


def _check_language(language: str | None, author: User) -> str:
    language = language or author.locale
    if language not in LOCALES:
        raise ActionRefused(_("Please choose one of the options offered."), field="language")
    return language


def _check_title(title: str) -> str:
    title = " ".join((title or "").split())
    if len(title) < TITLE_MIN:
        raise ActionRefused(_("Please give a title of at least %(min)d characters.", min=TITLE_MIN), field="title")
    if len(title) > TITLE_MAX:
        raise ActionRefused(_("A title can have at most %(max)d characters.", max=TITLE_MAX), field="title")
    return title


def parse_tags(text: str | list[str] | None) -> list[str]:
    """Normalise tags given as "a, b" or a list: lower-case, hyphens for spaces, at most five, no repeats."""
    items = text if isinstance(text, list) else (text or "").split(",")
    tags: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise ActionRefused(_("Tags must be text."), field="tags")
        tag = "-".join(item.strip().lower().lstrip("#").split())
        if not tag:
            continue
        if len(tag) > TAG_MAX or not TAG.match(tag):
            raise ActionRefused(_("A tag uses letters, digits and hyphens (up to %(max)d): %(tag)s",
                                  max=TAG_MAX, tag=tag[:TAG_MAX]), field="tags")
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ActionRefused(ngettext("At most %(num)d tag.", "At most %(num)d tags.", MAX_TAGS), field="tags")
    return tags


def _tags(names: list[str]) -> list[Tag]:
    existing = {t.name: t for t in db.session.scalars(select(Tag).where(Tag.name.in_(names)))} if names else {}
    tags = []
    for name in names:
        tag = existing.get(name) or Tag(name=name)
        db.session.add(tag)
        tags.append(tag)
    return tags


def _published_posts(author: User, enough: int) -> int:
    """How many visible posts ``author`` has, counting no further than ``enough``."""
    mine = (select(Post.id).where(Post.author_id == author.id, Post.status == "visible", Post.deleted_at.is_(None))
            .limit(enough).subquery())
    return db.session.scalar(select(func.count()).select_from(mine))


def _must_wait(author: User, platform: Platform) -> bool:
    threshold = current_app.config.get("FORUM_PREMODERATION_POSTS", 0) or 0
    return rules.must_wait_for_review(author, platform, threshold=threshold,
                                      published=lambda: _published_posts(author, threshold))


def _hold(post: Post) -> None:
    """Put a held post in the moderation queue (until approved, only its author and the moderators see it)."""
    moderation_queue.open_item(queries.describe_post(post), "held")


def start_thread(author: User, platform: Platform, *, title: str, body: str, kind: str = "discussion",
                 language: str | None = None, tags: str | list[str] | None = None, review: bool = True) -> Thread:
    """Open a thread with its first post; followers of the platform see it appear live. When the opening post
    must wait for review, the whole thread is ``held`` until a moderator approves the post. ``review=False``
    skips pre-moderation: only for trusted batch writers such as the demo data, never for pages or the API."""
    if not platform_rules.can_read(author, platform):
        raise _not_found()
    if kind not in KINDS:
        raise ActionRefused(_("Please choose one of the options offered."), field="kind")
    if not rules.can_start_thread(author, platform, kind):
        if kind == "announcement" and rules.can_start_thread(author, platform):
            raise _forbidden(_("Only officials and moderators publish announcements."))
        raise _forbidden(_("Join this platform to start a thread."))
    title = _check_title(title)
    tag_names = parse_tags(tags)
    language = _check_language(language, author)
    rendered = render_body(body)
    held = review and _must_wait(author, platform)
    thread = Thread(platform=platform, author=author, title=title, kind=kind, language=language,
                    tags=_tags(tag_names), status="held" if held else "visible")
    db.session.add(thread)
    post = Post(thread=thread, author=author, language=language, body_source=body.strip(), body_html=rendered.html,
                status=thread.status)
    db.session.add(post)
    db.session.flush()
    thread.last_post_id = post.id
    thread.last_activity_at = post.created_at
    _reader(author, thread).following = True
    _mark_read(author, thread, post.id)
    if held:
        _hold(post)
    else:
        announce(post, opens_thread=True, mentions=rendered.mentions)
    live.thread_created(thread)
    return thread


def reply(author: User, thread: Thread, *, body: str, language: str | None = None,
          reply_to: Post | None = None, review: bool = True) -> Post:
    """Add a post to a thread (optionally answering or quoting ``reply_to``) and announce it live; or, when it
    must wait for review, keep it for the moderators (``review=False``: see :func:`start_thread`)."""
    if not rules.can_read_thread(author, thread):
        raise _not_found()
    if not rules.can_reply(author, thread):
        if thread.is_locked:
            raise _forbidden(_("This thread is locked: no new replies."))
        raise _forbidden(_("Join this platform to reply."))
    if reply_to is not None and reply_to.thread_id != thread.id:
        raise ActionRefused(_("You can only answer a post of the same thread."), field="reply_to")
    language = _check_language(language, author)
    rendered = render_body(body)
    held = review and _must_wait(author, thread.platform)
    post = Post(thread=thread, author=author, language=language, body_source=body.strip(),
                body_html=rendered.html, reply_to_id=reply_to.id if reply_to else None,
                status="held" if held else "visible")
    db.session.add(post)
    db.session.flush()
    if held:
        _hold(post)
    else:
        db.session.execute(update(Thread).where(Thread.id == thread.id).values(
            reply_count=Thread.reply_count + 1, last_activity_at=post.created_at,
            last_post_id=case((func.coalesce(Thread.last_post_id, 0) < post.id, post.id),
                              else_=Thread.last_post_id)))
        db.session.refresh(thread)
    _reader(author, thread).following = True
    _mark_read(author, thread, post.id)
    if not held:
        announce(post, mentions=rendered.mentions)
    live.post_changed("post.created", post)
    return post


def announce(post: Post, *, opens_thread: bool = False, mentions: list[str] | None = None) -> None:
    """Notify people of a post that has just become visible (when written, or when a moderator approves it):
    the author of the post it answers (``reply``), the people it @mentions (``mention``, the handles found when
    rendering; read again from the text when None) and the thread's followers (``thread_post``); for the opening
    post of a thread (``opens_thread``), the platform's followers instead (``platform_thread``, about the thread).
    Each person is told once, by that order of priority, never the author; who may not read it is not told."""
    if post.status != "visible" or post.thread.status != "visible":
        return
    thread, author = post.thread, post.author
    told = {post.author_id}

    def tell(people, kind: str, subject_type: str = "post", subject_id: int = post.id) -> None:
        fresh = [person for person in people if person.id not in told]
        told.update(person.id for person in fresh)
        notifications.notify(fresh, kind, subject_type=subject_type, subject_id=subject_id, actor=author)

    if post.reply_to_id is not None:
        answered = db.session.get(Post, post.reply_to_id)
        tell([answered.author] if answered is not None and answered.author is not None else [], "reply")
    handles = render_body(post.body_source).mentions if mentions is None else mentions
    if handles:
        tell(db.session.scalars(select(User).where(User.handle.in_(handles), not_suspended())),
             "mention")
    if opens_thread:
        tell(notifications.followers("platform", thread.platform_id), "platform_thread", "thread", thread.id)
    else:
        tell(db.session.scalars(select(User).join(ThreadReader, ThreadReader.user_id == User.id).where(
            ThreadReader.thread_id == thread.id, ThreadReader.following.is_(True))), "thread_post")


def _remember(post: Post, *, translation: PostTranslation | None, actor: User) -> None:
    source = translation or post
    db.session.add(PostRevision(
        post_id=post.id, language=source.language, is_translation=translation is not None,
        body_source=source.body_source, editor_id=translation.translator_id if translation else post.author_id,
        written_at=(translation.updated_at if translation else post.edited_at or post.created_at),
        replaced_by_id=actor.id))


def edit_post(actor: User, post: Post, *, body: str, language: str | None = None) -> None:
    """Change a post's text; the old text goes to its history and its translations become outdated."""
    if not rules.can_read_thread(actor, post.thread):
        raise _not_found()
    if not rules.can_edit_post(actor, post):
        raise _forbidden(_("You cannot edit this post."))
    rendered = render_body(body)
    new_language = _check_language(language or post.language, actor)
    if body.strip() == post.body_source and new_language == post.language:
        return
    _remember(post, translation=None, actor=actor)
    post.body_source, post.body_html, post.language = body.strip(), rendered.html, new_language
    post.edited_at = utcnow()
    post.revision += 1
    for translation in list(post.translations):
        if translation.language == new_language:  # the author now writes in what was the translation's language
            db.session.delete(translation)
    if _is_opening(post):
        post.thread.language = new_language
    db.session.flush()
    live.post_changed("post.updated", post)


def _is_opening(post: Post) -> bool:
    return db.session.scalar(select(func.min(Post.id)).where(Post.thread_id == post.thread_id)) == post.id


def delete_post(actor: User, post: Post) -> None:
    """Soft-delete a post: readers see that it was deleted (and by whom: author or moderators)."""
    if not rules.can_read_thread(actor, post.thread):
        raise _not_found()
    if not rules.can_delete_post(actor, post):
        raise _forbidden(_("You cannot delete this post."))
    counted = post.status == "visible" and not _is_opening(post)
    post.deleted_at = utcnow()
    post.deleted_by_id = actor.id
    if counted:
        post.thread.reply_count = max(0, post.thread.reply_count - 1)
    if post.status == "held" and actor.id == post.author_id:
        moderation_queue.withdraw("post", post.id)
    db.session.flush()
    live.post_changed("post.deleted", post)


def toggle_reaction(user: User, post: Post, kind: str) -> bool:
    """Add ``kind`` (support or thanks) to a post, or take it back; returns True when it is now given."""
    if not rules.can_read_thread(user, post.thread):
        raise _not_found()
    if kind not in REACTIONS:
        raise ActionRefused(_("Please choose one of the options offered."), field="kind")
    if not rules.can_react(user, post):
        raise _forbidden(_("You cannot react to this post."))
    column = Post.support_count if kind == "support" else Post.thanks_count
    existing = db.session.scalar(select(Reaction).where(
        Reaction.post_id == post.id, Reaction.user_id == user.id, Reaction.kind == kind))
    if existing is None:
        db.session.add(Reaction(post_id=post.id, user_id=user.id, kind=kind))
        change = 1
    else:
        db.session.delete(existing)
        change = -1
    db.session.flush()
    db.session.execute(update(Post).where(Post.id == post.id).values({column: column + change}))
    db.session.refresh(post)
    live.reactions_changed(post)
    return change > 0


def translate(translator: User, post: Post, *, body: str) -> PostTranslation:
    """Write (or rewrite) the translation of a post into the other language; earlier versions are kept."""
    if not rules.can_read_thread(translator, post.thread):
        raise _not_found()
    if not rules.can_translate(translator, post):
        raise _forbidden(_("You cannot translate this post."))
    rendered = render_body(body)
    language = "en" if post.language == "es" else "es"
    provenance = rules.translation_provenance(translator, post)
    translation = next((t for t in post.translations if t.language == language), None)
    if translation is not None and translation.body_source == body.strip() and not translation.is_outdated:
        return translation
    if translation is None:
        translation = PostTranslation(post=post, language=language, created_at=utcnow())
    else:
        _remember(post, translation=translation, actor=translator)
    translation.body_source, translation.body_html = body.strip(), rendered.html
    translation.translator_id, translation.provenance = translator.id, provenance
    translation.source_revision = post.revision
    translation.updated_at = utcnow()
    db.session.add(translation)
    db.session.flush()
    live.post_changed("post.updated", post)
    return translation


def _reader(user: User, thread: Thread) -> ThreadReader:
    reader = db.session.scalar(select(ThreadReader).where(
        ThreadReader.thread_id == thread.id, ThreadReader.user_id == user.id))
    if reader is None:
        reader = ThreadReader(thread_id=thread.id, user_id=user.id, last_read_post_id=0, following=False)
        db.session.add(reader)
    return reader


def _mark_read(user: User, thread: Thread, post_id: int) -> None:
    reader = _reader(user, thread)
    if post_id > (reader.last_read_post_id or 0):
        reader.last_read_post_id = post_id
        reader.updated_at = utcnow()


def mark_read(user: User, thread: Thread, post_id: int) -> None:
    """Remember that ``user`` has seen the thread up to ``post_id`` (never moves backwards)."""
    if not rules.can_read_thread(user, thread):
        raise _not_found()
    _mark_read(user, thread, min(post_id, thread.last_post_id or 0))
    db.session.flush()


def set_following(user: User, thread: Thread, following: bool) -> None:
    """Follow a thread (to be notified of replies) or stop following it."""
    if not rules.can_read_thread(user, thread):
        raise _not_found()
    _reader(user, thread).following = following
    db.session.flush()


def last_seen(user: User, thread: Thread) -> tuple[int, bool]:
    """(last read post id, following) of ``user`` on ``thread``; (0, False) for visitors and newcomers."""
    if not getattr(user, "is_authenticated", False):
        return 0, False
    row = db.session.execute(select(ThreadReader.last_read_post_id, ThreadReader.following).where(
        ThreadReader.thread_id == thread.id, ThreadReader.user_id == user.id)).first()
    return (row[0], row[1]) if row else (0, False)

