"""Small groups are never shown, nor can they be worked out from what is shown."""

from forum.core.figures import breakdown


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
