"""Consultations on policy drafts: agencies publish bilingual drafts with numbered paragraphs, participants
comment paragraph by paragraph, the agency answers every comment publicly and publishes a report.

Public pages (``routes``): the listing, the consultation with its draft and comments, the comparison of versions
and the comment form. The agency's pages (``manage_routes``) and the API (``api``) register on the same
blueprint and on the shared API blueprint."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("consultations", __name__)


def init_app(app: Flask) -> None:
    """Register the consultation pages and API endpoints, the labels of comment translations for templates, and
    the hourly ``flask --app forum announce`` command."""
    from forum.consultations.announcements import announce
    from forum.consultations.choices import TRANSLATION_PROVENANCES

    app.register_blueprint(bp)
    app.jinja_env.globals["translation_provenances"] = TRANSLATION_PROVENANCES
    app.cli.add_command(announce)


from forum.consultations import api, manage_routes, models, moderation, report_routes, routes, search, sockets  # noqa: E402,F401  (pages and endpoints register themselves)
