"""Many Socket.IO clients of the ``/live`` namespace, driven by one thread, that note when each post arrives.

Each client speaks Socket.IO 5 over Engine.IO 4 on a plain WebSocket (the ``websocket`` transport, no polling),
as a program would: anonymous visitor, no Origin header, no compression. The WebSocket framing is wsproto's,
which the server's own simple-websocket is built on, so the benchmark adds no dependency. One thread reads every
socket through a selector and stamps each message with ``time.time()`` as soon as the bytes that complete it
are read, so the stamp does not wait for a thread to be scheduled.
"""

from __future__ import annotations

import itertools
import json
import queue
import selectors
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    Message,
    Ping,
    RejectConnection,
    Request,
    TextMessage,
)

NAMESPACE = "/live"
#: Engine.IO ``message`` packet (``4``) carrying a Socket.IO packet of the given type, in our namespace
CONNECT, EVENT, ACK, CONNECT_ERROR = (f"4{kind}{NAMESPACE}," for kind in "0234")


class LiveError(RuntimeError):
    """A client could not connect or subscribe."""


@dataclass
class Arrival:
    """One ``post.created`` event received by one client."""

    client: int
    post_id: int
    at: float


@dataclass
class _Client:
    """One connection: its socket, its WebSocket state and what it is waiting for."""

    index: int
    server: int
    sock: socket.socket
    ws: WSConnection
    fragments: list[str] = field(default_factory=list)
    connected: bool = False
    closed: bool = False
    error: str | None = None
    #: acknowledgement number → what the server answered (None while waiting)
    acks: dict[int, dict | None] = field(default_factory=dict)

    def send(self, text: str) -> None:
        """Send one Engine.IO packet as a WebSocket text message."""
        self.sock.sendall(self.ws.send(Message(data=text)))


class LiveClients:
    """``count`` clients spread in turn over the servers at ``urls``; use as a context manager.

    ``arrivals`` collects every ``post.created`` received; ``other_events`` counts the rest by name.
    """

    def __init__(self, urls: list[str], count: int, *, timeout: float = 60.0):
        """Open the connections (the handshakes finish in the reading thread; see :meth:`wait_connected`)."""
        self.timeout = timeout
        self.arrivals: list[Arrival] = []
        self.other_events: dict[str, int] = {}
        self._selector = selectors.DefaultSelector()
        self._changed = threading.Condition()
        self._commands: queue.Queue[Callable[[], None]] = queue.Queue()
        self._wake_read, self._wake_write = socket.socketpair()
        self._selector.register(self._wake_read, selectors.EVENT_READ, None)
        self._numbers = itertools.count(1)
        self._stopping = False
        self.clients: list[_Client] = []
        try:
            for index in range(count):
                self.clients.append(self._open(index, index % len(urls), urls[index % len(urls)]))
        except Exception:
            self.close()
            raise
        self._thread = threading.Thread(target=self._run, name="live-clients", daemon=True)
        self._thread.start()

    def __enter__(self) -> LiveClients:
        """Wait until every client is connected to the namespace."""
        self.wait_connected()
        return self

    def __exit__(self, *_exc) -> None:
        """Close every connection and stop the reading thread."""
        self.close()

    def _open(self, index: int, server: int, url: str) -> _Client:
        """Open a TCP connection and send the WebSocket upgrade request."""
        parts = urlsplit(url)
        sock = socket.create_connection((parts.hostname, parts.port), timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        ws = WSConnection(ConnectionType.CLIENT)
        sock.sendall(ws.send(Request(host=f"{parts.hostname}:{parts.port}",
                                     target="/socket.io/?EIO=4&transport=websocket")))
        client = _Client(index=index, server=server, sock=sock, ws=ws)
        self._selector.register(sock, selectors.EVENT_READ, client)
        return client

    # --- the reading thread -------------------------------------------------------------------------------

    def _run(self) -> None:
        """Read every socket until :meth:`close`; run the commands queued by other threads."""
        while not self._stopping:
            for key, _mask in self._selector.select(timeout=0.1):
                if key.data is None:
                    self._wake_read.recv(4096)
                    continue
                self._read(key.data)
            while True:
                try:
                    command = self._commands.get_nowait()
                except queue.Empty:
                    break
                command()

    def _read(self, client: _Client) -> None:
        """Take what arrived on one socket and handle each complete message."""
        try:
            data = client.sock.recv(1 << 18)
        except OSError as error:
            data, client.error = b"", client.error or str(error)
        now = time.time()
        if not data:
            self._forget(client)
            return
        client.ws.receive_data(data)
        for event in client.ws.events():
            if isinstance(event, AcceptConnection):
                continue
            if isinstance(event, RejectConnection):
                client.error = f"WebSocket upgrade refused ({event.status_code})"
                self._forget(client)
                return
            if isinstance(event, Ping):
                client.sock.sendall(client.ws.send(event.response()))
            elif isinstance(event, CloseConnection):
                self._forget(client)
                return
            elif isinstance(event, TextMessage):
                client.fragments.append(event.data)
                if event.message_finished:
                    text, client.fragments = "".join(client.fragments), []
                    self._handle(client, text, now)

    def _handle(self, client: _Client, text: str, now: float) -> None:
        """Act on one Engine.IO packet."""
        if text.startswith("0"):  # Engine.IO open: join the namespace as an anonymous visitor
            client.send(CONNECT)
        elif text == "2":  # Engine.IO ping
            client.send("3")
        elif text.startswith(CONNECT):
            with self._changed:
                client.connected = True
                self._changed.notify_all()
        elif text.startswith(CONNECT_ERROR):
            client.error = f"namespace refused: {text[len(CONNECT_ERROR):]}"
            self._forget(client)
        elif text.startswith(EVENT):
            name, *args = json.loads(text[len(EVENT):])
            if name == "post.created":
                self.arrivals.append(Arrival(client.index, int(args[0]["id"]), now))
            else:
                self.other_events[name] = self.other_events.get(name, 0) + 1
        elif text.startswith(ACK):
            body = text[len(ACK):]
            number, _, rest = body.partition("[")
            with self._changed:
                client.acks[int(number)] = json.loads("[" + rest)[0]
                self._changed.notify_all()

    def _forget(self, client: _Client) -> None:
        """Stop reading a closed connection."""
        if not client.closed:
            client.closed = True
            self._selector.unregister(client.sock)
            client.sock.close()
        with self._changed:
            self._changed.notify_all()

    # --- the calling thread -------------------------------------------------------------------------------

    def _call(self, command: Callable[[], None]) -> None:
        """Run ``command`` in the reading thread (which owns the WebSocket state)."""
        self._commands.put(command)
        self._wake_write.send(b"x")

    def _wait(self, done: Callable[[], bool], what: str) -> None:
        """Wait until ``done()``; raise :class:`LiveError` after the timeout or if a client failed."""
        deadline = time.monotonic() + self.timeout
        with self._changed:
            while not done():
                failed = [c for c in self.clients if c.closed]
                if failed:
                    raise LiveError(f"{len(failed)} client(s) closed while {what}: {failed[0].error or 'closed'}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise LiveError(f"timed out after {self.timeout:.0f} s while {what}")
                self._changed.wait(min(left, 0.5))

    def wait_connected(self) -> None:
        """Wait until every client has joined the namespace."""
        self._wait(lambda: all(c.connected for c in self.clients), "connecting")

    def emit_all(self, event: str, data: dict, *, spacing: float = 0.0) -> list[dict]:
        """Emit ``event`` from every client (``spacing`` seconds apart) and return their acknowledgements."""
        number = next(self._numbers)
        packet = f"{EVENT}{number}" + json.dumps([event, data])
        for client in self.clients:
            client.acks[number] = None
            self._call(lambda client=client: client.send(packet))
            if spacing:
                time.sleep(spacing)
        self._wait(lambda: all(c.acks[number] is not None for c in self.clients), f"waiting for {event}")
        return [c.acks[number] for c in self.clients]

    def subscribe(self, topic: str, *, spacing: float = 0.0) -> None:
        """Subscribe every client to ``topic``; raise :class:`LiveError` unless every answer is ``ok``."""
        refused = [ack for ack in self.emit_all("subscribe", {"topic": topic}, spacing=spacing)
                   if not ack.get("ok")]
        if refused:
            raise LiveError(f"{len(refused)} subscription(s) refused: {refused[0]}")

    def quiet(self, period: float = 0.5, limit: float = 30.0) -> None:
        """Wait until no event has arrived for ``period`` seconds (the "N reading now" broadcasts settle)."""
        deadline = time.monotonic() + limit
        seen = -1
        while time.monotonic() < deadline:
            total = sum(self.other_events.values()) + len(self.arrivals)
            if total == seen:
                return
            seen = total
            time.sleep(period)

    def close(self) -> None:
        """Close every connection and stop the reading thread."""
        self._stopping = True
        thread = getattr(self, "_thread", None)
        if thread is not None:
            self._wake_write.send(b"x")
            thread.join(timeout=5)
        for client in self.clients:
            if not client.closed:
                client.closed = True
                try:
                    client.sock.close()
                except OSError:
                    pass
        self._selector.close()
        self._wake_read.close()
        self._wake_write.close()
