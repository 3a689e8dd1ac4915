"""A reader's bell rings live when someone writes in a thread she follows, her notification centre says what
happened in her language, and the header's search box finds the thread."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from forum.accounts import services as accounts
from forum.core.db import commit
from forum.extensions import db
from forum.platforms.models import PlatformMembership
from forum.platforms.services import create_platform
from forum.threads.services import start_thread
from tests.conftest import PASSWORD
from tests.e2e.conftest import TIMEOUT_MS
from tests.e2e.test_thread_live import sign_in


def test_the_bell_rings_live_and_search_finds_the_thread(live_server, browser: Browser):
    """Rosa waits on the home page; Claire replies in Rosa's thread; Rosa's bell shows 1 without a reload, the
    centre names Claire and the thread, and searching "interpretes" (no accent) from the header finds it."""
    with live_server.app.test_request_context(base_url=live_server.url):
        people = [accounts.create_user(email=email, password=PASSWORD, display_name=name, sector="civil_society",
                                       state="OAX", locale=locale, confirmed=True)
                  for email, name, locale in (("rosa@example.org", "Rosa López", "es"),
                                              ("claire@example.org", "Claire Dubois", "en"))]
        platform = create_platform(None, slug="justicia", name_es="Justicia", name_en="Justice")
        db.session.add_all([PlatformMembership(platform=platform, user_id=p.id, status="approved") for p in people])
        thread = start_thread(people[0], platform, title="Intérpretes en las fiscalías", body="¿Experiencias?")
        commit()
        thread_url = f"{live_server.url}/t/{thread.id}"

    contexts = [browser.new_context(locale="es-MX"), browser.new_context(locale="en-GB")]
    try:
        rosa, claire = (context.new_page() for context in contexts)
        for page in (rosa, claire):
            page.set_default_timeout(TIMEOUT_MS)
        errors: list[str] = []
        rosa.on("pageerror", lambda error: errors.append(str(error)))
        sign_in(rosa, live_server.url, "rosa@example.org")
        sign_in(claire, live_server.url, "claire@example.org")
        rosa.goto(live_server.url + "/")
        bell = rosa.locator("header .notification-bell")
        expect(bell.locator(".notification-status")).to_have_text("Notificaciones: ninguna sin leer")

        claire.goto(thread_url)
        claire.locator("#reply-form textarea[name=body]").fill("We funded interpreters in Guatemala.")
        claire.locator("#reply-form select[name=language]").select_option("en")
        claire.locator('#reply-form button[name="send"]').click()

        expect(bell.locator(".notification-count")).to_have_text("1")
        expect(bell.locator(".notification-status")).to_have_text("1 notificación sin leer")
        bell.click()
        expect(rosa.locator("main")).to_contain_text("Claire Dubois escribió en «Intérpretes en las fiscalías»")

        rosa.locator("header form[role=search] input[name=q]").fill("interpretes fiscal")
        rosa.locator("header form[role=search] input[name=q]").press("Enter")
        result = rosa.locator(".search-result").first
        expect(result.locator("a mark").first).to_have_text("Intérpretes")
        result.locator("a").first.click()
        expect(rosa).to_have_url(thread_url)
        assert errors == []
    finally:
        for context in contexts:
            context.close()
