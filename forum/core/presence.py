"""Who is subscribed to which live topic, across every process: the "N reading now" counts, and the
subscriptions a change of access must end.

A reader is a signed-in person (however many tabs they have open) or one anonymous connection. Each entry is
one connection (``sid``) subscribed to one topic, with the person behind it if any.

Without ``FORUM_REDIS_URL`` the registry lives in this process's memory. With it, it lives in Redis, so every
process counts the same readers: each entry carries its expiry time, every key has a TTL, and a heartbeat
thread in each process renews the entries of its own connections. When a process dies its entries are no longer
renewed, stop counting after :data:`ENTRY_TTL` seconds and are removed when next read.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from typing import NamedTuple, Protocol

import redis
from flask import current_app

#: seconds an entry in Redis stays without renewal; each process renews its own every third of this
ENTRY_TTL = 60
_EXTENSION = "forum.presence"

logger = logging.getLogger(__name__)


class Change(NamedTuple):
    """The number of readers of ``topic`` after a subscription began or ended, and whether it moved."""

    topic: str
    reading: int
    changed: bool


def _reader(sid: str, user_id: int | None) -> str:
    """What a connection counts as: its person when signed in, else itself."""
    return f"u{user_id}" if user_id is not None else f"s{sid}"


class Registry(Protocol):
    """The operations both registries offer."""

    def join(self, sid: str, topic: str, user_id: int | None) -> Change: ...

    def leave(self, sid: str, topic: str) -> Change: ...

    def drop(self, sid: str) -> list[Change]: ...

    def subscriptions_of(self, user_id: int) -> list[tuple[str, str]]: ...


class MemoryRegistry:
    """The registry of a single process, guarded by a lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        #: sid → topic → the user id behind the connection (None for a visitor)
        self._sids: dict[str, dict[str, int | None]] = {}
        #: topic → sid → reader
        self._topics: dict[str, dict[str, str]] = {}

    def _count(self, topic: str) -> int:
        return len(set(self._topics.get(topic, {}).values()))

    def _remove(self, sid: str, topic: str) -> Change:
        before = self._count(topic)
        self._sids.get(sid, {}).pop(topic, None)
        readers = self._topics.get(topic, {})
        readers.pop(sid, None)
        if not readers:
            self._topics.pop(topic, None)
        if not self._sids.get(sid):
            self._sids.pop(sid, None)
        after = self._count(topic)
        return Change(topic, after, after != before)

    def join(self, sid: str, topic: str, user_id: int | None) -> Change:
        """Record that connection ``sid`` (of ``user_id``) reads ``topic``."""
        with self._lock:
            before = self._count(topic)
            self._sids.setdefault(sid, {})[topic] = user_id
            self._topics.setdefault(topic, {})[sid] = _reader(sid, user_id)
            after = self._count(topic)
        return Change(topic, after, after != before)

    def leave(self, sid: str, topic: str) -> Change:
        """Record that connection ``sid`` no longer reads ``topic``."""
        with self._lock:
            return self._remove(sid, topic)

    def drop(self, sid: str) -> list[Change]:
        """Forget a closed connection; the counts of the topics it read."""
        with self._lock:
            return [self._remove(sid, topic) for topic in list(self._sids.get(sid, {}))]

    def subscriptions_of(self, user_id: int) -> list[tuple[str, str]]:
        """(sid, topic) of every subscription of the person ``user_id``."""
        with self._lock:
            return [(sid, topic) for sid, topics in self._sids.items()
                    for topic, owner in topics.items() if owner == user_id]


class RedisRegistry:
    """The registry shared by every process through Redis.

    Keys (all with a TTL): ``topic:<topic>`` hash sid → "<reader> <expiry>"; ``sid:<sid>`` hash topic → user id
    (empty for a visitor); ``user:<id>`` hash "<sid> <topic>" → expiry.
    """

    def __init__(self, url: str, channel: str = "forum") -> None:
        self.redis = redis.Redis.from_url(url, decode_responses=True)
        #: every key starts with it, so deployments sharing one Redis server keep apart
        self.prefix = f"{channel}:presence:"
        #: the connections of this process that have entries (renewed by the heartbeat)
        self._local: set[str] = set()
        self._lock = threading.Lock()
        self._heartbeat: threading.Thread | None = None

    @staticmethod
    def _live_readers(entries: dict[str, str], now: float) -> set[str]:
        readers = set()
        for value in entries.values():
            reader, _, expiry = value.partition(" ")
            if float(expiry or 0) > now:
                readers.add(reader)
        return readers

    def _write(self, pipe, sid: str, topic: str, user_id: int | None, expiry: float, *, new: bool) -> None:
        """Queue the writes of one entry (``new``: also list it among the connection's topics)."""
        pipe.hset(self.prefix + "topic:" + topic, sid, f"{_reader(sid, user_id)} {expiry}")
        if new:
            pipe.hset(self.prefix + "sid:" + sid, topic, "" if user_id is None else str(user_id))
        keys = [self.prefix + "topic:" + topic, self.prefix + "sid:" + sid]
        if user_id is not None:
            pipe.hset(self.prefix + f"user:{user_id}", f"{sid} {topic}", str(expiry))
            keys.append(self.prefix + f"user:{user_id}")
        for key in keys:
            pipe.expire(key, ENTRY_TTL)

    def _change(self, sid: str, topic: str, user_id: int | None, joining: bool) -> Change:
        """Add or remove one entry atomically, reading the topic's readers before and after."""
        now = time.time()
        key = self.prefix + "topic:" + topic
        with self.redis.pipeline() as pipe:
            pipe.hgetall(key)
            if joining:
                self._write(pipe, sid, topic, user_id, now + ENTRY_TTL, new=True)
            else:
                pipe.hdel(key, sid)
                pipe.hdel(self.prefix + "sid:" + sid, topic)
                if user_id is not None:
                    pipe.hdel(self.prefix + f"user:{user_id}", f"{sid} {topic}")
            pipe.hgetall(key)
            results = pipe.execute()
        before, after = self._live_readers(results[0], now), self._live_readers(results[-1], now)
        stale = [field for field, value in results[-1].items() if float(value.partition(" ")[2] or 0) <= now]
        if stale:
            self.redis.hdel(key, *stale)
        return Change(topic, len(after), len(after) != len(before))

    def _owner(self, sid: str, topic: str) -> int | None:
        owner = self.redis.hget(self.prefix + "sid:" + sid, topic)
        return int(owner) if owner else None

    def join(self, sid: str, topic: str, user_id: int | None) -> Change:
        """Record that connection ``sid`` (of ``user_id``), connected to this process, reads ``topic``."""
        with self._lock:
            self._local.add(sid)
            if self._heartbeat is None:
                self._heartbeat = threading.Thread(target=self._beat, name="presence-heartbeat", daemon=True)
                self._heartbeat.start()
        return self._change(sid, topic, user_id, joining=True)

    def leave(self, sid: str, topic: str) -> Change:
        """Record that connection ``sid`` (of any process) no longer reads ``topic``."""
        return self._change(sid, topic, self._owner(sid, topic), joining=False)

    def drop(self, sid: str) -> list[Change]:
        """Forget a closed connection of this process; the counts of the topics it read."""
        with self._lock:
            self._local.discard(sid)
        topics = self.redis.hgetall(self.prefix + "sid:" + sid)
        changes = [self._change(sid, topic, int(owner) if owner else None, joining=False)
                   for topic, owner in topics.items()]
        self.redis.delete(self.prefix + "sid:" + sid)
        return changes

    def subscriptions_of(self, user_id: int) -> list[tuple[str, str]]:
        """(sid, topic) of every live subscription of the person ``user_id``, in any process."""
        now, key = time.time(), self.prefix + f"user:{user_id}"
        entries = self.redis.hgetall(key)
        stale = [field for field, expiry in entries.items() if float(expiry) <= now]
        if stale:
            self.redis.hdel(key, *stale)
        return [tuple(field.split(" ", 1)) for field in entries if field not in stale]

    def renew(self, sids: Iterable[str]) -> None:
        """Push back the expiry of every entry of the connections ``sids`` (only of the topics they still read,
        as another process may have ended a subscription)."""
        expiry = time.time() + ENTRY_TTL
        sids = list(sids)
        with self.redis.pipeline(transaction=False) as pipe:
            for sid in sids:
                pipe.hgetall(self.prefix + "sid:" + sid)
            subscriptions = pipe.execute()
            for sid, topics in zip(sids, subscriptions, strict=True):
                for topic, owner in topics.items():
                    self._write(pipe, sid, topic, int(owner) if owner else None, expiry, new=False)
            pipe.execute()

    def _beat(self) -> None:
        while True:
            time.sleep(ENTRY_TTL / 3)
            with self._lock:
                sids = list(self._local)
            try:
                self.renew(sids)
            except Exception:  # Redis away for a moment: the next beat tries again
                logger.exception("could not renew live presence")


def registry() -> Registry:
    """The registry of the current app: in Redis when ``FORUM_REDIS_URL`` is set, else in memory."""
    found = current_app.extensions.get(_EXTENSION)
    if found is None:
        url = current_app.config.get("FORUM_REDIS_URL")
        registry = RedisRegistry(url, current_app.config["FORUM_LIVE_CHANNEL"]) if url else MemoryRegistry()
        found = current_app.extensions.setdefault(_EXTENSION, registry)
    return found


def join(sid: str, topic: str, user_id: int | None) -> Change:
    """Connection ``sid`` of ``user_id`` (None: a visitor) now reads ``topic``."""
    return registry().join(sid, topic, user_id)


def leave(sid: str, topic: str) -> Change:
    """Connection ``sid`` no longer reads ``topic`` (nothing changes if it did not)."""
    return registry().leave(sid, topic)


def drop(sid: str) -> list[Change]:
    """Connection ``sid`` closed: forget all it read."""
    return registry().drop(sid)


def subscriptions_of(user_id: int) -> list[tuple[str, str]]:
    """(sid, topic) of each live subscription of the person ``user_id``."""
    return registry().subscriptions_of(user_id)
