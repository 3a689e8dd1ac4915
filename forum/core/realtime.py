"""Real-time events: published by services, delivered over Socket.IO only after the commit succeeds.

Topics are Socket.IO rooms in the ``/live`` namespace (``user:<id>``, later ``thread:<id>`` …). With
``FORUM_REDIS_URL`` set, Socket.IO relays every event through Redis, so any process can publish to clients
connected to any other.
"""

from __future__ import annotations

from forum.core.db import on_commit
from forum.extensions import socketio

NAMESPACE = "/live"


def publish(topic: str, event: str, data: dict) -> None:
    """Send ``event`` with ``data`` to everyone subscribed to ``topic`` once the transaction commits."""
    on_commit(lambda: socketio.emit(event, data, to=topic, namespace=NAMESPACE))


def user_topic(user_id: int) -> str:
    """The private topic of one user (their notifications, their session)."""
    return f"user:{user_id}"
