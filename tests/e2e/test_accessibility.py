"""Automated accessibility checks: axe-core runs on every main page, in Spanish and in English, as a person meets
it before anything is written (empty), once the forum is in use (full: the demo data plus a waiting list, a second
version of a document, an open flag, a copy of one's data ready) and when something went wrong (forms sent with
invalid values, the page that does not exist, a refused search or filter). Every WCAG 2.0, 2.1 and 2.2 A and AA rule
is checked, and axe's best practices; every page must answer with the status it is meant to.

One server and one data set serve the whole module, with one browser page per language. A failure lists, page by
page, each broken rule with the selectors of the elements that break it and what axe says would fix them.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe, AxeResults
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from forum.core.db import commit, utcnow
from forum.core.forms import INVALID
from forum.demo.common import PASSWORD
from forum.demo.documents import tiny_pdf
from forum.extensions import db
from tests.e2e.conftest import TIMEOUT_MS, LiveServer, module_site

#: the browser's language for each language of the interface
LANGUAGES = {"es": "es-MX", "en": "en-GB"}
#: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices
AXE_OPTIONS = {
    "runOnly": {"type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}
AXE = Axe()
#: who plays each part, in each language (a signed-in person's language is kept in her account, so each language
#: has its own people): the participant is a member and translator of Justicia and follows platforms (her bell
#: has notifications); the newcomer is not registered for the small dialogue; moderators run every event too
ADMIN, MODERATOR, PARTICIPANT, NEWCOMER = "admin", "moderator", "participant", "newcomer"
PEOPLE = {
    ADMIN: {"es": "admin@foro.example", "en": "admin.en@foro.example"},
    MODERATOR: {"es": "moderacion@foro.example", "en": "moderator.en@foro.example"},
    PARTICIPANT: {"es": "participante@foro.example", "en": "eu@foro.example"},
    NEWCOMER: {"es": "jt@foro.example", "en": "fed@foro.example"},
}
EMPTY_PLATFORM = "sin-conversaciones"
#: what to type in a form's fields, by selector: the same words in every language, or words for each language
Filling = dict[str, str | dict[str, str]]


def _seed_accounts() -> None:
    """The demo accounts and organisations, the English administrator and moderator, and a platform nobody wrote
    on yet."""
    from forum.accounts.services import create_user
    from forum.demo import accounts
    from forum.platforms.services import create_platform

    accounts.seed()
    for role in (ADMIN, MODERATOR):
        create_user(email=PEOPLE[role]["en"], password=PASSWORD, display_name=f"English {role}", role=role,
                    sector="international_cooperation", state="outside", locale="en", confirmed=True)
    create_platform(None, slug=EMPTY_PLATFORM, name_es="Sin conversaciones", name_en="No conversations yet",
                    description_es="Aún no hay hilos.", description_en="No threads yet.")
    commit()


@pytest.fixture(scope="module")
def site(database_url, tmp_path_factory) -> Iterator[LiveServer]:
    """The forum served on a loopback port for the whole module, with only the demo accounts and organisations
    and a platform nobody wrote on yet; every table is emptied afterwards."""
    with module_site(database_url, str(tmp_path_factory.mktemp("uploads")), _seed_accounts) as server:
        yield server


@dataclass
class Content:
    """Addresses of the pages that show the demo content."""

    thread: str
    post: int
    consultation: str
    answered_consultation: str
    dialogue: str
    small_dialogue: str
    document: str
    organisation: str
    person: str
    queue_item: str


@pytest.fixture(scope="module")
def content(site) -> Content:
    """The demo data loaded once (threads with replies and translations, a consultation with comments and
    answers, events with registrations, libraries of documents, notifications), plus a closed consultation with
    its report, a full one-seat dialogue with somebody waiting, a second version of a document, an open flag in
    the moderation queue, and the participants' API tokens and copies of their data, ready to download."""
    from forum import demo
    from forum.accounts.api_tokens import create_token
    from forum.accounts.rules import official_organisations
    from forum.accounts.services import find_user_by_email
    from forum.consultations.models import Consultation
    from forum.documents import services as documents
    from forum.documents.models import Document
    from forum.events.models import Event
    from forum.moderation import flags
    from forum.moderation.models import QueueItem
    from forum.personal_data.exports import ask_for_copy
    from forum.platforms.services import grant_role
    from forum.threads.models import Post, Thread

    with site.app.test_request_context(base_url=site.url):
        demo.seed()
        official, rosa = find_user_by_email("segob@foro.example"), find_user_by_email("rmm@foro.example")
        document = db.session.scalar(select(Document).where(Document.title_es.like("Protocolo de intérpretes%")))
        documents.add_version(rosa, document, FileStorage(io.BytesIO(tiny_pdf("Version 2")), filename="v2.pdf"),
                              note="Con las sedes de la Huasteca.")
        thread = db.session.scalar(select(Thread).order_by(Thread.id).limit(1))
        reply = db.session.scalar(select(Post).where(Post.thread_id == thread.id).order_by(Post.id.desc()).limit(1))
        grant_role(None, thread.platform, find_user_by_email(PEOPLE[PARTICIPANT]["en"]), "translator")
        for participant in PEOPLE[PARTICIPANT].values():
            create_token(find_user_by_email(participant), "Informe trimestral")
            ask_for_copy(find_user_by_email(participant))
        flags.flag(find_user_by_email(PEOPLE[NEWCOMER]["es"]), "post", reply.id, reason="off_topic",
                   note="No es del tema.")
        answered, small_dialogue = _answered_consultation(official, rosa), _small_dialogue(official)
        commit()
        first = select(func.min(Consultation.id))
        return Content(
            thread=f"/t/{thread.id}", post=reply.id, consultation=f"/consultations/{db.session.scalar(first)}",
            answered_consultation=f"/consultations/{answered.id}",
            dialogue=f"/events/{db.session.scalar(select(Event.id).where(Event.capacity == 40))}",
            small_dialogue=f"/events/{small_dialogue.id}", document=f"/documents/{document.id}",
            organisation=f"/organisations/{official_organisations(official)[0].id}", person=f"/users/{rosa.id}",
            queue_item=f"/moderation/items/{db.session.scalar(select(func.max(QueueItem.id)))}")


def _answered_consultation(official, rosa):
    """A consultation of the official's agency that closed and whose report is out, with an answered comment."""
    from forum.accounts.rules import official_organisations
    from forum.consultations import comments, report
    from forum.consultations import services as consultations
    from forum.demo.consultations import DRAFT_EN, DRAFT_ES

    now = utcnow()
    consultation = consultations.create(
        official, organisation=official_organisations(official)[0].id, platform="justicia",
        title_es="Consulta cerrada con su informe", title_en="A closed consultation with its report",
        opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=7), text_es=DRAFT_ES, text_en=DRAFT_EN)
    consultations.publish(official, consultation)
    comment = comments.comment(rosa, consultation, kind="support", paragraph=2,
                               body="El padrón público es indispensable.")
    comments.answer(official, comment, status="accepted", explanation_es="Se publicará.",
                    explanation_en="It will be published.")
    consultations.close_early(official, consultation)
    report.publish_report(official, consultation, summary_es="Se recibió un comentario.",
                          summary_en="One comment was received.")
    return consultation


def _small_dialogue(official):
    """A one-seat dialogue with a required question: Rosa has the seat and Daniel waits."""
    from forum.accounts.services import find_user_by_email
    from forum.events import registrations
    from forum.events import services as events

    start = (utcnow() + timedelta(days=5)).replace(minute=0, second=0, microsecond=0)
    event = events.create(official, title_es="Diálogo pequeño con lista de espera",
                          title_en="Small dialogue with a waiting list", kind="dialogue",
                          venue_name="Casa de la Cultura", city="Oaxaca de Juárez", state="OAX", starts_at=start,
                          ends_at=start + timedelta(hours=2), capacity=1, organisations=[])
    question = events.add_question(official, event, kind="single_choice", label_es="Mesa de trabajo",
                                   label_en="Working group", options="Justicia | Justice\nSeguridad | Security",
                                   required=True)
    events.publish(official, event)
    for email in ("rmm@foro.example", "ocp@foro.example"):
        person = find_user_by_email(email)
        registrations.register(person, event, answers={str(question.id): 0}, listed=True,
                               **registrations.profile_defaults(person))
    return event


@pytest.fixture(scope="module")
def tabs(browser: Browser) -> Iterator[dict[str, Page]]:
    """One browser page per language, kept for the whole module."""
    expect.set_options(timeout=TIMEOUT_MS)
    contexts = {language: browser.new_context(locale=locale) for language, locale in LANGUAGES.items()}
    pages = {}
    for language, context in contexts.items():
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(AXE.axe_script)  # axe-core in every page as it opens, ready to run
        pages[language] = context.new_page()
    try:
        yield pages
    finally:
        for context in contexts.values():
            context.close()


@dataclass
class Reader:
    """One language's browser page, and who is signed in on it (None: a visitor)."""

    page: Page
    language: str
    #: the part played by whoever is signed in (None: a visitor)
    person: str | None = None

    def become(self, server: LiveServer, role: str | None) -> None:
        """Sign out, then sign in as the person who plays ``role`` in this language (None: stay a visitor)."""
        if role == self.person:
            return
        self.page.context.clear_cookies()
        self.person = role
        if role is None:
            return
        self.page.goto(f"{server.url}/login")
        self.page.locator("main [name=email]").fill(PEOPLE[role][self.language])
        self.page.locator("main [name=password]").fill(PASSWORD)
        self.page.locator("main form button[type=submit]").click()
        expect(self.page.locator("header .account-menu summary")).to_be_visible()


@dataclass
class Audit:
    """Visit pages in both languages as one person or another and keep what axe finds wrong on them.

    ``Axe.run`` adds axe-core to the page and waits for the run to end; here every page has axe-core from the start
    (an init script of its browser context) and axe starts on both languages' pages before the results are read,
    so the two browser pages do their work at the same time."""

    server: LiveServer
    readers: list[Reader]
    state: str
    problems: list[str] = field(default_factory=list)

    def check(self, path: str, *, status: int = 200, person: str | None = None, fill: Filling | None = None,
              submit: str | None = None, shows: str | None = None) -> None:
        """Open ``path`` as ``person`` in each language (fill in ``fill`` and press ``submit`` when given: the page
        is then the form's answer, showing its error messages), check that it answers ``status`` and shows the
        element matching ``shows``, and record axe's findings on it."""
        for reader in self.readers:
            self._open(reader, path, status=status, person=person, fill=fill, submit=submit)
            if shows is not None:
                expect(reader.page.locator(shows).first).to_be_visible()
            reader.page.evaluate("options => { window.axeFindings = axe.run(document, options); }", AXE_OPTIONS)
        where = path if submit is None else f"{path} (sent with errors)"
        for reader in self.readers:
            for violation in AxeResults(reader.page.evaluate("window.axeFindings")).response["violations"]:
                nodes = "\n".join(f"      {' '.join(node['target'])}: {' '.join(node['failureSummary'].split())}"
                                  for node in violation["nodes"])
                who = f"{reader.person} {PEOPLE[reader.person][reader.language]}" if reader.person else "visitor"
                self.problems.append(f"{reader.language} {self.state} {where} [as {who}]\n"
                                     f"  {violation['id']} ({violation['impact']}): {violation['help']}\n{nodes}")

    def _open(self, reader: Reader, path: str, *, status: int, person: str | None, fill: Filling | None,
              submit: str | None) -> None:
        reader.become(self.server, person)
        page = reader.page
        response = page.goto(self.server.url + path)
        if submit is not None:
            assert response.status == 200, f"{path}: status {response.status}, expected the form (200)"
            page.evaluate("document.querySelectorAll('form').forEach(form => form.noValidate = true)")
            for selector, value in (fill or {}).items():
                page.locator(selector).fill(value if isinstance(value, str) else value[reader.language])
            with page.expect_navigation() as sent:
                page.locator(submit).click()
            response = sent.value
            expect(page.locator("main :is(.error, .error-summary, .flash-error)").first).to_be_visible()
        where = path if submit is None else f"{path} (sent)"
        assert response.status == status, f"{reader.language} {where}: status {response.status}, expected {status}"
        expect(page.locator("html")).to_have_attribute("lang", reader.language)

    def report(self) -> None:
        """Fail with every problem found, page by page."""
        assert not self.problems, f"{len(self.problems)} accessibility problem(s):\n" + "\n".join(self.problems)


def audit(site: LiveServer, tabs: dict[str, Page], state: str) -> Audit:
    """An audit of the pages in ``state``, in every language (signed out to begin)."""
    for page in tabs.values():
        page.context.clear_cookies()
    return Audit(site, [Reader(page, language) for language, page in tabs.items()], state)


def test_pages_before_anything_is_written(site, tabs):
    """Lists, libraries, search, the notification centre, the queue, the figures, one's copies of one's data, a
    platform's members and the access log, with nothing in them yet; the privacy notice and the accessibility
    statement (the same whatever the forum holds, so checked here only)."""
    from forum.threads.models import Thread

    with site.app.app_context():
        assert db.session.scalar(select(func.count(Thread.id))) == 0, "the empty pages are checked before the demo"
    check = audit(site, tabs, "empty")
    for path in ("/", "/p/", f"/p/{EMPTY_PLATFORM}", f"/p/{EMPTY_PLATFORM}/library", "/consultations", "/events",
                 "/library", "/search", "/search?q=nadie", "/transparency", "/indicators", "/open-data", "/login",
                 "/register", "/reset", "/privacy", "/accessibility"):
        check.check(path)
    for path in ("/notifications", "/account/tokens", "/flags/mine", "/notifications/preferences"):
        check.check(path, person=PARTICIPANT)
    check.check("/account", person=PARTICIPANT, shows="#your-data")
    check.check("/account/data", person=PARTICIPANT, shows="main form button[type=submit]")
    for path in ("/moderation", "/moderation/log"):
        check.check(path, person=MODERATOR)
    check.check(f"/p/{EMPTY_PLATFORM}/members", person=MODERATOR, shows="#leavers-heading")
    for path in ("/admin/users", "/admin/audit", "/indicators/full", "/admin/access-log"):
        check.check(path, person=ADMIN)
    check.report()


def test_pages_of_a_forum_in_use(site, content, tabs):
    """Every main page with content: threads with replies and translations, the consultation with comments and
    answers, events with registrations and a waiting list, libraries and documents with versions, notifications,
    search results, the moderation queue and log, the figures, the administration and its access log, a copy of
    one's data ready to download, the page that deletes one's account and a platform's members as its moderators
    see them."""
    check = audit(site, tabs, "full")
    for path in ("/", "/p/", "/p/justicia", content.thread, "/consultations", content.consultation,
                 content.answered_consultation, f"{content.answered_consultation}/report", "/events", content.dialogue,
                 "/library", "/p/justicia/library", content.document, "/search?q=intérpretes", "/transparency",
                 "/indicators", "/open-data", "/organisations", content.organisation, content.person):
        check.check(path)
    for path in ("/notifications", content.thread, "/p/justicia/new", content.consultation, content.dialogue,
                 "/search?q=justicia&kind=thread", "/account/tokens", "/notifications/preferences",
                 f"/posts/{content.post}/translate"):
        check.check(path, person=PARTICIPANT)
    check.check("/account", person=PARTICIPANT, shows="#your-data")
    check.check("/account/data", person=PARTICIPANT, shows="main table")
    check.check("/account/delete", person=PARTICIPANT)
    check.check(f"{content.small_dialogue}/register", person=NEWCOMER)
    for path in ("/moderation", content.queue_item, "/moderation/log", "/moderation/reasons",
                 f"{content.dialogue}/attendees", f"{content.small_dialogue}/attendees",
                 f"{content.dialogue}/check-in"):
        check.check(path, person=MODERATOR)
    check.check("/p/justicia/members", person=MODERATOR, shows="#leavers-heading")
    for path in ("/admin/users", "/admin/audit", "/indicators/full", "/admin/organisations", "/admin/platforms"):
        check.check(path, person=ADMIN)
    check.check("/admin/access-log", person=ADMIN, shows="main table tbody tr")
    check.report()


def test_pages_that_explain_an_error(site, content, tabs):
    """Forms sent with invalid values show their messages (signing in with a wrong password, deleting one's account
    with a wrong password among them); the page that does not exist; a refused search and a refused filter of the
    access log."""
    check = audit(site, tabs, "error")
    check.check("/no-such-page", status=404)
    check.check("/t/999999", status=404)
    check.check("/search?q=justicia&since=ayer", status=400)
    check.check("/admin/access-log?start=ayer", status=400, person=ADMIN, shows="main .error")
    check.check("/login", status=401, fill={"main [name=email]": PEOPLE[PARTICIPANT],
                                            "main [name=password]": "not the password"},
                submit="main form button[type=submit]")
    check.check("/register", status=400, submit="main form button[type=submit]")
    check.check("/reset", status=INVALID, fill={"main [name=email]": "not an address"},
                submit="main form button[type=submit]")
    check.check("/p/justicia/new", status=INVALID, person=PARTICIPANT, submit="main form button[name=send]")
    check.check(content.consultation, status=INVALID, person=PARTICIPANT,
                submit="#comment-form form button[type=submit]")
    check.check("/account/tokens", status=INVALID, person=PARTICIPANT,
                submit="main form button[type=submit] >> nth=0")
    check.check("/account/delete", status=400, person=PARTICIPANT, fill={"main [name=password]": "not the password"},
                submit="main form button.danger[type=submit]", shows="main .error-summary")
    check.check(f"{content.small_dialogue}/register", status=INVALID, person=NEWCOMER,
                submit="main form button[name=send]")
    check.report()
