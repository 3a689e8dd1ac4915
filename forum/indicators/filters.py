"""The indicators a person asked for, read the same way for the pages, the exports, the open data and the
command line: the period (``since``/``until`` months, or ``2026-01:2026-12``), a platform and a state, each
value checked, with a message for each field that is wrong. A platform the reader may not read is refused
exactly like one that does not exist."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from forum.accounts.choices import STATES
from forum.accounts.models import User
from forum.core.errors import ActionRefused
from forum.indicators import periods
from forum.indicators.periods import LONGEST, Period
from forum.platforms import directory
from forum.platforms.models import Platform

#: the query-string fields, in the order their messages are given
FIELDS = ("since", "until", "platform", "state")


@dataclass(frozen=True)
class Filters:
    """What the figures are restricted to: always a period; a platform and a state when chosen."""

    period: Period
    platform: Platform | None = None
    #: a key of ``forum.accounts.choices.STATES``
    state: str | None = None

    def arguments(self, **changes: str | None) -> dict[str, str]:
        """The query string that asks for these filters again, with ``changes`` (for exports and links)."""
        kept = {"since": self.period.first, "until": self.period.last,
                "platform": self.platform.slug if self.platform is not None else None, "state": self.state}
        kept.update(changes)
        return {name: value for name, value in kept.items() if value}


@dataclass
class Request:
    """The values as typed (to show them again in the form), the filters read from them, and a message for each
    field whose value was refused (the filters then fall back to "any" for it)."""

    typed: dict[str, str]
    filters: Filters
    errors: dict[str, str] = field(default_factory=dict)

    def refusal(self) -> ActionRefused | None:
        """The first error, as the refusal of its field (None when everything is valid)."""
        for name in FIELDS:
            if name in self.errors:
                return ActionRefused(self.errors[name], field=name)
        return None


def read_period(since: str, until: str) -> tuple[Period, dict[str, str]]:
    """The period from ``since`` to ``until`` (``YYYY-MM``; either may be empty), and the errors found. A missing
    end is the current month; a missing start, the months before the end that make the default length."""
    errors: dict[str, str] = {}
    default = periods.default_period()
    months = {}
    for name, text in (("since", since), ("until", until)):
        months[name] = periods.read_month(text) if text.strip() else None
        if text.strip() and months[name] is None:
            errors[name] = _("Enter a month as YYYY-MM, for example 2026-01.")
    last = months["until"] or default.last
    first = months["since"] or periods.month_text(periods.month_index(last) - periods.DEFAULT_MONTHS + 1)
    if periods.month_index(first) > periods.month_index(last):
        errors.setdefault("until", _("The last month must be the first month or later."))
        return default, errors
    if periods.month_index(last) - periods.month_index(first) + 1 > LONGEST:
        errors.setdefault("until", _("A period covers at most %(months)d months.", months=LONGEST))
        return default, errors
    return Period(first, last), errors


def read(arguments: MultiDict, user: User | None) -> Request:
    """Read the filters from ``arguments`` as ``user`` may ask for them (``user`` None: as a visitor)."""
    typed = {name: arguments.get(name, "") for name in FIELDS}
    period, errors = read_period(typed["since"], typed["until"])
    platform: Platform | None = None
    if typed["platform"].strip():
        platform = directory.readable_platform(user, typed["platform"].strip())
        if platform is None:
            errors["platform"] = _("There is no platform with this address among those you may read.")
    state = typed["state"].strip() or None
    if state is not None and state not in STATES:
        errors["state"], state = _("Choose a state from the list."), None
    return Request(typed=typed, filters=Filters(period, platform, state), errors=errors)
