"""Aggregate figures that protect small groups: counts by group where a group of fewer than
:data:`SMALLEST_GROUP` people is never shown, nor can be worked out from the total and the groups shown."""

from __future__ import annotations

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


def breakdown(counts: dict[str, int], smallest: int = SMALLEST_GROUP) -> Breakdown:
    """Withhold every group under ``smallest``. When what is withheld is itself a small number (fewer than
    ``smallest`` people, which the total would reveal), the smallest shown groups are withheld too until it is
    not. A total under ``smallest`` shows no groups at all."""
    total = sum(counts.values())
    ordered = sorted(((g, n) for g, n in counts.items() if n > 0), key=lambda item: (-item[1], item[0]))
    if total < smallest:
        return Breakdown(total, [], total or None)
    shown = [(g, n) for g, n in ordered if n >= smallest]
    withheld = total - sum(n for _, n in shown)
    while 0 < withheld < smallest and shown:
        withheld += shown.pop()[1]
    return Breakdown(total, shown, withheld or None)


def breakdown_within(counts: dict[str, int], wider: list[tuple[dict[str, int], Breakdown]],
                     smallest: int = SMALLEST_GROUP) -> Breakdown:
    """A breakdown of a filtered view (say, the people of one state) that cannot be taken away from a wider
    view to single out a small group. ``wider`` holds each view with one filter fewer: its raw counts and the
    breakdown shown of it. A group is shown only if the wider view shows it too and what the filter left out of
    it is nobody or at least ``smallest`` people; and the people withheld, in the view and in what each wider
    view holds beyond it, must be nobody or at least ``smallest`` too (the smallest shown groups are withheld
    until they are). A total under ``smallest`` shows no groups at all."""
    total = sum(counts.values())
    if total < smallest:
        return Breakdown(total, [], total or None)

    def fits(n: int) -> bool:
        return n == 0 or n >= smallest

    shown = [(g, n) for g, n in sorted(((g, n) for g, n in counts.items() if n > 0),
                                       key=lambda item: (-item[1], item[0]))
             if n >= smallest and all(
                 g in dict(seen.shown) and fits(raw.get(g, 0) - n) for raw, seen in wider)]

    def safe() -> bool:
        kept = {g for g, _n in shown}
        if not fits(total - sum(n for _g, n in shown)):
            return False
        return all(fits(sum(raw.values()) - total - sum(raw.get(g, 0) - counts.get(g, 0) for g in kept))
                   for raw, _seen in wider)

    while shown and not safe():
        shown.pop()
    withheld = total - sum(n for _g, n in shown)
    return Breakdown(total, shown, withheld or None)
