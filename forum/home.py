"""The front page."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template
from sqlalchemy import func, select

from forum.accounts.models import Organisation
from forum.extensions import db

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    """What the forum is for, and who takes part."""
    organisation_count = db.session.scalar(select(func.count(Organisation.id)).where(Organisation.verified))
    return render_template("home.html", organisation_count=organisation_count)


def init_app(app: Flask) -> None:
    """Register the front page."""
    app.register_blueprint(bp)
