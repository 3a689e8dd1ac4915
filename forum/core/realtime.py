"""Real-time events: published by services, delivered over Socket.IO only after the commit succeeds.

Topics are Socket.IO rooms in the ``/live`` namespace (``user:<id>``, later ``thread:<id>`` …). With
``FORUM_REDIS_URL`` set, Socket.IO relays every event through Redis, so any process can publish to clients
connected to any other.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, has_request_context

from forum.core import presence
from forum.core.db import on_commit
from forum.extensions import socketio

NAMESPACE = "/live"


def publish(topic: str, event: str, data: dict | Callable[[], dict]) -> None:
    """Send ``event`` to everyone subscribed to ``topic`` once the transaction commits.

    ``data`` may be a function: it is called after the commit (with a request context on the site's base URL
    when there is none, as on the command line), so the payload shows what was saved.
    """

    def send() -> None:
        if not callable(data):
            payload = data
        elif has_request_context():
            payload = data()
        else:
            with current_app.test_request_context(base_url=current_app.config["FORUM_BASE_URL"]):
                payload = data()
        socketio.emit(event, payload, to=topic, namespace=NAMESPACE)

    on_commit(send)


def disconnect_user(user_id: int) -> None:
    """After the commit, close every live connection of ``user_id`` that is subscribed to something, in
    whichever process holds it (the others were told ``session.ended`` and close themselves)."""
    def close() -> None:
        for sid in {sid for sid, _topic in presence.subscriptions_of(user_id)}:
            socketio.server.disconnect(sid, namespace=NAMESPACE)

    on_commit(close)


def user_topic(user_id: int) -> str:
    """The private topic of one user (their notifications, their session)."""
    return f"user:{user_id}"
