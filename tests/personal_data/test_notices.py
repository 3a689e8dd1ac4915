"""The privacy notice and the accessibility statement in both languages, and accepting the notice when opening an
account: recorded with the notice's version, and required."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.core.db import utcnow
from forum.extensions import db
from forum.personal_data import notice
from tests.accounts.test_registration import form
from tests.conftest import PASSWORD, Auth, spanish_page


def sections_and_contents(page: str) -> tuple[set[str], list[str]]:
    """The ids of a page's sections and the anchors its table of contents points at."""
    contents = re.search(r'<nav class="contents".*?</nav>', page, re.S).group(0)
    return set(re.findall(r'<section id="([^"]+)"', page)), re.findall(r'href="#([^"]+)"', contents)


@pytest.mark.parametrize("path", ["/privacy", "/accessibility"])
def test_every_entry_of_the_table_of_contents_leads_to_a_section(client, path):
    """Both pages open with a table of contents whose every link reaches a section with its own heading."""
    page = client.get(path).get_data(as_text=True)
    sections, anchors = sections_and_contents(page)
    assert anchors and set(anchors) == sections
    assert page.count("<h1") == 1 and page.count("<h2") == len(sections) + 1  # the sections and "Contents"


def test_the_privacy_notice_in_english(app, english_client):
    """The notice names the controller set for the site, its version and date, the sensitive data, the retention
    periods in force and the ways to exercise the ARCO rights, in the platform and by e-mail."""
    app.config.update(FORUM_CONTROLLER_NAME="Fundación Diálogo A.C.", FORUM_CONTROLLER_ADDRESS="Av. Reforma 1, CDMX",
                      FORUM_PRIVACY_EMAIL="datos@dialogo.example", FORUM_OUTBOX_RETENTION_DAYS=45)
    response = english_client.get("/privacy")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1 id=\"privacy-title\">Privacy notice</h1>" in page
    assert f"Version {notice.VERSION}, published on November 24, 2026." in page
    assert "Fundación Diálogo A.C., with its address at Av. Reforma 1, CDMX" in page
    assert 'href="mailto:datos@dialogo.example"' in page
    assert "We treat your gender and its description as sensitive personal data" in page
    assert "Copies of the e-mails the forum sends: 45 days after they are sent (or after they were queued" in page
    assert "Event registrations: 12 months after the event ends" in page
    assert 'href="/account/data">Download my data</a>' in page and 'href="/account/delete">Delete my' in page
    assert "Nobody sells your personal data" in page and "LFPDPPP" in page and "GDPR" in page


def test_the_privacy_notice_without_settings_shows_placeholders(english_client):
    """A site that has not named its controller yet shows a visible placeholder, never an empty sentence."""
    page = english_client.get("/privacy").get_data(as_text=True)
    assert "[Name of the organisation responsible for the forum]" in page


def test_the_privacy_notice_in_spanish(client):
    """A Spanish reader gets the notice from the Spanish catalog."""
    response = client.get("/privacy")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="es">' in page
    for heading in ("Privacy notice", "Who is responsible for your data", "Sensitive data",
                    "Your rights (ARCO) and how to exercise them", "Cookies"):
        assert spanish_page(heading) in page


def test_the_accessibility_statement_in_english(app, english_client):
    """The statement gives the target and status, how the forum is tested, the known barriers, the address to
    report one (from the settings) and how soon it is answered."""
    app.config["FORUM_ACCESSIBILITY_EMAIL"] = "a11y@dialogo.example"
    response = english_client.get("/accessibility")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "WCAG) 2.2" in page and "<strong>partially conformant</strong>" in page
    assert "axe-core" in page and "320 pixels wide" in page and "200 %" in page
    assert 'href="mailto:a11y@dialogo.example"' in page
    assert f"We answer within {notice.ACCESSIBILITY_REPLY_DAYS} working days" in page
    assert "This statement was last reviewed on November 24, 2026." in page
    barriers = re.search(r'<ul class="known-gaps">(.*?)</ul>', page, re.S).group(1)
    assert barriers.count("<li>") == len(notice.KNOWN_BARRIERS)


def test_the_accessibility_statement_in_spanish(client):
    """A Spanish reader gets the statement from the Spanish catalog."""
    page = client.get("/accessibility").get_data(as_text=True)
    for heading in ("Accessibility statement", "Conformance status", "Known barriers", "Reporting a barrier"):
        assert spanish_page(heading) in page


# --- accepting the notice when opening an account ------------------------------------------------------------


def test_the_registration_form_links_to_the_notice_in_the_same_tab(client):
    """The form says in short what happens to the data, links to the full notice (no new tab) and asks for the
    acceptance with a box that is not ticked beforehand."""
    page = client.get("/register").get_data(as_text=True)
    link = re.search(r'<a href="/privacy"[^>]*>', page).group(0)
    assert "target" not in link
    box = re.search(r'<input[^>]*name="privacy_consent"[^>]*>', page).group(0)
    assert 'type="checkbox"' in box and "checked" not in box
    assert spanish_page("I have read the privacy notice and agree to the processing of my personal data as it "
                        "describes.") in page


def test_registering_records_when_the_notice_was_accepted_and_its_version(client):
    """The new account keeps the moment and the version of the notice its owner accepted."""
    before = utcnow()
    assert client.post("/register", data=form()).status_code == 302
    user = db.session.scalar(select(User))
    assert user.privacy_notice_version == notice.VERSION
    assert before - timedelta(seconds=1) <= user.privacy_accepted_at <= utcnow()


def test_registering_without_accepting_the_notice_is_refused_keeping_the_form(client):
    """Without the box ticked: 400, the reason beside the box in the reader's language, everything else that was
    typed still there, and no account."""
    response = client.post("/register", data=form(privacy_consent="", position="Coordinadora",
                                                  gender="woman", age_range="30_44"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    message = spanish_page("To open an account, please confirm that you have read the privacy notice and agree to "
                           "it.")
    assert f'<p class="error" id="privacy_consent-error">{message}</p>' in page
    assert 'aria-describedby="privacy_consent-error"' in page
    for kept in ('value="lucia@example.org"', 'value="Lucía Pérez"', 'value="Coordinadora"',
                 '<option selected value="OAX">', '<option selected value="woman">', '<option selected value="30_44">'):
        assert kept in page
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_accounts_made_by_the_command_are_not_asked(app):
    """An administrator's ``create-user`` opens the account without recording an acceptance nobody gave."""
    result = app.test_cli_runner().invoke(args=["create-user", "--email", "ana@example.org", "--name", "Ana",
                                                "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.privacy_accepted_at, user.privacy_notice_version) == (None, None)


# --- found in review: consent sent as a word, and accounts that never accepted the notice in force ------------


@pytest.mark.parametrize("value", ["no", "off", "0", "n", ""])
def test_a_refusal_sent_as_a_word_is_not_consent(client, value):
    """Only the box's own value is consent: a hand-made "no" is refused like an unticked box."""
    response = client.post("/register", data=form(privacy_consent=value))
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_someone_who_never_accepted_the_notice_in_force_is_asked_until_they_do(app, client, make_user):
    """An account made by an administrator (or before this version) is asked on every page, and the answer is
    recorded with the version; then the question goes."""
    make_user("ana@example.org", accepted=False)
    Auth(client).login("ana@example.org")
    page = client.get("/events").get_data(as_text=True)
    assert spanish_page("Please read the privacy notice") in page and 'action="/privacy/accept"' in page
    accepted = client.post("/privacy/accept", data={"next": "/events"})
    assert accepted.status_code == 303 and accepted.headers["Location"].endswith("/events")
    user = db.session.scalar(select(User).where(User.email == "ana@example.org"))
    assert user.privacy_notice_version == notice.VERSION and user.privacy_accepted_at is not None
    assert 'action="/privacy/accept"' not in client.get("/events").get_data(as_text=True)
    assert client.post("/privacy/accept", data={"next": "https://elsewhere.example/"}).headers[
        "Location"].endswith("/")  # never sent off the site


def test_visitors_and_people_who_accepted_are_not_asked(client, make_user):
    make_user("bea@example.org")
    assert 'action="/privacy/accept"' not in client.get("/events").get_data(as_text=True)
    Auth(client).login("bea@example.org")
    assert 'action="/privacy/accept"' not in client.get("/events").get_data(as_text=True)
