"""Moderators' decisions on threads and posts: hide, restore, approve, reject, edit and delete posts; hide,
restore, lock, pin and move threads. Like every service they check permissions and input, write and flush; the
caller commits once and live events go out after. Recording the decision in the moderation log and closing its
queue item belong to ``forum.moderation``, which reaches these functions through ``forum.threads.moderation``.

``moderator`` None is the system acting after enough flags: it may only hide (``rules.can_decide``).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.core.errors import ActionRefused
from forum.extensions import db
from forum.moderation import queue as moderation_queue
from forum.moderation.choices import REASONS
from forum.platforms import directory
from forum.threads import live, rules, services
from forum.threads.models import Post, Thread


def check_decision(moderator: User | None, thread: Thread, decision: str) -> None:
    """Refuse (404 or 403) unless ``moderator`` may take ``decision`` on ``thread`` or one of its posts."""
    if moderator is not None and not rules.can_read_thread(moderator, thread):
        raise ActionRefused(_("Not found."), status=404, code="not_found")
    if not rules.can_decide(moderator, thread, decision):
        raise ActionRefused(_("Only the moderators of this platform can do this."), status=403, code="forbidden")


def _reason(reason: str | None) -> str | None:
    if reason in (None, ""):
        return None
    if reason not in REASONS:
        raise ActionRefused(_("Please choose one of the options offered."), field="reason")
    return reason


def _conflict(message: str) -> ActionRefused:
    return ActionRefused(message, status=409, code="conflict")


def _opening_id(thread: Thread) -> int | None:
    """The id of the post that opened ``thread``."""
    return db.session.scalar(select(func.min(Post.id)).where(Post.thread_id == thread.id))


def recount(thread: Thread) -> None:
    """Bring the thread's figures back in line with its visible posts: replies (not counting the opening post or
    deleted posts), the newest visible post and when it was written."""
    visible = (Post.thread_id == thread.id, Post.status == "visible")
    opening = select(func.min(Post.id)).where(Post.thread_id == thread.id).scalar_subquery()
    replies = db.session.scalar(select(func.count(Post.id)).where(*visible, Post.deleted_at.is_(None),
                                                                  Post.id != opening))
    last_id, last_at = db.session.execute(select(func.max(Post.id), func.max(Post.created_at)).where(*visible)).one()
    thread.reply_count = replies or 0
    thread.last_post_id = last_id
    thread.last_activity_at = last_at or thread.created_at
    db.session.flush()


# --- posts --------------------------------------------------------------------------------------------------


def hide_post(moderator: User | None, post: Post, *, reason: str | None = None) -> None:
    """Hide a post from its readers: they see "hidden by the moderators" and the reason in their language; the
    platform's moderators still read it. Readers of the thread see the placeholder replace it live."""
    check_decision(moderator, post.thread, "hide")
    reason = _reason(reason)
    if post.is_deleted:
        raise _conflict(_("This post was deleted."))
    if post.status not in ("visible", "hidden"):
        raise _conflict(_("This post is not published: approve or reject it instead."))
    was_visible = post.status == "visible"
    post.status, post.moderation_reason = "hidden", reason
    db.session.flush()
    if was_visible:
        recount(post.thread)
    live.post_changed("post.updated", post)


def restore_post(moderator: User, post: Post, *, reason: str | None = None) -> None:
    """Show a hidden post to its readers again."""
    check_decision(moderator, post.thread, "restore")
    if post.status != "hidden":
        raise _conflict(_("Only hidden posts can be restored."))
    post.status, post.moderation_reason = "visible", None
    db.session.flush()
    recount(post.thread)
    live.post_changed("post.updated", post)


def approve_post(moderator: User, post: Post, *, reason: str | None = None) -> None:
    """Publish a post that awaited review (or was rejected by mistake). The opening post of a held thread
    publishes the thread: its platform's readers see it appear; a reply reaches the thread's readers live."""
    check_decision(moderator, post.thread, "approve")
    if post.status not in ("held", "rejected"):
        raise _conflict(_("Only posts awaiting review can be approved."))
    thread = post.thread
    post.status, post.moderation_reason = "visible", None
    opens_thread = thread.status in ("held", "rejected") and _opening_id(thread) == post.id
    if opens_thread:
        thread.status, thread.moderation_reason = "visible", None
    db.session.flush()
    recount(thread)
    if opens_thread:
        live.thread_created(thread)
    else:
        live.post_changed("post.created", post)
    services.announce(post, opens_thread=opens_thread)


def reject_post(moderator: User, post: Post, *, reason: str | None = None) -> None:
    """Refuse a post that awaited review: only its author still sees it, marked "not approved". Rejecting the
    opening post of a held thread rejects the thread."""
    check_decision(moderator, post.thread, "reject")
    reason = _reason(reason)
    if post.status != "held":
        raise _conflict(_("Only posts awaiting review can be rejected."))
    post.status, post.moderation_reason = "rejected", reason
    thread = post.thread
    if thread.status == "held" and _opening_id(thread) == post.id:
        thread.status, thread.moderation_reason = "rejected", reason
    db.session.flush()


def edit_post(moderator: User, post: Post, *, body: str | None) -> tuple[str, str]:
    """Change someone's post as a moderator (the earlier text goes to its history); returns the text before and
    after."""
    check_decision(moderator, post.thread, "edit")
    if not isinstance(body, str):
        raise ActionRefused(_("Please write something before sending."), field="body")
    before = post.body_source
    services.edit_post(moderator, post, body=body)
    return before, post.body_source


def delete_post(moderator: User, post: Post) -> None:
    """Delete a post as a moderator: readers see "deleted by the moderators"."""
    check_decision(moderator, post.thread, "delete")
    services.delete_post(moderator, post)


# --- threads ------------------------------------------------------------------------------------------------


def hide_thread(moderator: User | None, thread: Thread, *, reason: str | None = None) -> None:
    """Take a thread out of its platform: only the platform's moderators still find it; open live
    subscriptions to it end."""
    check_decision(moderator, thread, "hide")
    reason = _reason(reason)
    if thread.status not in ("visible", "hidden"):
        raise _conflict(_("This thread is not published: approve or reject its opening post instead."))
    thread.status, thread.moderation_reason = "hidden", reason
    db.session.flush()
    live.readers_lost_access(thread)


def restore_thread(moderator: User, thread: Thread, *, reason: str | None = None) -> None:
    """Bring a hidden thread back to its platform."""
    check_decision(moderator, thread, "restore")
    if thread.status != "hidden":
        raise _conflict(_("Only hidden threads can be restored."))
    thread.status, thread.moderation_reason = "visible", None
    db.session.flush()


def set_locked(moderator: User, thread: Thread, locked: bool) -> None:
    """Lock a thread (only moderators write in it) or open it again."""
    check_decision(moderator, thread, "lock" if locked else "unlock")
    thread.is_locked = locked
    db.session.flush()


def set_pinned(moderator: User, thread: Thread, pinned: bool) -> None:
    """Pin a thread to the top of its platform's lists, or unpin it."""
    check_decision(moderator, thread, "pin" if pinned else "unpin")
    thread.is_pinned = pinned
    db.session.flush()


def move_thread(moderator: User, thread: Thread, *, platform: str | None) -> None:
    """Move a thread, with its posts, to another platform (which must exist, not be archived, and be moderated
    by ``moderator`` too). Open live subscriptions to it end, since its readers may have changed."""
    check_decision(moderator, thread, "move")
    target = directory.platform_by_slug(platform) if isinstance(platform, str) and platform else None
    if target is None or target.is_archived:
        raise ActionRefused(_("Choose a platform that exists and is not archived."), field="platform")
    if target.id == thread.platform_id:
        raise ActionRefused(_("The thread is already on this platform."), field="platform")
    if not rules.can_move_to(moderator, target):
        raise ActionRefused(_("You can only move threads to platforms you moderate."), field="platform")
    thread.platform = target
    db.session.flush()
    post_ids = db.session.scalars(select(Post.id).where(Post.thread_id == thread.id))
    moderation_queue.refile([("thread", thread.id), *(("post", post_id) for post_id in post_ids)], target.id)
    live.readers_lost_access(thread)
