"""The moderation queue: items waiting for a moderator, how they enter it, and how they leave it."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.moderation.models import QueueItem
from forum.moderation.targets import Described


def open_item(target: Described, cause: str, reason: str | None = None) -> QueueItem:
    """The open queue item of ``target``, created with ``cause`` (flagged, held, contested) when there is none."""
    item = db.session.scalar(select(QueueItem).where(
        QueueItem.target_type == target.type, QueueItem.target_id == target.id, QueueItem.status == "open"))
    if item is None:
        item = QueueItem(target_type=target.type, target_id=target.id, cause=cause, reason=reason,
                         platform_id=target.platform.id if target.platform else None, language=target.language)
        db.session.add(item)
        db.session.flush()
    return item
