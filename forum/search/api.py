"""The search endpoint: what the search page finds, as JSON. Anyone may search; visitors find what a visitor may
read, a token makes it what its owner may find. A refused value answers 400 naming its field."""

from __future__ import annotations

from urllib.parse import urljoin

from flask import jsonify, request
from flask_babel import gettext as _

from forum.api import bp, caller, naming_fields, operation, page_arguments, paginated, refuse
from forum.api.openapi import OPTIONAL_TIMESTAMP, PAGE_PARAMETERS, list_of, schema
from forum.i18n import LOCALES
from forum.search import filters
from forum.search.finding import COUNT_LIMIT, Result, find
from forum.search.query import MAX_LENGTH

RESULT = schema("SearchResult", {
    "type": "object",
    "required": ["kind", "id", "title", "url", "context", "date", "snippet_html", "title_html", "language"],
    "properties": {
        "kind": {"type": "string", "description": "thread, post, consultation, comment, event, document…"},
        "id": {"type": "integer", "description": "the item's id among those of its kind"},
        "title": {"type": "string", "description": "plain text, in the reader's language when it has one"},
        "url": {"type": "string", "format": "uri", "description": "the page where it is read"},
        "context": {"type": "string", "description": "where it belongs: a platform, a thread, a consultation"},
        "date": OPTIONAL_TIMESTAMP,
        "snippet_html": {"type": "string", "description": "escaped text around the matches, each in <mark>"},
        "title_html": {"type": "string", "description": "the title escaped, its matches in <mark>"},
        "language": {"type": "string", "enum": list(LOCALES), "description": "the language of the snippet"},
    },
})
_PAGE = list_of(RESULT)
RESULTS = schema("SearchResults", {
    **_PAGE,
    "required": [*_PAGE["required"], "by_kind", "more"],
    "properties": {**_PAGE["properties"], "by_kind": {
        "type": "object", "additionalProperties": {"type": "integer"},
        "description": "how many results of each kind the search found, whatever `kind` is chosen (among the "
                       f"first {COUNT_LIMIT + 1} found when `more` is true)"},
        "more": {"type": "boolean", "description": f"more than {COUNT_LIMIT} results: counting stopped there, "
                                                   "and `total` is the last page's reach"}},
})
PARAMETERS = [
    {"name": "q", "in": "query", "required": True, "schema": {"type": "string", "maxLength": MAX_LENGTH},
     "description": "the words; every one must be found (accents and case aside, Spanish and English stems), "
                    "the last one also as the beginning of a word"},
    {"name": "kind", "in": "query", "schema": {"type": "string"},
     "description": "one kind of result, as named in `by_kind`"},
    {"name": "platform", "in": "query", "schema": {"type": "string"},
     "description": "a platform's slug (one the caller may read)"},
    {"name": "language", "in": "query", "schema": {"type": "string", "enum": list(LOCALES)},
     "description": "items readable in this language, originally or translated"},
    {"name": "since", "in": "query", "schema": {"type": "string", "format": "date"},
     "description": "first day (YYYY-MM-DD, in the caller's time zone)"},
    {"name": "until", "in": "query", "schema": {"type": "string", "format": "date"},
     "description": "last day (YYYY-MM-DD, in the caller's time zone)"},
    *PAGE_PARAMETERS,
]


def result_json(result: Result) -> dict:
    """One result as the API shows it."""
    shown = result.described
    return {"kind": result.kind.name, "id": result.object_id, "title": shown.title,
            "url": urljoin(request.host_url, shown.url), "context": shown.context,
            "date": shown.when.isoformat() if shown.when else None, "snippet_html": str(result.snippet),
            "title_html": str(result.title), "language": result.language}


@bp.route("/search")
@operation("/search", "GET", summary="Search", response=RESULTS, tag="search", auth=False, parameters=PARAMETERS,
           errors=(400,))
def search():
    """Threads, posts, consultations, comments, events and documents the caller may find for ``q``, best first
    (relevance, titles weighing more, then the most recent), narrowed by ``kind``, ``platform``, ``language``,
    ``since`` and ``until``, with the count of each kind. A platform the caller may not read is refused like one
    that does not exist."""
    page, per_page = page_arguments()
    user = caller()
    asked = filters.read(request.args, user)
    with naming_fields():
        refusal = asked.refusal()
        if refusal is not None:
            raise refusal
        if not asked.asked:
            raise refuse(_("Type what to search for."), field="q")
        if not asked.terms:
            raise refuse(_("Type at least one word: letters or digits."), field="q")
    found = find(user, asked.terms, asked.filters, page=page, per_page=per_page)
    answer = paginated(filters.Pages(page=page, per_page=per_page, total=found.total),
                       [result_json(result) for result in found.items])
    return jsonify({**answer, "by_kind": found.by_kind, "more": found.more})
