"""Real servers and databases for the tests and the benchmark: scratch PostgreSQL databases and waiting for a
server process to answer."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, make_url, text

from forum.config import normalise_database_url


@contextmanager
def scratch_postgresql(server_url: str, prefix: str = "forum_test") -> Iterator[str]:
    """A new, empty PostgreSQL database on the server of ``server_url``; dropped afterwards."""
    server = make_url(normalise_database_url(server_url))
    name = f"{prefix}_{os.getpid()}_{int(time.time())}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def stop(processes: list[subprocess.Popen], timeout: float = 10) -> None:
    """Stop the server processes this run started: ask each to end, then kill any that will not."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


def wait_until_serving(process: subprocess.Popen, url: str, read_log: Callable[[], str], timeout: float = 30) -> None:
    """Wait until ``url`` answers; raise with the end of the server's log if it exits or takes too long."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server {url} exited:\n{read_log()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/", timeout=5):  # noqa: S310  (our own loopback server)
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server {url} did not answer within {timeout:.0f} s:\n{read_log()[-3000:]}")
