"""Thematic platforms: the spaces (justice, security, gender, employment, transparency…) where people meet,
their membership, and the people who moderate and translate on each."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("platforms", __name__)


def init_app(app: Flask) -> None:
    """Register the platform pages and API endpoints, and offer the navigation to every template."""
    from forum.platforms import choices, directory, rules

    app.register_blueprint(bp)
    app.context_processor(directory.platform_navigation)
    app.jinja_env.globals.update(platform_rules=rules, platform_role_labels=choices.PLATFORM_ROLES)


from forum.platforms import api, models, routes  # noqa: E402,F401  (pages and endpoints register themselves)
