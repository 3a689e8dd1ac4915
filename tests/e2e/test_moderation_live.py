"""Moderation live, in real browsers: a flag sent by one member appears on the moderator's open queue without a
reload, and the moderator's "hide" takes the post's text off a reader's open thread page, also without a
reload. Elements are found by stable attributes; expected texts come from the catalogs."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from playwright.sync_api import Browser, expect

from forum.accounts import services as accounts
from forum.core.db import commit
from forum.extensions import db
from forum.personal_data import consent
from forum.platforms.models import PlatformMembership
from forum.platforms.services import create_platform, grant_role
from forum.threads.services import reply, start_thread
from tests.conftest import PASSWORD
from tests.e2e.conftest import TIMEOUT_MS, sign_in

POST_TEXT = "Compren relojes baratos en mi tienda"


def test_a_flag_appears_live_and_the_hide_removes_the_post_live(live_server, browser: Browser):
    """Diego flags Rosa's reply; Mara's queue page shows it at once; she opens it and hides it; a visitor reading
    the thread sees the placeholder replace the text, in Spanish, without reloading."""
    app = live_server.app
    with app.test_request_context(base_url=live_server.url):
        rosa, diego, mara = (accounts.create_user(email=email, password=PASSWORD, display_name=name,
                                                  sector="civil_society", state="OAX", locale="es", confirmed=True)
                             for email, name in (("rosa@example.org", "Rosa López"), ("diego@example.org",
                                                 "Diego Pérez"), ("mara@example.org", "Mara Díaz")))
        for person in (rosa, diego, mara):
            consent.accept(person)  # as at registration: no question of the privacy notice on their pages
        platform = create_platform(None, slug="justicia", name_es="Justicia", name_en="Justice")
        db.session.add_all([PlatformMembership(platform=platform, user_id=p.id, status="approved")
                            for p in (rosa, diego)])
        grant_role(None, platform, mara, "moderator")
        thread = start_thread(rosa, platform, title="Intérpretes en las fiscalías", body="¿Experiencias?")
        commit()
        post = reply(rosa, thread, body=POST_TEXT)
        commit()
        post_id, thread_url = post.id, f"{live_server.url}/t/{thread.id}"
        with force_locale("es"):
            live, reading = _("Live"), _("1 person reading now")
            hidden = _("Hidden by the moderators: %(reason)s", reason=_("Spam"))

    contexts = [browser.new_context(locale="es-MX") for _person in range(3)]
    try:
        moderator, reader, flagger = (context.new_page() for context in contexts)
        errors: list[str] = []
        for tab in (moderator, reader, flagger):
            tab.set_default_timeout(TIMEOUT_MS)
            tab.on("pageerror", lambda error: errors.append(str(error)))

        sign_in(moderator, live_server.url, "mara@example.org")
        moderator.goto(f"{live_server.url}/moderation")
        expect(moderator.locator("#queue .empty")).to_be_visible()
        expect(moderator.locator("#queue-live-status")).to_have_text(live)

        reader.goto(thread_url)
        expect(reader.locator(f"#post-{post_id} .post-body")).to_contain_text(POST_TEXT)
        expect(reader.locator("#live-status")).to_have_text(reading)

        sign_in(flagger, live_server.url, "diego@example.org")
        flagger.goto(f"{live_server.url}/flag/post/{post_id}")
        flagger.locator("main select[name=reason]").select_option("spam")
        flagger.locator("main form button[type=submit]").click()
        expect(flagger).to_have_url(f"{live_server.url}/flags/mine")

        row = moderator.locator("#queue .queue-item.live-new")
        expect(row).to_have_count(1)
        expect(row.locator(".queue-item-title a")).to_have_text("Intérpretes en las fiscalías")
        expect(row.locator(".excerpt")).to_contain_text(POST_TEXT)
        expect(moderator.locator("#queue .empty")).to_have_count(0)

        row.locator(".queue-item-title a").click()
        moderator.locator("#decision-form select[name=decision]").select_option("hide")
        moderator.locator("#decision-form select[name=reason]").select_option("spam")
        moderator.locator("#decision-form button[type=submit]").click()
        expect(moderator.locator("#handled")).to_be_visible()

        article = reader.locator(f"#post-{post_id}")
        expect(article.locator(".placeholder")).to_have_text(hidden)
        expect(article).not_to_contain_text(POST_TEXT)
        assert errors == []
    finally:
        for context in contexts:
            context.close()
