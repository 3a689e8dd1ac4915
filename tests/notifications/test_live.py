"""The live unread count: ``notifications.unread`` reaches only the person told (on their private topic), after
the commit; with Redis (FORUM_TEST_REDIS_URL) it crosses processes the same way."""

from __future__ import annotations

import os

import pytest

from forum.accounts import api_tokens
from forum.core.db import commit
from forum.extensions import socketio
from forum.notifications import services as notifications
from tests.live import Live
from tests.threads.test_scale_out import Reader, servers

REDIS_URL = os.environ.get("FORUM_TEST_REDIS_URL")


def tell(person, thread) -> None:
    notifications.notify([person], "thread_post", subject_type="post", subject_id=thread.last_post_id,
                         actor=thread.author, by_email=False)


def test_the_count_reaches_only_that_person_after_the_commit(app, people, thread, token_for):
    ben = Live(app, token=token_for(people["ben"]))
    carla = Live(app, token=token_for(people["carla"]))
    tell(people["ben"], thread)
    assert ben.events() == []
    commit()
    assert ben.events("notifications.unread") == [{"count": 1}]
    tell(people["ben"], thread)
    commit()
    assert ben.events("notifications.unread") == [{"count": 2}]
    notifications.mark_read(people["ben"])
    commit()
    assert ben.events("notifications.unread") == [{"count": 0}]
    assert carla.events() == []


def test_a_signed_in_page_hears_its_count(app, client, auth, people, thread):
    auth.login(people["ben"].email)
    page = Live(app, flask_client=client)
    tell(people["ben"], thread)
    commit()
    assert page.events("notifications.unread") == [{"count": 1}]


@pytest.fixture
def writer(app_factory):
    """An app of the test process on Redis, which saves and publishes (requested after the other app fixtures:
    the shared SocketIO object emits through the app set up last); afterwards the queue is forgotten."""
    options = dict(socketio.server_options)
    yield app_factory(FORUM_REDIS_URL=REDIS_URL)
    socketio.server_options.clear()
    socketio.server_options.update(options)


@pytest.mark.skipif(not REDIS_URL, reason="FORUM_TEST_REDIS_URL not set")
def test_through_redis_the_count_reaches_only_that_person(database_url, people, thread, writer):
    """A notification saved by this process reaches Ben's connection on a server process, not Carla's."""
    with writer.app_context(), servers(1, database_url) as (url,):
        _token, ben_secret = api_tokens.create_token(people["ben"], "live")
        _token, carla_secret = api_tokens.create_token(people["carla"], "live")
        commit()
        ben, carla = Reader(url, ben_secret), Reader(url, carla_secret)
        try:
            tell(people["ben"], thread)
            commit()
            assert ben.wait_for("notifications.unread") == {"count": 1}
            assert carla.wait_for("notifications.unread", timeout=1) is None
        finally:
            ben.close()
            carla.close()
