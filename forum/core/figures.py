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
