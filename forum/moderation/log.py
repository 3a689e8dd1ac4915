"""The moderation log: every action, who took it, on what, why, and what the text was before and after."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts.models import User
from forum.core.db import utcnow
from forum.extensions import db
from forum.moderation.models import ModerationAction, QueueItem
from forum.moderation.targets import Described


def record(moderator: User | None, action: str, *, target: Described | None = None, subject: User | None = None,
           item: QueueItem | None = None, reason: str | None = None, note: str = "", before: str | None = None,
           after: str | None = None) -> ModerationAction:
    """Write one entry of the moderation log (``moderator`` None: done by the system, e.g. after enough flags)."""
    minutes = None
    if moderator is not None and item is not None and item.opened_at is not None:
        minutes = int((utcnow() - item.opened_at).total_seconds() // 60)
    entry = ModerationAction(
        moderator_id=moderator.id if moderator else None, action=action, reason=reason, note=note or "",
        item_id=item.id if item else None, before_text=before, after_text=after, minutes_to_decision=minutes,
        target_type=target.type if target else None, target_id=target.id if target else None,
        platform_id=target.platform.id if target and target.platform else (item.platform_id if item else None),
        subject_id=subject.id if subject else (target.author.id if target and target.author else None))
    db.session.add(entry)
    return entry


def hidden_by_the_system(target_type: str, target_id: int) -> bool:
    """Whether the item's hiding was the system's (after enough flags) rather than a moderator's: the latest
    hide or restore in the moderation log is a hide without a moderator, or none was logged."""
    latest = db.session.execute(
        select(ModerationAction.action, ModerationAction.moderator_id)
        .where(ModerationAction.target_type == target_type, ModerationAction.target_id == target_id,
               ModerationAction.action.in_(("hide", "restore")))
        .order_by(ModerationAction.id.desc()).limit(1)).first()
    return latest is None or (latest.action == "hide" and latest.moderator_id is None)
