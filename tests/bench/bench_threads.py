"""Benchmark of threads: thread page throughput and the delay of live posts, written to ``docs/benchmarks.md``.

Run with ``make bench`` or ``.venv/bin/python -m tests.bench.bench_threads [--output docs/benchmarks.md]``.

1. Seeds a fresh database (SQLite in a temporary folder, or a scratch database on the PostgreSQL server of
   ``FORUM_BENCH_DATABASE_URL``) with a public thread of 1,000 posts by ten people.
2. **Single process**: one real server (gunicorn, one worker with threads, as in production; Flask-SocketIO's own
   server with ``--server socketio``), no Redis.
   a. thread pages: a fixed number of anonymous ``GET /t/<id>`` requests, half the first page and half the last,
      from several client threads with keep-alive connections; requests/s and p50/p99 latency.
   b. live posts: 200 Socket.IO clients subscribe to the thread; about 30 replies are posted through the JSON API,
      one every 0.3 s; for every (client, post) pair, the time from the post's commit (noted by the server right
      after ``COMMIT`` returns, see :mod:`tests.bench.server`) to its ``post.created`` arriving at the client.
3. **Two processes with Redis** (``FORUM_BENCH_REDIS_URL``, default ``redis://127.0.0.1:6379/0``; skipped with a
   note when Redis does not answer): the same, with the page requests and the clients spread over both
   processes and the replies posted through the first, so half the clients get them through Redis.

Everything runs on 127.0.0.1 and stops by itself: servers, clients and scratch databases are removed in
``finally`` blocks.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import itertools
import json
import os
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

from tests.bench.figures import DRAIN_TIMEOUT, Delay, LiveFigures, PageFigures, Settings, milliseconds, percentile
from tests.bench.processes import ROOT, logged_errors, redis_version, servers
from tests.bench.report import machine, report
from tests.bench.seeding import SEED_POSTS, Seeded, database_description, restore, scratch_database, seed

# --- (a) thread pages ---------------------------------------------------------------------------------------

def _get(connection: http.client.HTTPConnection, path: str) -> bytes:
    """GET ``path`` on a keep-alive connection; raise unless it answers 200."""
    connection.request("GET", path, headers={"Accept-Language": "es-MX,es;q=0.9"})
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}")
    return body


def page_load(urls: list[str], seeded: Seeded, *, requests: int, concurrency: int) -> PageFigures:
    """Send ``requests`` anonymous thread page requests (first and last page in turn) from ``concurrency``
    threads with keep-alive connections spread over ``urls``; time each one."""
    first, last = f"/t/{seeded.thread_id}", f"/t/{seeded.thread_id}?page={seeded.last_page}"
    sizes = {}
    for url in urls:  # warm up every process (templates compiled, connections pooled)
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        for n in range(20):
            sizes[n % 2] = len(_get(connection, first if n % 2 == 0 else last))
        connection.close()
    numbers = itertools.count()
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []

    def worker(index: int) -> None:
        """Take request numbers until all are sent."""
        parts = urlsplit(urls[index % len(urls)])
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        mine: list[float] = []
        try:
            while (n := next(numbers)) < requests:
                path = first if n % 2 == 0 else last
                started = time.perf_counter()
                try:
                    _get(connection, path)
                except (OSError, http.client.HTTPException, RuntimeError) as error:
                    errors.append(str(error))
                    connection.close()
                    continue
                mine.append(time.perf_counter() - started)
        finally:
            connection.close()
            with lock:
                latencies.extend(mine)

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    started = time.perf_counter()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    seconds = time.perf_counter() - started
    return PageFigures(processes=len(urls), requests=len(latencies), concurrency=concurrency, seconds=seconds,
                       latencies=latencies, errors=len(errors), first_page_bytes=sizes[0], last_page_bytes=sizes[1])


# --- (b) live posts -----------------------------------------------------------------------------------------

def _post_reply(url: str, seeded: Seeded, body: str) -> int:
    """Reply through the JSON API of the server at ``url``; the new post's id."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("POST", f"/api/v1/threads/{seeded.thread_id}/posts", body=json.dumps({"body": body}),
                           headers={"Authorization": f"Bearer {seeded.token}", "Content-Type": "application/json"})
        response = connection.getresponse()
        answer = response.read()
        if response.status != 201:
            raise RuntimeError(f"posting answered {response.status}: {answer[:500]!r}")
        return int(json.loads(answer)["id"])
    finally:
        connection.close()


def _commit_times(log: Path) -> dict[int, float]:
    """Post id → commit time, as the servers noted them."""
    times = {}
    if log.exists():
        for line in log.read_text(encoding="ascii").splitlines():
            post_id, at = line.split()
            times[int(post_id)] = float(at)
    return times


def _wait_for_arrivals(live, wanted: set[int], expected: int) -> list:
    """The arrivals of the posts in ``wanted``, once there are ``expected`` of them or after the drain timeout."""
    deadline = time.monotonic() + DRAIN_TIMEOUT
    while True:
        arrivals = [a for a in list(live.arrivals) if a.post_id in wanted]
        if len(arrivals) >= expected or time.monotonic() > deadline:
            return arrivals
        time.sleep(0.05)


def live_delays(urls: list[str], seeded: Seeded, commit_log: Path, *, clients: int, posts: int,
                interval: float) -> LiveFigures:
    """Connect ``clients`` Socket.IO clients spread over ``urls``, subscribe them to the thread, post ``posts``
    replies through the first server ``interval`` seconds apart, and pair every arrival with its commit time.
    A first reply, not counted, warms up each process (its first fragment in English, its Redis connection)."""
    from tests.bench.live_client import LiveClients

    figures = LiveFigures(processes=len(urls), clients=clients, posts=posts, interval=interval)
    with LiveClients(urls, clients) as live:
        started = time.perf_counter()
        live.subscribe(f"thread:{seeded.thread_id}", spacing=0.002)
        figures.subscribe_seconds = time.perf_counter() - started
        live.quiet()
        warm_up = _post_reply(urls[0], seeded, "Mensaje de calentamiento (no se mide).")
        _wait_for_arrivals(live, {warm_up}, clients)
        posted: list[int] = []
        for n in range(posts):
            began = time.perf_counter()
            posted.append(_post_reply(urls[0], seeded, f"Mensaje en vivo número {n + 1}: ¿llega a todos a tiempo?"))
            time.sleep(max(0.0, interval - (time.perf_counter() - began)))
        arrivals = _wait_for_arrivals(live, set(posted), clients * posts)
        server_of = {client.index: client.server for client in live.clients}
    commits = _commit_times(commit_log)
    unknown = set(posted) - commits.keys()
    if unknown:
        raise RuntimeError(f"no commit time was noted for posts {sorted(unknown)[:5]}")
    seen = set()
    for arrival in arrivals:
        if (arrival.client, arrival.post_id) not in seen:
            seen.add((arrival.client, arrival.post_id))
            figures.delays.append(Delay(post_id=arrival.post_id, seconds=arrival.at - commits[arrival.post_id],
                                        same_process=server_of[arrival.client] == 0))
    figures.missing = clients * posts - len(seen)
    return figures


# --- main ---------------------------------------------------------------------------------------------------

def parse_settings(argv: list[str] | None = None) -> Settings:
    """Read the command line (and the ``FORUM_BENCH_*`` variables it defaults to)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md",
                        help="Markdown file to write (default docs/benchmarks.md); '-' prints only")
    parser.add_argument("--server", choices=("gunicorn", "socketio"),
                        default="gunicorn" if importlib.util.find_spec("gunicorn") else "socketio",
                        help="gunicorn with threads (production) or Flask-SocketIO's own server")
    parser.add_argument("--threads", type=int, default=0,
                        help="gunicorn threads per process (default: the clients it carries + client threads + 20)")
    parser.add_argument("--requests", type=int, default=2000, help="thread page requests per set-up")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads sending page requests")
    parser.add_argument("--clients", type=int, default=200, help="Socket.IO clients")
    parser.add_argument("--posts", type=int, default=30, help="live replies posted")
    parser.add_argument("--interval", type=float, default=0.3, help="seconds between two live replies")
    options = parser.parse_args(argv)
    return Settings(output=options.output, database_url=os.environ.get("FORUM_BENCH_DATABASE_URL") or None,
                    redis_url=os.environ.get("FORUM_BENCH_REDIS_URL") or "redis://127.0.0.1:6379/0",
                    server=options.server, requests=options.requests, concurrency=options.concurrency,
                    clients=options.clients, posts=options.posts, interval=options.interval,
                    threads=options.threads)


def run_setup(label: str, count: int, settings: Settings, *, database_url: str, redis_url: str | None,
              seeded: Seeded, folder: Path) -> tuple[PageFigures, LiveFigures, int]:
    """Measure thread pages and live delays on ``count`` server processes; also the threads each had."""
    commit_log = folder / f"commits-{count}.log"
    # each open WebSocket holds one of gunicorn's threads: room for this process's clients and the page load
    threads = settings.threads or -(-settings.clients // count) + settings.concurrency + 20
    print(f"[{label}] starting {count} {settings.server} process(es)"
          + (f", {threads} threads each" if settings.server == "gunicorn" else ""), flush=True)
    with servers(count, kind=settings.server, database_url=database_url, redis_url=redis_url,
                 commit_log=commit_log, threads=threads, folder=folder) as urls:
        print(f"[{label}] thread pages: {settings.requests} requests, {settings.concurrency} threads", flush=True)
        pages = page_load(urls, seeded, requests=settings.requests, concurrency=settings.concurrency)
        print(f"[{label}]   {pages.per_second:.1f} requests/s, p50 {milliseconds(percentile(pages.latencies, .5))},"
              f" p99 {milliseconds(percentile(pages.latencies, .99))}, {pages.errors} errors", flush=True)
        print(f"[{label}] live: {settings.clients} clients, {settings.posts} posts", flush=True)
        try:
            live = live_delays(urls, seeded, commit_log, clients=settings.clients, posts=settings.posts,
                               interval=settings.interval)
        finally:
            restore(database_url, seeded)
        delays = [d.seconds for d in live.delays]
        print(f"[{label}]   {len(delays)} pairs, p50 {milliseconds(percentile(delays, .5))}, "
              f"p99 {milliseconds(percentile(delays, .99))}, {live.missing} missing", flush=True)
    return pages, live, threads


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write the report."""
    settings = parse_settings(argv)
    began = time.perf_counter()
    load = os.getloadavg()[0]
    notes: list[str] = []
    pages: list[tuple[str, PageFigures]] = []
    live: list[tuple[str, LiveFigures]] = []
    threads: list[str] = []
    redis = "not used (see the notes)"
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="forum-bench-")))
        database_url = stack.enter_context(scratch_database(settings.database_url, folder))
        print(f"seeding a thread of {SEED_POSTS} posts", flush=True)
        seeded = seed(database_url)
        database = database_description(database_url)
        for label, count in (("1 process", 1), ("2 processes + Redis", 2)):
            redis_url = None
            if count > 1:
                version, problem = redis_version(settings.redis_url)
                if problem:
                    notes.append(f"Redis at {settings.redis_url} did not answer ({problem}): the two-process "
                                 "figures were skipped.")
                    print(notes[-1], flush=True)
                    continue
                redis_url = settings.redis_url
                redis = f"Redis {version} at {redis_url}"
            page_figures, live_figures, used = run_setup(label, count, settings, database_url=database_url,
                                                         redis_url=redis_url, seeded=seeded, folder=folder)
            threads.append(f"{used} ({label})")
            pages.append((label, page_figures))
            live.append((label, live_figures))
        for problem in logged_errors(folder):
            print(f"a server logged an error: {problem}", file=sys.stderr, flush=True)
            notes.append(f"A server logged an error during the run (`{problem.split(':', 1)[0]}`); "
                         "see the benchmark's output.")
    if settings.server == "gunicorn":
        notes.append(
            "Each open WebSocket holds one gunicorn thread for as long as it stays connected, so `--threads` "
            "must exceed the live connections a process carries plus the page requests it serves at once. "
            f"The benchmark starts each process with that many threads: {', '.join(threads)}. With fewer "
            "(for example `--threads 100` and 200 clients on one process) the connections beyond the thread "
            "count wait unanswered, and once every thread holds a WebSocket the process answers no page either.")
    server = ("gunicorn, 1 worker with threads (gthread), Flask-SocketIO threading mode with simple-websocket"
              if settings.server == "gunicorn" else "Flask-SocketIO's own server (Werkzeug, threading mode)")
    text = report(settings, info=machine(load), database=database, server=server, redis=redis, seeded=seeded,
                  pages=pages, live=live, notes=notes, took=time.perf_counter() - began)
    if str(settings.output) == "-":
        print(text)
    else:
        settings.output.write_text(text, encoding="utf-8")
        print(f"wrote {settings.output} ({time.perf_counter() - began:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
