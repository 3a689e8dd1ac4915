"""The live handlers of consultations (Socket.IO namespace ``/live``): following a consultation's comments.

Client → server, each answered with ``{"ok": true}`` or ``{"ok": false, "error": "…"}`` (in the person's
language; the connection stays up):

- ``consultation.subscribe`` ``{"topic": "consultation:<id>"}``: then ``comment.created`` (see
  :mod:`forum.consultations.live`) for every new visible comment.
- ``consultation.unsubscribe`` ``{"topic": "consultation:<id>"}``.

A consultation that does not exist and one the person may not see (a draft, a members-only platform) get the same
answer.
"""

from __future__ import annotations

import re
from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_socketio import join_room, leave_room

from forum.accounts.models import User
from forum.accounts.sockets import live_handler
from forum.consultations import rules
from forum.consultations.models import Consultation
from forum.core import presence
from forum.core.db import MAX_ID
from forum.core.errors import ActionRefused
from forum.extensions import db

CONSULTATION_TOPIC = re.compile(r"^consultation:([0-9]{1,10})$")


def _topic(payload: Any) -> tuple[str, int]:
    name = payload.get("topic") if isinstance(payload, dict) else None
    found = CONSULTATION_TOPIC.fullmatch(name) if isinstance(name, str) else None
    if found is None:
        raise ActionRefused(_('Send an object such as {"topic": "consultation:12"}.'))
    return name, int(found.group(1))


@live_handler("consultation.subscribe")
def subscribe(user: User | None, payload: Any) -> dict:
    """Follow a consultation's new comments."""
    name, consultation_id = _topic(payload)
    consultation = db.session.get(Consultation, consultation_id) if consultation_id <= MAX_ID else None
    if consultation is None or not rules.can_see(user, consultation):
        raise ActionRefused(_("This topic does not exist or is not available to you."), status=404,
                            code="not_found")
    join_room(name)
    presence.join(request.sid, name, user.id if user else None)
    return {"ok": True}


@live_handler("consultation.unsubscribe")
def unsubscribe(user: User | None, payload: Any) -> dict:
    """Stop following a consultation's comments."""
    name, _consultation_id = _topic(payload)
    leave_room(name)
    presence.leave(request.sid, name)
    return {"ok": True}
