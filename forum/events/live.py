"""What events announce over the live connection: topic ``event:<id>``, event ``event.seats``
``{"event_id", "seats_left", "waiting"}`` after every change to its seats (``seats_left`` None: unlimited).
Nothing about who registered travels: only the two counts every visitor of the page already sees."""

from __future__ import annotations

from forum.core.realtime import publish
from forum.events.models import Event


def event_topic(event_id: int) -> str:
    """The topic of one event's seat counts."""
    return f"event:{event_id}"


def seats_changed(event: Event, seats_left: int | None, waiting: int) -> None:
    """Send the new counts to the event's page once the change is committed."""
    publish(event_topic(event.id), "event.seats", {"event_id": event.id, "seats_left": seats_left,
                                                   "waiting": waiting})
