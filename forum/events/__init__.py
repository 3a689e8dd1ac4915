"""EU–Mexico dialogue events: listing and event pages, registration with a waiting list and seat quotas,
calendar files and feeds, the organisers' attendee lists, messages, check-in and figures, and live seat counts."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("events", __name__)


def init_app(app: Flask) -> None:
    """Register the event pages and API endpoints, and the template helpers for event times."""
    app.register_blueprint(bp)
    display.init_app(app)


from forum.events import api, display, manage_routes, models, organiser_routes, routes, search, sockets  # noqa: E402,F401  (pages and endpoints register themselves)
