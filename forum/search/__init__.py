"""Search: one box over threads, posts, consultations and their comments, events and documents, in Spanish and
English, on SQLite FTS5 or PostgreSQL text search; every result obeys the owning domain's rules."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("search", __name__)


def init_app(app: Flask) -> None:
    """Register the search page, its API endpoint and the ``reindex`` command."""
    app.register_blueprint(bp)
    app.cli.add_command(cli.reindex)


from forum.search import api, cli, index, models, routes  # noqa: E402,F401  (index watches every write; pages and endpoints register themselves)
