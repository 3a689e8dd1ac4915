"""The moderation queue pages: who may see them (participants get 403 everywhere), per-platform and global
queues, filters and order, the marks on items in a language no moderator of the platform reads, moderators'
languages, the item page (hidden text for moderators only) and claiming."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum.core.db import commit, utcnow
from forum.extensions import db
from forum.moderation import flags
from forum.moderation.models import QueueItem
from forum.platforms.models import PlatformMembership
from forum.threads import services as threads
from tests.moderation import signed_in, text, translated


def flag(person, post, reason: str = "spam") -> QueueItem:
    """``person`` flags ``post`` (committed); the queue item."""
    flags.flag(person, "post", post.id, reason=reason)
    commit()
    return db.session.scalar(select(QueueItem).where(QueueItem.target_id == post.id,
                                                     QueueItem.target_type == "post"))


@pytest.fixture
def queued(forum):
    """Three items: Rosa's Spanish post in Justicia (spam, the oldest), an English post in Justicia (hate) and a
    Spanish post in Seguridad (off-topic, the newest)."""
    english = threads.reply(forum.claire, forum.thread, body="An English post about hate.", language="en")
    other_thread = threads.start_thread(forum.rosa, forum.seguridad, title="Policía comunitaria", body="¿Ideas?")
    commit()
    elsewhere = threads.reply(forum.rosa, other_thread, body="Fuera de tema en Seguridad.")
    commit()
    items = [flag(forum.diego, forum.post, "spam"), flag(forum.diego, english, "hate"),
             flag(forum.pablo, elsewhere, "off_topic")]
    for hours, item in zip((30, 10, 1), items, strict=True):  # entered the queue that many hours ago
        db.session.execute(update(QueueItem).where(QueueItem.id == item.id)
                           .values(opened_at=utcnow() - timedelta(hours=hours)))
    commit()
    return items


def titles(page) -> list[int]:
    """The queue item ids shown on a queue page, in order."""
    html = text(page)
    found = []
    for chunk in html.split('id="queue-item-')[1:]:
        found.append(int(chunk.split('"', 1)[0]))
    return found


def test_participants_get_403_on_every_moderation_page(app, forum, queued):
    """Pablo takes part but moderates nothing: every moderation page and action answers 403, and nothing
    changes; a visitor is sent to sign in."""
    pablo = signed_in(app, "pablo@example.org")
    item = queued[0]
    for path in ("/moderation", "/moderation/p/justicia", f"/moderation/items/{item.id}", "/moderation/languages",
                 f"/moderate/post/{forum.post.id}"):
        page = pablo.get(path)
        assert page.status_code == 403, path
        assert "algunas personas consideran" not in text(page)
    for path, data in ((f"/moderation/items/{item.id}/claim", {}),
                       (f"/moderate/post/{forum.post.id}", {"decision": "hide", "item": str(item.id)}),
                       ("/moderation/languages", {"languages": ["es"]})):
        assert pablo.post(path, data=data).status_code == 403, path
    db.session.expire_all()
    assert db.session.get(QueueItem, item.id).status == "open"
    assert db.session.get(QueueItem, item.id).claimed_by_id is None
    visitor = app.test_client().get("/moderation")
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"]


def test_a_platform_moderator_sees_their_platforms_queue_oldest_first(app, forum, queued):
    """Mara moderates Justicia: her queue shows its two items, oldest first, not Seguridad's; Seguridad's own
    queue page is refused to her. Gael, a global moderator, sees all three."""
    mara = signed_in(app, "mara@example.org")
    page = mara.get("/moderation")
    assert page.status_code == 200
    assert titles(page) == [queued[0].id, queued[1].id]
    assert titles(mara.get("/moderation/p/justicia")) == [queued[0].id, queued[1].id]
    assert mara.get("/moderation/p/seguridad").status_code == 403
    assert mara.get("/moderation/p/no-such-platform").status_code == 404
    assert mara.get(f"/moderation/items/{queued[2].id}").status_code == 403
    assert translated("Spam", "es") in text(page) and translated("Flagged", "es") in text(page)

    gael = signed_in(app, "gael@example.org")
    everything = gael.get("/moderation")
    assert titles(everything) == [item.id for item in queued]
    assert "Moderation queue" in text(everything)  # Gael reads English
    assert titles(gael.get("/moderation/p/seguridad")) == [queued[2].id]


def test_the_queue_filters(app, forum, queued):
    """Reason, content language, platform, cause, status, age and "only my languages" narrow the queue."""
    gael = signed_in(app, "gael@example.org")
    spam, hate, off_topic = queued
    assert titles(gael.get("/moderation?reason=hate")) == [hate.id]
    assert titles(gael.get("/moderation?language=en")) == [hate.id]
    assert titles(gael.get("/moderation?platform=seguridad")) == [off_topic.id]
    assert titles(gael.get("/moderation?cause=held")) == []
    assert titles(gael.get("/moderation?age=5")) == [spam.id, hate.id]
    assert titles(gael.get("/moderation?age=20")) == [spam.id]
    assert titles(gael.get("/moderation?status=closed")) == []
    assert titles(gael.get("/moderation?reason=nonsense&language=xx")) == [item.id for item in queued]

    db.session.execute(update(QueueItem).where(QueueItem.id == hate.id).values(status="closed"))
    commit()
    assert titles(gael.get("/moderation?status=closed")) == [hate.id]
    gael.post("/moderation/languages", data={"languages": ["es"]})
    assert titles(gael.get("/moderation?mine=1")) == [spam.id, off_topic.id]


def test_items_in_a_language_no_moderator_reads_are_marked(app, forum, queued):
    """Mara (Justicia) and Gael (global) both declare Spanish only: the English item is marked on the queue and
    on its page; once Mara declares English as well, the mark goes."""
    mara = signed_in(app, "mara@example.org")
    gael = signed_in(app, "gael@example.org")
    assert mara.post("/moderation/languages", data={"languages": ["es"]}).status_code == 303
    assert gael.post("/moderation/languages", data={"languages": ["es"]}).status_code == 303

    mark = translated("No moderator of this platform reads %(language)s", "es", language="English")
    page = text(mara.get("/moderation"))
    assert page.count(mark) == 1
    english_row = page.split(f'id="queue-item-{queued[1].id}"')[1].split("</li>")[0]
    assert mark in english_row
    assert mark in text(mara.get(f"/moderation/items/{queued[1].id}"))
    assert "No moderator of this platform reads English" in text(gael.get("/moderation?language=en"))

    mara.post("/moderation/languages", data={"languages": ["es", "en"]})
    assert mark not in text(mara.get("/moderation"))


def test_moderators_declare_their_languages(app, forum):
    """The languages page shows the current choice (both until one declares); choosing none is refused with
    422; the choice is kept."""
    mara = signed_in(app, "mara@example.org")
    page = mara.get("/moderation/languages")
    assert page.status_code == 200
    assert re.search(r'<input checked[^>]*value="es"', text(page)) and re.search(r'<input checked[^>]*value="en"',
                                                                               text(page))
    refused = mara.post("/moderation/languages", data={})
    assert refused.status_code == 422
    assert translated("Choose at least one language.", "es") in text(refused)
    assert mara.post("/moderation/languages", data={"languages": ["en"]}).status_code == 303
    page = text(mara.get("/moderation/languages"))
    assert re.search(r'<input checked[^>]*value="en"', page) and not re.search(r'<input checked[^>]*value="es"', page)
    db.session.expire_all()
    assert db.session.get(type(forum.mara), forum.mara.id).moderation_languages == "en"


def test_the_item_page_shows_hidden_text_to_moderators_only(app, forum):
    """Once the post is hidden by three flags, readers no longer see its text anywhere; the item page shows it
    to Mara with its flags and notes, and refuses Pablo."""
    flags.flag(forum.claire, "post", forum.post.id, reason="spam", note="Otra vez publicidad")
    flags.flag(forum.diego, "post", forum.post.id, reason="spam")
    flags.flag(forum.elena, "post", forum.post.id, reason="hate")
    commit()
    item = db.session.scalar(select(QueueItem))
    reader = app.test_client()
    assert "algunas personas consideran" not in text(reader.get(f"/t/{forum.thread.id}"))

    page = text(signed_in(app, "mara@example.org").get(f"/moderation/items/{item.id}"))
    assert "algunas personas consideran" in page
    assert "Otra vez publicidad" in page and "Claire Dubois" in page
    assert translated("Hidden", "es") in page
    assert translated("automatically, after several flags", "es") in page
    pablo = signed_in(app, "pablo@example.org").get(f"/moderation/items/{item.id}")
    assert pablo.status_code == 403 and "algunas personas consideran" not in text(pablo)


def test_claiming_an_item(app, forum, queued):
    """Mara claims an item; Gael trying to claim it is told she has; Mara gives it back and Gael claims it."""
    item = queued[0]
    mara = signed_in(app, "mara@example.org")
    gael = signed_in(app, "gael@example.org")
    assert mara.post(f"/moderation/items/{item.id}/claim", data={}).status_code == 303
    assert translated("claimed by %(name)s", "en", name="Mara Díaz") in text(gael.get("/moderation"))
    refused = gael.post(f"/moderation/items/{item.id}/claim", data={})
    assert refused.status_code == 409 and "Mara Díaz has already claimed this item." in text(refused)
    assert mara.post(f"/moderation/items/{item.id}/claim", data={"release": "1"}).status_code == 303
    assert gael.post(f"/moderation/items/{item.id}/claim", data={}).status_code == 303
    db.session.expire_all()
    assert db.session.get(QueueItem, item.id).claimed_by_id == forum.gael.id


def test_the_queue_is_paginated(app, forum, make_user):
    """Twenty-five items a page; the second page continues in the same order."""
    people = [make_user() for _ in range(26)]
    db.session.add_all([PlatformMembership(platform_id=forum.justicia.id, user_id=p.id) for p in people])
    commit()
    posts = [threads.reply(forum.rosa, forum.thread, body=f"mensaje {n}") for n in range(26)]
    commit()
    for person, post in zip(people, posts, strict=True):
        flags.flag(person, "post", post.id, reason="spam")
    commit()
    mara = signed_in(app, "mara@example.org")
    first, second = titles(mara.get("/moderation")), titles(mara.get("/moderation?page=2"))
    assert len(first) == 25 and len(second) == 1
    assert first + second == sorted(first + second)
