"""The live connection (Socket.IO namespace ``/live``): who is connecting, and their private topic.

Browsers are known by their session cookie; other clients send ``{"token": "<personal access token>"}`` as
the connection's auth data. Anonymous visitors may connect (for public topics); a bad token is refused.
Cross-origin handshakes are refused by the Socket.IO server itself (allowed origin: ``FORUM_BASE_URL``).
"""

from __future__ import annotations

from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room

from forum.accounts.api_tokens import user_for_token
from forum.core.db import commit
from forum.core.realtime import NAMESPACE, user_topic
from forum.extensions import socketio


@socketio.on("connect", namespace=NAMESPACE)
def connect(auth=None):
    """Identify the connecting user and put them in their private ``user:<id>`` topic."""
    user = current_user if current_user.is_authenticated else None
    if isinstance(auth, dict) and auth.get("token") is not None:
        found = user_for_token(str(auth["token"])) if isinstance(auth["token"], str) else None
        if found is None:
            raise ConnectionRefusedError({"error": "invalid_token"})
        user = found[0]
        commit()
    if user is not None:
        join_room(user_topic(user.id))
    return True
