"""A consultation in three real browsers: a participant comments on paragraph 3, another reader sees the comment
and the paragraph's count change without reloading, the agency's official answers it in public, closes the
consultation and publishes the report, where the answer shows."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Browser, expect
from sqlalchemy import select

from forum.accounts import services as accounts
from forum.accounts.models import Membership, User
from forum.accounts.organisations import create_organisation
from forum.consultations import services
from forum.consultations.models import Comment, Consultation
from forum.core.db import commit, utcnow
from forum.extensions import db
from forum.platforms.models import PlatformMembership
from forum.platforms.services import create_platform
from tests.conftest import PASSWORD
from tests.e2e.conftest import TIMEOUT_MS, sign_in

DRAFT_ES = ("## 1. Objetivo\n\nGarantizar intérpretes.\n\nUn padrón público.\n\n## 2. Alcance\n\n"
            "Oaxaca y San Luis Potosí.")
DRAFT_EN = "## 1. Aim\n\nGuarantee interpreters.\n\nA public register.\n\n## 2. Scope\n\nOaxaca and San Luis Potosí."


def interpreters_protocol(official: User) -> Consultation:
    """SEGOB's draft "Interpreters' protocol" on the justice platform, open for a week, drafted and published by
    ``official`` (who is made a member of SEGOB and of the platform); committed."""
    segob = create_organisation(verified=True, kind="federal_agency", name_es="Secretaría de Gobernación",
                                name_en="Ministry of the Interior", acronym="SEGOB", state="CMX")
    platform = create_platform(None, slug="justicia", name_es="Justicia", name_en="Justice")
    db.session.add_all([Membership(user=official, organisation=segob, status="approved"),
                        PlatformMembership(platform=platform, user_id=official.id, status="approved")])
    db.session.flush()
    consultation = services.create(
        official, organisation=segob.id, platform="justicia", title_es="Protocolo de intérpretes",
        title_en="Interpreters' protocol", opens_at=utcnow() - timedelta(hours=1),
        closes_at=utcnow() + timedelta(days=7), text_es=DRAFT_ES, text_en=DRAFT_EN)
    services.publish(official, consultation)
    commit()
    return consultation


def test_a_comment_on_paragraph_3_appears_live_and_is_answered(live_server, browser: Browser):
    """Rosa comments on §3; Claire's open page shows it beside §3 with "1 comment"; Jorge (SEGOB) answers; the
    answer is on the page for everyone."""
    with live_server.app.test_request_context(base_url=live_server.url):
        people = {email: accounts.create_user(email=email, password=PASSWORD, display_name=name, sector=sector,
                                              state="OAX", locale=locale, confirmed=True)
                  for email, name, locale, sector in (
                      ("jorge@segob.gob.mx", "Jorge Ramírez", "es", "federal_government"),
                      ("rosa@example.org", "Rosa López", "es", "civil_society"),
                      ("claire@example.org", "Claire Dubois", "en", "international_cooperation"))}
        consultation = interpreters_protocol(people["jorge@segob.gob.mx"])
        page_url = f"{live_server.url}/consultations/{consultation.id}"

    contexts = [browser.new_context(locale=locale) for locale in ("es-MX", "en-GB", "es-MX")]
    try:
        rosa, claire, jorge = (context.new_page() for context in contexts)
        errors: list[str] = []
        for page in (rosa, claire, jorge):
            page.set_default_timeout(TIMEOUT_MS)
        claire.on("pageerror", lambda error: errors.append(str(error)))
        sign_in(rosa, live_server.url, "rosa@example.org")
        sign_in(claire, live_server.url, "claire@example.org")
        claire.goto(page_url)
        expect(claire.locator("#p-3 .comment-count")).to_have_text("0 comments")

        rosa.goto(f"{page_url}?paragraph=3#comment-form")
        form = rosa.locator("#comment-form form")
        form.locator("select[name=kind]").select_option("proposal")
        form.locator("select[name=paragraph]").select_option("3")
        form.locator("textarea[name=body]").fill("Que el padrón incluya la **variante** de cada lengua.")
        form.locator("button[type=submit]").click()
        expect(rosa.locator("#p-3 .paragraph-comments")).to_contain_text("variante")

        expect(claire.locator("#p-3 .comment-count")).to_have_text("1 comment")
        live_comment = claire.locator("#p-3 .paragraph-comments .consultation-comment")
        expect(live_comment.locator("strong")).to_have_text("variante")
        expect(live_comment).to_contain_text("Proposal for change")

        with live_server.app.app_context():
            comment_id = db.session.scalar(select(Comment.id).where(Comment.consultation_id == consultation.id))
        sign_in(jorge, live_server.url, "jorge@segob.gob.mx")
        jorge.goto(f"{live_server.url}/comments/{comment_id}/answer")
        jorge.locator("select[name=status]").select_option("accepted")
        jorge.locator("textarea[name=explanation_es]").fill("Se incluirá la variante en el padrón.")
        jorge.locator("textarea[name=explanation_en]").fill("The variant will be in the register.")
        jorge.locator("button[name=send]").click()

        claire.reload()
        answer = claire.locator(f"#comment-{comment_id} .official-answer")
        expect(answer).to_contain_text("Accepted")
        expect(answer).to_contain_text("The variant will be in the register.")
        expect(claire.locator(".consultation-progress").first).to_contain_text("1 of 1 comments answered")

        jorge.goto(page_url)
        jorge.get_by_role("button", name="Cerrar ahora").click()
        jorge.goto(f"{page_url}/report/publish")
        jorge.locator("textarea[name=summary_es]").fill("Se recibieron propuestas sobre el padrón.")
        jorge.get_by_role("button", name="Publicar el informe").click()
        claire.goto(f"{page_url}/report")
        expect(claire.locator("main")).to_contain_text("The variant will be in the register.")
        expect(claire.locator("main")).to_contain_text("Accepted")
        assert errors == []
    finally:
        for context in contexts:
            context.close()
