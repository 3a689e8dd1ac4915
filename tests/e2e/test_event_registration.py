"""A person registers for an event through the real form in a real browser, receives the confirmation over real
SMTP with the calendar file attached, cancels with the link of that e-mail, and the seat is free again: on her
page after a reload, and live on the page another reader kept open."""

from __future__ import annotations

import re
from datetime import timedelta

from flask_babel import force_locale
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect

from forum.accounts import services as accounts
from forum.accounts.models import Membership, User
from forum.accounts.organisations import create_organisation
from forum.core.db import commit, utcnow
from forum.events import services as events
from forum.events.models import Event
from forum.events.routes import seats_left_label
from forum.extensions import db
from forum.personal_data import consent
from tests.conftest import PASSWORD
from tests.e2e.conftest import TIMEOUT_MS, sign_in


def justice_dialogue(organiser: User, capacity: int) -> Event:
    """SRE's dialogue on access to justice in Oaxaca in three days, with ``capacity`` seats and a required question
    (the working group: justice or security), organised and published by ``organiser`` (who is made a member of
    the SRE); committed."""
    sre = create_organisation(verified=True, kind="federal_agency", name_es="Secretaría de Relaciones Exteriores",
                              name_en="Ministry of Foreign Affairs", acronym="SRE", state="CMX")
    db.session.add(Membership(user=organiser, organisation=sre, status="approved"))
    start = (utcnow() + timedelta(days=3)).replace(hour=16, minute=0, second=0, microsecond=0)
    event = events.create(organiser, title_es="Diálogo sobre acceso a la justicia",
                          title_en="Dialogue on access to justice", kind="dialogue",
                          venue_name="Casa de la Cultura", city="Oaxaca de Juárez", state="OAX",
                          starts_at=start, ends_at=start + timedelta(hours=3), capacity=capacity, organisations=[])
    events.add_question(organiser, event, kind="single_choice", label_es="Mesa de trabajo",
                        label_en="Working group", options="Justicia | Justice\nSeguridad | Security", required=True)
    events.publish(organiser, event)
    commit()
    return event


def test_register_get_the_email_cancel_from_it_and_the_seat_is_free_again(live_server, smtp_server, page: Page,
                                                                          browser: Browser):
    """Rosa opens the one-seat dialogue, registers through the form, gets the confirmation with a calendar file
    that parses, follows the cancellation link of the e-mail, confirms with the button, and the event page shows
    the seat free again; Claire's page, open all along, follows the count without a reload."""
    app = live_server.app
    app.config["FORUM_SMTP_URL"] = smtp_server.url
    with app.test_request_context(base_url=live_server.url):
        organiser = accounts.create_user(email="organiser@sre.gob.mx", password=PASSWORD, display_name="Organizadora",
                                         sector="federal_government", state="CMX", locale="es", confirmed=True)
        rosa = accounts.create_user(email="rosa@example.org", password=PASSWORD, display_name="Rosa López",
                                    sector="civil_society", state="OAX", locale="es", confirmed=True)
        for person in (organiser, rosa):
            consent.accept(person)  # as at registration: no question of the privacy notice on their pages
        event = justice_dialogue(organiser, capacity=1)
        event_url, start = f"{live_server.url}/events/{event.id}", event.starts_at
        with force_locale("es"):
            one_left, full = seats_left_label(1), seats_left_label(0)
        with force_locale("en"):
            one_left_en, full_en = seats_left_label(1), seats_left_label(0)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    claire_context = browser.new_context(locale="en-GB")
    try:
        claire = claire_context.new_page()
        claire.set_default_timeout(TIMEOUT_MS)
        claire.on("pageerror", lambda error: errors.append(str(error)))
        claire.goto(event_url)
        expect(claire.locator("#seats-left")).to_have_text(one_left_en)

        sign_in(page, live_server.url, "rosa@example.org")
        page.goto(event_url)
        expect(page.locator("#seats-left")).to_have_text(one_left)
        page.locator(f"#registration a.button[href='/events/{event.id}/register']").click()
        expect(page).to_have_url(f"{event_url}/register")
        page.locator("main [name=organisation_name]").fill("Red de Mujeres de Oaxaca")
        page.locator("main [name=position]").fill("Coordinadora")
        page.locator("main fieldset.question input[type=radio][value='0']").check()
        page.locator("main [name=listed]").check()
        page.locator("main form button[name=send]").click()

        expect(page).to_have_url(event_url)
        expect(page.locator("#seats-left")).to_have_text(full)
        expect(page.locator("#registration .checkin-code")).to_be_visible()
        expect(page.locator("#registration img.qr-code")).to_be_visible()
        expect(claire.locator("#seats-left")).to_have_text(full_en)  # live, without a reload

        [message] = [m for m in smtp_server.wait_for(1) if m["To"] == "rosa@example.org"]
        [calendar_file] = [part for part in message.iter_attachments() if part.get_filename().endswith(".ics")]
        content = calendar_file.get_content()
        [entry] = Calendar.from_ical(content if isinstance(content, bytes) else content.encode()).walk("VEVENT")
        assert str(entry["summary"]) == "Diálogo sobre acceso a la justicia" and entry["dtstart"].dt == start
        body = message.get_body(("plain",)).get_content()
        cancel_link = re.search(re.escape(live_server.url) + r"/events/cancel/\S+", body).group(0)

        page.goto(cancel_link)
        expect(page.locator("main h1")).to_be_visible()
        expect(page.locator("main")).to_contain_text("Diálogo sobre acceso a la justicia")
        expect(page.locator("main")).to_contain_text("Rosa López")
        expect(claire.locator("#seats-left")).to_have_text(full_en)  # opening the link cancelled nothing
        page.locator("main form button[type=submit]").click()
        page.locator(f"main a[href='/events/{event.id}']").click()
        expect(page).to_have_url(event_url)
        expect(page.locator("#seats-left")).to_have_text(one_left)
        expect(page.locator(f"#registration a.button[href='/events/{event.id}/register']")).to_be_visible()
        expect(claire.locator("#seats-left")).to_have_text(one_left_en)
        assert errors == []
    finally:
        claire_context.close()
