"""What a breakdown of people may show under the page's filters, so that no figure can be worked out by taking
one view from another.

A page may be filtered by platform, by state or both. Each such view is one row of a table of every view of its
kind: every platform's, every state's (people have one state, so the states add up to everyone), and every
state's within the chosen platform. Each table is protected as a whole by ``forum.core.figures
.breakdowns_within``; the view asked for is then read from it. A state's view is shown only when the breakdown by
state shows that state, and a state within a platform is checked against the same state over all platforms."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property

from forum.core.figures import Breakdown, breakdown, breakdowns_within

#: the breakdown of a view with nobody in it (or nobody counted), whose size is not told either
NOBODY = Breakdown(0, [], None, total_shown=False)
#: the counts by group of the view of one platform (None: all) and one state (None: any)
View = Callable[[int | None, str | None], dict[str, int]]


class Guarded:
    """The protected breakdowns of every view of one figure (a dimension in one month, say)."""

    def __init__(self, view: View, states: Callable[[int | None], Iterable[str]], platforms: Iterable[int],
                 published: Callable[[int | None], set[str] | None] = lambda _platform: None):
        #: the counts of a view; the states present in a platform's view; every platform counted; the states
        #: whose views may be shown within a platform's view (None: any with enough people)
        self.view, self.states, self.platforms, self.published = view, states, list(platforms), published
        self._within: dict[int, dict] = {}

    @cached_property
    def whole(self) -> Breakdown:
        """The unfiltered breakdown."""
        return breakdown(self.view(None, None))

    @cached_property
    def by_platform(self) -> dict:
        """Every platform's view, protected together."""
        return breakdowns_within({platform: self.view(platform, None) for platform in self.platforms},
                                 self.view(None, None), self.whole)

    @cached_property
    def by_state(self) -> dict:
        """Every state's view, protected together."""
        return breakdowns_within({state: self.view(None, state) for state in self.states(None)},
                                 self.view(None, None), self.whole, published=self.published(None))

    def within(self, platform: int) -> dict:
        """Every state's view within one platform, protected together and against the same state's view."""
        if platform not in self._within:
            states = list(self.states(platform))
            self._within[platform] = breakdowns_within(
                {state: self.view(platform, state) for state in states}, self.view(platform, None),
                self.by_platform[platform], published=self.published(platform),
                wider={state: (self.view(None, state), self.by_state[state]) for state in states
                       if state in self.by_state})
        return self._within[platform]

    def shown(self, platform: int | None, state: str | None) -> Breakdown:
        """The breakdown shown for one platform (None: all) and one state (None: any)."""
        if platform is not None and platform not in self.platforms:
            return NOBODY  # a platform whose people are not counted here
        if state is None:
            return self.whole if platform is None else self.by_platform[platform]
        table = self.by_state if platform is None else self.within(platform)
        return table.get(state) or NOBODY
