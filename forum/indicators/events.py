"""The events section: each published event starting within the period, with its seats, registrations, waiting
list and attendance; on the full level, its registrations by sector (groups under five withheld)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, exists, func, or_, select

from forum.accounts.choices import SECTORS
from forum.core.db import utcnow
from forum.core.figures import breakdown
from forum.events import registrations
from forum.events.figures import NOT_GIVEN, group_label
from forum.events.models import Event, Registration, event_platforms
from forum.events.rules import visible_events
from forum.extensions import db
from forum.i18n import localized
from forum.indicators.filters import Filters
from forum.indicators.scope import Scope
from forum.indicators.tables import Cell, Chart, Column, Row, Table

#: the groups of the table by sector, in order
GROUPS = (*SECTORS, NOT_GIVEN)
#: the column of people in groups not shown
WITHHELD = "withheld"


@dataclass
class _Figures:
    """What one event counts: its confirmed registrations by sector, attendees and people waiting."""

    by_sector: dict[str, int]
    attended: int
    waitlist: int
    #: whether attendance is final (check-in has closed)
    final: bool

    @property
    def registered(self) -> int:
        """Confirmed registrations."""
        return sum(self.by_sector.values())


def _on_counted_platform(scope: Scope, filters: Filters) -> ColumnElement[bool]:
    """Events placed on a counted platform; with no platform chosen, events placed on none too."""
    placed = select(event_platforms.c.event_id).where(event_platforms.c.event_id == Event.id)
    counted = exists(placed.where(event_platforms.c.platform_id.in_([p.id for p in scope.counted(filters)])))
    return counted if filters.platform is not None else or_(counted, ~exists(placed))


def _events(scope: Scope, filters: Filters) -> list[Event]:
    """The published events the scope's viewer may see, starting within the period on a counted platform (in the
    chosen state), in order of their start."""
    query = select(Event).where(visible_events(scope.viewer), Event.status == "published",
                                Event.starts_at >= filters.period.start, Event.starts_at < filters.period.end,
                                _on_counted_platform(scope, filters))
    if filters.state is not None:
        query = query.where(Event.state == filters.state)
    return list(db.session.scalars(query.order_by(Event.starts_at, Event.id)))


def _figures(events: list[Event]) -> dict[int, _Figures]:
    """Each event's figures in two queries; events anonymised after their retention period give the figures
    frozen before it."""
    ids = [event.id for event in events]
    taken, waiting = registrations.counts_of(ids)
    attended = dict(db.session.execute(
        select(Registration.event_id, func.count())
        .where(Registration.event_id.in_(ids), Registration.status == "confirmed",
               Registration.attended_at.is_not(None))
        .group_by(Registration.event_id)).all()) if ids else {}
    now = utcnow()
    found = {}
    for event in events:
        if event.figures is not None:
            by_sector = event.figures["registered"].get("sector", {})
            present = sum(event.figures["attended"].get("sector", {}).values())
        else:
            by_sector, present = taken.get(event.id, {}), attended.get(event.id, 0)
        found[event.id] = _Figures(_groups(by_sector), present, waiting.get(event.id, 0),
                                   registrations.check_in_closes(event) <= now)
    return found


def _groups(by_sector: dict[str, int]) -> dict[str, int]:
    """Counts by sector under the table's groups: a sector not given (or no longer offered) is "not given"."""
    grouped: dict[str, int] = {}
    for sector, count in by_sector.items():
        group = sector if sector in SECTORS else NOT_GIVEN
        grouped[group] = grouped.get(group, 0) + count
    return grouped


def _rate(attended: int, registered: int, final: bool) -> Cell:
    """Attendance as a share of confirmed registrations, pending until attendance is final."""
    if not final:
        return Cell(pending=True)
    return Cell(round(100 * attended / registered, 1) if registered else None)


def _label(event: Event) -> tuple[str, str, str]:
    """The row key, label (in the reader's language) and its language of an event."""
    title, lang, _fallback = localized(event, "title")
    return f"event-{event.id}", title, lang


def _attendance(events: list[Event], figures: dict[int, _Figures]) -> Table:
    """The table "events": one row per event, then the total."""
    rows = []
    for event in events:
        numbers = figures[event.id]
        key, label, lang = _label(event)
        rows.append(Row(key=key, label=label, lang=lang, url=url_for("events.show", event_id=event.id), cells=[
            Cell(event.capacity), Cell(numbers.registered), Cell(numbers.waitlist), Cell(numbers.attended),
            _rate(numbers.attended, numbers.registered, numbers.final)]))
    ended = [figures[event.id] for event in events if figures[event.id].final]
    total_rate = _rate(sum(f.attended for f in ended), sum(f.registered for f in ended), bool(ended) or not events)
    limits = [event.capacity for event in events if event.capacity is not None]
    rows.append(Row(key="total", label=_("All events"), kind="total", cells=[
        Cell(sum(limits) if limits else None), Cell(sum(f.registered for f in figures.values())),
        Cell(sum(f.waitlist for f in figures.values())), Cell(sum(f.attended for f in figures.values())),
        total_rate]))
    return Table(
        key="events",
        title=_("Events: registrations and attendance"),
        description=_(
            "Published events starting within the period: their seats, confirmed registrations, the people on "
            "the waiting list now, the confirmed people who attended, and attendance as a share of confirmed "
            "registrations."),
        unit="count",
        columns=[Column("capacity", _("Seats")), Column("registrations", _("Registrations")),
                 Column("waitlist", _("Waiting list")), Column("attended", _("Attended")),
                 Column("attendance_rate", _("Attendance (%)"), "percent")],
        rows=rows,
        chart=Chart("bars", column="registrations"),
        notes=[_("Attendance is shown once check-in has closed, a day after the event ends. The total's "
                 "attendance counts the events whose check-in has closed."),
               _("An event without a seat limit shows no seats; the total counts the seats of the others.")],
        section="events",
    )


def _by_sector(events: list[Event], figures: dict[int, _Figures]) -> Table:
    """The table "events-by-sector": each event's confirmed registrations by sector, small groups withheld."""
    rows = []
    for event in events:
        shown = breakdown(figures[event.id].by_sector)
        counts = dict(shown.shown)
        # with nothing withheld, a group not shown has nobody; otherwise any of them may hide a few people
        cells = [Cell(counts[group]) if group in counts
                 else Cell(None if shown.withheld else 0, withheld=bool(shown.withheld)) for group in GROUPS]
        key, label, lang = _label(event)
        rows.append(Row(key=key, label=label, lang=lang, url=url_for("events.show", event_id=event.id),
                        cells=[*cells, Cell(shown.withheld or 0)]))
    return Table(
        key="events-by-sector",
        title=_("Events: registrations by sector"),
        description=_(
            "The confirmed registrations of each event by the sector people declared. A sector with fewer than "
            "5 people is not shown, nor any group that would let one be worked out; the last column counts the "
            "people in the groups not shown."),
        unit="people",
        columns=[*(Column(group, group_label("sector", group)) for group in GROUPS),
                 Column(WITHHELD, _("In groups not shown"))],
        rows=rows,
        notes=[_("There is no total row: adding up events would let a group withheld in one of them be worked "
                 "out.")],
        section="events",
    )


def tables(scope: Scope, filters: Filters) -> list[Table]:
    """The table "events" and, on the full level, "events-by-sector", in three queries whatever the number of
    events."""
    events = _events(scope, filters)
    figures = _figures(events)
    made = [_attendance(events, figures)]
    if scope.full:
        made.append(_by_sector(events, figures))
    return made
