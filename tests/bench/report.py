"""The Markdown report (``docs/benchmarks.md``) and the description of the machine it was measured on."""

from __future__ import annotations

import os
import platform
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from tests.bench.figures import DRAIN_TIMEOUT, LiveFigures, PageFigures, Settings, milliseconds, percentile
from tests.bench.processes import SERVED
from tests.bench.seeding import AUTHORS, SEED_POSTS, Seeded

#: a post whose slowest pair took longer than this (seconds) counts as a slow post
SLOW = 0.05
#: the packages whose versions shape the figures
PACKAGES = ("Flask", "SQLAlchemy", "Flask-SocketIO", "python-engineio", "simple-websocket", "gunicorn", "redis")


def machine(load: float) -> dict[str, str]:
    """What the figures were measured on: CPUs (as ``nproc`` counts them), CPU model, memory, Python, OS, and
    ``load``, the 1-minute load average when the run began (other work on the machine skews the figures)."""
    model = "unknown"
    memory = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    system = f"{platform.system()} {platform.release()}"
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                system = f"{line.split('=', 1)[1].strip(chr(34))} (kernel {platform.release()})"
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"CPUs (nproc)": str(cpus), "CPU model": model, "memory": memory,
            "Python": f"{platform.python_version()} ({platform.python_implementation()})", "OS": system,
            "packages": ", ".join(f"{name} {_version(name)}" for name in PACKAGES),
            "load average (1 min) when the run began": f"{load:.2f}"}


def _version(package: str) -> str:
    """The installed version of ``package``, or "absent"."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def page_row(label: str, figures: PageFigures) -> str:
    """One table row of thread page figures."""
    return (f"| {label} | {figures.requests:,} | {figures.concurrency} | {figures.per_second:.1f} | "
            f"{milliseconds(percentile(figures.latencies, 0.5))} | {milliseconds(percentile(figures.latencies, 0.99))}"
            f" | {figures.errors} |")


def live_rows(label: str, figures: LiveFigures) -> list[str]:
    """Table rows of live delays: all pairs, and (with two processes) split by where the client was."""
    groups = [(label, figures.delays, str(figures.missing))]
    if figures.processes > 1:
        groups += [(f"{label}: clients on the posting process", [d for d in figures.delays if d.same_process], ""),
                   (f"{label}: clients on the other process (via Redis)",
                    [d for d in figures.delays if not d.same_process], "")]
    rows = []
    for name, delays, missing in groups:
        seconds = [d.seconds for d in delays]
        slowest: dict[int, float] = {}
        for delay in delays:
            slowest[delay.post_id] = max(delay.seconds, slowest.get(delay.post_id, 0.0))
        slow = sum(1 for value in slowest.values() if value > SLOW)
        rows.append(f"| {name} | {len(delays):,} | {milliseconds(percentile(seconds, 0.5))} | "
                    f"{milliseconds(percentile(seconds, 0.99))} | {milliseconds(max(seconds, default=float('nan')))}"
                    f" | {milliseconds(percentile(list(slowest.values()), 0.5))} | {slow} of {len(slowest)} | "
                    f"{missing} |")
    return rows


def report(settings: Settings, *, info: dict[str, str], database: str, server: str, redis: str, seeded: Seeded,
           pages: list[tuple[str, PageFigures]], live: list[tuple[str, LiveFigures]], notes: list[str],
           took: float) -> str:
    """The Markdown of ``docs/benchmarks.md``."""
    now = datetime.now(UTC)
    lines = [
        "# Benchmarks",
        "",
        "Figures written by `make bench` (`tests/bench/bench_threads.py`); run it again to refresh them. "
        "The benchmark is not part of `make test`.",
        "",
        f"Measured on {now:%Y-%m-%d} at {now:%H:%M} UTC; the whole run took {took:.0f} s.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in info.items()),
        f"| database | {database} |",
        f"| server | {server} |",
        f"| Redis | {redis} |",
        "",
        "Load generator, clients and servers share the same machine, so they compete for the same CPUs: the "
        "figures are a floor for what a dedicated server does, and comparable only between runs on one machine.",
        "",
        "## (a) Thread page",
        "",
        f"A public thread of {SEED_POSTS:,} posts by {AUTHORS} people, in Spanish and English, 20 posts a page "
        f"({seeded.last_page} pages). Anonymous `GET /t/<id>` requests alternate between the first page and the "
        f"last one (page {seeded.last_page}); each of the client threads keeps one HTTP/1.1 connection open and "
        "sends its next request as soon as the previous answer has been read. Latency is from sending the "
        "request to having read the whole page; requests/s is completed requests over the wall time of the run. "
        "One process renders on one CPU at a time (Python's global interpreter lock), whatever its thread "
        "count; a second process can use another CPU, which the load generator shares here.",
        "",
        "| set-up | requests | client threads | requests/s | p50 | p99 | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *(page_row(label, figures) for label, figures in pages),
        "",
    ]
    if pages:
        lines += [f"Page sizes: first page {pages[0][1].first_page_bytes / 1024:.0f} KiB, last page "
                  f"{pages[0][1].last_page_bytes / 1024:.0f} KiB of HTML.", ""]
    lines += [
        "## (b) Live posts: from commit to arrival",
        "",
        f"{settings.clients} Socket.IO clients (WebSocket transport, anonymous visitors, no compression) "
        f"subscribe to the thread; then {settings.posts} replies are posted through the JSON API "
        f"(`POST /api/v1/threads/<id>/posts`), one every {settings.interval:g} s. The delay of a (client, post) "
        "pair is the time the client read the `post.created` event minus the time the server's database "
        "`COMMIT` returned (noted by `tests/bench/server.py`, before the app sends the event; both clocks are "
        "this machine's `time.time()`). It therefore includes rendering the post fragment in both languages, "
        "the Socket.IO broadcast to every subscriber (through Redis with two processes) and the client reading "
        "it. Percentiles are over all pairs; \"last client of a post\" is the delay until a post had reached "
        "every client, as a median over the posts; a post is \"slower\" when any of its pairs took longer than "
        f"{SLOW * 1000:.0f} ms (a p99 far above the median \"last client\" means a few slow posts, not slow "
        "delivery in general); \"missing\" counts pairs that never arrived within "
        f"{DRAIN_TIMEOUT:.0f} s. One reply, not counted, goes first to warm up.",
        "",
        f"| set-up | pairs | p50 | p99 | max | last client of a post (median) | posts slower than "
        f"{SLOW * 1000:.0f} ms | missing |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, figures in live:
        lines += live_rows(label, figures)
    if live:
        lines += ["", "Subscribing all clients (each `subscribe` also sends the new \"N reading now\" count to "
                  "every reader of the thread) took " + ", ".join(
                      f"{f.subscribe_seconds:.1f} s ({label})" for label, f in live) + "."]
    lines += [""]
    if notes:
        lines += ["## Notes", "", *(f"- {note}" for note in notes), ""]
    lines += [
        "## How to reproduce",
        "",
        "```sh",
        "make bench                                   # SQLite; Redis at redis://127.0.0.1:6379/0 when it answers",
        "FORUM_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres make bench   # PostgreSQL",
        "FORUM_BENCH_REDIS_URL=redis://127.0.0.1:6380/0 make bench    # another Redis server",
        ".venv/bin/python -m tests.bench.bench_threads --help         # sizes, server kind, output file",
        "```",
        "",
        "With `FORUM_BENCH_DATABASE_URL` the benchmark creates a scratch database on that PostgreSQL server and "
        "drops it afterwards; without it, it uses a SQLite file in a temporary folder. Each server process is "
        f"`{SERVED[settings.server]}` on a free loopback port (with `FORUM_DATABASE_URL`, `FORUM_SECRET_KEY`, "
        "`FORUM_BASE_URL`, and `FORUM_REDIS_URL` for two processes), stopped at the end.",
        "",
    ]
    return "\n".join(lines)


def replace_section(output: Path, start: str, end: str, text: str) -> None:
    """Put ``text`` (which begins with ``start`` and ends with ``end``) into ``output`` in place of the section
    between those markers, or before the "Notes" heading when there is none yet."""
    existing = output.read_text(encoding="utf-8") if output.exists() else ""
    if start in existing and end in existing:
        existing = existing[:existing.index(start)] + existing[existing.index(end) + len(end) + 1:]
    marker = "\n## Notes"
    updated = existing.replace(marker, "\n" + text + marker, 1) if marker in existing else existing + "\n" + text
    output.write_text(updated, encoding="utf-8")


#: the PostgreSQL server the database benchmarks use when ``FORUM_BENCH_DATABASE_URL`` is not set
DEFAULT_POSTGRESQL = "postgresql://postgres@127.0.0.1:5432/postgres"
Measured = TypeVar("Measured")


def on_each_database(measure: Callable[[str | None], Measured], notes: list[str]) -> list[Measured]:
    """``measure`` on SQLite (given None) and on the PostgreSQL server of ``FORUM_BENCH_DATABASE_URL``; a
    PostgreSQL server that cannot be used is noted in ``notes`` and skipped, not fatal."""
    server = os.environ.get("FORUM_BENCH_DATABASE_URL") or DEFAULT_POSTGRESQL
    measured = []
    for server_url in (None, server):
        try:
            measured.append(measure(server_url))
        except Exception as error:  # noqa: BLE001 - a database that does not answer is noted, not fatal
            if server_url is None:
                raise
            notes.append(f"PostgreSQL at {server_url} could not be used ({type(error).__name__}); "
                         "its figures were skipped.")
    return measured


def write_database_benchmark(name: str, run: Callable[[str | None, Path], tuple[list[str], str]],
                             section: Callable[[list[str], list[str], dict[str, str]], str], start: str,
                             end: str) -> int:
    """The ``main`` of a benchmark run on SQLite and PostgreSQL: ``run(server_url, folder)`` measures one database
    (rows of the table and a note), ``section(rows, notes, machine)`` writes the Markdown that replaces the part
    of the output file (``sys.argv[1]``, docs/benchmarks.md by default) between ``start`` and ``end``."""
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/benchmarks.md")
    info = machine(os.getloadavg()[0])
    rows: list[str] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix=f"forum-bench-{name}-") as folder:
        for found, note in on_each_database(lambda server_url: run(server_url, Path(folder)), notes):
            rows += found
            notes.append(note)
    replace_section(output, start, end, section(rows, notes, info))
    print(f"wrote the {name} section of {output}", flush=True)
    return 0
