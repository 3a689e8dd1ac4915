"""The live connection (Socket.IO ``/live``): who may connect, private topics, cross-origin refusal, Redis."""

from __future__ import annotations

import os

import pytest

from forum.accounts import api_tokens, services
from forum.core.db import commit
from forum.extensions import socketio


def connect(app, flask_client=None, auth=None):
    """A Socket.IO test client on ``/live``."""
    return socketio.test_client(app, namespace="/live", flask_test_client=flask_client, auth=auth)


def test_anonymous_visitors_may_connect(app):
    """Public pages will be live for visitors too."""
    client = connect(app)
    assert client.is_connected("/live")
    client.disconnect(namespace="/live")


def test_a_bad_token_is_refused(app):
    """A token that does not work refuses the connection; so does a token of the wrong type."""
    assert not connect(app, auth={"token": "fcs_not-a-token"}).is_connected("/live")
    assert not connect(app, auth={"token": 12345}).is_connected("/live")


def test_suspension_reaches_the_users_open_connection(app, make_user):
    """A suspended user's live connection (by token) is told its session ended, and only theirs is."""
    admin = make_user("admin@example.org", role="admin")
    target = make_user("ana@example.org")
    bystander = make_user("luis@example.org")
    _, secret = api_tokens.create_token(target, "live")
    _, other_secret = api_tokens.create_token(bystander, "live")
    commit()
    target_live = connect(app, auth={"token": secret})
    bystander_live = connect(app, auth={"token": other_secret})
    assert target_live.is_connected("/live")
    services.suspend(admin, target, "Harassment")
    commit()
    events = target_live.get_received("/live")
    assert [e["name"] for e in events] == ["session.ended"]
    assert bystander_live.get_received("/live") == []
    assert not connect(app, auth={"token": secret}).is_connected("/live")


def test_browser_sessions_identify_the_user(app, client, auth, make_user):
    """A signed-in browser is known on its live connection by its session cookie."""
    admin = make_user("admin@example.org", role="admin")
    user = make_user("ana@example.org")
    auth.login("ana@example.org")
    live = connect(app, flask_client=client)
    services.suspend(admin, user, "Spam")
    commit()
    assert [e["name"] for e in live.get_received("/live")] == ["session.ended"]


def test_cross_origin_handshakes_are_refused(client):
    """A page on another site cannot open a live connection with the visitor's cookies."""
    refused = client.get("/socket.io/?EIO=4&transport=polling", headers={"Origin": "https://evil.example"})
    assert refused.status_code == 400
    allowed = client.get("/socket.io/?EIO=4&transport=polling", headers={"Origin": "http://localhost"})
    assert allowed.status_code == 200


@pytest.mark.skipif(not os.environ.get("FORUM_TEST_REDIS_URL"), reason="FORUM_TEST_REDIS_URL not set")
def test_rate_limits_are_shared_through_redis(app_factory, make_user):
    """Two processes with the same Redis count sign-in attempts together."""
    url = os.environ["FORUM_TEST_REDIS_URL"]
    import redis

    store = redis.Redis.from_url(url)
    store.flushdb()
    first = app_factory(RATELIMIT_STORAGE_URI=url, FORUM_LOGIN_RATE_LIMIT="3 per minute")
    second = app_factory(RATELIMIT_STORAGE_URI=url, FORUM_LOGIN_RATE_LIMIT="3 per minute")
    data = {"email": "nobody@example.org", "password": "wrong password"}
    for _ in range(3):
        assert first.test_client().post("/login", data=data).status_code == 401
    assert second.test_client().post("/login", data=data).status_code == 429
    assert store.keys("LIMITS:*accounts.login*"), "the counts live in Redis, not in one process"
