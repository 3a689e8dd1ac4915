"""Who may read, start, reply to, edit, delete, react to, translate and moderate threads and posts, and what of a
post each person sees. The only place these questions are answered; platform membership questions are asked of
``forum.platforms.rules``.

What moderation changes (see ``choices.STATUSES``):

- a **visible** thread or post is for whoever may read its platform;
- a **hidden** post keeps its place: readers see "hidden by the moderators" and the reason, without its text,
  translation or reactions;
- a **held** post (awaiting review) exists only for its author and the platform's moderators;
- a **rejected** post exists only for its author ("not approved") and the platform's moderators;
- a hidden, held or rejected **thread** exists only for the platform's moderators, and a held one for its author;
- the platform's moderators read everything on it (marked with what moderation made of it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, true

from forum.accounts.models import User
from forum.accounts.rules import is_official, official_organisations
from forum.core.permissions import is_global_moderator, is_signed_in
from forum.platforms import rules as platform_rules
from forum.platforms.models import Platform
from forum.threads.models import Post, Thread

#: post statuses whose place in the thread everyone sees (a hidden post as a placeholder)
SHOWN = ("visible", "hidden")


def _is_author(user: User | None, item: Post | Thread) -> bool:
    return is_signed_in(user) and item.author_id is not None and item.author_id == user.id


def can_read_thread(user: User | None, thread: Thread) -> bool:
    """A visible thread is readable by whoever may read its platform; a hidden, held or rejected one only by the
    platform's moderators, and a held one by its author too."""
    if not platform_rules.can_read(user, thread.platform):
        return False
    if thread.status == "visible" or platform_rules.is_moderator_of(user, thread.platform):
        return True
    return thread.status == "held" and _is_author(user, thread)


def can_see_post(user: User | None, post: Post) -> bool:
    """Whether the post has a place in its thread for ``user`` (its text may still be withheld, see
    :func:`can_read_post_text`). Flagging and every 404 follow this."""
    if not can_read_thread(user, post.thread):
        return False
    if post.status in SHOWN or platform_rules.is_moderator_of(user, post.thread.platform):
        return True
    return _is_author(user, post)


def can_read_post_text(user: User | None, post: Post) -> bool:
    """Whether ``user``, who sees the post, also reads its text: everyone a visible post's; the platform's
    moderators every post's; the author a held or rejected post's (not a hidden one's: like every reader, they
    see why it was hidden)."""
    if post.status == "visible" or platform_rules.is_moderator_of(user, post.thread.platform):
        return True
    return post.status in ("held", "rejected") and _is_author(user, post)


def visible_posts(user: User | None, thread: Thread) -> ColumnElement[bool]:
    """A SQL condition on :class:`Post`: the posts of ``thread`` that have a place for ``user`` (as
    :func:`can_see_post`, for a thread ``user`` may read)."""
    shown = Post.status.in_(SHOWN)
    if not is_signed_in(user):
        return shown
    if platform_rules.is_moderator_of(user, thread.platform):
        return true()
    return or_(shown, Post.author_id == user.id)


def can_start_thread(user: User | None, platform: Platform, kind: str = "discussion") -> bool:
    """Members start discussions and questions; announcements are for officials and the platform's moderators."""
    if not platform_rules.can_post(user, platform):
        return False
    if kind == "announcement":
        return is_official(user) or platform_rules.is_moderator_of(user, platform)
    return True


def may_announce(user: User | None, platform: Platform) -> bool:
    """Whether the announcement kind is offered to ``user`` on ``platform``."""
    return can_start_thread(user, platform, "announcement")


def can_reply(user: User | None, thread: Thread) -> bool:
    """Members reply to open, visible threads; the platform's moderators write in locked or hidden ones too."""
    if not platform_rules.can_post(user, thread.platform):
        return False
    if platform_rules.is_moderator_of(user, thread.platform):
        return True
    return thread.status == "visible" and not thread.is_locked


def can_edit_post(user: User | None, post: Post) -> bool:
    """Authors edit their own visible or held posts while they may write there; moderators edit any post
    (noted)."""
    if not is_signed_in(user) or post.is_deleted:
        return False
    if platform_rules.is_moderator_of(user, post.thread.platform):
        return True
    return (post.author_id == user.id and post.status in ("visible", "held")
            and platform_rules.can_post(user, post.thread.platform) and not post.thread.is_locked)


def can_delete_post(user: User | None, post: Post) -> bool:
    """Authors delete their own posts (whatever moderation made of them); moderators any."""
    if not is_signed_in(user) or post.is_deleted:
        return False
    return post.author_id == user.id or platform_rules.is_moderator_of(user, post.thread.platform)


def can_see_history(user: User | None, post: Post) -> bool:
    """Earlier versions of a post are for the platform's moderators."""
    return platform_rules.is_moderator_of(user, post.thread.platform)


def can_react(user: User | None, post: Post) -> bool:
    """Members who may write on the platform show support or thanks on visible posts, not on their own."""
    return (not post.is_deleted and post.status == "visible" and platform_rules.can_post(user, post.thread.platform)
            and post.author_id != user.id)


def can_translate(user: User | None, post: Post) -> bool:
    """The author, the platform's translators and moderators, and officials of the author's organisation, while
    the post is visible."""
    if not is_signed_in(user) or post.is_deleted or post.status != "visible" or post.thread.platform.is_archived:
        return False
    if post.author_id == user.id or platform_rules.can_translate_on(user, post.thread.platform):
        return True
    return translation_provenance(user, post) == "official"


def translation_provenance(translator: User, post: Post) -> str:
    """How a translation by ``translator`` is labelled: by the author, an official translation (an official of
    the author's organisation), by a moderator, or by a community translator."""
    if post.author_id == translator.id:
        return "author"
    if post.author is not None:
        author_organisations = {m.organisation_id for m in post.author.memberships if m.status == "approved"}
        if any(o.id in author_organisations for o in official_organisations(translator)):
            return "official"
    if platform_rules.is_moderator_of(translator, post.thread.platform):
        return "moderator"
    return "community"


def can_moderate_thread(user: User | None, thread: Thread) -> bool:
    """Moderate the thread and its posts, see edit histories and hidden text: the platform's moderators."""
    return platform_rules.is_moderator_of(user, thread.platform)


def can_decide(user: User | None, thread: Thread, decision: str) -> bool:
    """Whether ``user`` may take ``decision`` (a key of ``forum.moderation.choices.DECISIONS``) on ``thread`` or
    one of its posts: the platform's moderators take every decision; the system (``user`` None, after enough
    flags) may only hide."""
    if user is None:
        return decision == "hide"
    return platform_rules.is_moderator_of(user, thread.platform)


def can_move_to(user: User | None, platform: Platform) -> bool:
    """A thread is moved only to a platform its moderator also moderates (and that takes new threads)."""
    return not platform.is_archived and platform_rules.is_moderator_of(user, platform)


def may_flag(user: User | None, item: Post | Thread) -> bool:
    """Whether a "Flag" link is offered: to signed-in readers, on what is visible and not their own."""
    if not is_signed_in(user) or _is_author(user, item) or item.status != "visible":
        return False
    return not getattr(item, "is_deleted", False)


def publishes_without_review(user: User, platform: Platform) -> bool:
    """Officials, the platform's moderators, global moderators and administrators are never pre-moderated."""
    return platform_rules.is_moderator_of(user, platform) or is_official(user)


def must_wait_for_review(user: User, platform: Platform, *, threshold: int,
                         published: Callable[[], int]) -> bool:
    """Whether a new post by ``user`` on ``platform`` waits for a moderator's approval: every post on a
    pre-moderated platform, and the first ``threshold`` posts of a new account (``published()`` counts its
    visible posts), except for those who publish without review."""
    if publishes_without_review(user, platform):
        return False
    if platform.premoderated:
        return True
    return threshold > 0 and published() < threshold


def readable_threads(user: User | None) -> ColumnElement[bool]:
    """A SQL condition on :class:`Thread`: threads ``user`` may read (as :func:`can_read_thread`)."""
    on_readable_platform = Thread.platform_id.in_(select(Platform.id).where(platform_rules.readable_platforms(user)))
    return and_(on_readable_platform, _listed_statuses(user))


def _listed_statuses(user: User | None) -> ColumnElement[bool]:
    if is_global_moderator(user):
        return true()
    conditions: list[Any] = [Thread.status == "visible"]
    moderated = platform_rules.access(user).moderates
    if moderated:
        conditions.append(Thread.platform_id.in_(moderated))
    if is_signed_in(user):
        conditions.append(and_(Thread.status == "held", Thread.author_id == user.id))
    return or_(*conditions)


def findable_threads(user: User | None) -> ColumnElement[bool]:
    """A SQL condition on :class:`Thread`: the threads ``user`` may find by searching: visible ones they may
    read. What awaits review, was hidden or rejected is never searched, not even by those who may read it
    (moderators find it in their queue)."""
    return and_(readable_threads(user), Thread.status == "visible")


def findable_posts(user: User | None) -> ColumnElement[bool]:
    """A SQL condition on :class:`Post` joined to its :class:`Thread`: the posts ``user`` may find by
    searching: visible and not deleted, in a thread they may find (:func:`findable_threads`)."""
    return and_(findable_threads(user), Post.status == "visible", Post.deleted_at.is_(None))
