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

from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_socketio import join_room, leave_room

from forum.accounts.models import User
from forum.accounts.sockets import live_handler
from forum.core import presence
from forum.core.errors import ActionRefused
from forum.core.realtime import NAMESPACE
from forum.extensions import db, socketio
from forum.moderation import rules
from forum.moderation.rules import ALL_TOPIC, QUEUE_TOPIC
from forum.platforms import directory
from forum.platforms import services as platform_services
from forum.platforms.models import Platform


def _topic(payload: Any) -> str:
    """The queue topic named in a payload, refused with a clear message when malformed."""
    name = payload.get("topic") if isinstance(payload, dict) else None
    if not isinstance(name, str) or not (name == ALL_TOPIC or QUEUE_TOPIC.match(name)):
        raise ActionRefused(_('Name a topic such as "moderation:justicia" or "moderation:all".'))
    return name


def _platform(topic: str) -> Platform | None:
    found = QUEUE_TOPIC.match(topic)
    return directory.platform_by_slug(found.group(1)) if found and topic != ALL_TOPIC else None


@live_handler("moderation.subscribe")
def subscribe(user: User | None, payload: Any) -> dict:
    """Follow a moderation queue: new, claimed and decided items arrive as ``queue.item``."""
    topic = _topic(payload)
    if not rules.can_follow_queue(user, topic, _platform(topic)):
        raise ActionRefused(_("This topic does not exist or is not available to you."))
    join_room(topic)
    presence.join(request.sid, topic, user.id)
    return {"ok": True}


@live_handler("moderation.unsubscribe")
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
