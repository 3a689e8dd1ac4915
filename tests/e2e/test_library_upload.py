"""A member of a verified organisation uploads a small PDF to a platform's library through the real form in a
real browser, finds it in the library list and opens it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from forum.accounts import services as accounts
from forum.accounts.models import Membership
from forum.accounts.organisations import create_organisation
from forum.core.db import commit
from forum.demo.documents import tiny_pdf
from forum.extensions import db
from forum.platforms.models import PlatformMembership
from forum.platforms.services import create_platform
from tests.e2e.conftest import sign_in


def test_a_member_uploads_a_pdf_and_finds_it_in_the_library(live_server, page: Page, tmp_path):
    """Rosa signs in, opens the platform's library, uploads a PDF with its metadata, sees its page, finds it in
    the library list and opens it again from there; the download link gives back the file."""
    with live_server.app.test_request_context(base_url=live_server.url):
        live_server.app.config["FORUM_UPLOAD_DIR"] = str(tmp_path / "uploads")
        rosa = accounts.create_user(email="rosa@example.org", password="correct horse battery",
                                    display_name="Rosa López", sector="civil_society", state="OAX", locale="es",
                                    confirmed=True)
        network = create_organisation(verified=True, kind="cso", name_es="Red de Mujeres", name_en="Women's Network",
                                      acronym="RMM", state="OAX")
        db.session.add(Membership(user=rosa, organisation=network, status="approved"))
        platform = create_platform(None, slug="justicia", name_es="Justicia", name_en="Justice")
        db.session.add(PlatformMembership(platform=platform, user_id=rosa.id, status="approved"))
        commit()
    pdf = tmp_path / "protocolo.pdf"
    pdf.write_bytes(tiny_pdf("Protocolo de interpretes"))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    sign_in(page, live_server.url, "rosa@example.org")
    page.goto(f"{live_server.url}/p/justicia")
    page.locator("main a[href='/p/justicia/library']").click()
    expect(page).to_have_url(f"{live_server.url}/p/justicia/library")
    page.locator("main a.button[href*='/library/upload']").click()
    expect(page.locator("main select[name=platform]")).to_have_value("justicia")
    page.locator("main input[name=file]").set_input_files(str(pdf))
    page.locator("main [name=title_es]").fill("Protocolo de intérpretes")
    page.locator("main [name=title_en]").fill("Interpreters protocol")
    page.locator("main [name=description_es]").fill("Propuesta para las fiscalías de Oaxaca.")
    page.locator("main select[name=kind]").select_option("policy_draft")
    page.locator("main select[name=language]").select_option("es")
    page.locator("main [name=year]").fill("2025")
    page.locator("main [name=tags]").fill("oaxaca")
    page.locator("main form button[name=send]").click()

    expect(page.locator("main h1")).to_have_text("Protocolo de intérpretes")
    expect(page.locator("main table")).to_contain_text("protocolo.pdf")

    page.goto(f"{live_server.url}/p/justicia/library")
    entry = page.locator("#document-list .document-row")
    expect(entry).to_have_count(1)
    entry.get_by_role("link", name="Protocolo de intérpretes").click()
    expect(page.locator("main h1")).to_have_text("Protocolo de intérpretes")
    link = page.locator("main a.button[href$='/download']").get_attribute("href")
    download = page.request.get(live_server.url + link)
    assert download.ok and download.body().startswith(b"%PDF-")
    assert errors == []
