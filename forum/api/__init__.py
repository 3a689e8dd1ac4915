"""The JSON API's mechanism: the ``/api/v1`` blueprint, token or session authentication, JSON errors,
pagination and the OpenAPI document. Each domain adds its endpoints in its own ``api.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.api.openapi import document, operation
from forum.core.errors import ActionRefused, error_response

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_PER_PAGE = 100

__all__ = ["bp", "caller", "json_body", "login_required", "naming_fields", "not_found", "operation",
           "page_arguments", "page_url", "paginated", "read_object", "refuse"]


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


def page_url(endpoint: str, **values) -> str:
    """The absolute address of a page, for the ``url`` fields of answers."""
    return url_for(endpoint, _external=True, **values)


def refuse(message: str, field: str | None = None) -> ActionRefused:
    """A 400 answer about the request (``field``: the field it concerns)."""
    return ActionRefused(message, status=400, code="invalid", field=field)


def not_found() -> ActionRefused:
    """The 404 answer for what does not exist or the caller may not see (the two look alike)."""
    return ActionRefused(_("Not found."), status=404, code="not_found")


def caller():
    """The signed-in user (None for visitors) as a model instance the services can store."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def _has_nul(value: Any) -> bool:
    """Whether a NUL character hides anywhere in ``value`` (no database column stores one)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def read_object(value: Any, allowed: tuple[str, ...], *, required: tuple[str, ...] = (), name: str = "") -> dict:
    """``value`` checked as a JSON object (``name``: where it sits in the body, e.g. ``agenda[0]``): no unknown
    field, every ``required`` one present, no NUL character. The values themselves are checked by the services.
    """
    def full(key: str) -> str:
        return f"{name}.{key}" if name else key

    if not isinstance(value, dict):
        if name:
            raise refuse(_("Each item of %(field)s must be an object with some of: %(fields)s.", field=name,
                            fields=", ".join(allowed)), field=name)
        raise refuse(_("Send a JSON object with some of: %(fields)s.", fields=", ".join(allowed)))
    for key, item in value.items():
        if key not in allowed:
            raise refuse(_("Unknown field: %(field)s. Send only: %(fields)s.", field=full(key)[:100],
                            fields=", ".join(allowed)), field=key)
        if _has_nul(item):
            raise refuse(_("The field %(field)s contains a character that is not allowed.", field=full(key)),
                          field=key)
    for key in required:
        if key not in value:
            raise refuse(_("The field %(field)s is required.", field=full(key)), field=key)
    return dict(value)


@contextmanager
def naming_fields(prefix: str = "") -> Iterator[None]:
    """Let a service's refusal about one field name it (``agenda[1].starts_at: …``), as the API's own checks do
    (the pages show the same message beside the field instead)."""
    try:
        yield
    except ActionRefused as refusal:
        name = ".".join(part for part in (prefix, refusal.field) if part)
        if name and refusal.status == 400:
            refusal.message = _("%(field)s: %(message)s", field=name, message=refusal.message)
        raise


@bp.route("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 description of every endpoint of this API."""
    return jsonify(document())


def init_app(app: Flask) -> None:
    """Register the API blueprint once every domain has added its endpoints to it."""
    app.register_blueprint(bp)
    app.after_request(_no_cache)
