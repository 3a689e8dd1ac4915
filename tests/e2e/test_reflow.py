"""The main pages as people with low vision or without colour vision meet them, on the demo data, in a real browser:

- reflow: on a screen 320 pixels wide, and at 1280 pixels with the text at 200 % (the root's ``font-size``), the page
  never scrolls sideways (``scrollWidth <= clientWidth``) and no heading, button or field is cut off (each one's box
  inside the viewport; tables may scroll inside their own region);
- no information by colour alone: each status on the moderation queue, an event's registrations and the indicators'
  targets has words or a symbol that can be seen, besides its colour.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from forum.core.db import commit
from forum.demo.common import PASSWORD
from forum.extensions import db
from tests.e2e.conftest import TIMEOUT_MS, LiveServer, module_site, sign_in

ADMIN, PARTICIPANT = "admin@foro.example", "participante@foro.example"
#: how the page overflows sideways, and which headings, buttons and fields are not wholly inside the viewport
#: (those inside a region that scrolls on its own, like a wide table's, are not cut off)
OVERFLOW = """() => {
  const root = document.documentElement;
  const scrollsOnItsOwn = element => {
    for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(parent).overflowX)) { return true; }
    }
    return false;
  };
  const cut = [];
  for (const element of document.querySelectorAll("h1, h2, h3, button, .button, input, select, textarea, label")) {
    const box = element.getBoundingClientRect();
    if (!box.width || element.closest(".visually-hidden") || scrollsOnItsOwn(element)) { continue; }
    if (box.left < -1 || box.right > root.clientWidth + 1) {
      cut.push(`${element.outerHTML.slice(0, 80)} [${Math.round(box.left)}, ${Math.round(box.right)}]`);
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, cut};
}"""
#: the text of each element matching the selector that a sighted person sees (words only for screen readers left out)
VISIBLE_TEXT = """elements => elements.map(element => {
  const copy = element.cloneNode(true);
  copy.querySelectorAll(".visually-hidden").forEach(hidden => hidden.remove());
  return [element.className, copy.textContent.trim()];
})"""


def _seed() -> None:
    """The demo data, one open flag, a copy of the administrator's data ready to download, an entry in the access
    log, and a second administrator (so the first may open the form that deletes her account)."""
    from forum import demo
    from forum.accounts.services import create_user, find_user_by_email
    from forum.events.models import Event
    from forum.moderation import flags
    from forum.personal_data import access_log
    from forum.personal_data.exports import ask_for_copy
    from forum.threads.models import Post

    demo.seed()
    post = db.session.scalar(select(func.max(Post.id)))
    flags.flag(find_user_by_email("jt@foro.example"), "post", post, reason="off_topic", note="No es del tema.")
    admin = find_user_by_email(ADMIN)
    ask_for_copy(admin)
    access_log.record(admin, "attendee_list", "event", db.session.scalar(select(func.min(Event.id))), people=3)
    create_user(email="admin2@foro.example", password=PASSWORD, display_name="Otra Administradora", role="admin",
                sector="international_cooperation", state="CMX", locale="es", confirmed=True)
    commit()


@pytest.fixture(scope="module")
def site(database_url, tmp_path_factory) -> Iterator[LiveServer]:
    """The forum with the demo data and the additions of :func:`_seed`, served on a loopback port for the whole
    module; every table is emptied afterwards."""
    with module_site(database_url, str(tmp_path_factory.mktemp("uploads")), _seed) as server:
        yield server


@pytest.fixture(scope="module")
def paths(site) -> dict[str, str]:
    """The main pages, by name: lists, one of each kind of content, forms, and the pages of the signed-in."""
    from forum.consultations.models import Consultation
    from forum.documents.models import Document
    from forum.events.models import Event
    from forum.threads.models import Thread

    with site.app.app_context():
        first = {model: db.session.scalar(select(func.min(model.id))) for model in (Thread, Consultation, Event,
                                                                                      Document)}
    return {
        "home": "/", "platforms": "/p/", "platform": "/p/justicia", "thread": f"/t/{first[Thread]}",
        "events": "/events", "event": f"/events/{first[Event]}", "consultations": "/consultations",
        "consultation": f"/consultations/{first[Consultation]}", "library": "/library",
        "document": f"/documents/{first[Document]}", "organisations": "/organisations", "indicators": "/indicators",
        "search": "/search?q=mujeres", "transparency": "/transparency", "login": "/login", "register": "/register",
        "privacy": "/privacy", "accessibility": "/accessibility",
        # signed in as an administrator
        "queue": "/moderation", "settings": "/account", "notifications": "/notifications",
        "attendees": f"/events/{first[Event]}/attendees", "my data": "/account/data",
        "delete account": "/account/delete", "access log": "/admin/access-log", "members": "/p/justicia/members",
    }


SIGNED_IN = {"queue", "settings", "notifications", "attendees", "my data", "delete account", "access log", "members"}


@pytest.fixture(scope="module", params=["320px", "200% text"])
def reader(request, site, browser: Browser) -> Iterator[tuple[Page, Page]]:
    """A visitor's page and an administrator's page, both on a 320 px screen or with text at 200 % on 1280 px."""
    viewport = {"width": 320, "height": 640} if request.param == "320px" else {"width": 1280, "height": 800}
    contexts = [browser.new_context(locale="es-MX", viewport=viewport) for _person in range(2)]
    pages = []
    for context in contexts:
        context.set_default_timeout(TIMEOUT_MS)
        pages.append(context.new_page())
    if request.param == "200% text":
        for page in pages:  # the style sheet's own root size, doubled, on every page the context opens
            page.context.add_init_script("document.addEventListener('DOMContentLoaded', () => "
                                         "document.documentElement.style.fontSize = '200%')")
    sign_in(pages[1], site.url, ADMIN, PASSWORD)
    try:
        yield pages[0], pages[1]
    finally:
        for context in contexts:
            context.close()


@pytest.mark.parametrize("name", [
    "home", "platforms", "platform", "thread", "events", "event", "consultations", "consultation", "library",
    "document", "organisations", "indicators", "search", "transparency", "login", "register", "privacy",
    "accessibility", "queue", "settings", "notifications", "attendees", "my data", "delete account", "access log",
    "members"])
def test_the_page_reflows_without_sideways_scrolling_or_cut_text(site, paths, reader, name):
    """No horizontal scrolling and every heading, button and field inside the viewport."""
    visitor, administrator = reader
    page = administrator if name in SIGNED_IN else visitor
    response = page.goto(site.url + paths[name])
    assert response.status == 200
    if page.viewport_size["width"] > 320:
        assert page.evaluate("document.documentElement.style.fontSize") == "200%"
    found = page.evaluate(OVERFLOW)
    assert found["scrollWidth"] <= found["clientWidth"], found
    assert found["cut"] == [], found


@pytest.mark.parametrize(("name", "person", "selector"), [
    ("queue", ADMIN, "#queue .queue-item .badge"),
    ("attendees", ADMIN, "main .event-status-counts li, main table .badge"),
    ("indicators", None, "main .target-met, main .target-missed"),
])
def test_statuses_are_not_told_by_colour_alone(site, paths, browser: Browser, name, person, selector):
    """Each status shown in colour also has words or a symbol that can be seen."""
    context = browser.new_context(locale="es-MX")
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        if person:
            sign_in(page, site.url, person, PASSWORD)
        page.goto(site.url + paths[name])
        statuses = page.locator(selector)
        expect(statuses.first).to_be_visible()
        for kind, text in statuses.evaluate_all(VISIBLE_TEXT):
            assert text, f"{name}: a status ({kind}) shown by its colour only"
    finally:
        context.close()


def test_a_registration_status_is_told_in_words(site, paths, browser: Browser):
    """The person registered for an event reads the state of her registration in words on the event page."""
    context = browser.new_context(locale="es-MX")
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        sign_in(page, site.url, PARTICIPANT, PASSWORD)
        page.goto(site.url + "/events")
        with site.app.app_context():
            from forum.accounts.services import find_user_by_email
            from forum.events.models import Registration

            event_id = db.session.scalar(select(Registration.event_id).where(
                Registration.user_id == find_user_by_email(PARTICIPANT).id).limit(1))
        page.goto(f"{site.url}/events/{event_id}")
        [(_kind, text)] = page.locator("#registration .registration-status").evaluate_all(VISIBLE_TEXT)
        assert text
    finally:
        context.close()
