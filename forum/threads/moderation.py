"""How moderation reaches threads and posts: the ``post`` and ``thread`` target kinds, registered with
``forum.moderation.targets`` when this module is imported (by ``forum.threads``).

Decisions and what they do (the services are in :mod:`forum.threads.moderating`):

- post: ``hide`` (readers see the placeholder with the reason), ``restore``, ``delete`` (soft), ``edit``
  (param ``body``; returns the text before and after), ``approve`` / ``reject`` (held posts), ``dismiss``;
- thread: ``hide``, ``restore``, ``lock``, ``unlock``, ``pin``, ``unpin``, ``move`` (param ``platform``: the
  target's slug), ``dismiss``.

``dismiss`` leaves the content as it is, with one exception: an item that is hidden only because enough people
flagged it (the last hide in the moderation log was the system's, ``moderator`` None, or no hide was logged) is
restored, since the moderator has just judged the flags unfounded. An item a moderator hid stays hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.core.errors import ActionRefused
from forum.extensions import db
from forum.moderation.log import hidden_by_the_system
from forum.moderation.targets import Described, register
from forum.threads import moderating, queries, rules
from forum.threads.models import Post, Thread

POST_DECISIONS = ("hide", "restore", "delete", "edit", "approve", "reject", "dismiss")
THREAD_DECISIONS = ("hide", "restore", "lock", "unlock", "pin", "unpin", "move", "dismiss")


def _refuse_decision() -> ActionRefused:
    return ActionRefused(_("Please choose one of the options offered."), field="decision")


def offered_post_decisions(post: Post) -> tuple[str, ...]:
    """The decisions the moderation form offers for ``post`` as it stands (editing has its own page)."""
    if post.is_deleted:
        return ("dismiss",)
    return {"visible": ("hide", "delete", "dismiss"), "hidden": ("restore", "delete", "dismiss"),
            "held": ("approve", "reject"), "rejected": ("approve",)}.get(post.status, ())


def offered_thread_decisions(thread: Thread) -> tuple[str, ...]:
    """The decisions the moderation form offers for ``thread`` as it stands (a held thread is decided through
    its opening post)."""
    if thread.status not in ("visible", "hidden"):
        return ()
    return ("restore" if thread.status == "hidden" else "hide", "unlock" if thread.is_locked else "lock",
            "unpin" if thread.is_pinned else "pin", "move", "dismiss")


def _carry_out(actions: dict[str, Callable[[], None]], decision: str) -> tuple[None, None]:
    """Run the action of ``decision`` (refused when the type has none); no text before or after to record."""
    if decision not in actions:
        raise _refuse_decision()
    actions[decision]()
    return None, None


class PostKind:
    """Posts of threads, as moderation sees them."""

    decisions = POST_DECISIONS

    def load(self, target_id: int) -> Post | None:
        """The post, with its thread and platform."""
        return db.session.get(Post, target_id, options=[joinedload(Post.thread).joinedload(Thread.platform)])

    def describe(self, item: Post) -> Described:
        """Its platform, language, author, thread title, Markdown source, address and status."""
        return queries.describe_post(item)

    def offered(self, item: Post) -> tuple[str, ...]:
        """The decisions that fit the post as it stands (the moderation page's form offers these)."""
        return offered_post_decisions(item) + (() if item.is_deleted else ("edit",))

    def can_see(self, user: User | None, item: Post) -> bool:
        """Whoever the post has a place for in a thread they may read (a members-only platform's posts do not
        exist for non-members; held posts only for their author and the moderators)."""
        return rules.can_see_post(user, item)

    def apply(self, moderator: User | None, item: Post, decision: str, *, reason: str | None = None,
              **params: Any) -> tuple[str | None, str | None]:
        """Carry out ``decision`` on the post; (text before, text after) for edits, else (None, None)."""
        if decision == "edit":
            return moderating.edit_post(moderator, item, body=params.get("body"))
        actions: dict[str, Callable[[], None]] = {
            "hide": lambda: moderating.hide_post(moderator, item, reason=reason),
            "restore": lambda: moderating.restore_post(moderator, item),
            "delete": lambda: moderating.delete_post(moderator, item),
            "approve": lambda: moderating.approve_post(moderator, item),
            "reject": lambda: moderating.reject_post(moderator, item, reason=reason),
            "dismiss": lambda: self._dismiss(moderator, item),
        }
        return _carry_out(actions, decision)

    @staticmethod
    def _dismiss(moderator: User | None, item: Post) -> None:
        moderating.check_decision(moderator, item.thread, "dismiss")
        if item.status == "hidden" and hidden_by_the_system("post", item.id):
            moderating.restore_post(moderator, item)


class ThreadKind:
    """Threads, as moderation sees them."""

    decisions = THREAD_DECISIONS

    def load(self, target_id: int) -> Thread | None:
        """The thread, with its platform."""
        return db.session.get(Thread, target_id, options=[joinedload(Thread.platform)])

    def describe(self, item: Thread) -> Described:
        """Its platform, language, author, title, the opening post's Markdown, address and status."""
        return queries.describe_thread(item)

    def offered(self, item: Thread) -> tuple[str, ...]:
        """The decisions that fit the thread as it stands (the moderation page's form offers these)."""
        return offered_thread_decisions(item)

    def can_see(self, user: User | None, item: Thread) -> bool:
        """Whoever may read the thread."""
        return rules.can_read_thread(user, item)

    def apply(self, moderator: User | None, item: Thread, decision: str, *, reason: str | None = None,
              **params: Any) -> tuple[str | None, str | None]:
        """Carry out ``decision`` on the thread; always (None, None)."""
        actions: dict[str, Callable[[], None]] = {
            "hide": lambda: moderating.hide_thread(moderator, item, reason=reason),
            "restore": lambda: moderating.restore_thread(moderator, item),
            "lock": lambda: moderating.set_locked(moderator, item, True),
            "unlock": lambda: moderating.set_locked(moderator, item, False),
            "pin": lambda: moderating.set_pinned(moderator, item, True),
            "unpin": lambda: moderating.set_pinned(moderator, item, False),
            "move": lambda: moderating.move_thread(moderator, item, platform=params.get("platform")),
            "dismiss": lambda: self._dismiss(moderator, item),
        }
        return _carry_out(actions, decision)

    @staticmethod
    def _dismiss(moderator: User | None, item: Thread) -> None:
        moderating.check_decision(moderator, item, "dismiss")
        if item.status == "hidden" and hidden_by_the_system("thread", item.id):
            moderating.restore_thread(moderator, item)


register("post", PostKind())
register("thread", ThreadKind())
