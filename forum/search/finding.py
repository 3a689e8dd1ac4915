"""Searching: the entries that match a query, that the reader may find, within the filters, best first (rank,
then the most recent), with facet counts by kind and highlighted snippets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from markupsafe import Markup
from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from forum.accounts.models import User
from forum.core.times import start_of_day
from forum.extensions import db
from forum.i18n import current_locale
from forum.platforms.models import Platform
from forum.search import kinds, snippets
from forum.search.backends import engine_for
from forum.search.models import SearchEntry
from forum.search.query import Terms

PER_PAGE = 20
#: counting stops past this many results ("more than 1,000"): an exact count of tens of thousands of matches would
#: ask the permission rules about every one of them on every search
COUNT_LIMIT = 1_000


@dataclass(frozen=True)
class Filters:
    """What a search is narrowed to (each None: everything)."""

    kind: str | None = None
    platform: Platform | None = None
    #: ``es`` or ``en``: items readable in that language (originally or translated)
    language: str | None = None
    #: first and last day, in the reader's time zone
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class Result:
    """One item found, ready to show."""

    kind: kinds.Kind
    object_id: int
    described: kinds.Described
    title: Markup
    snippet: Markup
    #: the language of the snippet
    language: str


@dataclass
class Results:
    """A page of results and what the whole search found."""

    items: list[Result] = field(default_factory=list)
    #: how many items the search found in all (in the chosen kind, if any), up to :data:`COUNT_LIMIT`
    total: int = 0
    #: how many of each kind it found, whatever kind is chosen (counted among the first :data:`COUNT_LIMIT`
    #: found when there are more)
    by_kind: dict[str, int] = field(default_factory=dict)
    #: True when there are more than :data:`COUNT_LIMIT` results (``total`` and ``by_kind`` are then partial)
    more: bool = False


def _narrowed(filters: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.language == "es":
        conditions.append(SearchEntry.in_spanish.is_(True))
    elif filters.language == "en":
        conditions.append(SearchEntry.in_english.is_(True))
    if filters.since is not None:
        conditions.append(SearchEntry.dated_at >= start_of_day(filters.since))
    if filters.until is not None:
        conditions.append(SearchEntry.dated_at < start_of_day(filters.until + timedelta(days=1)))
    return conditions


def findable(user: User | None, platform: Platform | None = None,
             only: str | None = None) -> ColumnElement[bool]:
    """A SQL condition on :class:`SearchEntry`: entries of items ``user`` may find (each kind's own rules), on
    ``platform`` when given, of kind ``only`` when given."""
    return or_(*(and_(SearchEntry.kind == kind.name, _among(kind.findable(user, platform)))
                 for kind in kinds.every() if only in (None, kind.name)))


def _among(ids: Select) -> ColumnElement[bool]:
    """The entry's item is one of ``ids``, asked row by row (``EXISTS``): the matches of a query are usually
    far fewer than the items a person may read."""
    return ids.where(ids.selected_columns[0] == SearchEntry.object_id).exists()


def find(user: User | None, terms: Terms, filters: Filters = Filters(), page: int = 1,
         per_page: int = PER_PAGE) -> Results:
    """One page of what ``user`` may find for ``terms`` within ``filters``."""
    if not terms:
        return Results()
    matches = engine_for(db.engine.dialect.name).matching(terms)
    by_kind = _counts(user, matches, filters, None)
    counted = _counts(user, matches, filters, filters.kind) if filters.kind else by_kind
    more = sum(counted.values()) > COUNT_LIMIT
    total = min(sum(counted.values()), COUNT_LIMIT)
    rows = db.session.execute(
        select(SearchEntry).join(matches, matches.c.entry_id == SearchEntry.id)
        .where(*_narrowed(filters), findable(user, filters.platform, filters.kind))
        .order_by(matches.c.rank.desc(), SearchEntry.dated_at.desc(), SearchEntry.id.desc())
        .limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return Results(items=_shown(rows, terms), total=total, by_kind=by_kind, more=more)


def _counts(user: User | None, matches, filters: Filters, only: str | None) -> dict[str, int]:
    """How many of each kind match, among the first :data:`COUNT_LIMIT` + 1 found."""
    found = (select(SearchEntry.kind).join(matches, matches.c.entry_id == SearchEntry.id)
             .where(*_narrowed(filters), findable(user, filters.platform, only)).limit(COUNT_LIMIT + 1).subquery())
    return dict(db.session.execute(select(found.c.kind, func.count()).group_by(found.c.kind)).all())


def _shown(rows: list[SearchEntry], terms: Terms) -> list[Result]:
    wanted: dict[str, list[int]] = {}
    for row in rows:
        wanted.setdefault(row.kind, []).append(row.object_id)
    described = {name: kinds.get(name).describe(ids) for name, ids in wanted.items()}
    results = []
    for row in rows:
        shown = described[row.kind].get(row.object_id)
        if shown is not None:
            text, language = _snippet_source(row, terms)
            results.append(Result(kind=kinds.get(row.kind), object_id=row.object_id, described=shown,
                                  title=snippets.highlight(shown.title, terms), language=language,
                                  snippet=snippets.snippet(text, terms)))
    return results


def _snippet_source(row: SearchEntry, terms: Terms) -> tuple[str, str]:
    """The body to cut a snippet from: the reader's language when it matches there, else the other one when it
    does, else whichever exists."""
    wanted = current_locale()
    order = [wanted, "en" if wanted == "es" else "es"]
    bodies = [(getattr(row, f"body_{language}"), language) for language in order]
    for body, language in bodies:
        if body and snippets.hits(body, terms):
            return body, language
    for body, language in bodies:
        if body:
            return body, language
    return "", wanted
