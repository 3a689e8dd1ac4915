"""The JSON API's mechanism: the ``/api/v1`` blueprint, token or session authentication, JSON errors,
pagination and the OpenAPI document. Each domain adds its endpoints in its own ``api.py``.
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, Flask, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from forum.api.openapi import document, operation
from forum.core.errors import ActionRefused, error_response

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_PER_PAGE = 100

__all__ = ["bp", "json_body", "operation", "login_required", "page_arguments", "paginated"]


@bp.before_request
def _reject_bad_tokens():
    """A request that sends a token gets 401 if the token does not work, even for public endpoints."""
    if request.headers.get("Authorization") and current_user.is_anonymous:
        return error_response(401, _("The access token is missing, invalid or revoked."), code="invalid_token")
    return None


def _no_cache(response):
    """API answers depend on who asks: never cache them in shared caches (routing errors included, which
    no blueprint hook sees)."""
    if request.path.startswith(bp.url_prefix + "/") or request.path == bp.url_prefix:
        response.headers.setdefault("Cache-Control", "private, no-store")
    return response


def json_body():
    """The request's JSON, or None when it is not JSON, or nested too deeply for the parser to read (which
    would otherwise end in a 500)."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        return None


def login_required(view):
    """Answer 401 in JSON unless a user is authenticated by token or session."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return error_response(401, _("Authentication is required: send a personal access token."),
                                  code="unauthorized")
        return view(*args, **kwargs)

    return wrapper


def page_arguments() -> tuple[int, int]:
    """Read ``page`` and ``per_page`` from the query string (bad values give 400 through ActionRefused)."""
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", 20))
    except ValueError as error:
        raise ActionRefused(_("page and per_page must be whole numbers."), code="invalid_query") from error
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise ActionRefused(_("page must be 1 or more and per_page between 1 and %(max)d.", max=MAX_PER_PAGE),
                            code="invalid_query")
    return page, per_page


def paginated(pagination, items: list) -> dict:
    """The envelope of every list answer: items plus page, per_page and total."""
    return {"items": items, "page": pagination.page, "per_page": pagination.per_page,
            "total": pagination.total}


@bp.route("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 description of every endpoint of this API."""
    return jsonify(document())


def init_app(app: Flask) -> None:
    """Register the API blueprint once every domain has added its endpoints to it."""
    app.register_blueprint(bp)
    app.after_request(_no_cache)
