"""The live handlers of events (Socket.IO namespace ``/live``): following an event's seat counts.

Client → server, each answered with ``{"ok": true, "seats_left": <n or null>, "waiting": <n>}`` or
``{"ok": false, "error": "…"}`` (in the person's language; the connection stays up):

- ``event.subscribe`` ``{"topic": "event:<id>"}``: the counts now, then ``event.seats`` after every change.
- ``event.unsubscribe`` ``{"topic": "event:<id>"}``.

An event that does not exist and one the person may not see get the same answer.
"""

from __future__ import annotations

import re
from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_socketio import join_room, leave_room

from forum.accounts.models import User
from forum.accounts.sockets import live_handler
from forum.core import presence
from forum.core.db import MAX_ID
from forum.core.errors import ActionRefused
from forum.events import queries, registrations
from forum.events.models import Event

EVENT_TOPIC = re.compile(r"^event:([0-9]{1,10})$")


def _topic(payload: Any) -> tuple[str, int]:
    name = payload.get("topic") if isinstance(payload, dict) else None
    found = EVENT_TOPIC.fullmatch(name) if isinstance(name, str) else None
    if found is None:
        raise ActionRefused(_('Send an object such as {"topic": "event:12"}.'))
    return name, int(found.group(1))


def _visible(user: User | None, event_id: int) -> Event:
    event = queries.visible_event(user, event_id) if event_id <= MAX_ID else None
    if event is None:
        raise ActionRefused(_("This topic does not exist or is not available to you."), status=404,
                            code="not_found")
    return event


@live_handler("event.subscribe")
def subscribe(user: User | None, payload: Any) -> dict:
    """Follow an event's seat counts; the acknowledgement carries the counts now."""
    name, event_id = _topic(payload)
    event = _visible(user, event_id)
    join_room(name)
    presence.join(request.sid, name, user.id if user else None)
    return {"ok": True, "seats_left": registrations.seats_left(event), "waiting": registrations.waiting_count(event)}


@live_handler("event.unsubscribe")
def unsubscribe(user: User | None, payload: Any) -> dict:
    """Stop following an event's seat counts."""
    name, _event_id = _topic(payload)
    leave_room(name)
    presence.leave(request.sid, name)
    return {"ok": True}
