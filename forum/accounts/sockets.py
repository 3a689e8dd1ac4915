"""The live connection (Socket.IO namespace ``/live``): who is connecting, and their private topic.

Browsers are known by their session cookie; other clients send ``{"token": "<personal access token>"}`` as
the connection's auth data. Anonymous visitors may connect (for public topics); a bad token is refused.
Cross-origin handshakes are refused by the Socket.IO server itself (allowed origin: ``FORUM_BASE_URL``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from flask import current_app, session
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, disconnect, emit, join_room, rooms

from forum.accounts.api_tokens import user_for_token
from forum.accounts.models import User
from forum.core.db import commit, rollback
from forum.core.errors import MESSAGES, ActionRefused
from forum.core.realtime import NAMESPACE, user_topic
from forum.extensions import db, socketio

#: the private topic :func:`connect` puts an identified connection in (``forum.core.realtime.user_topic``)
USER_TOPIC = re.compile(r"^user:([0-9]+)$")


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


class SessionEnded(Exception):
    """The person this connection was opened for is no longer signed in (signed out, suspended)."""


def connected_person() -> User | None:
    """The person behind this connection as :func:`connect` identified them (by their private topic): the
    browser's signed-in user, or the owner of the personal access token; None for a visitor.

    Raises :class:`SessionEnded` when that person is no longer signed in.
    """
    connected_as = next((int(found.group(1)) for room in rooms() if (found := USER_TOPIC.match(room))), None)
    if connected_as is None:
        return None
    if current_user.is_authenticated and current_user.id == connected_as:
        return current_user._get_current_object()
    if str(session.get("_user_id", "")).partition(":")[0] == str(connected_as):
        raise SessionEnded  # the browser's own sign-in has ended since it connected
    user = db.session.get(User, connected_as)  # connected with a personal access token
    if user is None or not user.is_active:
        raise SessionEnded
    return user


def refusal(message: str) -> dict:
    """The acknowledgement of a refused live request."""
    return {"ok": False, "error": message}


def live_handler(event: str) -> Callable:
    """Register ``handler(person, payload)`` for ``event`` on ``/live``, answered in the person's language.
    Whatever goes wrong becomes an acknowledgement ``{"ok": false, "error": …}``: nothing is raised out of a
    handler, and a connection whose person signed out is told ``session.ended`` and closed."""

    def register(handler: Callable[[User | None, Any], dict]) -> Callable:
        @functools.wraps(handler)
        def receive(*args: Any) -> dict:
            payload = args[0] if len(args) == 1 else None
            user = None
            try:
                user = connected_person()
                with _language(user):
                    return handler(user, payload)
            except ActionRefused as refused:
                return refusal(refused.message)
            except SessionEnded:
                emit("session.ended", {"reason": "signed_out"})
                disconnect()
                return refusal(_("Your session has ended. Please sign in again."))
            except Exception:
                current_app.logger.exception("live event %r failed", event)
                rollback()
                with _language(user):
                    return refusal(str(MESSAGES[500][1]))

        return socketio.on(event, namespace=NAMESPACE)(receive)

    return register


def _language(user: User | None):
    """Answer in the person's language (visitors: the one their browser asked for at connection)."""
    return force_locale(user.locale) if user is not None else nullcontext()
