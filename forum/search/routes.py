"""The search page: one box over everything the reader may find, narrowed by kind, platform, language and dates.
A plain GET form (no JavaScript needed); a refused filter value is explained beside its field, with status 400."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from forum.i18n import LOCALES
from forum.platforms import directory
from forum.search import bp, filters, kinds
from forum.search.finding import COUNT_LIMIT, PER_PAGE, find


@bp.route("/search", endpoint="results")
def results():
    """The results of ``q`` that the reader may find, best first, a page at a time, with their count by kind;
    without ``q``, the box and a hint."""
    search = filters.read(request.args, current_user)
    found = pages = None
    if search.terms and not search.errors:
        page = max(1, request.args.get("page", 1, type=int))
        found = find(current_user, search.terms, search.filters, page=page)
        pages = filters.Pages(page=page, per_page=PER_PAGE, total=found.total)
        if page > pages.pages:
            abort(404)
    return render_template("search/results.html", search=search, found=found, pages=pages, kinds=kinds.every(),
                           platforms=directory.readable_platforms(current_user),
                           languages=LOCALES, COUNT_LIMIT=COUNT_LIMIT), 400 if search.errors else 200
