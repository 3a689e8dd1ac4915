"""The dashboard: every table in order, made by the module of each section from the same scope and filters."""

from __future__ import annotations

from forum.indicators import consultations, events, moderation, participation, shares, translation
from forum.indicators.filters import Filters
from forum.indicators.scope import Scope
from forum.indicators.tables import Table

#: the makers of the tables, section by section
MAKERS = (participation.participants, shares.shares, consultations.tables, events.tables,
          moderation.tables, translation.tables)


def tables(scope: Scope, filters: Filters) -> list[Table]:
    """Every table of the dashboard for ``scope`` under ``filters``, section by section."""
    return [table for make in MAKERS for table in make(scope, filters)]


def table(scope: Scope, filters: Filters, key: str) -> Table | None:
    """The table named ``key`` (None when there is none at this level)."""
    return next((found for found in tables(scope, filters) if found.key == key), None)
