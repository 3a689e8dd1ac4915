"""The charts of the indicator tables, worked out on the server as plain geometry that
``templates/indicators/_chart.html`` writes out as SVG: no script, and nothing to compute in the template.

A chart draws only the cells a table shows (:attr:`Cell.shown`): a figure withheld ("fewer than 5") or not yet
final draws nothing, and the table beside the chart says why. Series are told apart by colour (eight colours
that people with a colour vision deficiency can tell apart, ``.series-0`` … ``.series-7`` in
``static/css/indicators.css``) and by a texture laid over the colour, so that no information rests on colour
alone; the people of the groups withheld, together, are a hatched segment of their own."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from babel import numbers
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from forum.core.figures import SMALLEST_GROUP
from forum.indicators.tables import Cell, Chart, Row, Table

#: the colours the series cycle through (``.series-0`` … ``.series-7``)
COLOURS = 8
#: the textures the series cycle through ("" is none); with eight colours, the first forty series all differ
TEXTURES = ("", "diagonal", "dots", "horizontal", "crosshatch")
#: the style and texture of the people of the groups withheld, together
WITHHELD = "withheld"

#: the width of every chart (the SVG scales to its container)
WIDTH = 720
#: the height of the plot of a chart of columns
PLOT_HEIGHT = 240
#: the height given to each bar of a chart of horizontal bars, and the thickness of the bar itself
BAND, BAR = 26, 18
#: the room above the plot (for the target's label) and below it (for the labels of the axis)
TOP, BOTTOM = 24, 40
#: the room right of the plot of a chart of columns
RIGHT = 16
#: the width of a character of the axes' text (12px), to leave room for it
CHAR = 7
#: the longest label on an axis, in characters (longer ones end with an ellipsis)
LONGEST_LABEL = 24
#: a gap between a label and what it labels
GAP = 6


@dataclass(frozen=True)
class Line:
    """A straight line, in the chart's coordinates."""

    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Text:
    """A label: where it is anchored (``start``, ``middle`` or ``end`` of the text), what it says, the whole text
    when it had to be shortened (for its ``<title>``), and its language when it is content."""

    x: float
    y: float
    text: str
    anchor: str = "middle"
    full: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class Tick:
    """A step of the scale: its value, its grid line and its label."""

    value: float
    line: Line
    text: Text


@dataclass(frozen=True)
class Mark:
    """A bar, or a segment of a stacked column: one shown cell."""

    x: float
    y: float
    width: float
    height: float
    #: the series (the position of the row among the rows drawn; the withheld groups' row is not counted)
    series: int
    #: its style: ``series-0`` … ``series-7``, or ``series-withheld``
    css: str
    #: the id of the texture laid over it (None: none)
    texture: str | None
    #: what it shows, in full ("March 2026 — Women: 12")
    title: str
    #: its figure, as the reader writes it ("12", "42.5 %")
    value: str
    row: str
    column: str


@dataclass(frozen=True)
class Target:
    """The line drawn across at the target (per cent) and its label ("Target: 50 %")."""

    value: float
    line: Line
    text: Text


@dataclass(frozen=True)
class Entry:
    """An entry of the legend: a row's label and how its marks look."""

    label: str
    css: str
    texture: str | None
    lang: str | None = None


@dataclass(frozen=True)
class Texture:
    """A texture the chart uses, defined once in its ``<defs>``: its id on the page and its name."""

    id: str
    name: str


@dataclass(frozen=True)
class Drawing:
    """A chart ready to write out: every position is in the coordinates of its ``viewBox``."""

    kind: str
    width: float
    height: float
    #: the ids of the SVG's ``<title>`` and ``<desc>`` (unique on the page: they start with the table's key)
    title_id: str
    desc_id: str
    #: the line the bars stand on (the horizontal axis of columns, the vertical axis of bars)
    axis: Line
    ticks: list[Tick]
    #: the labels of the columns (under the axis) or of the rows (left of the bars)
    categories: list[Text]
    marks: list[Mark]
    #: the figures written at the end of horizontal bars
    values: list[Text]
    target: Target | None
    legend: list[Entry]
    textures: list[Texture]
    #: what the chart leaves out, when some figures are withheld or not yet final (None: it draws every figure)
    note: str | None

    @property
    def view_box(self) -> str:
        """The SVG's ``viewBox``."""
        return f"0 0 {self.width:g} {self.height:g}"


@dataclass(frozen=True)
class _Style:
    series: int
    css: str
    texture: str | None


def formatted(value: float, unit: str) -> str:
    """A figure as the reader writes it, as the table writes it: "1,234" or "1.234", "42.5 %" or "42,5 %"."""
    return _formatted(value, unit, str(get_locale()))


@lru_cache(maxsize=4096)
def _formatted(value: float, unit: str, locale: str) -> str:
    """:func:`formatted` in ``locale`` (kept: a page writes the same few hundred numbers a thousand times)."""
    text = numbers.format_decimal(value, locale=locale)
    return f"{text}\u00a0%" if unit == "percent" else text


def cell_html(cell: Cell, unit: str) -> Markup:
    """A figure as the tables show it: the number (linked to what it counts when the reader may see it, with ✓ or
    ✗ against a target, in words for screen readers too), "fewer than 5", "not yet", or a dash. Written here
    rather than in a template macro: a page holds a thousand of them."""
    if cell.withheld:
        return Markup('<span class="withheld">{}</span>').format(_("fewer than %(num)d", num=SMALLEST_GROUP))
    if cell.pending:
        return Markup('<span class="pending">{}</span>').format(_("not yet"))
    if cell.value is None:
        return Markup('<span class="none"><span aria-hidden="true">—</span><span class="visually-hidden">{}</span>'
                      '</span>').format(_("nothing to count"))
    text = formatted(cell.value, unit)
    html = Markup('<a href="{}">{}</a>').format(cell.url, text) if cell.url else escape(text)
    if cell.meets_target is True:
        html += Markup(' <span class="target-met">✓<span class="visually-hidden"> {}</span></span>').format(
            _("target reached"))
    elif cell.meets_target is False:
        html += Markup(' <span class="target-missed">✗<span class="visually-hidden"> {}</span></span>').format(
            _("below target"))
    return html


def ticks(largest: float, whole: bool = False) -> list[float]:
    """The steps of a scale from 0 that reaches ``largest``: four to six of them, 1, 2 or 5 times a power of ten
    apart (fewer only when ``whole`` numbers are counted and ``largest`` is under 3)."""
    if largest <= 0:
        return [0.0, 1.0]
    power = 10.0 ** math.floor(math.log10(largest / 5))
    step = next(factor * power for factor in (1, 2, 5, 10) if largest / (factor * power) <= 5 + 1e-9)
    if whole:
        step = max(step, 1.0)
    return [round(n * step, 9) for n in range(math.ceil(largest / step - 1e-9) + 1)]


def shortened(text: str, limit: int) -> tuple[str, str | None]:
    """``text`` cut to ``limit`` characters with an ellipsis, and the whole text when it was cut (else None)."""
    if len(text) <= limit:
        return text, None
    return text[:max(limit - 1, 1)].rstrip() + "…", text


def draw(table: Table) -> Drawing | None:
    """The chart of ``table`` (see :class:`Chart`), or None when it has none or nothing to draw."""
    if table.chart is None:
        return None
    rows = _drawn_rows(table, table.chart)
    bars = table.chart.kind == "bars"
    styles = _styles(rows, _prefix(table), one_series=bars)
    return _bars(table, table.chart, rows, styles) if bars else _columns(table, table.chart, rows, styles)


def _prefix(table: Table) -> str:
    return f"{table.key}-chart"


def _drawn_rows(table: Table, chart: Chart) -> list[Row]:
    if chart.rows is None:
        return [row for row in table.rows if row.kind != "total"]
    return [row for row in map(table.row, chart.rows) if row is not None]


def _styles(rows: list[Row], prefix: str, one_series: bool) -> dict[str, _Style]:
    """Each row's style: the rows in turn through the colours and the textures (or all alike, as ``one_series``,
    when each bar is labelled on the axis); the withheld groups hatched."""
    styles = {}
    series = 0
    for row in rows:
        if row.kind == WITHHELD:
            styles[row.key] = _Style(-1, f"series-{WITHHELD}", f"{prefix}-{WITHHELD}")
            continue
        texture = TEXTURES[series % len(TEXTURES)]
        styles[row.key] = _Style(series, f"series-{series % COLOURS}", f"{prefix}-{texture}" if texture else None)
        series += 0 if one_series else 1
    return styles


def _textures(marks: list[Mark], prefix: str) -> list[Texture]:
    used = {mark.texture for mark in marks}
    return [Texture(f"{prefix}-{name}", name) for name in (*TEXTURES[1:], WITHHELD) if f"{prefix}-{name}" in used]


def _scale(largest: float, unit: str, chart: Chart) -> tuple[float, list[float]]:
    """The top of the scale and its steps: the chart's maximum when it holds every figure and the target, else
    the largest of them rounded up to a step."""
    largest = max(largest, chart.target or 0)
    whole = unit in ("people", "count")
    if chart.maximum and largest <= chart.maximum:
        return chart.maximum, [tick for tick in ticks(chart.maximum, whole) if tick <= chart.maximum]
    steps = ticks(largest, whole)
    return steps[-1], steps


def _target_label(chart: Chart) -> str:
    return _("Target: %(value)s", value=formatted(chart.target, "percent"))


def _note(rows: list[Row], indexes: range | list[int]) -> str | None:
    """Say that the chart leaves out figures withheld or not yet final, if it does."""
    if any(row.cells[index].withheld or row.cells[index].pending for row in rows for index in indexes):
        return _("Figures of fewer than %(num)d people and figures not yet final are not drawn; the table gives "
                 "them.", num=SMALLEST_GROUP)
    return None


def _legend(rows: list[Row], marks: list[Mark], styles: dict[str, _Style]) -> list[Entry]:
    drawn = {mark.row for mark in marks}
    return [Entry(row.label, styles[row.key].css, styles[row.key].texture, row.lang)
            for row in rows if row.key in drawn]


def _columns(table: Table, chart: Chart, rows: list[Row], styles: dict[str, _Style]) -> Drawing | None:
    """Columns, one place per column of the table: stacked by row, or a bar per row side by side."""
    stacked = chart.kind == "stacked"
    count = len(table.columns)
    shown = [[row.cells[index].value for row in rows if row.cells[index].shown] for index in range(count)]
    if not any(shown):
        return None
    top, steps = _scale(max(sum(values) if stacked else max(values, default=0) for values in shown), table.unit, chart)
    labels = [formatted(step, table.unit) for step in steps]
    left = max(map(len, labels)) * CHAR + 2 * GAP
    right, bottom = WIDTH - RIGHT, TOP + PLOT_HEIGHT
    slot = (right - left) / count

    def y_of(value: float) -> float:
        return _r(bottom - value / top * PLOT_HEIGHT)

    marks = []
    for index, column in enumerate(table.columns):
        start = left + index * slot
        below = 0.0
        for place, row in enumerate(rows):
            cell = row.cells[index]
            if not cell.shown:
                continue
            style = styles[row.key]
            if stacked:
                x, width, low, high = start + 0.15 * slot, 0.7 * slot, below, below + cell.value
                below = high
            else:
                width = 0.8 * slot / len(rows)
                x, low, high = start + 0.1 * slot + place * width, 0, cell.value
            value = formatted(cell.value, table.unit)
            marks.append(Mark(_r(x), y_of(high), _r(width), _r(y_of(low) - y_of(high)), style.series, style.css,
                              style.texture, _("%(column)s — %(row)s: %(value)s", column=column.label,
                                               row=row.label, value=value), value, row.key, column.key))
    longest = min(max(len(column.label) for column in table.columns), LONGEST_LABEL)
    every = math.ceil((longest * CHAR + GAP) / slot)
    categories = []
    for index in range(0, count, every):
        middle = left + (index + 0.5) * slot
        room = min(every * slot, 2 * middle, 2 * (WIDTH - middle))
        text, full = shortened(table.columns[index].label, int(room / CHAR))
        categories.append(Text(_r(middle), bottom + 18, text, "middle", full))
    target = None
    if chart.target is not None:
        y = y_of(chart.target)
        target = Target(chart.target, Line(left, y, right, y), Text(right, _r(y - GAP), _target_label(chart), "end"))
    prefix = _prefix(table)
    return Drawing(
        kind=chart.kind, width=WIDTH, height=bottom + BOTTOM, title_id=f"{prefix}-title", desc_id=f"{prefix}-desc",
        axis=Line(left, bottom, right, bottom),
        ticks=[Tick(step, Line(left, y_of(step), right, y_of(step)), Text(left - GAP, _r(y_of(step) + 4), label, "end"))
               for step, label in zip(steps, labels, strict=True)],
        categories=categories, marks=marks, values=[], target=target, legend=_legend(rows, marks, styles),
        textures=_textures(marks, prefix), note=_note(rows, range(count)))


def _bars(table: Table, chart: Chart, rows: list[Row], styles: dict[str, _Style]) -> Drawing | None:
    """Horizontal bars, one per row that shows a figure in the chart's column."""
    index = [column.key for column in table.columns].index(chart.column) if chart.column else 0
    column = table.columns[index]
    unit = table.unit_of(column)
    drawn = [row for row in rows if row.cells[index].shown]
    if not drawn:
        return None
    top, steps = _scale(max(row.cells[index].value for row in drawn), unit, chart)
    names = [shortened(row.label, LONGEST_LABEL) for row in drawn]
    values = [formatted(row.cells[index].value, unit) for row in drawn]
    left = max(len(name) for name, _full in names) * CHAR + 2 * GAP
    right = WIDTH - max(map(len, values)) * CHAR - 2 * GAP
    bottom = TOP + len(drawn) * BAND

    def x_of(value: float) -> float:
        return _r(left + value / top * (right - left))

    marks, categories, figures = [], [], []
    for place, (row, (name, full), value) in enumerate(zip(drawn, names, values, strict=True)):
        cell, style = row.cells[index], styles[row.key]
        y = TOP + place * BAND
        marks.append(Mark(left, y + (BAND - BAR) / 2, _r(x_of(cell.value) - left), BAR, style.series, style.css,
                          style.texture, _("%(row)s: %(value)s", row=row.label, value=value), value, row.key,
                          column.key))
        categories.append(Text(left - GAP, y + BAND / 2 + 4, name, "end", full, row.lang))
        figures.append(Text(_r(x_of(cell.value) + GAP), y + BAND / 2 + 4, value, "start"))
    target = None
    if chart.target is not None:
        x = x_of(chart.target)
        beyond_middle = x > (left + right) / 2
        target = Target(chart.target, Line(x, TOP - GAP, x, bottom), Text(
            _r(x - GAP if beyond_middle else x + GAP), TOP - 2 * GAP, _target_label(chart),
            "end" if beyond_middle else "start"))
    labels = [formatted(step, unit) for step in steps]
    prefix = _prefix(table)
    return Drawing(
        kind=chart.kind, width=WIDTH, height=bottom + BOTTOM, title_id=f"{prefix}-title", desc_id=f"{prefix}-desc",
        axis=Line(left, TOP, left, bottom),
        ticks=[Tick(step, Line(x_of(step), TOP, x_of(step), bottom), Text(x_of(step), bottom + 18, label, "middle"))
               for step, label in zip(steps, labels, strict=True)],
        categories=categories, marks=marks, values=figures, target=target, legend=[],
        textures=_textures(marks, prefix), note=_note(rows, [index]))


def _r(value: float) -> float:
    """A coordinate to the hundredth (enough for any screen, and short to write)."""
    return round(value, 2)
