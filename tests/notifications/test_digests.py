"""The daily summary: ``flask --app forum send-digests`` sends each person one e-mail listing their queued
notifications by kind (titles only of what they may still see), marks them sent, and sends nothing twice."""

from __future__ import annotations

from sqlalchemy import delete, select

from forum.core.db import commit
from forum.extensions import db
from forum.notifications import services as notifications
from forum.notifications.models import Notification
from forum.platforms.models import Platform, PlatformMembership


def queue(person, kind: str, subject_type: str, subject_id: int, actor) -> None:
    notifications.set_delivery(person, kind, "daily")
    notifications.notify([person], kind, subject_type=subject_type, subject_id=subject_id, actor=actor)
    commit()


def run(app) -> str:
    """Run the command as cron does: in a context of its own (nothing the test loaded lingers)."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["send-digests"])
    assert result.exit_code == 0, result.output
    return result.output


def test_one_summary_per_person_grouped_by_kind_and_sent_once(app, outbox, people, thread, make_thread):
    second = make_thread(people["ana"], thread.platform, title="Second thread")
    queue(people["ben"], "thread_post", "post", thread.last_post_id, people["ana"])
    queue(people["ben"], "reply", "post", second.last_post_id, people["ana"])
    queue(people["ben"], "thread_post", "post", second.last_post_id, people["carla"])
    queue(people["carla"], "platform_thread", "thread", second.id, people["ana"])
    assert outbox() == []
    assert "Daily summaries queued: 2." in run(app)
    [message] = outbox("ben@example.org")
    assert message.subject == "Your daily summary: 3 notifications"
    body = message.body
    assert body.index("Replies to my posts") < body.index("New posts in threads I follow")
    assert body.count("wrote in") == 2 and "Ana Author replied to your post in “Second thread”" in body
    assert message.unsubscribe_url and message.unsubscribe_url in body
    assert len(outbox("carla@example.org")) == 1
    db.session.expire_all()
    assert set(db.session.scalars(select(Notification.email_status))) == {"sent"}
    assert "Daily summaries queued: 0." in run(app) and len(outbox()) == 2


def test_titles_only_of_what_the_reader_may_still_see(app, outbox, people, thread):
    queue(people["ben"], "thread_post", "post", thread.last_post_id, people["ana"])
    platform = db.session.get(Platform, thread.platform_id)
    platform.visibility = "members"
    db.session.execute(delete(PlatformMembership).where(PlatformMembership.user_id == people["ben"].id))
    commit()
    run(app)
    [message] = outbox("ben@example.org")
    assert "Access to justice" not in message.body and "no longer available" in message.body


def test_kinds_turned_off_since_are_not_sent(app, outbox, people, thread):
    queue(people["ben"], "thread_post", "post", thread.last_post_id, people["ana"])
    notifications.set_delivery(people["ben"], "thread_post", "never")
    commit()
    assert "Daily summaries queued: 0." in run(app)
    db.session.expire_all()
    assert db.session.scalar(select(Notification.email_status)) == "none"
