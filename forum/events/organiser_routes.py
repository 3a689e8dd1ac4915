"""The organisers' pages (being written)."""

from flask import abort

from forum.events import bp


@bp.route("/events/<int:event_id>/attendees")
def attendees(event_id: int):
    """The attendee list."""
    abort(404)


@bp.route("/events/<int:event_id>/check-in")
def check_in(event_id: int):
    """The check-in page."""
    abort(404)
