"""Notifications: following platforms, threads, consultations and events; being told in the platform (a bell
whose unread count changes live) and by e-mail (at once, in a daily digest, or never, per kind), with one-click
unsubscribing."""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_login import current_user

bp = Blueprint("notifications", __name__)


def init_app(app: Flask) -> None:
    """Register the notification pages, endpoints and the ``send-digests`` command, and the header's unread
    count (one COUNT query, only where the bell is drawn)."""
    app.register_blueprint(bp)
    app.cli.add_command(digests.send_digests_command)
    app.jinja_env.globals.update(unread_notifications=lambda: live.unread_count(current_user.id))
    # the follow button's macro is imported without the page's context: it reads the signed-in user from here
    app.jinja_env.globals.setdefault("current_user", current_user)


from forum.notifications import api, digests, live, models, routes  # noqa: E402,F401  (they register themselves)
