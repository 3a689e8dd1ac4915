"""The live handlers of threads (Socket.IO namespace ``/live``): following a thread's posts or a platform's new
threads, catching up after a reconnection, "… is writing" and "N reading now".

Client → server, each answered with an acknowledgement ``{"ok": true, …}`` or ``{"ok": false, "error": "…"}``
(the message in the person's language; the connection stays up):

- ``subscribe`` ``{"topic": "thread:<id>", "since": <last post id seen>}`` → first ``post.created`` for every
  post after ``since`` that the person may see, oldest first, to this connection only and drawn as their page
  draws it (a hidden post as its placeholder, except for the platform's moderators; their own held post
  "awaiting review"); then ``{"ok": true, "reading": <n>}``.
  ``{"topic": "platform:<slug>"}`` → ``{"ok": true}``.
- ``unsubscribe`` ``{"topic": …}`` → ``{"ok": true}``.
- ``typing`` ``{"topic": "thread:<id>"}`` → ``typing`` ``{"thread_id", "user": {"id", "name"}}`` to the other
  readers, at most once per :data:`TYPING_INTERVAL` per connection.

Server → client, besides what :mod:`forum.threads.live` publishes after each commit (``post.created``,
``post.updated``, ``post.deleted``, ``post.reactions``, ``thread.created``): ``presence`` ``{"topic",
"reading"}`` when the number of readers of a thread changes, and ``subscription.ended`` ``{"topic",
"reason": "access_revoked"}`` when the person lost access to what they followed.

The same rules as the pages decide every subscription; a topic that does not exist and one the person may not
read get the same answer.
"""

from __future__ import annotations

import re
import time
from typing import Any

from flask import current_app, request
from flask_babel import gettext as _
from flask_socketio import emit, join_room, leave_room, rooms

from forum.accounts.models import User
from forum.accounts.sockets import live_handler
from forum.core import presence
from forum.core.db import MAX_ID
from forum.core.errors import ActionRefused
from forum.core.realtime import NAMESPACE
from forum.extensions import db, socketio
from forum.platforms import directory
from forum.platforms import rules as platform_rules
from forum.platforms import services as platform_services
from forum.platforms.models import Platform
from forum.threads import live, queries, rules
from forum.threads.models import Thread

THREAD_TOPIC = re.compile(r"^thread:([0-9]{1,18})$")
PLATFORM_TOPIC = re.compile(r"^platform:([a-z0-9]+(?:-[a-z0-9]+)*)$")
#: seconds between two ``typing`` signals relayed for one connection
TYPING_INTERVAL = 2.0
#: posts loaded at a time when replaying what a reconnecting page missed
REPLAY_BATCH = 200

#: when each connection of this process last had a ``typing`` signal relayed
_last_typing: dict[str, float] = {}


class Topic:
    """A topic named in a payload: ``thread:<id>`` or ``platform:<slug>``."""

    def __init__(self, name: str):
        thread, platform = THREAD_TOPIC.match(name), PLATFORM_TOPIC.match(name)
        if thread is None and platform is None:
            raise ActionRefused(_('Name a topic such as "thread:12" or "platform:justice".'))
        self.name = name
        self.thread_id = int(thread.group(1)) if thread else None
        self.slug = platform.group(1) if platform else None

    @classmethod
    def of(cls, payload: Any) -> Topic:
        """The topic of a client's payload, refused with a clear message when the payload is malformed."""
        if not isinstance(payload, dict):
            raise ActionRefused(_('Send an object such as {"topic": "thread:12"}.'))
        name = payload.get("topic")
        if not isinstance(name, str):
            raise ActionRefused(_('Name a topic such as "thread:12" or "platform:justice".'))
        return cls(name)

    def readable(self, user: User | None) -> Thread | Platform:
        """The thread or platform, when it exists and ``user`` may read it; refused (alike) otherwise."""
        if self.thread_id is not None:
            found = queries.visible_thread(user, self.thread_id) if self.thread_id <= MAX_ID else None
        else:
            platform = directory.platform_by_slug(self.slug)
            found = platform if platform is not None and platform_rules.can_read(user, platform) else None
        if found is None:
            raise ActionRefused(_("This topic does not exist or is not available to you."), status=404,
                                code="not_found")
        return found


def _announce(change: presence.Change) -> None:
    """Tell a thread's readers how many they are now, when that changed."""
    if change.changed and THREAD_TOPIC.match(change.topic):
        socketio.emit("presence", {"topic": change.topic, "reading": change.reading}, to=change.topic,
                      namespace=NAMESPACE)


def _since(payload: dict) -> int | None:
    since = payload.get("since")
    if since is not None and (isinstance(since, bool) or not isinstance(since, int) or not 0 <= since <= MAX_ID):
        raise ActionRefused(_('"since" must be the id of the last post seen: a whole number, 0 or more.'))
    return since


def _replay(user: User | None, thread: Thread, since: int) -> None:
    """Send this connection every post of ``thread`` after id ``since`` that ``user`` may see, oldest first."""
    while True:
        posts = queries.posts_since(user, thread, since, limit=REPLAY_BATCH)
        for post in posts:
            emit("post.created", live.post_payload(post, reveal=rules.can_read_post_text(user, post)))
        if len(posts) < REPLAY_BATCH:
            return
        since = posts[-1].id


@live_handler("subscribe")
def subscribe(user: User | None, payload: Any) -> dict:
    """Follow a thread's posts (replaying those after ``since``) or a platform's new threads."""
    topic = Topic.of(payload)
    since = _since(payload) if topic.thread_id is not None else None
    target = topic.readable(user)
    join_room(topic.name)
    change = presence.join(request.sid, topic.name, user.id if user else None)
    if topic.thread_id is None:
        return {"ok": True}
    if since is not None:
        _replay(user, target, since)
    _announce(change)
    return {"ok": True, "reading": change.reading}


@live_handler("unsubscribe")
def unsubscribe(user: User | None, payload: Any) -> dict:
    """Stop following a topic (nothing happens if it was not followed)."""
    topic = Topic.of(payload)
    leave_room(topic.name)
    _announce(presence.leave(request.sid, topic.name))
    return {"ok": True}


@live_handler("typing")
def typing(user: User | None, payload: Any) -> dict:
    """Tell a thread's other readers that this person is writing a reply (throttled per connection)."""
    topic = Topic.of(payload)
    if topic.thread_id is None or topic.name not in rooms():
        raise ActionRefused(_("Subscribe to this thread first."))
    thread = topic.readable(user)
    if not rules.can_reply(user, thread):
        raise ActionRefused(_("Only people who may reply in this thread can show that they are writing."),
                            status=403, code="forbidden")
    now = time.monotonic()
    if now - _last_typing.get(request.sid, float("-inf")) >= TYPING_INTERVAL:
        _last_typing[request.sid] = now
        emit("typing", {"thread_id": thread.id, "user": {"id": user.id, "name": user.display_name}},
             to=topic.name, include_self=False)
    return {"ok": True}


@socketio.on("disconnect", namespace=NAMESPACE)
def closed(reason: str | None = None) -> None:
    """Forget a closed connection and update the counts of the threads it was reading."""
    _last_typing.pop(request.sid, None)
    try:
        for change in presence.drop(request.sid):
            _announce(change)
    except Exception:  # a closing connection must not take anything else down
        current_app.logger.exception("could not forget live connection")


def _still_readable(user: User | None, topic: Topic, platform: Platform) -> bool:
    """Whether ``topic`` is outside ``platform`` or ``user`` may still read it."""
    if topic.slug is not None:
        return topic.slug != platform.slug or (user is not None and platform_rules.can_read(user, platform))
    thread = db.session.get(Thread, topic.thread_id)
    return thread is None or thread.platform_id != platform.id or (
        user is not None and rules.can_read_thread(user, thread))


def end_revoked_subscriptions(user_id: int, platform_id: int) -> None:
    """After someone lost access to a platform (left, removed, duty taken away): end their live subscriptions to
    its thread and platform topics that they may no longer read, on whichever process holds the connection."""
    platform = db.session.get(Platform, platform_id)
    if platform is None:
        return
    user = db.session.get(User, user_id)
    for sid, name in presence.subscriptions_of(user_id):
        if not (THREAD_TOPIC.match(name) or PLATFORM_TOPIC.match(name)):
            continue  # another domain's topic
        topic = Topic(name)
        if _still_readable(user, topic, platform):
            continue
        socketio.server.leave_room(sid, topic.name, namespace=NAMESPACE)
        _announce(presence.leave(sid, topic.name))
        socketio.emit("subscription.ended", {"topic": topic.name, "reason": "access_revoked"}, to=sid,
                      namespace=NAMESPACE)


platform_services.on_access_revoked(end_revoked_subscriptions)
platform_services.on_closed_to_public(live.platform_closed)
