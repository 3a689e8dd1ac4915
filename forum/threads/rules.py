"""Who may read, start, reply to, edit, delete, react to and translate threads and posts. The only place these
questions are answered; platform membership questions are asked of ``forum.platforms.rules``.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select

from forum.accounts.models import User
from forum.accounts.rules import is_official, official_organisations
from forum.core.permissions import is_signed_in
from forum.platforms import rules as platform_rules
from forum.platforms.models import Platform
from forum.threads.models import Post, Thread


def can_read_thread(user: User | None, thread: Thread) -> bool:
    """A thread is readable by whoever may read its platform."""
    return platform_rules.can_read(user, thread.platform)


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
    """Members reply to open threads; only moderators write in a locked one."""
    if not platform_rules.can_post(user, thread.platform):
        return False
    return not thread.is_locked or platform_rules.is_moderator_of(user, thread.platform)


def can_edit_post(user: User | None, post: Post) -> bool:
    """Authors edit their own posts while they may still write there; moderators edit any post (noted)."""
    if not is_signed_in(user) or post.is_deleted:
        return False
    if platform_rules.is_moderator_of(user, post.thread.platform):
        return True
    return post.author_id == user.id and can_reply(user, post.thread)


def can_delete_post(user: User | None, post: Post) -> bool:
    """Authors delete their own posts; moderators any."""
    if not is_signed_in(user) or post.is_deleted:
        return False
    return post.author_id == user.id or platform_rules.is_moderator_of(user, post.thread.platform)


def can_see_history(user: User | None, post: Post) -> bool:
    """Earlier versions of a post are for the platform's moderators."""
    return platform_rules.is_moderator_of(user, post.thread.platform)


def can_react(user: User | None, post: Post) -> bool:
    """Members who may write on the platform show support or thanks, not on their own posts."""
    return (not post.is_deleted and platform_rules.can_post(user, post.thread.platform)
            and post.author_id != user.id)


def can_translate(user: User | None, post: Post) -> bool:
    """The author, the platform's translators and moderators, and officials of the author's organisation."""
    if not is_signed_in(user) or post.is_deleted or post.thread.platform.is_archived:
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
    """Lock, pin and see the edit history: the platform's moderators."""
    return platform_rules.is_moderator_of(user, thread.platform)


def readable_threads(user: User | None) -> ColumnElement[bool]:
    """A SQL condition on :class:`Thread`: threads on platforms ``user`` may read."""
    return Thread.platform_id.in_(select(Platform.id).where(platform_rules.readable_platforms(user)))
