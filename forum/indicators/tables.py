"""The shape every indicator takes: a table of cells (rows by columns) with its chart, made once and then shown
on the page, drawn as SVG, exported as CSV and JSON, published as open data and printed by the command line.

A cell holds a number, or says why it holds none: ``withheld`` (it would count fewer than five people, or let a
small group be worked out: shown as "fewer than 5"), ``pending`` (self-declared figures of a month that is not
over, or of an event whose check-in is open) or nothing to count ("—")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: what the numbers of a table are (how they are written and drawn)
UNITS = ("people", "count", "percent", "days", "hours")


@dataclass
class Cell:
    """One figure."""

    value: int | float | None = None
    #: withheld to protect small groups ("fewer than 5")
    withheld: bool = False
    #: not shown yet (self-declared data of a month not over, of an event whose check-in is open)
    pending: bool = False
    #: where the viewer may see what this figure counts (None: nothing to link, or nothing they may see)
    url: str | None = None
    #: for shares measured against a target: whether the target is reached (None: no target, or no figure)
    meets_target: bool | None = None

    @property
    def shown(self) -> bool:
        """Whether the cell shows a number."""
        return self.value is not None and not self.withheld and not self.pending


@dataclass
class Column:
    """A column: its key in exports (a month ``YYYY-MM``, or a measure such as ``registrations``) and its
    heading in the reader's language."""

    key: str
    label: str
    #: the column's own unit, when it differs from the table's (a share among counts)
    unit: str | None = None


@dataclass
class Row:
    """A row: its key in exports, its label in the reader's language and one cell per column."""

    key: str
    label: str
    cells: list[Cell]
    #: the language of ``label`` when it is content (a platform's or an event's name), for ``lang``
    lang: str | None = None
    #: where the viewer may see what the row is about (a platform, an event, an agency's consultations)
    url: str | None = None
    #: ``group``; ``withheld`` (the people of groups not shown, together); ``total``
    kind: str = "group"


@dataclass
class Chart:
    """How the table is drawn: ``stacked`` columns (one per column of the table, stacked by row), ``grouped``
    columns (per column of the table, a bar per row), or horizontal ``bars`` (one per row, for one column)."""

    kind: str
    #: the rows drawn, by key (None: every row that is not a total)
    rows: list[str] | None = None
    #: for ``bars``: the column drawn
    column: str | None = None
    #: a line drawn across at this value (a target, in per cent)
    target: float | None = None
    #: the top of the scale (100 for shares; None: the largest value)
    maximum: float | None = None


@dataclass
class Table:
    """One indicator table."""

    #: its stable name in exports and the open data (``participants-by-sector``)
    key: str
    title: str
    #: what it counts and how, in a sentence or two (also the data dictionary's entry)
    description: str
    #: a key of :data:`UNITS`
    unit: str
    columns: list[Column]
    rows: list[Row]
    chart: Chart | None = None
    #: remarks shown under the table (a filter that does not apply to it, what a pending cell waits for)
    notes: list[str] = field(default_factory=list)
    #: which section of the dashboard it belongs to (a key of ``choices.SECTIONS``)
    section: str = ""

    def unit_of(self, column: Column) -> str:
        """What the numbers of ``column`` are: its own unit, or the table's."""
        return column.unit or self.unit

    def row(self, key: str) -> Row | None:
        """The row with ``key``, if any."""
        return next((row for row in self.rows if row.key == key), None)


#: the fields of one record of a table in the exports (one record per cell), in order
RECORD_FIELDS = ("table", "row", "row_label", "column", "column_label", "value", "status")


def status(cell: Cell) -> str:
    """What a cell's value means in the exports: ``shown``, ``withheld`` (fewer than 5), ``pending`` or
    ``none`` (nothing to count)."""
    if cell.withheld:
        return "withheld"
    if cell.pending:
        return "pending"
    return "shown" if cell.value is not None else "none"


def records(table: Table) -> list[dict[str, Any]]:
    """The table as records, one per cell (the "tidy" form spreadsheets and statistics software read)."""
    return [{"table": table.key, "row": row.key, "row_label": row.label, "column": column.key,
             "column_label": column.label, "value": cell.value if cell.shown else None, "status": status(cell)}
            for row in table.rows for column, cell in zip(table.columns, row.cells, strict=True)]
