"""Notifications by e-mail: at once through a real SMTP server, in the recipient's language, with the item's link
and the List-Unsubscribe headers; queued for the digest or not sent, by preference; never to unconfirmed or
suspended accounts; in-app only when the caller says so or the kind has no preference."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from forum.core.db import commit, utcnow
from forum.extensions import db
from forum.notifications import services as notifications
from forum.notifications.choices import MESSAGES
from forum.notifications.models import Notification


def tell(person, thread, kind="reply", **options) -> Notification:
    [notification] = notifications.notify([person], kind, subject_type="post", subject_id=thread.last_post_id,
                                          actor=thread.author, **options)
    commit()
    return notification


def test_an_immediate_email_arrives_in_the_recipients_language(app, smtp_server, people, thread):
    app.config["FORUM_SMTP_URL"] = smtp_server.url
    notification = tell(people["ben"], thread)
    assert notification.email_status == "sent"
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "ben@example.org"
    assert message["Subject"] == "Ana Author replied to your post in “Access to justice in Oaxaca”"
    body = message.get_body(("plain",)).get_content()
    base = app.config["FORUM_BASE_URL"]
    assert f"{base}/posts/{thread.last_post_id}" in body and f"{base}/notifications/preferences" in body
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{base}/unsubscribe/") and unsubscribe.strip("<>") in body
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_spanish_readers_get_spanish_mail(app, outbox, people, thread):
    tell(people["carla"], thread)
    [message] = outbox("carla@example.org")
    with force_locale("es"):
        expected = str(MESSAGES["reply"] % {"actor": "Ana Author", "title": "Access to justice in Oaxaca"})
        greeting = _("Hello %(name)s,", name="Carla Member")
    assert message.subject == expected and message.body.startswith(greeting)


def test_preferences_decide_at_once_daily_or_never(app, outbox, people, thread):
    notifications.set_delivery(people["ben"], "reply", "never")
    notifications.set_delivery(people["carla"], "reply", "daily")
    commit()
    assert tell(people["ben"], thread).email_status == "none"
    assert tell(people["carla"], thread).email_status == "queued"
    assert tell(people["carla"], thread, "thread_post").email_status == "queued"  # daily by default
    assert outbox() == []


def test_no_email_when_in_app_only_or_for_accounts_that_cannot_receive_it(app, outbox, people, thread, make_user):
    assert tell(people["ben"], thread, by_email=False).email_status == "none"
    assert tell(people["ben"], thread, "waitlist_promoted").email_status == "none"  # its own message went out
    unconfirmed = make_user(confirmed=False)
    suspended = make_user()
    suspended.suspended_at = utcnow()
    commit()
    assert tell(unconfirmed, thread).email_status == "none"
    assert tell(suspended, thread).email_status == "none"
    assert outbox() == []
    assert db.session.scalar(select(Notification.id).where(Notification.user_id == unconfirmed.id))  # in-app still
