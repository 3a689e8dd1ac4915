"""The figures of the public transparency page: flags and decisions by month, platform and reason, the median
time to a decision, sanctions by kind, and the latest decisions described without personal data.

Only non-personal columns are read (dates, platform, reason, kind of item, decision): never a text, a title,
a person or a link to an item, so nothing hidden becomes readable here. Members-only platforms are counted
together under one generic name, whoever reads the page.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, or_, select

from forum.core.db import month_of, utcnow
from forum.extensions import db
from forum.i18n import localized
from forum.moderation.choices import DECISIONS, REASONS, SANCTIONS
from forum.moderation.models import Flag, ModerationAction
from forum.moderation.sanction_choices import SANCTION_DECISIONS, TARGET_LABELS
from forum.platforms.models import Platform

#: the figures cover this many calendar months, the current one included
PERIOD_MONTHS = 12
#: how many of the latest decisions are listed
RECENT = 20
#: decisions about items (not about people)
ITEM_DECISIONS = tuple(code for code in DECISIONS if code not in SANCTION_DECISIONS)
ITEM = _l("Item")
MEMBERS_ONLY = _l("Members-only platforms")
OUTSIDE_PLATFORMS = _l("Outside the platforms")
NO_REASON = _l("No reason given")
_MEMBERS_KEY, _OUTSIDE_KEY = "members", "outside"


@dataclass
class Row:
    """One line of a table of counts."""

    label: str
    flags: int = 0
    decisions: int = 0
    #: the language of ``label`` when it is content (a platform's name), for the ``lang`` attribute
    lang: str | None = None


@dataclass
class RecentDecision:
    """One recent decision, as the public may know it."""

    day: date
    item: str
    decision: str
    platform: str
    platform_lang: str | None
    reason: str


@dataclass
class Figures:
    """Everything the transparency page shows."""

    since: date
    flags: int
    decisions: int
    median_minutes: float | None
    by_month: list[Row]
    by_platform: list[Row]
    by_reason: list[Row]
    by_decision: list[tuple[str, int]]
    sanctions: list[tuple[str, int]]
    recent: list[RecentDecision]


def period_start(now: datetime | None = None) -> datetime:
    """The first moment (UTC) of the first month the figures cover."""
    now = now or utcnow()
    index = now.year * 12 + now.month - 1 - (PERIOD_MONTHS - 1)
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def _months(start: datetime) -> list[str]:
    index = start.year * 12 + start.month - 1
    return [f"{(index + n) // 12:04d}-{(index + n) % 12 + 1:02d}" for n in range(PERIOD_MONTHS)]


def item_decisions(start: datetime | None) -> list[ColumnElement[bool]]:
    """SQL conditions on :class:`ModerationAction`: decisions about items (not sanctions, nor decisions about
    them), taken from ``start`` when given."""
    conditions = [ModerationAction.action.in_(ITEM_DECISIONS),
                  or_(ModerationAction.target_type.is_(None), ModerationAction.target_type != "sanction")]
    if start is not None:
        conditions.append(ModerationAction.created_at >= start)
    return conditions


def _counts(column, model, conditions) -> dict:
    rows = db.session.execute(select(column, func.count()).select_from(model).where(*conditions).group_by(column))
    return {key: count for key, count in rows}


class _PlatformNames:
    """Public platforms by their name in the reader's language; members-only ones, and items outside any
    platform, each under one generic name."""

    def __init__(self, ids: set[int]):
        found = db.session.scalars(select(Platform).where(Platform.id.in_(sorted(ids)))).all() if ids else []
        self.platforms = {p.id: p for p in found}

    def key(self, platform_id: int | None) -> int | str:
        platform = self.platforms.get(platform_id)
        if platform is None:
            return _OUTSIDE_KEY
        return platform.id if platform.visibility == "public" else _MEMBERS_KEY

    def label(self, key: int | str) -> tuple[str, str | None]:
        if key == _MEMBERS_KEY:
            return str(MEMBERS_ONLY), None
        if key == _OUTSIDE_KEY:
            return str(OUTSIDE_PLATFORMS), None
        name, lang, _fallback = localized(self.platforms[key], "name")
        return name, lang

    def order(self, key: int | str) -> tuple:
        if isinstance(key, int):
            platform = self.platforms[key]
            return (0, platform.position, platform.id)
        return (1 if key == _MEMBERS_KEY else 2, 0, 0)


def _reason_key(code: str | None) -> str | None:
    if code is None:
        return None
    return code if code in REASONS else "other"


def _reason_label(key: str | None) -> str:
    return str(REASONS[key]) if key else str(NO_REASON)


def _by_platform(flags: dict, decisions: dict) -> list[Row]:
    names = _PlatformNames({k for k in (*flags, *decisions) if k is not None})
    merged: dict[int | str, Row] = {}
    for counts, attribute in ((flags, "flags"), (decisions, "decisions")):
        for platform_id, count in counts.items():
            key = names.key(platform_id)
            if key not in merged:
                label, lang = names.label(key)
                merged[key] = Row(label, lang=lang)
            setattr(merged[key], attribute, getattr(merged[key], attribute) + count)
    return [merged[key] for key in sorted(merged, key=names.order)]


def _by_reason(flags: dict, decisions: dict) -> list[Row]:
    merged: dict[str | None, Row] = {}
    for counts, attribute in ((flags, "flags"), (decisions, "decisions")):
        for code, count in counts.items():
            key = _reason_key(code)
            row = merged.setdefault(key, Row(_reason_label(key)))
            setattr(row, attribute, getattr(row, attribute) + count)
    order = {code: n for n, code in enumerate(REASONS)}
    return [merged[key] for key in sorted(merged, key=lambda k: order.get(k, len(order)))]


def _by_month(start: datetime, flags: dict, decisions: dict) -> list[Row]:
    rows = []
    for month in _months(start):
        year, number = (int(part) for part in month.split("-"))
        rows.append(Row(format_date(date(year, number, 1), "MMMM y"), flags.get(month, 0),
                        decisions.get(month, 0)))
    return rows


def recent_decisions(limit: int = RECENT) -> list[RecentDecision]:
    """The latest decisions about items: when (the day only), what kind of item, the decision, where (members-
    only platforms generically) and why."""
    rows = db.session.execute(
        select(ModerationAction.created_at, ModerationAction.target_type, ModerationAction.action,
               ModerationAction.platform_id, ModerationAction.reason)
        .where(*item_decisions(None))
        .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc()).limit(limit)).all()
    names = _PlatformNames({row.platform_id for row in rows if row.platform_id is not None})
    recent = []
    for created_at, target_type, action, platform_id, reason in rows:
        platform, lang = names.label(names.key(platform_id))
        recent.append(RecentDecision(day=created_at.date(), item=str(TARGET_LABELS.get(target_type, ITEM)),
                                     decision=str(DECISIONS[action]), platform=platform, platform_lang=lang,
                                     reason=_reason_label(_reason_key(reason))))
    return recent


def figures(now: datetime | None = None) -> Figures:
    """The page's figures for the last ``PERIOD_MONTHS`` months (labels in the reader's language)."""
    start = period_start(now)
    flag_period = [Flag.created_at >= start]
    decision_period = item_decisions(start)
    flags_by_month = _counts(month_of(Flag.created_at), Flag, flag_period)
    decisions_by_month = _counts(month_of(ModerationAction.created_at), ModerationAction, decision_period)
    minutes = list(db.session.scalars(select(ModerationAction.minutes_to_decision).where(
        *decision_period, ModerationAction.minutes_to_decision.is_not(None))))
    by_action = _counts(ModerationAction.action, ModerationAction, decision_period)
    sanctions = _counts(ModerationAction.action, ModerationAction,
                        [ModerationAction.action.in_(tuple(SANCTIONS)), ModerationAction.created_at >= start])
    return Figures(
        since=start.date(),
        flags=sum(flags_by_month.values()),
        decisions=sum(decisions_by_month.values()),
        median_minutes=statistics.median(minutes) if minutes else None,
        by_month=_by_month(start, flags_by_month, decisions_by_month),
        by_platform=_by_platform(_counts(Flag.platform_id, Flag, flag_period),
                                 _counts(ModerationAction.platform_id, ModerationAction, decision_period)),
        by_reason=_by_reason(_counts(Flag.reason, Flag, flag_period),
                             _counts(ModerationAction.reason, ModerationAction, decision_period)),
        by_decision=[(str(label), by_action[code]) for code, label in DECISIONS.items() if by_action.get(code)],
        sanctions=[(str(label), sanctions.get(code, 0)) for code, label in SANCTIONS.items()],
        recent=recent_decisions(),
    )
