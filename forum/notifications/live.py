"""What notifications announce over the live connection: ``notifications.unread`` ``{"count": n}`` on the person's
private topic ``user:<id>`` (only that person's connections are in it), counted when it is sent, after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from forum.core.realtime import publish, user_topic
from forum.extensions import db
from forum.notifications.models import Notification


def unread_count(user_id: int) -> int:
    """How many notifications of ``user_id`` are unread (one COUNT query)."""
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def unread_counts(user_ids: list[int]) -> dict[int, int]:
    """How many notifications each of ``user_ids`` has unread (one query for all)."""
    counted = dict.fromkeys(user_ids, 0)
    counted.update(db.session.execute(select(Notification.user_id, func.count(Notification.id)).where(
        Notification.user_id.in_(user_ids), Notification.read_at.is_(None)).group_by(Notification.user_id)).all())
    return counted


def unread_changed(user_ids: Iterable[int]) -> None:
    """After the commit, tell each person's connections their new unread count (counted for everyone at once,
    when the first is sent)."""
    people = sorted(set(user_ids))
    counted: dict[int, int] = {}

    def payload(user_id: int) -> dict:
        if not counted:
            counted.update(unread_counts(people))
        return {"count": counted[user_id]}

    for user_id in people:
        publish(user_topic(user_id), "notifications.unread", lambda user_id=user_id: payload(user_id))
