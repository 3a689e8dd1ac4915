"""The indicators' charts: the geometry ``charts.draw`` works out of a table, and the SVG the ``chart`` macro
writes of it (valid, labelled, one mark per figure shown, escaped, unique ids, numbers in the reader's locale)."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest
from flask import render_template_string
from flask_babel import force_locale

from forum.indicators import charts
from forum.indicators.charts import BAND, BAR, PLOT_HEIGHT, TOP, draw, shortened, ticks
from forum.indicators.tables import Cell, Chart, Column, Row, Table

SVG = "{http://www.w3.org/2000/svg}"
BOTTOM = TOP + PLOT_HEIGHT  # where the columns stand
MACRO = '{% from "indicators/_chart.html" import chart %}'


def months(count: int) -> list[Column]:
    """Columns for ``count`` months of 2026 (later years past December)."""
    return [Column(f"{2026 + n // 12}-{n % 12 + 1:02d}", f"Month {n + 1}") for n in range(count)]


def numbers(*values) -> list[Cell]:
    """Cells from values: a number, "withheld", "pending" or None (nothing to count)."""
    return [Cell(withheld=True) if v == "withheld" else Cell(pending=True) if v == "pending" else Cell(v)
            for v in values]


def people_table(key: str = "participants-by-gender", label: str = "Women") -> Table:
    """Two months of people by gender: one group withheld in February, the groups under 5 together, a total."""
    return Table(key=key, title="Participants by gender", description="…", unit="people", columns=months(2),
                 rows=[Row("women", label, numbers(10, 20)), Row("men", "Men", numbers(20, "withheld")),
                       Row("withheld", "Groups of fewer than 5 people, together", numbers(5, 5), kind="withheld"),
                       Row("total", "Active participants", numbers(35, 29), kind="total")],
                 chart=Chart("stacked"), section="participants")


def shares_table(value: float = 42.5) -> Table:
    """Shares of women per month: two activities charted (the chart's order, not the table's), one not."""
    return Table(key="share-of-women", title="Share of women", description="…", unit="percent", columns=months(3),
                 rows=[Row("posters", "Posters", numbers(value, 25, "pending")),
                       Row("commenters", "Commenters", numbers(50, "withheld", "pending")),
                       Row("attendees", "Attendees", numbers(80, 90, 100))],
                 chart=Chart("grouped", rows=["commenters", "posters"], target=50.0, maximum=100.0))


def bars_table(label: str = "Justice", target: float | None = None) -> Table:
    """Registrations per event: bars for one column, a total row that is not drawn."""
    return Table(key="events", title="Events", description="…", unit="count",
                 columns=[Column("capacity", "Capacity"), Column("registrations", "Registrations")],
                 rows=[Row("a", label, numbers(40, 12)), Row("b", "Security", numbers(40, 30)),
                       Row("c", "Gender", numbers(40, "pending")), Row("d", "Employment", numbers(40, None)),
                       Row("total", "All events", numbers(160, 42), kind="total")],
                 chart=Chart("bars", column="registrations", target=target))


def marks_of(drawing) -> dict[tuple[str, str], charts.Mark]:
    return {(mark.row, mark.column): mark for mark in drawing.marks}


# ---- geometry ------------------------------------------------------------------------------------------------

def test_stacked_segments_are_proportional_and_stack_up(app):
    with app.test_request_context(), force_locale("en"):
        drawing = draw(people_table())
    marks = marks_of(drawing)
    # January: 10 + 20 + 5 = 35 people; the scale goes up to 40 in steps of 10, so 6 px per person
    assert [t.value for t in drawing.ticks] == [0, 10, 20, 30, 40]
    assert (marks["women", "2026-01"].y, marks["women", "2026-01"].height) == (BOTTOM - 60, 60)
    assert (marks["men", "2026-01"].y, marks["men", "2026-01"].height) == (BOTTOM - 180, 120)
    assert (marks["withheld", "2026-01"].y, marks["withheld", "2026-01"].height) == (BOTTOM - 210, 30)
    # February: men withheld draw nothing; the withheld groups stand right on top of the women
    assert ("men", "2026-02") not in marks
    assert (marks["withheld", "2026-02"].y, marks["withheld", "2026-02"].height) == (BOTTOM - 150, 30)
    assert marks["women", "2026-02"].y == BOTTOM - 120
    # the total row is not drawn: five marks for five shown cells
    assert len(drawing.marks) == 5
    assert {mark.row for mark in drawing.marks} == {"women", "men", "withheld"}
    # a column's segments are as wide as each other and sit in the column's place
    assert marks["women", "2026-01"].x == marks["men", "2026-01"].x < marks["women", "2026-02"].x


def test_stacked_styles_legend_and_titles(app):
    with app.test_request_context(), force_locale("en"):
        drawing = draw(people_table())
    marks = marks_of(drawing)
    assert marks["women", "2026-01"].css == "series-0" and marks["women", "2026-01"].texture is None
    assert marks["men", "2026-01"].css == "series-1"
    assert marks["men", "2026-01"].texture == "participants-by-gender-chart-diagonal"
    assert marks["withheld", "2026-01"].css == "series-withheld"
    assert marks["withheld", "2026-01"].texture == "participants-by-gender-chart-withheld"
    assert [t.name for t in drawing.textures] == ["diagonal", "withheld"]
    assert [(e.label, e.css) for e in drawing.legend] == [
        ("Women", "series-0"), ("Men", "series-1"), ("Groups of fewer than 5 people, together", "series-withheld")]
    assert marks["women", "2026-02"].title == "Month 2 — Women: 20"
    assert marks["women", "2026-02"].value == "20"
    assert "fewer than 5" in drawing.note


def test_grouped_bars_side_by_side_with_target(app):
    with app.test_request_context(), force_locale("en"):
        drawing = draw(shares_table())
    marks = marks_of(drawing)
    # the maximum (100 %) fixes the scale: 2.4 px per point
    assert [t.value for t in drawing.ticks] == [0, 20, 40, 60, 80, 100]
    assert [t.text.text for t in drawing.ticks][-1] == "100\u00a0%"
    assert marks["posters", "2026-01"].height == 102  # 42.5 × 2.4
    assert marks["commenters", "2026-01"].height == 120
    assert marks["posters", "2026-01"].y == BOTTOM - 102
    # the chart's rows only, in the chart's order, side by side, equally wide
    assert {row for row, _ in marks} == {"commenters", "posters"}
    first, second = marks["commenters", "2026-01"], marks["posters", "2026-01"]
    assert first.width == second.width and second.x == pytest.approx(first.x + first.width, abs=0.02)
    # withheld and pending cells draw nothing; a place is kept for them (the posters do not move left)
    assert len(drawing.marks) == 3
    slot = drawing.categories[1].x - drawing.categories[0].x
    assert marks["posters", "2026-02"].x == pytest.approx(second.x + slot, abs=0.02)
    assert ("commenters", "2026-02") not in marks and ("posters", "2026-03") not in marks
    # the target: a line across at 50 %
    assert drawing.target.line.y1 == drawing.target.line.y2 == BOTTOM - 120
    assert drawing.target.text.text == "Target: 50\u00a0%"
    assert drawing.target.line.x1 == drawing.axis.x1 and drawing.target.line.x2 == drawing.axis.x2


def test_bars_for_one_column(app):
    with app.test_request_context(), force_locale("en"):
        drawing = draw(bars_table(target=20.0))
    # Justice 12, Security 30; Gender pending and Employment with nothing to count draw nothing, nor the total
    assert [(m.row, m.column) for m in drawing.marks] == [("a", "registrations"), ("b", "registrations")]
    assert [t.value for t in drawing.ticks] == [0, 10, 20, 30]
    left = drawing.axis.x1
    length = drawing.ticks[-1].line.x1 - left  # the length of 30 registrations
    justice, security = drawing.marks
    assert justice.x == security.x == left
    assert justice.width == round(12 / 30 * length, 2) and security.width == round(length, 2)
    assert (justice.height, security.y - justice.y) == (BAR, BAND)
    assert [t.text for t in drawing.categories] == ["Justice", "Security"]
    assert [t.text for t in drawing.values] == ["12", "30"]
    assert drawing.values[0].x > justice.x + justice.width
    assert justice.title == "Justice: 12" and drawing.legend == []
    # the target is a line down the plot at 20
    assert drawing.target.line.x1 == drawing.target.line.x2 == round(left + 20 / 30 * length, 2)
    assert drawing.height == TOP + 2 * BAND + charts.BOTTOM


def test_bars_are_one_series_and_the_withheld_groups_hatched(app):
    table = bars_table()
    table.rows.insert(2, Row("withheld", "Groups of fewer than 5 people, together", numbers(40, 6), kind="withheld"))
    with app.test_request_context(), force_locale("en"):
        drawing = draw(table)
    assert [(m.row, m.css, m.texture) for m in drawing.marks] == [
        ("a", "series-0", None), ("b", "series-0", None),
        ("withheld", "series-withheld", "events-chart-withheld")]


def test_the_scale_reaches_the_target(app):
    table = bars_table(target=50.0)
    with app.test_request_context(), force_locale("en"):
        drawing = draw(table)
    assert drawing.ticks[-1].value == 50
    assert drawing.target.line.x1 == drawing.ticks[-1].line.x1


@pytest.mark.parametrize(("largest", "whole", "expected"), [
    (100, False, [0, 20, 40, 60, 80, 100]),
    (12, True, [0, 5, 10, 15]),
    (37, True, [0, 10, 20, 30, 40]),
    (51, True, [0, 20, 40, 60]),
    (1234, True, [0, 500, 1000, 1500]),
    (0.7, False, [0, 0.2, 0.4, 0.6, 0.8]),
    (5, True, [0, 1, 2, 3, 4, 5]),
    (2, True, [0, 1, 2]),
    (0, True, [0, 1]),
])
def test_nice_ticks(largest, whole, expected):
    assert ticks(largest, whole) == expected


def test_ticks_are_four_to_six_steps_of_one_two_or_five():
    for largest in [n / 10 for n in range(1, 3000, 7)] + list(range(3, 100000, 997)):
        steps = ticks(largest)
        step = steps[1]
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert 4 <= len(steps) <= 6, largest
        assert round(mantissa, 6) in (1, 2, 5), largest
        assert steps[-2] < largest <= steps[-1] + 1e-9, largest


def test_nothing_to_draw_is_no_chart(app):
    nothing = people_table()
    for row in nothing.rows:
        row.cells = numbers("withheld", "pending")
    no_chart = people_table()
    no_chart.chart = None
    no_rows = shares_table()
    no_rows.chart.rows = ["nobody"]
    pending_bars = bars_table()
    pending_bars.rows = pending_bars.rows[2:4]
    with app.test_request_context(), force_locale("en"):
        assert draw(nothing) is None
        assert draw(no_chart) is None
        assert draw(no_rows) is None
        assert draw(pending_bars) is None


def test_a_chart_that_draws_every_figure_has_no_note(app):
    table = people_table()
    table.row("men").cells = numbers(20, 20)
    with app.test_request_context(), force_locale("en"):
        assert draw(table).note is None


def test_many_series_differ_by_colour_and_texture(app):
    states = [Row(f"state-{n}", f"State {n}", numbers(5 + n)) for n in range(35)]
    table = Table(key="participants-by-state", title="By state", description="…", unit="people",
                  columns=months(1), rows=states, chart=Chart("stacked"))
    with app.test_request_context(), force_locale("en"):
        drawing = draw(table)
    looks = [(mark.css, mark.texture) for mark in drawing.marks]
    assert len(set(looks)) == 35
    assert {css for css, _ in looks} == {f"series-{n}" for n in range(8)}
    assert len(drawing.legend) == 35
    assert len(drawing.textures) == len(charts.TEXTURES) - 1


def test_long_labels_are_shortened_but_kept_whole():
    assert shortened("Justice", 10) == ("Justice", None)
    whole = "Access to justice and the rule of law"
    assert shortened(whole, 10) == ("Access to…", whole)


def test_long_row_labels_of_bars_end_with_an_ellipsis(app):
    name = "Diálogo UE–México sobre cohesión social y derechos humanos en Oaxaca"
    table = bars_table(label=name)
    table.rows[0].lang = "es"
    with app.test_request_context(), force_locale("en"):
        drawing = draw(table)
    label = drawing.categories[0]
    assert label.text.endswith("…") and len(label.text) == charts.LONGEST_LABEL
    assert label.full == name and label.lang == "es"
    assert drawing.marks[0].title == f"{name}: 12"


def test_many_months_are_labelled_every_few_columns(app):
    table = Table(key="moderation", title="Moderation", description="…", unit="count", columns=months(36),
                  rows=[Row("flags", "Flags", numbers(*range(36)))], chart=Chart("grouped", rows=["flags"]))
    with app.test_request_context(), force_locale("en"):
        drawing = draw(table)
    assert len(drawing.marks) == 36  # a month with no flag is a bar of height 0
    assert 4 <= len(drawing.categories) < 36
    assert drawing.categories[0].text == "Month 1"
    gaps = [b.x - a.x for a, b in zip(drawing.categories, drawing.categories[1:], strict=False)]
    assert max(gaps) - min(gaps) < 0.02 and min(gaps) >= len("Month 10") * charts.CHAR


# ---- the SVG -------------------------------------------------------------------------------------------------

def render(app, *tables: Table, locale: str = "en") -> tuple[ET.Element, list]:
    """The charts of ``tables`` on one page, parsed as XML, and their drawings."""
    with app.test_request_context(), force_locale(locale):
        drawings = [draw(table) for table in tables]
        html = render_template_string(
            MACRO + "<div>{% for t, d in pairs %}{{ chart(t, d) }}{% endfor %}</div>",
            pairs=list(zip(tables, drawings, strict=True)))
    return ET.fromstring(html), drawings  # noqa: S314 (our own page; the parser expands no external entities)


def test_the_svg_is_a_labelled_image(app):
    page, (drawing,) = render(app, people_table())
    figure = page.find("figure")
    assert "chart" in figure.get("class").split()
    svg = figure.find(f"{SVG}svg")
    assert svg.get("role") == "img"
    assert svg.get("viewBox") == drawing.view_box and svg.get("width") == "100%"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title.text == "Participants by gender"
    assert "table below" in desc.text
    assert svg.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert figure.find("figcaption/span[@class='chart-title']").text == "Participants by gender"
    assert "fewer than 5" in figure.find("figcaption/span[@class='chart-note']").text


def test_one_rect_per_shown_cell_with_its_title(app):
    page, (drawing,) = render(app, people_table())
    bars = [rect for rect in page.iter(f"{SVG}rect") if "bar" in rect.get("class", "").split()]
    assert len(bars) == 5
    titles = [bar.find(f"{SVG}title").text for bar in bars]
    assert "Month 1 — Women: 10" in titles and "Month 1 — Men: 20" in titles
    women = bars[titles.index("Month 1 — Women: 10")]
    assert (float(women.get("y")), float(women.get("height"))) == (BOTTOM - 60, 60)
    assert "series-0" in women.get("class")
    # no colour is written in the page: the stylesheet gives each series its colour
    assert not any(el.get("style") for el in page.iter())
    assert all(el.get("fill", "").startswith("url(#") for el in page.iter() if el.get("fill"))


def test_textures_are_defined_once_and_every_reference_resolves(app):
    page, _ = render(app, people_table())
    patterns = [p.get("id") for p in page.iter(f"{SVG}pattern")]
    assert patterns == ["participants-by-gender-chart-diagonal", "participants-by-gender-chart-withheld"]
    used = {re.fullmatch(r"url\(#(.+)\)", el.get("fill")).group(1) for el in page.iter() if el.get("fill")}
    assert used == set(patterns)
    legend = page.find("figure/ul")
    assert ["".join(li.itertext()).strip() for li in legend] == [
        "Women", "Men", "Groups of fewer than 5 people, together"]
    assert all(li.find(f"{SVG}svg").get("aria-hidden") == "true" for li in legend)


def test_ids_are_unique_on_a_page_of_charts(app):
    page, _ = render(app, people_table(), people_table(key="participants-by-sector"), shares_table(),
                     bars_table(target=30.0))
    ids = [el.get("id") for el in page.iter() if el.get("id")]
    assert len(ids) == len(set(ids)) and len(ids) >= 4 * 2
    for svg in page.iter(f"{SVG}svg"):
        for name in (svg.get("aria-labelledby") or "").split():
            assert name in {el.get("id") for el in svg.iter()}


def test_labels_are_escaped(app):
    evil = '<script>alert("x")</script> & co'
    table = people_table(label=evil)
    table.title = "<b>Title</b>"
    bars = bars_table(label=evil)
    page, _ = render(app, table, bars)
    assert not list(page.iter("script")) and not list(page.iter(f"{SVG}script")) and not list(page.iter("b"))
    texts = [text for el in page.iter() for text in (el.text,) if text]
    assert f"Month 1 — {evil}: 10" in texts
    assert evil in texts  # the legend and the bars' shortened label's <title>
    assert page.find(f"figure/{SVG}svg/{SVG}title").text == "<b>Title</b>"


@pytest.mark.parametrize(("locale", "share", "thousands"), [
    ("en", "42.5\u00a0%", "1,500"),
    ("es", "42,5\u00a0%", "1.500"),
])
def test_numbers_in_the_readers_locale(app, locale, share, thousands):
    counts = Table(key="registrations", title="Registrations", description="…", unit="count",
                   columns=months(1), rows=[Row("a", "A", numbers(1234))], chart=Chart("bars"))
    page, _ = render(app, shares_table(), counts, locale=locale)
    titles = [el.text for el in page.iter(f"{SVG}title")]
    assert any(title.endswith(f": {share}") for title in titles)
    texts = [el.text for el in page.iter(f"{SVG}text")]
    assert "100\u00a0%" in texts and thousands in texts
    assert thousands.replace("500", "234") in texts  # the bar's figure
    # the coordinates never take the reader's decimal comma
    assert all("," not in rect.get("x") for rect in page.iter(f"{SVG}rect"))


def test_a_cell_with_nothing_to_count_is_said_in_words_to_screen_readers(app):
    """The dash is hidden from screen readers, which read the words instead (an unnamed span takes no label)."""
    with app.test_request_context(), force_locale("es"):
        html = str(charts.cell_html(Cell(None), "people"))
    assert 'aria-hidden="true">—<' in html and "aria-label" not in html
    assert '<span class="visually-hidden">nada que contar</span>' in html
