"""Several server processes behind one Redis: live posts, reader counts and ended subscriptions reach a
connection whichever process it is on. Runs when FORUM_TEST_REDIS_URL is set."""

from __future__ import annotations

import itertools
import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
import simple_websocket

from forum.accounts import api_tokens
from forum.core import presence
from forum.core.db import commit
from forum.extensions import socketio
from forum.platforms import services as platforms
from forum.threads import services as threads
from tests.conftest import LIVE_CHANNEL, free_port
from tests.servers import stop, wait_until_serving

REDIS_URL = os.environ.get("FORUM_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="FORUM_TEST_REDIS_URL not set")

ROOT = Path(__file__).resolve().parents[2]
SERVER = """
import os
from forum import create_app
from forum.extensions import socketio
app = create_app()
socketio.run(app, host="127.0.0.1", port=int(os.environ["PORT"]), allow_unsafe_werkzeug=True, log_output=False)
"""
WAIT = 10.0
NAMESPACE = "/live"
ACK = re.compile(r"^(\d+)(\[.*)$", re.DOTALL)


@contextmanager
def servers(count: int, database_url: str):
    """Start ``count`` real server processes on free loopback ports sharing the database and Redis; their URLs."""
    processes, urls, logs = [], [], []
    try:
        for _ in range(count):
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            environment = {**os.environ, "PORT": str(port), "FORUM_DATABASE_URL": database_url,
                           "FORUM_REDIS_URL": REDIS_URL, "FORUM_SECRET_KEY": "scale-out-test-secret",
                           "FORUM_BASE_URL": url, "FORUM_LIVE_CHANNEL": LIVE_CHANNEL}
            logs.append(tempfile.TemporaryFile())  # a file, not a pipe: a full pipe would stall the server
            processes.append(subprocess.Popen([sys.executable, "-c", SERVER], cwd=ROOT, env=environment,
                                              stdout=subprocess.DEVNULL, stderr=logs[-1]))
            urls.append(url)
        for process, url, log in zip(processes, urls, logs, strict=True):
            wait_until_serving(process, url, lambda log=log: (log.seek(0), log.read().decode(errors="replace"))[1])
        yield urls
    finally:
        stop(processes, timeout=WAIT)
        for log in logs:
            log.close()


class Reader:
    """A client of another program on one server process: Socket.IO (protocol 5 over Engine.IO 4) spoken over a
    plain WebSocket, authenticated with a personal access token. (python-socketio's own client needs packages
    the project does not install; simple-websocket is already a dependency of the server.) Like most programs,
    it sends no Origin header unless told to."""

    def __init__(self, url: str, token: str, origin: str | None = None):
        address = url.replace("http://", "ws://", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.ws = simple_websocket.Client.connect(address, headers={"Origin": origin} if origin else None)
        self.received: queue.Queue = queue.Queue()
        self.acks: dict[int, queue.Queue] = {}
        self.numbers = itertools.count(1)
        self.connected = threading.Event()
        self.listener = threading.Thread(target=self._listen, daemon=True)
        self.listener.start()
        # sent at once: the server's opening packet may wait in the client's buffer until more data arrives
        self.ws.send(f"40{NAMESPACE}," + json.dumps({"token": token}))
        assert self.connected.wait(WAIT), "the server did not accept the connection"

    def _listen(self) -> None:
        while True:
            try:
                message = self.ws.receive(timeout=WAIT)
            except simple_websocket.ConnectionClosed:
                return
            if message is None:
                continue
            if message == "2":  # Engine.IO ping
                self.ws.send("3")
            elif message.startswith(f"40{NAMESPACE},"):
                self.connected.set()
            elif message.startswith(f"42{NAMESPACE},"):
                name, *args = json.loads(message[len(NAMESPACE) + 3:])
                self.received.put((name, args[0] if args else None))
            elif message.startswith(f"43{NAMESPACE},"):
                number, body = ACK.match(message[len(NAMESPACE) + 3:]).groups()
                self.acks[int(number)].put(json.loads(body)[0])

    def call(self, event: str, data: dict) -> dict:
        """Emit and wait for the acknowledgement."""
        number = next(self.numbers)
        self.acks[number] = queue.Queue(maxsize=1)
        self.ws.send(f"42{NAMESPACE},{number}" + json.dumps([event, data]))
        return self.acks[number].get(timeout=WAIT)

    def wait_for(self, event: str, matches=lambda data: True, timeout: float = WAIT):
        """The first ``event`` whose payload matches, or None after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                name, data = self.received.get(timeout=left)
            except queue.Empty:
                return None
            if name == event and matches(data):
                return data
        return None

    def close(self) -> None:
        """Close the WebSocket."""
        if self.ws.connected:
            self.ws.close()
        self.listener.join(timeout=WAIT)


@pytest.fixture
def writer(app_factory):
    """An app of the test process on Redis: the other process, which saves posts and publishes through Redis.
    Request it after the other app fixtures: the shared SocketIO object emits through the app set up last.
    Afterwards the shared SocketIO object forgets the queue."""
    options = dict(socketio.server_options)
    yield app_factory(FORUM_REDIS_URL=REDIS_URL)
    socketio.server_options.clear()
    socketio.server_options.update(options)


def test_a_post_made_elsewhere_reaches_a_connection_on_another_process(
        database_url, make_user, make_platform, make_thread, writer):
    """A client on process A gets a post saved by another process; A and B count a thread's readers together;
    leaving the platform (committed by another process) ends the subscription on A; foreign origins are refused.
    """
    with writer.app_context(), servers(2, database_url) as (first_url, second_url):
        member, moderator = make_user(), make_user()
        platform = make_platform(members=[member], moderators=[moderator], visibility="members")
        thread = make_thread(moderator, platform)
        _token, member_secret = api_tokens.create_token(member, "live")
        _token, moderator_secret = api_tokens.create_token(moderator, "live")
        commit()
        topic = f"thread:{thread.id}"
        registry = presence.registry()
        registry.redis.delete(registry.prefix + "topic:" + topic)  # left by an earlier run's database
        with pytest.raises(simple_websocket.ConnectionError):
            Reader(first_url, member_secret, origin="https://evil.example")
        readers = []
        try:
            readers.append(Reader(first_url, member_secret, origin=first_url))  # the site's own pages
            on_first, on_second = Reader(first_url, member_secret), Reader(second_url, moderator_secret)
            readers += [on_first, on_second]
            assert on_first.call("subscribe", {"topic": topic}) == {"ok": True, "reading": 1}
            assert on_second.call("subscribe", {"topic": topic}) == {"ok": True, "reading": 2}
            assert on_first.wait_for("presence", lambda data: data["reading"] == 2) == {"topic": topic, "reading": 2}

            post = threads.reply(moderator, thread, body="Publicado desde otro proceso.")
            commit()
            created = on_first.wait_for("post.created", lambda data: data["id"] == post.id)
            assert created is not None and created["thread_id"] == thread.id

            platforms.leave(member, platform)
            commit()
            assert on_first.wait_for("subscription.ended") == {"topic": topic, "reason": "access_revoked"}
            assert on_second.wait_for("presence", lambda data: data["reading"] == 1) == {"topic": topic,
                                                                                         "reading": 1}
            later = threads.reply(moderator, thread, body="Ya no lo ve quien se fue.")
            commit()
            assert on_second.wait_for("post.created", lambda data: data["id"] == later.id) is not None
            assert on_first.wait_for("post.created", timeout=1) is None
        finally:
            for reader in readers:
                reader.close()


def test_processes_count_readers_together_and_dead_ones_expire(monkeypatch):
    """Two registries on one Redis (two processes) share counts; entries their process stops renewing expire."""
    first, second = presence.RedisRegistry(REDIS_URL), presence.RedisRegistry(REDIS_URL)
    now = time.time()
    clock = SimpleNamespace(time=lambda: now, sleep=time.sleep)
    monkeypatch.setattr(presence, "time", clock)
    run = f"{os.getpid()}-{time.monotonic_ns()}"
    topic, person = f"thread:scale-{run}", 10**12 + os.getpid()
    sids = [f"{name}-{run}" for name in "abcde"]
    try:
        assert first.join(sids[0], topic, user_id=person) == presence.Change(topic, 1, True)
        assert second.join(sids[1], topic, user_id=person) == presence.Change(topic, 1, False)
        assert second.join(sids[2], topic, user_id=None) == presence.Change(topic, 2, True)
        assert sorted(first.subscriptions_of(person)) == [(sids[0], topic), (sids[1], topic)]
        assert 0 < first.redis.ttl(first.prefix + "topic:" + topic) <= presence.ENTRY_TTL
        assert second.drop(sids[2]) == [presence.Change(topic, 1, True)]
        assert first.leave(sids[1], topic) == presence.Change(topic, 1, False)

        clock.time = lambda: now + presence.ENTRY_TTL - 5
        first.renew([sids[0]])  # the first process is alive and renews its connection's entries
        clock.time = lambda: now + presence.ENTRY_TTL + 5
        assert second.join(sids[3], topic, user_id=None) == presence.Change(topic, 2, True)
        clock.time = lambda: now + 3 * presence.ENTRY_TTL  # then both processes died: nobody renewed
        assert second.join(sids[4], topic, user_id=None) == presence.Change(topic, 1, True)
        assert second.subscriptions_of(person) == []
    finally:
        first.redis.delete(first.prefix + "topic:" + topic, first.prefix + f"user:{person}",
                           *(first.prefix + "sid:" + sid for sid in sids))
