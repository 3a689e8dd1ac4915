"""The moderation log page: what each reader sees, the filters (action, platform, moderator, dates, reason,
person), pages of 50, edits with their text before and after, and bad filter values."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from forum.core.db import commit
from forum.extensions import db
from forum.moderation import log, sanctions
from forum.moderation.models import ModerationAction
from forum.moderation.targets import Described
from tests.moderation.test_sanctions import browser, html, in_locale


def main(page: str) -> str:
    """The page's own content, without the site's header and navigation."""
    return page[page.index("<main"):page.index("</main>")]


def entry_ids(page: str) -> set[int]:
    """The log entries listed on a page."""
    return {int(n) for n in re.findall(r'<tr id="log-(\d+)">', page)}


def record(moderator, action: str, platform, *, reason: str | None = None, when: datetime | None = None,
           author=None, before: str | None = None, after: str | None = None, target_id: int = 1) -> int:
    """Write one log entry about a post of ``platform``; returns its id."""
    target = Described(type="post", id=target_id, platform=platform, language="es", author=author,
                       title="Mensaje", text="", url="/", status="visible")
    entry = log.record(moderator, action, target=target, reason=reason, before=before, after=after)
    if when is not None:
        entry.created_at = when
    db.session.flush()
    commit()
    return entry.id


@pytest.fixture
def world(make_user, make_platform):
    """Two platforms (one members-only), a global moderator, each platform's own moderator, an author, and
    log entries on both platforms."""
    mateo = make_user("mod@example.org", display_name="Mateo Moderador", role="moderator", locale="en")
    lucia = make_user("lucia@example.org", display_name="Lucía Local", locale="es")
    otto = make_user("otto@example.org", display_name="Otto Otro", locale="en")
    rosa = make_user("rosa@example.org", display_name="Rosa López")
    justice = make_platform(slug="justicia", name_es="Justicia", name_en="Justice", moderators=[lucia])
    closed = make_platform(slug="grupo", name_es="Grupo cerrado", name_en="Closed group", visibility="members",
                           moderators=[otto])
    entries = {
        "hide": record(mateo, "hide", justice, reason="spam", author=rosa,
                       when=datetime(2026, 3, 10, 12, tzinfo=UTC)),
        "edit": record(lucia, "edit", justice, reason="personal_data", author=rosa, before="Mi teléfono es 555",
                       after="Mi teléfono es [retirado]", when=datetime(2026, 4, 2, 12, tzinfo=UTC)),
        "system": record(None, "hide", closed, reason="harassment", author=rosa,
                         when=datetime(2026, 4, 20, 12, tzinfo=UTC)),
        "restore": record(otto, "restore", closed, author=rosa, when=datetime(2026, 5, 5, 12, tzinfo=UTC)),
    }
    sanction = sanctions.warn(mateo, rosa, text="Cuida el tono.")
    commit()
    entries["warning"] = db.session.scalar(
        select(ModerationAction.id).where(ModerationAction.target_id == sanction.id,
                                             ModerationAction.target_type == "sanction"))
    return {"mateo": mateo, "lucia": lucia, "otto": otto, "rosa": rosa, "justice": justice, "closed": closed,
            "entries": entries}


def test_global_moderators_see_every_action_and_edits_before_and_after(app, world):
    """Everything, newest first, with who acted (or the system), the person affected and the edit's text."""
    page = html(browser(app, "mod@example.org").get("/moderation/log"))
    entries = world["entries"]
    assert entry_ids(page) == set(entries.values())
    order = [int(n) for n in re.findall(r'<tr id="log-(\d+)">', page)]
    assert order == [entries[k] for k in ("warning", "restore", "system", "edit", "hide")]
    assert "Mi teléfono es 555" in page and "Mi teléfono es [retirado]" in page
    assert in_locale("en", "the system") in page
    assert f'/moderation/people/{world["rosa"].id}/sanctions' in page
    assert "Cuida el tono." in page


def test_a_platforms_moderator_sees_that_platform_and_sanctions_only(app, world):
    """The moderator of Justicia reads Justicia's actions and sanctions, never the closed platform's, and is
    offered only their platform in the filter."""
    page = html(browser(app, "lucia@example.org").get("/moderation/log"))
    entries = world["entries"]
    assert entry_ids(page) == {entries["hide"], entries["edit"], entries["warning"]}
    assert "Grupo cerrado" not in main(page) and "Closed group" not in main(page)
    closed = world["closed"].id
    assert entry_ids(html(browser(app, "lucia@example.org").get(f"/moderation/log?platform={closed}"))) \
        == {entries["hide"], entries["edit"], entries["warning"]}  # a platform not offered is ignored


@pytest.mark.parametrize("query, expected", [
    ("action=hide", {"hide", "system"}),
    ("action=warning", {"warning"}),
    ("reason=personal_data", {"edit"}),
    ("moderator=system", {"system"}),
    ("start=2026-04-01&end=2026-04-30", {"edit", "system"}),
    ("start=2026-04-03", {"system", "restore", "warning"}),
    ("end=2026-03-10", {"hide"}),
    ("action=hide&reason=spam", {"hide"}),
    ("action=nonsense&reason=nonsense&moderator=nobody&platform=abc", {"hide", "edit", "system", "restore",
                                                                          "warning"}),
])
def test_the_filters(app, world, query, expected):
    """Each filter narrows the list; values that are not offered are ignored."""
    page = html(browser(app, "mod@example.org").get(f"/moderation/log?{query}"))
    assert entry_ids(page) == {world["entries"][name] for name in expected}


def test_filtering_by_platform_moderator_and_person(app, world, make_user):
    """By platform, by the moderator who acted, and by the person affected (linked from their sanctions)."""
    client = browser(app, "mod@example.org")
    entries = world["entries"]
    page = html(client.get(f"/moderation/log?platform={world['justice'].id}"))
    assert entry_ids(page) == {entries["hide"], entries["edit"]}
    page = html(client.get(f"/moderation/log?moderator={world['lucia'].id}"))
    assert entry_ids(page) == {entries["edit"]}
    assert f'<option selected value="{world["lucia"].id}">Lucía Local</option>' in page
    other = make_user()
    assert entry_ids(html(client.get(f"/moderation/log?subject={other.id}"))) == set()
    assert entry_ids(html(client.get(f"/moderation/log?subject={world['rosa'].id}"))) == set(entries.values())


@pytest.mark.parametrize("query", ["start=31-12-2026", "end=mañana", "start=2026-05-01&end=2026-04-01",
                                   "end=9999-12-31", "start=0001-01-01"])
def test_bad_dates_get_a_message_and_the_page_still_works(app, world, query):
    """422 with the message next to the field; the list is shown without that filter."""
    response = browser(app, "mod@example.org").get(f"/moderation/log?{query}")
    assert response.status_code == 422
    page = html(response)
    assert 'class="error"' in page
    assert entry_ids(page)


def test_fifty_a_page_and_the_pager_keeps_the_filters(app, world):
    """54 matching entries: 50 on the first page, 4 on the second, reached by a link that keeps the filter."""
    for n in range(54):
        record(world["mateo"], "dismiss", world["justice"], target_id=100 + n)
    client = browser(app, "mod@example.org")
    first = html(client.get("/moderation/log?action=dismiss&reason="))
    assert len(entry_ids(first)) == 50
    link = re.search(r'<a rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "action=dismiss" in link
    second = html(client.get(link))
    assert len(entry_ids(second)) == 4 and not entry_ids(first) & entry_ids(second)


def test_the_log_in_both_languages(app, world):
    """Spanish for Lucía, English for Mateo."""
    for email, locale in (("lucia@example.org", "es"), ("mod@example.org", "en")):
        page = html(browser(app, email).get("/moderation/log"))
        assert f'<html lang="{locale}">' in page
        assert f"<h1>{in_locale(locale, 'Moderation log')}</h1>" in page
