"""The moderation section, month by month: flags received, decisions taken about items (from the moderation
log, as the transparency page counts them) and the median time to a decision; on the full level, the decisions
by kind."""

from __future__ import annotations

import statistics

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, or_, select

from forum.core.db import month_of
from forum.extensions import db
from forum.indicators.filters import Filters
from forum.indicators.periods import month_label
from forum.indicators.scope import Scope
from forum.indicators.tables import Cell, Chart, Column, Row, Table
from forum.moderation.choices import DECISIONS
from forum.moderation.models import Flag, ModerationAction
from forum.moderation.transparency import ITEM_DECISIONS, item_decisions


def _on_counted_platform(column: ColumnElement, scope: Scope, filters: Filters) -> ColumnElement[bool]:
    """Items on a counted platform; with no platform chosen, items outside any platform too."""
    counted = column.in_([platform.id for platform in scope.counted(filters)])
    return counted if filters.platform is not None else or_(counted, column.is_(None))


def _note() -> str:
    """Why the state filter leaves these tables unchanged."""
    return _("The state filter does not apply to moderation: items belong to platforms, not to states.")


def tables(scope: Scope, filters: Filters) -> list[Table]:
    """The tables "moderation" (counts) and "moderation-time" (hours) and, on the full level,
    "moderation-by-decision", in three queries."""
    period = filters.period
    # one expression per query, grouped by as selected (PostgreSQL compares them with their parameters)
    flagged_in = month_of(Flag.created_at)
    flags = dict(db.session.execute(
        select(flagged_in, func.count())
        .where(Flag.created_at >= period.start, Flag.created_at < period.end,
               _on_counted_platform(Flag.platform_id, scope, filters))
        .group_by(flagged_in)).all())
    decided = (*item_decisions(period.start), ModerationAction.created_at < period.end,
               _on_counted_platform(ModerationAction.platform_id, scope, filters))
    decided_in = month_of(ModerationAction.created_at)
    by_decision: dict[str, dict[str, int]] = {}
    for month, action, count in db.session.execute(
            select(decided_in, ModerationAction.action, func.count()).where(*decided)
            .group_by(decided_in, ModerationAction.action)):
        by_decision.setdefault(action, {})[month] = count
    minutes: dict[str, list[int]] = {}
    for month, taken in db.session.execute(
            select(decided_in, ModerationAction.minutes_to_decision)
            .where(*decided, ModerationAction.minutes_to_decision.is_not(None))):
        minutes.setdefault(month, []).append(taken)

    months = period.months
    columns = [Column(month, month_label(month)) for month in months]
    url = url_for("moderation.transparency_page")
    decisions = {month: sum(counts.get(month, 0) for counts in by_decision.values()) for month in months}
    hours = {month: round(statistics.median(found) / 60, 1) for month, found in minutes.items()}
    made = [
        Table(
            key="moderation",
            title=_("Moderation: flags and decisions"),
            description=_(
                "Each month: the flags people sent about items, and the moderators' decisions about items "
                "recorded in the moderation log (not sanctions on people)."),
            unit="count",
            columns=columns,
            rows=[Row(key="flags", label=_("Flags"), url=url, cells=[Cell(flags.get(m, 0)) for m in months]),
                  Row(key="decisions", label=_("Decisions"), url=url,
                      cells=[Cell(decisions[m]) for m in months])],
            chart=Chart("grouped", rows=["flags", "decisions"]),
            notes=[_note()],
            section="moderation",
        ),
        Table(
            key="moderation-time",
            title=_("Moderation: time to a decision"),
            description=_(
                "Each month: the median time, in hours, from an item entering the moderation queue to the "
                "moderators' decision (decisions taken outside the queue are not timed)."),
            unit="hours",
            columns=columns,
            rows=[Row(key="median_hours", label=_("Median time to a decision (hours)"), url=url,
                      cells=[Cell(hours.get(m)) for m in months])],
            chart=Chart("grouped", rows=["median_hours"]),
            notes=[_note()],
            section="moderation",
        ),
    ]
    if scope.full:
        made.append(Table(
            key="moderation-by-decision",
            title=_("Moderation: decisions by kind"),
            description=_("Each month: the moderators' decisions about items, by what they decided."),
            unit="count",
            columns=columns,
            rows=[Row(key=code, label=str(DECISIONS[code]), url=url,
                      cells=[Cell(by_decision[code].get(m, 0)) for m in months])
                  for code in ITEM_DECISIONS if code in by_decision],
            chart=Chart("stacked"),
            notes=[_note()],
            section="moderation",
        ))
    return made
