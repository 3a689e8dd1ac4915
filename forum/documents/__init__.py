"""Shared document libraries: a library per platform and a general one, documents with bilingual metadata and
access levels, file versions, safe downloads and extracted text for search."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("documents", __name__)


def init_app(app: Flask) -> None:
    """Register the library pages and API endpoints."""
    app.register_blueprint(bp)


from forum.documents import api, models, moderation, routes, search  # noqa: E402,F401  (pages and endpoints register themselves)
