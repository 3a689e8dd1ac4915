"""Starting and stopping the server processes the benchmark measures."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.bench.seeding import SECRET_KEY
from tests.servers import stop, wait_until_serving

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0

#: how each kind of server is started, for the report
SERVED = {"gunicorn": "gunicorn -w 1 --threads N -b 127.0.0.1:PORT tests.bench.server:app",
          "socketio": "PORT=… python -m tests.bench.server"}


def server_command(kind: str, port: int, threads: int) -> list[str]:
    """The command that serves :mod:`tests.bench.server` on ``port``."""
    if kind == "gunicorn":
        return [sys.executable, "-m", "gunicorn", "-w", "1", "--threads", str(threads), "-b", f"127.0.0.1:{port}",
                "--log-level", "warning", "tests.bench.server:app"]
    return [sys.executable, "-m", "tests.bench.server"]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def servers(count: int, *, kind: str, database_url: str, redis_url: str | None, commit_log: Path,
            threads: int, folder: Path) -> Iterator[list[str]]:
    """Start ``count`` server processes on free loopback ports; yield their URLs; stop them afterwards."""
    processes: list[subprocess.Popen] = []
    urls: list[str] = []
    try:
        for n in range(count):
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            environment = {key: value for key, value in os.environ.items() if not key.startswith("FORUM_")}
            environment.update({"PORT": str(port), "FORUM_DATABASE_URL": database_url,
                                "FORUM_SECRET_KEY": SECRET_KEY, "FORUM_BASE_URL": url,
                                "FORUM_BENCH_COMMIT_LOG": str(commit_log),
                                # the benchmark posts faster than a person may
                                "FORUM_POST_RATE_LIMIT": "100000 per minute"})
            if redis_url:
                environment["FORUM_REDIS_URL"] = redis_url
            log = folder / f"server-{count}-{n}.log"
            with open(log, "wb") as output:
                processes.append(subprocess.Popen(server_command(kind, port, threads), cwd=ROOT, env=environment,
                                                  stdout=output, stderr=subprocess.STDOUT))
            urls.append(url)
            wait_until_serving(processes[-1], url, lambda log=log: log.read_text(errors="replace"),
                               timeout=START_TIMEOUT)
        yield urls
    finally:
        stop(processes)


def logged_errors(folder: Path) -> list[str]:
    """The server logs in ``folder`` that recorded an exception, each as its name and last lines."""
    found = []
    for log in sorted(folder.glob("server-*.log")):
        text = log.read_text(errors="replace")
        if "Traceback" in text or " ERROR " in text or "[ERROR]" in text:
            found.append(f"{log.name}: {text[-1500:]}")
    return found


def redis_version(url: str) -> tuple[str | None, str | None]:
    """The version of the Redis server at ``url`` and None, or None and why it did not answer."""
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            return str(client.info("server").get("redis_version", "?")), None
        finally:
            client.close()
    except redis.RedisError as error:
        return None, str(error)
