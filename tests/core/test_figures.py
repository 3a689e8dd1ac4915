"""Small groups are never shown, nor can they be worked out from what is shown."""

from forum.core.figures import breakdown, breakdown_within


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


def test_a_filtered_view_shows_only_what_the_wider_view_shows():
    wider = {"woman": 12, "man": 5, "non_binary": 2}
    shown = breakdown(wider)  # man is withheld with the 2
    filtered = breakdown_within({"woman": 6, "man": 5, "non_binary": 2}, [(wider, shown)])
    assert filtered.shown == [("woman", 6)]
    assert filtered.withheld == 7
    # with one non-binary person outside the view, the 6 women outside would leave that one person alone
    assert breakdown_within({"woman": 6, "man": 5, "non_binary": 1}, [(wider, shown)]).shown == []


def test_a_filtered_group_is_withheld_when_it_leaves_a_few_people_out():
    wider = {"woman": 9, "man": 20, "non_binary": 5}
    shown = breakdown(wider)
    # 7 of the 9 women: the 2 others would be read off the difference
    assert breakdown_within({"woman": 7, "man": 10}, [(wider, shown)]).shown == [("man", 10)]
    # all of them, or at least 5 left out: shown
    assert breakdown_within({"woman": 9, "man": 15}, [(wider, shown)]).shown == [("man", 15), ("woman", 9)]
    assert breakdown_within({"woman": 9, "man": 15}, [(wider, shown)]).withheld is None


def test_what_is_withheld_outside_the_filtered_view_is_protected_too():
    wider = {"woman": 10, "man": 10, "non_binary": 6}
    shown = breakdown(wider)
    # the view holds 5 women, 5 men and 3 non-binary people: withheld 3 here is too few, so a shown group joins
    # them; and outside the view 5 women, 5 men and 3 non-binary people: the same
    filtered = breakdown_within({"woman": 5, "man": 5, "non_binary": 3}, [(wider, shown)])
    assert filtered.shown == [("man", 5)]
    assert filtered.withheld == 8


def test_a_small_filtered_total_shows_no_groups():
    wider = {"woman": 10}
    assert breakdown_within({"woman": 4}, [(wider, breakdown(wider))]).shown == []
