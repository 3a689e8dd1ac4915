"""A search as asked in the query string, read the same for the page and the API: the words (``q``) and the
filters (``kind``, ``platform``, ``language``, ``since``, ``until``), each value checked, with a message for each
field that is wrong. A platform the reader may not read is refused exactly like one that does not exist."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from math import ceil

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from forum.accounts.models import User
from forum.core.errors import ActionRefused
from forum.i18n import LOCALES
from forum.platforms import directory
from forum.search import kinds, query
from forum.search.finding import Filters
from forum.search.query import Terms

#: the query-string fields of a search, in the order their messages are given
FIELDS = ("q", "kind", "platform", "language", "since", "until")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: the days a date filter may name (a day's start must exist in every time zone)
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)


@dataclass
class Search:
    """What a person asked for: the values as typed (to show them again), the terms and filters read from them,
    and a message for each field whose value was refused."""

    typed: dict[str, str]
    terms: Terms
    filters: Filters
    #: field → what is wrong with its value
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def asked(self) -> bool:
        """Whether anything was typed in the box (a blank query shows only the box)."""
        return bool(self.typed["q"].strip())

    def refusal(self) -> ActionRefused | None:
        """The first error, as the refusal of its field (None when everything is valid)."""
        for name in FIELDS:
            if name in self.errors:
                return ActionRefused(self.errors[name], field=name)
        return None

    def arguments(self, **changes: str | None) -> dict[str, str]:
        """The query string that repeats this search (valid values only), with ``changes``: for links to other
        pages and kinds."""
        kept = {
            "q": self.typed["q"],
            "kind": self.filters.kind,
            "platform": self.filters.platform.slug if self.filters.platform is not None else None,
            "language": self.filters.language,
            "since": self.filters.since.isoformat() if self.filters.since else None,
            "until": self.filters.until.isoformat() if self.filters.until else None,
        }
        kept.update(changes)
        return {name: value for name, value in kept.items() if value}


def _day(text: str) -> date | None:
    """The day ``text`` names as YYYY-MM-DD, or None when it is malformed or impossible."""
    if not _DAY.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def read(arguments: MultiDict, user: User | None) -> Search:
    """Read a search from ``arguments`` (the query string) as ``user`` may ask it; empty values mean "any"."""
    typed = {name: arguments.get(name, "") for name in FIELDS}
    errors: dict[str, str] = {}
    try:
        terms = query.read(typed["q"])
    except ActionRefused as refusal:
        terms, errors["q"] = Terms(typed=()), refusal.message
    kind = typed["kind"].strip() or None
    if kind is not None and kinds.get(kind) is None:
        errors["kind"], kind = _("There is no such kind of result."), None
    platform = None
    if typed["platform"].strip():
        platform = directory.readable_platform(user, typed["platform"].strip())
        if platform is None:
            errors["platform"] = _("There is no platform with this address among those you may read.")
    language = typed["language"].strip() or None
    if language is not None and language not in LOCALES:
        errors["language"], language = _("Choose Spanish or English."), None
    days: dict[str, date | None] = {}
    for name in ("since", "until"):
        days[name] = _day(typed[name].strip()) if typed[name].strip() else None
        if typed[name].strip() and days[name] is None:
            errors[name] = _("Enter a real date as YYYY-MM-DD, for example 2025-03-31.")
    if days["since"] and days["until"] and days["since"] > days["until"]:
        errors["until"] = _("The end date must be on or after the start date.")
        days["until"] = None
    return Search(typed=typed, terms=terms, errors=errors,
                  filters=Filters(kind=kind, platform=platform, language=language, **days))


@dataclass(frozen=True)
class Pages:
    """Where a page of results stands among all of them (what the pager and the API's envelope need)."""

    page: int
    per_page: int
    #: the results in all (in the chosen kind, if any)
    total: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        """Whether a page comes before."""
        return self.page > 1

    @property
    def prev_num(self) -> int:
        """The number of the page before."""
        return self.page - 1

    @property
    def has_next(self) -> bool:
        """Whether a page comes after."""
        return self.page < self.pages

    @property
    def next_num(self) -> int:
        """The number of the page after."""
        return self.page + 1
