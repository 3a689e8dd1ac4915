"""A reader's bell rings live when someone writes in a thread she follows, her notification centre says what
happened in her language, and the header's search box finds the thread."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.e2e.test_thread_live import rosas_thread, signed_in


def test_the_bell_rings_live_and_search_finds_the_thread(live_server, browser: Browser):
    """Rosa waits on the home page; Claire replies in Rosa's thread; Rosa's bell shows 1 without a reload, the
    centre names Claire and the thread, and searching "interpretes" (no accent) from the header finds it."""
    thread_url = rosas_thread(live_server)
    contexts = [browser.new_context(locale="es-MX"), browser.new_context(locale="en-GB")]
    try:
        rosa, claire = (context.new_page() for context in contexts)
        errors = signed_in(live_server, rosa, claire)
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
