"""Event pages (being written)."""

from flask import abort

from forum.events import bp


@bp.route("/events/<int:event_id>")
def show(event_id: int):
    """The event page."""
    abort(404)


@bp.route("/events/cancel/<token>", methods=["GET", "POST"])
def cancel_by_link(token: str):
    """Cancel through the link of a message."""
    abort(404)
