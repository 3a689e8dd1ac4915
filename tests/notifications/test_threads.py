"""Thread triggers: replies, mentions, followed threads and followed platforms tell the right people once each,
never the author, and nobody who may not read the post (members-only platform, post awaiting review)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.core.db import commit, utcnow
from forum.extensions import db
from forum.moderation import targets
from forum.notifications import services as notifications
from forum.threads import services as threads
from forum.threads.models import Post


@pytest.fixture(autouse=True)
def request_context(app):
    """Mentions become links to profiles: writing posts here needs a request context, as on a page."""
    with app.test_request_context():
        yield


def test_a_reply_to_a_post_tells_its_author_once(people, thread, make_post, told):
    """Ana follows her thread and is answered and mentioned in the same post: one notification, ``reply``."""
    opening = db.session.get(Post, thread.last_post_id)
    post = make_post(people["ben"], thread, body=f"@{people['ana'].handle} I agree.", reply_to=opening)
    assert told(people["ana"]) == [("reply", "post", post.id)]
    assert told(people["ben"]) == []  # the actor is never told


def test_a_post_without_reply_to_tells_the_threads_followers(people, thread, make_post, told):
    """No ``reply_to``: nothing called "reply"; the follower (Ana) hears of a new post."""
    post = make_post(people["ben"], thread, body="A general remark.")
    assert told(people["ana"]) == [("thread_post", "post", post.id)]
    assert told(people["carla"]) == []  # does not follow the thread


def test_mentions_tell_the_people_named(people, thread, make_post, told):
    """Carla is mentioned; Ana (the follower) gets ``thread_post``; Ben mentioning himself is not told."""
    post = make_post(people["ben"], thread, body=f"Ask @{people['carla'].handle} and @{people['ben'].handle}.")
    assert told(people["carla"]) == [("mention", "post", post.id)]
    assert told(people["ana"]) == [("thread_post", "post", post.id)]
    assert told(people["ben"]) == []


def test_a_suspension_that_ended_no_longer_silences_mentions(people, thread, make_post, told):
    """A suspension for a period lifts itself: once it has, mentions tell the person again (and link to them)."""
    carla = people["carla"]
    carla.suspended_at, carla.suspended_until = utcnow() - timedelta(days=10), utcnow() - timedelta(days=3)
    commit()
    post = make_post(people["ben"], thread, body=f"Ask @{carla.handle}.")
    assert told(carla) == [("mention", "post", post.id)] and 'class="mention"' in post.body_html


def test_answering_ones_own_post_tells_nobody_about_it(people, thread, make_post, told):
    """Ana answers her own opening post: she is not told, and nobody else follows the thread."""
    opening = db.session.get(Post, thread.last_post_id)
    make_post(people["ana"], thread, body="Adding something.", reply_to=opening)
    assert all(told(person) == [] for person in people.values())


def test_a_new_thread_tells_the_platforms_followers(people, platform, make_thread, told):
    """Followers of the platform hear of a new thread (about the thread), not its author."""
    notifications.follow(people["ben"], "platform", platform.id)
    notifications.follow(people["ana"], "platform", platform.id)
    commit()
    thread = make_thread(people["ana"], platform, title="A new discussion")
    assert told(people["ben"]) == [("platform_thread", "thread", thread.id)]
    assert told(people["ana"]) == []


def test_nobody_outside_a_members_only_platform_is_told(people, make_platform, make_thread, make_post, told):
    """Dan is mentioned in a members-only thread he may not read: he hears nothing of it; Carla (member) does."""
    closed = make_platform(visibility="members", members=[people["ana"], people["carla"]])
    thread = make_thread(people["ana"], closed)
    make_post(people["carla"], thread, body=f"@{people['dan'].handle} @{people['ana'].handle} see this.")
    assert told(people["dan"]) == []
    assert [kind for kind, *_ in told(people["ana"])] == ["mention"]
    assert notifications.notify([people["dan"]], "thread_post", subject_type="thread", subject_id=thread.id) == []


@pytest.fixture
def first_posts_wait(app):
    """A new account's first post waits for review."""
    app.config["FORUM_PREMODERATION_POSTS"] = 1
    yield
    app.config["FORUM_PREMODERATION_POSTS"] = 0


def test_a_held_post_tells_nobody_until_approved(people, make_user, platform, make_thread, first_posts_wait,
                                                  told):
    """A newcomer's held reply mentioning Carla tells nobody; approving it tells them then (if the moderation path
    announces it)."""
    moderator = make_user()
    from forum.platforms import services as platforms

    platforms.grant_role(None, platform, moderator, "moderator")
    commit()
    thread = make_thread(moderator, platform, title="Moderated thread")
    newcomer = make_user()
    from forum.platforms.models import PlatformMembership

    db.session.add(PlatformMembership(platform=platform, user_id=newcomer.id, status="approved"))
    commit()
    post = threads.reply(newcomer, thread, body=f"Hello @{people['carla'].handle}")
    commit()
    assert post.status == "held"
    assert told(people["carla"]) == [] and told(moderator) == []
    targets.kind("post").apply(moderator, db.session.get(Post, post.id), "approve", reason=None)
    commit()
    if told(people["carla"]):  # the approval path announces the post
        assert told(people["carla"]) == [("mention", "post", post.id)]
        assert told(moderator) == [("thread_post", "post", post.id)]


def test_telling_many_followers_costs_no_more_queries_than_telling_few(people, platform, make_user, make_thread,
                                                                     count_queries):
    """A new thread on a public platform: whether it has 2 followers or 42, the same number of queries (one
    visibility check for a public item, one insert, one count of everyone's unread notifications)."""
    def queries_with(more: int) -> int:
        for person in [make_user() for _ in range(more)]:
            notifications.follow(person, "platform", platform.id)
        commit()
        with count_queries() as queries:
            make_thread(people["ana"], platform, title=f"Tema con {more} seguidores más")
        return len(queries)

    queries_with(0)  # the first thread loads what later ones find already loaded
    few = queries_with(2)
    assert queries_with(40) == few
