"""The live handlers of moderation (Socket.IO namespace ``/live``): following a moderation queue.

Client → server, each answered with ``{"ok": true}`` or ``{"ok": false, "error": "…"}`` (in the person's
language; the connection stays up):

- ``moderation.subscribe`` ``{"topic": "moderation:<slug>"}`` (one platform's queue: its moderators) or
  ``{"topic": "moderation:all"}`` (every queue: global moderators and administrators).
- ``moderation.unsubscribe`` ``{"topic": …}``.

Server → client: ``queue.item`` (see :mod:`forum.moderation.live`) and ``subscription.ended`` ``{"topic",
"reason": "access_revoked"}`` when the person stops moderating the platform. These are separate events from the
threads' ``subscribe``: a queue topic one may not follow is refused with the same answer as one that does not
exist, and nobody but moderators ever receives a queue row.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from flask import current_app, request, session
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import disconnect, emit, join_room, leave_room, rooms

from forum.accounts.models import User
from forum.core import presence
from forum.core.db import rollback
from forum.core.errors import MESSAGES, ActionRefused
from forum.core.realtime import NAMESPACE
from forum.extensions import db, socketio
from forum.moderation import rules
from forum.moderation.rules import ALL_TOPIC, QUEUE_TOPIC
from forum.platforms import directory
from forum.platforms import services as platform_services
from forum.platforms.models import Platform

#: the private topic the connect handler put an identified connection in (``forum.core.realtime.user_topic``)
USER_TOPIC = re.compile(r"^user:([0-9]+)$")


class SessionEnded(Exception):
    """The person this connection was opened for is no longer signed in."""


def _person() -> User | None:
    """The person behind this connection, as the connect handler identified them (their private topic): the
    browser's signed-in user or a token's owner; None for a visitor. Raises :class:`SessionEnded` when that
    person is no longer signed in."""
    connected_as = next((int(found.group(1)) for room in rooms() if (found := USER_TOPIC.match(room))), None)
    if connected_as is None:
        return None
    if current_user.is_authenticated and current_user.id == connected_as:
        return current_user._get_current_object()
    if str(session.get("_user_id", "")).partition(":")[0] == str(connected_as):
        raise SessionEnded
    user = db.session.get(User, connected_as)  # connected with a personal access token
    if user is None or not user.is_active:
        raise SessionEnded
    return user


def _on(event: str) -> Callable:
    """Register ``handler(person, payload)`` for ``event`` on ``/live``; whatever goes wrong becomes an
    acknowledgement ``{"ok": false, "error": …}``."""

    def register(handler: Callable[[User | None, Any], dict]) -> Callable:
        @functools.wraps(handler)
        def receive(*args: Any) -> dict:
            payload = args[0] if len(args) == 1 else None
            user = None
            try:
                user = _person()
                with force_locale(user.locale) if user is not None else nullcontext():
                    return handler(user, payload)
            except ActionRefused as refusal:
                return {"ok": False, "error": refusal.message}
            except SessionEnded:
                emit("session.ended", {"reason": "signed_out"})
                disconnect()
                return {"ok": False, "error": _("Your session has ended. Please sign in again.")}
            except Exception:
                current_app.logger.exception("live event %r failed", event)
                rollback()
                with force_locale(user.locale) if user is not None else nullcontext():
                    return {"ok": False, "error": str(MESSAGES[500][1])}

        return socketio.on(event, namespace=NAMESPACE)(receive)

    return register


def _topic(payload: Any) -> str:
    """The queue topic named in a payload, refused with a clear message when malformed."""
    name = payload.get("topic") if isinstance(payload, dict) else None
    if not isinstance(name, str) or not (name == ALL_TOPIC or QUEUE_TOPIC.match(name)):
        raise ActionRefused(_('Name a topic such as "moderation:justicia" or "moderation:all".'))
    return name


def _platform(topic: str) -> Platform | None:
    found = QUEUE_TOPIC.match(topic)
    return directory.platform_by_slug(found.group(1)) if found and topic != ALL_TOPIC else None


@_on("moderation.subscribe")
def subscribe(user: User | None, payload: Any) -> dict:
    """Follow a moderation queue: new, claimed and decided items arrive as ``queue.item``."""
    topic = _topic(payload)
    if not rules.can_follow_queue(user, topic, _platform(topic)):
        raise ActionRefused(_("This topic does not exist or is not available to you."))
    join_room(topic)
    presence.join(request.sid, topic, user.id)
    return {"ok": True}


@_on("moderation.unsubscribe")
def unsubscribe(user: User | None, payload: Any) -> dict:
    """Stop following a moderation queue (nothing happens if it was not followed)."""
    topic = _topic(payload)
    leave_room(topic)
    presence.leave(request.sid, topic)
    return {"ok": True}


def end_revoked_subscriptions(user_id: int, platform_id: int) -> None:
    """After someone lost a duty or membership on a platform, end their live subscription to its queue when they
    no longer moderate it (on whichever process holds the connection)."""
    platform = db.session.get(Platform, platform_id)
    user = db.session.get(User, user_id)
    if platform is None:
        return
    for sid, topic in presence.subscriptions_of(user_id):
        if _platform(topic) is None or _platform(topic).id != platform.id:
            continue
        if user is not None and rules.can_moderate_platform(user, platform):
            continue
        socketio.server.leave_room(sid, topic, namespace=NAMESPACE)
        presence.leave(sid, topic)
        socketio.emit("subscription.ended", {"topic": topic, "reason": "access_revoked"}, to=sid,
                      namespace=NAMESPACE)


platform_services.on_access_revoked(end_revoked_subscriptions)
