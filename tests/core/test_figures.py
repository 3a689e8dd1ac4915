"""Small groups are never shown, nor can they be worked out from what is shown."""

from forum.core.figures import breakdown, breakdowns_within


def test_groups_under_five_are_withheld_with_enough_company():
    result = breakdown({"woman": 12, "man": 9, "non_binary": 3, "not_given": 4})
    assert result.total == 28
    assert result.shown == [("woman", 12), ("man", 9)]
    assert result.withheld == 7


def test_a_single_small_group_cannot_be_derived_from_the_total():
    result = breakdown({"woman": 12, "man": 9, "non_binary": 2})
    assert ("non_binary", 2) not in result.shown
    assert result.withheld is not None and result.withheld >= 5
    assert result.shown == [("woman", 12)]


def test_a_small_total_shows_no_groups():
    assert breakdown({"woman": 3, "man": 1}).shown == []
    assert breakdown({}).withheld is None


def test_nothing_withheld_when_every_group_is_large():
    result = breakdown({"woman": 5, "man": 6})
    assert result.shown == [("man", 6), ("woman", 5)] and result.withheld is None



def _within(rows, whole, **options):
    return breakdowns_within(rows, whole, breakdown(whole), **options)


def test_a_filtered_view_shows_only_what_the_whole_shows():
    whole = {"woman": 12, "man": 5, "non_binary": 2}  # man is withheld with the 2
    views = _within({"a": {"woman": 6, "man": 5, "non_binary": 2}, "b": {"woman": 6}}, whole)
    assert views["a"].shown == [("woman", 6)] and views["a"].withheld == 7
    assert views["b"].shown == [("woman", 6)]


def test_a_group_is_withheld_when_the_view_leaves_a_few_of_them_out():
    whole = {"woman": 9, "man": 20, "non_binary": 5}
    # 7 of the 9 women: the 2 others would be read off the difference
    assert _within({"a": {"woman": 7, "man": 10}}, whole)["a"].shown == [("man", 10)]
    # all of them, or at least 5 left out: shown
    assert _within({"a": {"woman": 9, "man": 15}}, whole)["a"].shown == [("man", 15), ("woman", 9)]


def test_sibling_views_cannot_be_added_up_to_single_out_the_rest():
    # 40 people: Oaxaca 10 women and 10 men, San Luis Potosí 7 women and 10 men, Mexico City 3 women
    whole = {"woman": 20, "man": 20}
    rows = {"OAX": {"woman": 10, "man": 10}, "SLP": {"woman": 7, "man": 10}, "CMX": {"woman": 3}}
    views = _within(rows, whole)
    # each state alone leaves at least 5 women out, but Oaxaca's and San Luis Potosí's women shown together would
    # tell that Mexico City's 3 people are women: one of them is withheld too
    shown_women = [state for state in ("OAX", "SLP") if dict(views[state].shown).get("woman")]
    assert len(shown_women) <= 1
    assert 20 - sum(dict(views[s].shown).get("woman", 0) for s in ("OAX", "SLP", "CMX")) >= 5
    assert views["CMX"].shown == [] and not views["CMX"].total_shown


def test_a_view_the_whole_keeps_back_is_not_broken_down_nor_counted():
    whole = {"woman": 20, "man": 20}
    views = _within({"OAX": {"woman": 10, "man": 10}, "SLP": {"woman": 10, "man": 10}}, whole,
                    published={"OAX"})
    assert views["SLP"].shown == [] and not views["SLP"].total_shown
    assert views["OAX"].total_shown


def test_a_view_inside_a_wider_one_is_checked_against_it_too():
    # justice and Oaxaca: 7 women, within justice's 12 (5 left out: fine) and Oaxaca's 9 (2 left out: withheld)
    justice = {"woman": 12}
    views = breakdowns_within({"OAX": {"woman": 7}, "SLP": {"woman": 5}}, justice, breakdown(justice),
                              wider={"OAX": ({"woman": 9}, breakdown({"woman": 9}))})
    assert views["OAX"].shown == []


def test_what_is_withheld_outside_a_view_is_protected_too():
    whole = {"woman": 10, "man": 10, "non_binary": 6}
    # inside: 5 women, 5 men, 3 non-binary; outside: 5 women, 5 men, 3 non-binary. Withheld 3 inside is too few,
    # so a shown group joins them; the same outside
    view = _within({"a": {"woman": 5, "man": 5, "non_binary": 3}}, whole)["a"]
    assert view.shown == [("man", 5)]
    assert view.withheld == 8


def test_a_small_view_shows_no_groups():
    assert _within({"a": {"woman": 4}}, {"woman": 10})["a"].shown == []
