"""The dashboard's downloads: each table, or all of them (``all``), as CSV or JSON, under the filters of the query
string (``since``, ``until``, ``platform``, ``state``). The public files are the same for everyone (a visitor's
view, as the open data); the fuller ones are for administrators and officials and count what their reader may
read. A refused filter answers 400 with its message; a table the level does not have, 404."""

from __future__ import annotations

from flask import Response, abort, request
from flask_login import current_user

from forum.core.permissions import allowed_if
from forum.indicators import bp, exports, filters, rules
from forum.indicators.scope import Scope, public_scope, scope

#: the file formats in the addresses
EXTENSION = f"<any({', '.join(exports.FORMATS)}):extension>"


def _download(chosen_scope: Scope, key: str, extension: str) -> Response:
    """The file of ``key`` in ``chosen_scope`` under the query string's filters."""
    asked = filters.read(request.args, chosen_scope.viewer)
    refusal = asked.refusal()
    if refusal is not None:
        raise refusal
    tables = exports.chosen(chosen_scope, asked.filters, key)
    if tables is None:
        abort(404)
    return exports.download(tables, chosen_scope, asked.filters, key, extension)


@bp.route(f"/indicators/<key>.{EXTENSION}", endpoint="export")
def export(key: str, extension: str) -> Response:
    """A public table (``all``: every one) as CSV or JSON: what a visitor may read, whoever downloads it."""
    return _download(public_scope(), key, extension)


@bp.route(f"/indicators/full/<key>.{EXTENSION}", endpoint="full_export")
@allowed_if(rules.can_see_full)
def full_export(key: str, extension: str) -> Response:
    """A table of the fuller indicators (``all``: every one) as CSV or JSON, as its reader sees it; never kept in
    shared caches. Visitors sign in first; others than administrators and officials get 403."""
    return _download(scope(current_user._get_current_object(), "full"), key, extension)
