"""Following and the preferences page: follow and stop following platforms (and threads) with a plain form,
404 for what one may not see, back to a safe ``next``; e-mail choices per kind saved; what one follows listed."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.notifications import services as notifications
from forum.notifications.models import EmailPreference, Follow
from tests.conftest import browser


def follows(user) -> list[tuple[str, int]]:
    db.session.expire_all()
    return [tuple(row) for row in db.session.execute(
        select(Follow.target_type, Follow.target_id).where(Follow.user_id == user.id))]


def test_follow_and_stop_following_a_platform(app, people, platform):
    ben = browser(app, "ben@example.org", "en")
    response = ben.post(f"/follow/platform/{platform.id}", data={"follow": "1", "next": "/p/justicia"})
    assert response.status_code == 303 and response.headers["Location"] == "/p/justicia"
    assert follows(people["ben"]) == [("platform", platform.id)]
    assert ben.post(f"/follow/platform/{platform.id}", data={"follow": "1"}).status_code == 303  # twice: once
    assert follows(people["ben"]) == [("platform", platform.id)] and notifications.is_following(
        people["ben"], "platform", platform.id)
    page = ben.get("/notifications/preferences").get_data(as_text=True)
    assert platform.name_en in page
    response = ben.post(f"/follow/platform/{platform.id}", data={"follow": "0", "next": "//evil.example/x"},
                        follow_redirects=True)
    assert "You no longer follow this." in response.get_data(as_text=True)
    assert follows(people["ben"]) == []


def test_what_one_may_not_see_cannot_be_followed(app, people, make_platform):
    closed = make_platform(visibility="members", members=[people["ana"]])
    dan = browser(app, "dan@example.org", "en")
    assert dan.post(f"/follow/platform/{closed.id}", data={"follow": "1"}).status_code == 404
    assert dan.post(f"/follow/platform/{closed.id + 1000}", data={"follow": "1"}).status_code == 404
    assert dan.post("/follow/nothing/1", data={"follow": "1"}).status_code == 404
    assert follows(people["dan"]) == []
    assert app.test_client().post(f"/follow/platform/{closed.id}", data={"follow": "1"}).status_code == 302


def test_threads_are_followed_through_the_same_button(app, people, thread):
    ben = browser(app, "ben@example.org", "en")
    ben.post(f"/follow/thread/{thread.id}", data={"follow": "1"})
    page = ben.get("/notifications/preferences").get_data(as_text=True)
    assert "Access to justice in Oaxaca" in page
    ben.post(f"/follow/thread/{thread.id}", data={"follow": "0"})
    assert "Access to justice in Oaxaca" not in ben.get("/notifications/preferences").get_data(as_text=True)


def test_email_preferences_are_saved_per_kind(app, people):
    ben = browser(app, "ben@example.org", "en")
    page = ben.get("/notifications/preferences").get_data(as_text=True)
    assert 'name="reply" value="immediately" checked' in page and 'name="thread_post" value="daily" checked' in page
    assert "A seat for me from a waiting list" in page and 'name="waitlist_promoted"' not in page
    assert ben.post("/notifications/preferences", data={"reply": "daily", "mention": "never"}).status_code == 303
    db.session.expire_all()
    chosen = dict(db.session.execute(select(EmailPreference.kind, EmailPreference.delivery).where(
        EmailPreference.user_id == people["ben"].id)).all())
    assert chosen["reply"] == "daily" and chosen["mention"] == "never" and chosen["thread_post"] == "daily"
    assert ben.post("/notifications/preferences", data={"reply": "hourly"}).status_code == 400
