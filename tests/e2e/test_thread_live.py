"""Two people on one thread in two real browsers: what one writes appears on the other's page without a
reload, with "reading now" and "is writing" along the way."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from forum.accounts import services as accounts
from forum.core.db import commit
from forum.extensions import db
from forum.platforms.models import PlatformMembership
from forum.platforms.services import create_platform
from forum.threads.services import start_thread
from tests.conftest import PASSWORD
from tests.e2e.conftest import TIMEOUT_MS, sign_in


def rosas_thread(live_server) -> str:
    """Rosa (Spanish) and Claire (English), members of Justicia, where Rosa opened a thread; its address."""
    with live_server.app.test_request_context(base_url=live_server.url):
        people = [accounts.create_user(email=email, password=PASSWORD, display_name=name, sector="civil_society",
                                       state="OAX", locale=locale, confirmed=True)
                  for email, name, locale in (("rosa@example.org", "Rosa López", "es"),
                                              ("claire@example.org", "Claire Dubois", "en"))]
        platform = create_platform(None, slug="justicia", name_es="Justicia", name_en="Justice")
        db.session.add_all([PlatformMembership(platform=platform, user_id=p.id, status="approved") for p in people])
        thread = start_thread(people[0], platform, title="Intérpretes en las fiscalías", body="¿Experiencias?")
        commit()
        return f"{live_server.url}/t/{thread.id}"


def signed_in(live_server, rosa: Page, claire: Page) -> list[str]:
    """Sign Rosa and Claire in on their pages; the list collects the script errors of Rosa's page."""
    for page in (rosa, claire):
        page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    rosa.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(rosa, live_server.url, "rosa@example.org", PASSWORD)
    sign_in(claire, live_server.url, "claire@example.org", PASSWORD)
    return errors


def test_a_reply_appears_live_on_the_other_readers_page(live_server, browser: Browser):
    """Rosa and Claire read the same thread; Claire replies; Rosa sees the reply, in her language and with her
    own controls, without reloading."""
    thread_url = rosas_thread(live_server)
    contexts = [browser.new_context(locale="es-MX"), browser.new_context(locale="en-GB")]
    try:
        rosa, claire = (context.new_page() for context in contexts)
        errors = signed_in(live_server, rosa, claire)
        rosa.goto(thread_url)
        claire.goto(thread_url)
        expect(rosa.locator("#live-status")).to_have_text("2 personas leyendo ahora")
        expect(claire.locator("#live-status")).to_have_text("2 people reading now")

        claire.locator("#reply-form textarea[name=body]").fill("We funded **interpreters** in Guatemala.")
        expect(rosa.locator("#typing")).to_have_text("Claire Dubois está escribiendo…")
        claire.locator("#reply-form select[name=language]").select_option("en")
        claire.locator('#reply-form button[name="send"]').click()

        new_post = rosa.locator(".post-item.live-new")
        expect(new_post.locator("strong")).to_have_text("interpreters")
        expect(new_post.locator("article.post")).to_have_attribute("lang", "en")
        expect(new_post.locator(".post-controls")).to_contain_text("Citar y responder")
        expect(new_post.locator(".post-controls")).not_to_contain_text("Borrar")
        assert rosa.locator(".post-item").count() == 2
        assert errors == []
    finally:
        for context in contexts:
            context.close()
