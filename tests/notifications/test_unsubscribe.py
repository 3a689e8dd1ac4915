"""Unsubscribing from an e-mail's link without signing in: the page asks, its button (or a mail program's
one-click POST) stops that kind (or, from the summary, every daily kind); bad and expired links get a clear
page, never a 500."""

from __future__ import annotations

from forum.core.db import commit
from forum.core.tokens import make_token
from forum.notifications import mailing
from forum.notifications import services as notifications
from tests.conftest import saved


def link(app, person, subject: str) -> str:
    with app.test_request_context():
        url = mailing.unsubscribe_url(person, subject)
    return url.removeprefix(app.config["FORUM_BASE_URL"])


def test_the_page_asks_and_its_button_unsubscribes(app, english_client, people):
    ben = people["ben"]
    path = link(app, ben, "reply")
    page = english_client.get(path)
    assert page.status_code == 200 and "Replies to my posts" in page.get_data(as_text=True)
    assert notifications.deliveries_for(saved(ben))["reply"] == "immediately"  # nothing changes on GET
    done = english_client.post(path, data={}, csrf=False)
    assert done.status_code == 200 and "/notifications/preferences" in done.get_data(as_text=True)
    assert notifications.deliveries_for(saved(ben))["reply"] == "never"


def test_one_click_unsubscribe(app, people):
    """RFC 8058: the mail program POSTs ``List-Unsubscribe=One-Click`` to the address, without cookies."""
    path = link(app, people["carla"], "mention")
    response = app.test_client().post(path, data="List-Unsubscribe=One-Click", csrf=False,
                                      content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert notifications.deliveries_for(saved(people["carla"]))["mention"] == "never"


def test_the_summarys_link_stops_every_daily_kind(app, people):
    notifications.set_delivery(people["ben"], "reply", "daily")
    commit()
    app.test_client().post(link(app, people["ben"], "digest"), csrf=False)
    chosen = notifications.deliveries_for(saved(people["ben"]))
    assert chosen["reply"] == chosen["thread_post"] == chosen["flag_outcome"] == "never"
    assert chosen["mention"] == "immediately"


def test_bad_and_expired_links(app, english_client, people, monkeypatch):
    path = link(app, people["ben"], "reply")
    assert english_client.get(path[:-3] + "abc").status_code == 400
    assert english_client.post(path[:-3] + "abc", csrf=False).status_code == 400
    with app.test_request_context():
        wrong_kind = make_token("unsubscribe", {"user": people["ben"].id, "kind": "waitlist_promoted"})
        other_purpose = make_token("reset", {"user": people["ben"].id, "kind": "reply"})
    assert english_client.get(f"/unsubscribe/{wrong_kind}").status_code == 400
    assert english_client.get(f"/unsubscribe/{other_purpose}").status_code == 400
    monkeypatch.setattr(mailing, "UNSUBSCRIBE_MAX_AGE", -1)
    expired = english_client.get(path)
    assert expired.status_code == 410 and "expired" in expired.get_data(as_text=True)
    assert notifications.deliveries_for(saved(people["ben"]))["reply"] == "immediately"
