"""Aggregate figures that protect small groups: counts by group where a group of fewer than
:data:`SMALLEST_GROUP` people is never shown, nor can be worked out from the total and the groups shown."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

#: groups smaller than this are not shown
SMALLEST_GROUP = 5


@dataclass(frozen=True)
class Breakdown:
    """Counts by group, ready to show: ``shown`` (group, count) largest first, and ``withheld``, the number of
    people in groups not shown (None when nothing is withheld; shown only as "fewer than 5 each")."""

    total: int
    shown: list[tuple[str, int]]
    withheld: int | None
    #: False when the total itself is withheld (a view whose size the breakdowns around it keep back)
    total_shown: bool = True


def breakdown(counts: dict[str, int], smallest: int = SMALLEST_GROUP) -> Breakdown:
    """Withhold every group under ``smallest``. When what is withheld is itself a small number (fewer than
    ``smallest`` people, which the total would reveal), the smallest shown groups are withheld too until it is
    not. A total under ``smallest`` shows no groups at all."""
    total = sum(counts.values())
    ordered = sorted(((g, n) for g, n in counts.items() if n > 0), key=lambda item: (-item[1], item[0]))
    if total < smallest:
        return Breakdown(total, [], total or None, total_shown=total == 0)
    shown = [(g, n) for g, n in ordered if n >= smallest]
    withheld = total - sum(n for _, n in shown)
    while 0 < withheld < smallest and shown:
        withheld += shown.pop()[1]
    return Breakdown(total, shown, withheld or None)



def breakdowns_within(rows: dict[Hashable, dict[str, int]], whole: dict[str, int], whole_shown: Breakdown, *,
                      published: set | None = None,
                      wider: dict[Hashable, tuple[dict[str, int], Breakdown]] | None = None,
                      smallest: int = SMALLEST_GROUP) -> dict[Hashable, Breakdown]:
    """The breakdowns of the filtered views of a table (one per state, or per platform), made together so that no
    small group can be worked out from them and the unfiltered breakdown: not by taking one view from the whole,
    nor by taking several sibling views from it (three states' women from all women leave the fourth state's).

    ``rows`` are the counts of each view and ``whole`` those of the unfiltered one, shown as ``whole_shown``. A
    view is broken down only if it is ``published`` (when given: say, only states the breakdown by state shows)
    and holds at least ``smallest`` people; otherwise its total is withheld too. A group is shown in a view only
    if the whole shows it, there are at least ``smallest`` of them, and what the view leaves out of it is nobody or
    at least ``smallest`` people (also in the view's ``wider`` counterpart, when given: the same state over all
    platforms, for a state within one platform). Then, until nothing changes, the smallest shown groups are
    withheld: in each view, until the people withheld, in the view and in what the whole (and its wider
    counterpart) holds beyond it, are nobody or at least ``smallest``; in each group, until the people of the whole
    not shown in any view are nobody or at least ``smallest`` (when the views overlap, that sum means nothing and
    may be negative)."""

    def fits(n: int) -> bool:
        return n == 0 or n >= smallest

    in_whole = dict(whole_shown.shown)
    wider = wider or {}
    totals = {row: sum(counts.values()) for row, counts in rows.items()}
    shown: dict[Hashable, dict[str, int]] = {}
    for row, counts in rows.items():
        if totals[row] < smallest or (published is not None and row not in published):
            shown[row] = {}
            continue
        outer = wider.get(row)
        shown[row] = {group: n for group, n in counts.items()
                      if n >= smallest and group in in_whole and fits(whole.get(group, 0) - n)
                      and (outer is None or (group in dict(outer[1].shown) and fits(outer[0].get(group, 0) - n)))}

    def safe(row: Hashable) -> bool:
        kept, counts, total = shown[row], rows[row], totals[row]
        if not fits(total - sum(kept.values())):
            return False
        outside = [whole] + ([wider[row][0]] if row in wider else [])
        return all(fits(sum(other.values()) - total - sum(other.get(g, 0) - counts.get(g, 0) for g in kept))
                   for other in outside)

    def drop_smallest(row: Hashable) -> None:
        # as :func:`breakdown` does: of equal groups, the last in alphabetical order goes first
        ordered = sorted(shown[row].items(), key=lambda item: (-item[1], item[0]))
        del shown[row][ordered[-1][0]]

    changed = True
    while changed:
        changed = False
        for row in rows:
            while shown[row] and not safe(row):
                drop_smallest(row)
                changed = True
        for group in in_whole:
            holders = [row for row in rows if group in shown[row]]
            unseen = whole.get(group, 0) - sum(rows[row][group] for row in holders)
            if holders and 0 < unseen < smallest:
                del shown[min(holders, key=lambda row: (rows[row][group], str(row)))][group]
                changed = True
    return {row: Breakdown(totals[row], sorted(shown[row].items(), key=lambda item: (-item[1], item[0])),
                           (totals[row] - sum(shown[row].values())) or None,
                           total_shown=totals[row] >= smallest and (published is None or row in published))
            for row in rows}


def part_of(part: dict[str, int], whole: dict[str, int], whole_shown: Breakdown,
            smallest: int = SMALLEST_GROUP) -> Breakdown:
    """The breakdown of ``part`` of a ``whole`` shown as ``whole_shown`` (those who attended, of those registered),
    protected with the rest of the whole (those who did not come), which the reader can work out from the two."""
    rest = {group: n - part.get(group, 0) for group, n in whole.items()}
    return breakdowns_within({"part": part, "rest": rest}, whole, whole_shown, published={"part"},
                             smallest=smallest)["part"]
