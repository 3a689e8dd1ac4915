"""Notifications: following platforms, threads, consultations and events; being told in the platform (a bell
whose unread count changes live) and by e-mail (at once, in a daily digest, or never, per kind), with one-click
unsubscribing."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("notifications", __name__)


def init_app(app: Flask) -> None:
    """Register the notification pages, endpoints and commands."""
    app.register_blueprint(bp)


from forum.notifications import models  # noqa: E402,F401
