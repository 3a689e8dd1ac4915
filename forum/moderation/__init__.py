"""Moderation: flags on any moderated item, the queue, decisions, sanctions, reason templates, the moderation log
and the public transparency page."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("moderation", __name__)


def init_app(app: Flask) -> None:
    """Register the moderation pages, API endpoints and live handlers."""
    app.register_blueprint(bp)


from forum.moderation import models  # noqa: E402,F401  (pages and endpoints register themselves)
