"""The notification centre and the bell: newest first, unread marked, opening one marks it read, mark one or
all read, items no longer visible named by nothing, a constant number of queries, and the API."""

from __future__ import annotations

from sqlalchemy import delete

from forum.core.db import commit
from forum.extensions import db
from forum.notifications import services as notifications
from forum.platforms.models import Platform, PlatformMembership
from tests.conftest import api_error, browser


def tell(people, thread, count: int = 1, kind: str = "thread_post") -> list:
    """Tell Ana ``count`` times about the opening post of ``thread`` (Ben acting); committed."""
    opening = thread.last_post_id
    made = []
    for _ in range(count):
        made += notifications.notify([people["ana"]], kind, subject_type="post", subject_id=opening,
                                     actor=people["ben"], by_email=False)
    commit()
    return made


def test_the_centre_lists_newest_first_with_unread_marked(app, people, thread):
    """A Spanish reader (her account's language wins over her browser's): the sentence names who acted and the
    thread; unread ones are marked; the bell counts."""
    first, second = tell(people, thread, 2)
    notifications.mark_read(people["ana"], [first.id])
    commit()
    page = browser(app, "ana@example.org", "en").get("/notifications")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.index(f'id="notification-{second.id}"') < html.index(f'id="notification-{first.id}"')
    assert "Ben Reader escribió en «Access to justice in Oaxaca»." in html
    assert html.count('class="notification unread"') == 1
    assert "1 notificación sin leer" in html  # the bell's accessible text
    assert f'href="/notifications/{second.id}/open"' in html


def test_opening_a_notification_marks_it_read_and_goes_to_the_item(app, people, thread):
    [notification] = tell(people, thread)
    ana = browser(app, "ana@example.org", "en")
    response = ana.get(f"/notifications/{notification.id}/open")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/posts/{thread.last_post_id}")
    assert db.session.get(type(notification), notification.id).read_at is not None
    assert browser(app, "ben@example.org").get(f"/notifications/{notification.id}/open").status_code == 404


def test_mark_one_and_mark_all_read(app, people, thread):
    first, second, third = tell(people, thread, 3)
    ana = browser(app, "ana@example.org", "en")
    assert ana.post(f"/notifications/{first.id}/read", data={"next": "https://evil.example/"}).headers[
        "Location"] == "/notifications"
    assert "2 notificaciones sin leer" in ana.get("/notifications").get_data(as_text=True)
    assert browser(app, "ben@example.org").post(f"/notifications/{second.id}/read", data={}).status_code == 404
    ana.post("/notifications/read", data={})
    page = ana.get("/notifications").get_data(as_text=True)
    assert "Notificaciones: ninguna sin leer" in page and 'class="notification unread"' not in page


def test_an_item_no_longer_visible_is_named_by_nothing(app, people, thread):
    """The platform becomes members-only without Ana: her notification keeps no title and no link."""
    [notification] = tell(people, thread)
    platform = db.session.get(Platform, thread.platform_id)
    platform.visibility = "members"
    db.session.execute(delete(PlatformMembership).where(PlatformMembership.user_id == people["ana"].id))
    commit()
    html = browser(app, "ana@example.org", "en").get("/notifications").get_data(as_text=True)
    assert "Access to justice" not in html and "Mensajes nuevos en hilos que sigo: esto ya no está disponible" in html
    assert f"/notifications/{notification.id}/open" not in html


def test_the_centre_reads_in_a_constant_number_of_queries(app, people, thread, make_user, count_queries):
    """3 or 30 notifications (from different actors): the same number of queries."""
    ana = browser(app, "ana@example.org", "en")

    def queries_for_page() -> int:
        with count_queries() as statements:
            assert ana.get("/notifications").status_code == 200
        return len(statements)

    tell(people, thread, 3)
    few = queries_for_page()
    for _ in range(27):
        notifications.notify([people["ana"]], "reply", subject_type="post", subject_id=thread.last_post_id,
                             actor=make_user(), by_email=False)
    commit()
    assert queries_for_page() == few


def test_the_bell_is_only_for_signed_in_people(app, client, people, thread):
    assert "notification-bell" not in client.get("/").get_data(as_text=True)
    tell(people, thread, 2)
    html = browser(app, "ana@example.org", "en").get("/").get_data(as_text=True)
    assert "notification-bell" in html and "2 notificaciones sin leer" in html and "js/notifications.js" in html
    assert browser(app, "ana@example.org").get("/notifications").status_code == 200  # Spanish too


def test_the_api_lists_and_marks_read(client, people, thread, token):
    first, second = tell(people, thread, 2)
    headers = token(people["ana"], **{"Accept-Language": "en"})
    body = client.get("/api/v1/notifications?per_page=1", headers=headers).json
    assert body["unread"] == 2 and body["total"] == 2 and [item["id"] for item in body["items"]] == [second.id]
    item = body["items"][0]
    assert item["kind"] == "thread_post" and item["read"] is False and item["url"].endswith(
        f"/posts/{thread.last_post_id}") and "Ben Reader" in item["text"]
    assert client.post("/api/v1/notifications/read", json={"ids": [first.id]}, headers=headers).json == {
        "marked": 1, "unread": 1}
    api_error(client.post("/api/v1/notifications/read", json={"ids": "all"}, headers=headers), 400)
    api_error(client.post("/api/v1/notifications/read", json={"ids": [True]}, headers=headers), 400)
    assert client.post("/api/v1/notifications/read", headers=headers).json == {"marked": 1, "unread": 0}
    api_error(client.get("/api/v1/notifications"), 401)
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "get" in paths["/notifications"] and "post" in paths["/notifications/read"]
