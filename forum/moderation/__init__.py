"""Moderation: flags on any moderated item, the queue, decisions, sanctions, reason templates, the moderation log
and the public transparency page."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("moderation", __name__)


def init_app(app: Flask) -> None:
    """Register the moderation pages, API endpoints and live handlers."""
    from forum.moderation import choices, queue, rules

    app.register_blueprint(bp)
    app.jinja_env.globals.update(moderation_rules=rules, moderation_reasons=choices.REASONS,
                                 moderation_decisions=queue.DECISION_LABELS, moderation_causes=choices.CAUSES,
                                 moderation_statuses=queue.TARGET_STATUSES, moderation_types=queue.TYPE_LABELS)


from forum.moderation import (  # noqa: E402,F401  (they register themselves)
    api,
    log_routes,
    models,
    routes,
    sanction_routes,
    sockets,
    transparency_routes,
)
