"""A newcomer's whole journey through the real pages in a real browser: register, confirm the address from
the e-mail, sign in, switch the language to English and back, sign out.

Elements are found by stable attributes (names, paths, values) and the language by ``html[lang]``, so the
test does not depend on how far the Spanish catalog has been translated. Form fields are still reached
through their visible labels, which checks that every one of them is labelled.
"""

from __future__ import annotations

import re

from playwright.sync_api import ConsoleMessage, Page, expect
from sqlalchemy import select

from forum.core.mail import OutboxMessage
from forum.extensions import db

EMAIL = "maria.lopez@example.org"
NEW_PASSWORD = "tejido social de oaxaca"
DISPLAY_NAME = "María López"


def by_label(page: Page, name: str):
    """The form control named ``name``, found through the text of its own <label> (in any language)."""
    control = page.locator(f"main [name={name}]")
    label = page.locator(f'main label[for="{control.get_attribute("id")}"]').inner_text().strip()
    found = page.get_by_label(label, exact=True)
    expect(found).to_have_attribute("name", name)
    return found


def submit_main_form(page: Page) -> None:
    """Press the submit button of the page's own form (not the language switcher in the header)."""
    page.locator("main form button[type=submit]").click()


def confirmation_link(live_server, recipient: str) -> str:
    """The confirmation address in the last e-mail queued for ``recipient``."""
    with live_server.app.app_context():
        messages = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == recipient).order_by(OutboxMessage.id)
        ).all()
        assert messages, f"no e-mail was queued for {recipient}"
        body = messages[-1].body
    found = re.search(re.escape(live_server.url) + r"/confirm/\S+", body)
    assert found, body
    return found.group(0)


def test_register_confirm_sign_in_switch_language_and_sign_out(live_server, page: Page):
    """Register → confirm from the e-mail → sign in → English → Spanish → sign out, without console errors."""
    errors: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"{page.url}: {message.text}")

    page.on("console", record)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: uncaught {error}"))
    html = page.locator("html")
    account_menu = page.locator("nav.account-menu")
    sign_in_link = account_menu.locator('a[href^="/login"]')

    # The front page, in Spanish (the browser asks for es-MX and it is the site's default).
    page.goto(live_server.url + "/")
    expect(html).to_have_attribute("lang", "es")
    expect(sign_in_link).to_be_visible()

    # "Registrarse", in the header.
    account_menu.locator('a[href="/register"]').click()
    expect(page).to_have_url(live_server.url + "/register")
    by_label(page, "email").fill(EMAIL)
    by_label(page, "password").fill(NEW_PASSWORD)
    by_label(page, "display_name").fill(DISPLAY_NAME)
    expect(by_label(page, "locale")).to_have_value("es")
    by_label(page, "sector").select_option("civil_society")
    by_label(page, "state").select_option("OAX")
    expect(by_label(page, "organisation")).to_have_value("")  # no organisation: taking part as an individual
    by_label(page, "privacy_consent").check()
    submit_main_form(page)

    # "Check your e-mail".
    expect(page).to_have_url(live_server.url + "/register/check-your-email")
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator('main form[action="/confirm"]')).to_be_visible()

    # The link from the e-mail confirms the address and leads to the sign-in page.
    page.goto(confirmation_link(live_server, EMAIL))
    expect(page).to_have_url(live_server.url + "/login")
    expect(page.locator(".flash-success")).to_be_visible()

    # Sign in: the name is shown in the header.
    by_label(page, "email").fill(EMAIL)
    by_label(page, "password").fill(NEW_PASSWORD)
    submit_main_form(page)
    expect(page).to_have_url(live_server.url + "/")
    summary = account_menu.locator("details > summary")
    expect(summary).to_have_text(DISPLAY_NAME)
    expect(sign_in_link).to_have_count(0)

    # English.
    page.locator("button[name=locale][value=en]").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page.locator("button[name=locale][value=en]")).to_be_disabled()
    summary.click()
    expect(account_menu.get_by_role("button", name="Sign out", exact=True)).to_be_visible()
    expect(account_menu.get_by_role("link", name="Settings", exact=True)).to_be_visible()

    # Back to Spanish.
    page.locator("button[name=locale][value=es]").click()
    expect(html).to_have_attribute("lang", "es")
    expect(page.locator("button[name=locale][value=es]")).to_be_disabled()
    expect(page.locator("button[name=locale][value=en]")).to_be_enabled()

    # Sign out from the account menu.
    summary.click()
    sign_out = account_menu.locator('form[action="/logout"] button')
    expect(sign_out).to_be_visible()
    sign_out.click()
    expect(sign_in_link).to_be_visible()
    expect(summary).to_have_count(0)
    expect(html).to_have_attribute("lang", "es")

    assert errors == []
