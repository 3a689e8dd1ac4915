"""What a run is asked to measure, what it measured, and the statistics of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: how long to wait, after the last post, for stragglers
DRAIN_TIMEOUT = 15.0


@dataclass
class Settings:
    """What to measure and where, from the command line and ``FORUM_BENCH_*`` variables."""

    output: Path
    database_url: str | None
    redis_url: str
    server: str
    requests: int
    concurrency: int
    clients: int
    posts: int
    interval: float
    threads: int


@dataclass
class PageFigures:
    """Thread page throughput and latency under load."""

    processes: int
    requests: int
    concurrency: int
    seconds: float
    latencies: list[float]
    errors: int
    first_page_bytes: int
    last_page_bytes: int

    @property
    def per_second(self) -> float:
        """Completed requests per second of wall time."""
        return self.requests / self.seconds


@dataclass
class Delay:
    """The time from one post's commit to its arrival at one client."""

    post_id: int
    seconds: float
    #: whether the client was connected to the process the post was made through
    same_process: bool


@dataclass
class LiveFigures:
    """Delays from commit to arrival, over every (client, post) pair."""

    processes: int
    clients: int
    posts: int
    interval: float
    #: one for every (client, post) pair that arrived
    delays: list[Delay] = field(default_factory=list)
    missing: int = 0
    subscribe_seconds: float = 0.0


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile of ``values`` (linear interpolation between closest ranks)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def milliseconds(seconds: float) -> str:
    """A duration in milliseconds, one decimal."""
    return f"{seconds * 1000:.1f} ms"
