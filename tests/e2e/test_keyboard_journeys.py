"""The main journeys done with the keyboard alone, in a real browser: registering (with the privacy notice), writing
a post, flagging a post, registering for an event, commenting on a paragraph of a consultation and uploading a
document. Nothing is clicked: the person moves with Tab and Shift+Tab, chooses with the arrow keys, ticks with
Space and sends with Enter. At every stop of the focus the focused element must be visible and show that it has
the focus (an outline or a box shadow), and each journey ends with what the person would see.

Also here: a post that arrives live while someone is writing a reply neither moves their focus nor goes
unannounced to screen readers, and only posts that are new are announced as new.
"""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale, ngettext
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from forum.accounts import services as accounts
from forum.accounts.models import Membership, User
from forum.accounts.organisations import create_organisation
from forum.core.db import commit
from forum.demo.documents import tiny_pdf
from forum.extensions import db
from forum.personal_data import notice
from forum.platforms.models import PlatformMembership
from forum.platforms.services import create_platform
from forum.threads.models import Post, Thread
from forum.threads.queries import POSTS_PER_PAGE
from forum.threads.services import delete_post, edit_post, reply, start_thread
from tests.conftest import PASSWORD
from tests.e2e.conftest import TIMEOUT_MS, sign_in
from tests.e2e.test_consultation_live import interpreters_protocol
from tests.e2e.test_event_registration import justice_dialogue
from tests.e2e.test_thread_live import rosas_thread

#: the most Tab presses a journey may need to reach the next control
MOST_PRESSES = 150
#: what the focused element looks like: whether it shows an outline or a box shadow, and whether it is on screen
FOCUS = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) { return null; }
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  return {
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
    shown: box.width > 0 && box.height > 0 && style.visibility !== "hidden",
    what: element.outerHTML.slice(0, 120),
  };
}"""


#: start recording, in ``window.told``, each thing the polite region of new posts says ("" when it is emptied)
WATCH_ANNOUNCEMENTS = """() => {
  window.told = [];
  const region = document.getElementById("new-posts");
  new MutationObserver(() => window.told.push(region.textContent))
    .observe(region, {childList: true, characterData: true, subtree: true});
}"""
#: how Rosa's page announces a reply by Claire
CLAIRES_POST = "Nuevo mensaje de Claire Dubois"


def assert_focus_is_visible(page: Page) -> None:
    """The focused element is on screen and shows the focus with an outline or a box shadow."""
    focus = page.evaluate(FOCUS)
    assert focus is not None, f"{page.url}: the focus was lost"
    assert focus["shown"] and (focus["outline"] or focus["shadow"]), f"{page.url}: focus not visible on {focus}"


def tab_to(page: Page, selector: str, *, backwards: bool = False) -> None:
    """Press Tab (Shift+Tab when ``backwards``) until the element matching ``selector`` has the focus, checking
    the focus is visible at every stop on the way."""
    key = "Shift+Tab" if backwards else "Tab"
    page.wait_for_load_state("load")  # a key pressed while the page loads meets only part of it
    for _press in range(MOST_PRESSES):
        page.keyboard.press(key)
        assert_focus_is_visible(page)
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{page.url}: {selector} never got the focus with {key}")


def skip_to_main(page: Page) -> None:
    """The first Tab reaches the "skip to main content" link; Enter takes the focus to the page's content."""
    page.wait_for_load_state("load")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def expect_address(page: Page, url: str) -> None:
    """The page is at ``url``, wherever in it (the skip link adds ``#main``, and a redirect keeps it)."""
    expect(page).to_have_url(re.compile(re.escape(url) + "(#.*)?$"))


def type_into(page: Page, selector: str, text: str) -> None:
    """Tab to the field matching ``selector`` and type ``text``."""
    tab_to(page, selector)
    page.keyboard.type(text)


def choose(page: Page, selector: str, value: str) -> None:
    """Tab to the list matching ``selector`` and move through its options with the down arrow to ``value``."""
    tab_to(page, selector)
    for _press in range(80):
        if page.evaluate("document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{selector}: option {value} not reached with the arrow keys")


def press_enter_on(page: Page, selector: str) -> None:
    """Tab to the link or button matching ``selector`` and press Enter."""
    tab_to(page, selector)
    page.keyboard.press("Enter")


def sign_in_by_keyboard(page: Page, url: str, email: str) -> None:
    """Sign in through the real form, typing and pressing Enter."""
    page.goto(f"{url}/login")
    skip_to_main(page)
    type_into(page, "main [name=email]", email)
    type_into(page, "main [name=password]", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("header .account-menu summary")).to_be_visible()


def person(email: str, name: str, **fields) -> User:
    """A confirmed account speaking Spanish."""
    values = dict(sector="civil_society", state="OAX", locale="es", confirmed=True) | fields
    return accounts.create_user(email=email, password=PASSWORD, display_name=name, **values)


@pytest.fixture
def errors(page: Page) -> list[str]:
    """The script errors of the page, to be empty at the end of a journey."""
    found: list[str] = []
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def test_register_reading_the_privacy_notice_on_the_way(live_server, page: Page, errors):
    """Ana fills in the form, follows the link to the privacy notice, comes back with the keyboard to find what she
    typed still there, ticks the acceptance with Space and sends with Enter; she is asked to check her e-mail and
    her account records the notice's version."""
    page.goto(f"{live_server.url}/register")
    skip_to_main(page)
    type_into(page, "main [name=email]", "ana.ruiz@example.org")
    type_into(page, "main [name=password]", PASSWORD)
    type_into(page, "main [name=display_name]", "Ana Ruiz")
    choose(page, "main [name=sector]", "civil_society")
    choose(page, "main [name=state]", "OAX")

    press_enter_on(page, "main a[href='/privacy']")
    expect_address(page, f"{live_server.url}/privacy")
    expect(page.locator("main h1")).to_be_visible()
    page.go_back()  # the browser's own Back (Alt+Left), which a headless page's keyboard does not reach
    expect_address(page, f"{live_server.url}/register")
    expect(page.locator("main [name=email]")).to_have_value("ana.ruiz@example.org")
    expect(page.locator("main [name=display_name]")).to_have_value("Ana Ruiz")
    expect(page.locator("main [name=state]")).to_have_value("OAX")

    if not page.locator("main [name=password]").input_value():  # browsers do not keep passwords
        type_into(page, "main [name=password]", PASSWORD)
    tab_to(page, "main [name=privacy_consent]")
    page.keyboard.press("Space")
    expect(page.locator("main [name=privacy_consent]")).to_be_checked()
    press_enter_on(page, "main form button[type=submit]")

    expect_address(page, f"{live_server.url}/register/check-your-email")
    expect(page.locator("main h1")).to_be_visible()
    with live_server.app.app_context():
        assert db.session.scalar(select(User.privacy_notice_version)) == notice.VERSION
    assert errors == []


def test_write_a_post_in_a_thread(live_server, page: Page, errors):
    """Rosa reaches the reply box of a thread, writes, chooses the language and sends: her post is on the page."""
    thread_url = rosas_thread(live_server)
    sign_in_by_keyboard(page, live_server.url, "rosa@example.org")
    page.goto(thread_url)
    skip_to_main(page)
    type_into(page, "#reply-form textarea[name=body]", "En Oaxaca funcionó un **padrón** de intérpretes.")
    choose(page, "#reply-form select[name=language]", "es")
    press_enter_on(page, "#reply-form button[name=send]")

    expect(page.locator(".post-item .post-body strong", has_text="padrón")).to_be_visible()
    assert errors == []


def test_flag_a_post(live_server, page: Page, errors):
    """Diego reaches the "Flag" link of Rosa's reply, chooses a reason and sends: the flag is confirmed."""
    with live_server.app.test_request_context(base_url=live_server.url):
        rosa, diego = person("rosa@example.org", "Rosa López"), person("diego@example.org", "Diego Pérez")
        platform = create_platform(None, slug="justicia", name_es="Justicia", name_en="Justice")
        db.session.add_all([PlatformMembership(platform=platform, user_id=p.id, status="approved")
                            for p in (rosa, diego)])
        thread = start_thread(rosa, platform, title="Intérpretes en las fiscalías", body="¿Experiencias?")
        commit()
        post = reply(rosa, thread, body="Compren relojes baratos en mi tienda")
        commit()
        thread_url, post_id = f"{live_server.url}/t/{thread.id}", post.id
    sign_in_by_keyboard(page, live_server.url, "diego@example.org")
    page.goto(thread_url)
    skip_to_main(page)
    press_enter_on(page, f"main a.flag[href='/flag/post/{post_id}']")
    expect_address(page, f"{live_server.url}/flag/post/{post_id}")
    skip_to_main(page)
    choose(page, "main select[name=reason]", "spam")
    press_enter_on(page, "main form button[type=submit]")

    expect_address(page, f"{live_server.url}/flags/mine")
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Intérpretes en las fiscalías")
    assert errors == []


def test_register_for_an_event(live_server, page: Page, errors):
    """Rosa opens the event, follows "Register", answers the organisers' question with the arrow keys, ticks
    "listed" with Space and sends: her registration is confirmed with its check-in code."""
    with live_server.app.test_request_context(base_url=live_server.url):
        organiser = person("organiser@sre.gob.mx", "Organizadora", sector="federal_government", state="CMX")
        person("rosa@example.org", "Rosa López")
        event = justice_dialogue(organiser, capacity=10)
        event_url = f"{live_server.url}/events/{event.id}"
    sign_in_by_keyboard(page, live_server.url, "rosa@example.org")
    page.goto(event_url)
    skip_to_main(page)
    press_enter_on(page, f"#registration a[href='/events/{event.id}/register']")
    expect_address(page, f"{event_url}/register")
    skip_to_main(page)
    type_into(page, "main [name=organisation_name]", "Red de Mujeres de Oaxaca")
    tab_to(page, "main fieldset.question input[type=radio]")
    page.keyboard.press("ArrowDown")
    expect(page.locator("main fieldset.question input[type=radio][value='1']")).to_be_checked()
    tab_to(page, "main [name=listed]")
    page.keyboard.press("Space")
    expect(page.locator("main [name=listed]")).to_be_checked()
    press_enter_on(page, "main form button[name=send]")

    expect_address(page, event_url)
    expect(page.locator("#registration .checkin-code")).to_be_visible()
    assert errors == []


def test_comment_on_a_paragraph_of_a_consultation(live_server, page: Page, errors):
    """Rosa follows "Comment on this paragraph" beside §3, chooses "proposal", writes and sends: her comment is
    shown beside §3."""
    with live_server.app.test_request_context(base_url=live_server.url):
        official = person("jorge@segob.gob.mx", "Jorge Ramírez", sector="federal_government")
        person("rosa@example.org", "Rosa López")
        page_url = f"{live_server.url}/consultations/{interpreters_protocol(official).id}"
    sign_in_by_keyboard(page, live_server.url, "rosa@example.org")
    page.goto(page_url)
    skip_to_main(page)
    press_enter_on(page, "#p-3 a[href$='paragraph=3#comment-form']")
    expect(page.locator("#comment-form select[name=paragraph]")).to_have_value("3")
    choose(page, "#comment-form select[name=kind]", "proposal")
    type_into(page, "#comment-form textarea[name=body]", "Que el padrón incluya la **variante** de cada lengua.")
    press_enter_on(page, "#comment-form button[type=submit]")

    expect(page.locator("#p-3 .paragraph-comments strong", has_text="variante")).to_be_visible()
    assert errors == []


def test_upload_a_document_to_a_library(live_server, page: Page, errors, tmp_path):
    """Rosa follows "upload" in her platform's library, opens the file chooser with Space, fills the details and
    sends: the document's page shows its title and file."""
    with live_server.app.test_request_context(base_url=live_server.url):
        live_server.app.config["FORUM_UPLOAD_DIR"] = str(tmp_path / "uploads")
        rosa = person("rosa@example.org", "Rosa López")
        network = create_organisation(verified=True, kind="cso", name_es="Red de Mujeres", name_en="Women's Network",
                                      acronym="RMM", state="OAX")
        platform = create_platform(None, slug="justicia", name_es="Justicia", name_en="Justice")
        db.session.add_all([Membership(user=rosa, organisation=network, status="approved"),
                            PlatformMembership(platform=platform, user_id=rosa.id, status="approved")])
        commit()
    pdf = tmp_path / "protocolo.pdf"
    pdf.write_bytes(tiny_pdf("Protocolo de interpretes"))
    # the browser hands its file choosers to the test only once asked to, and the asking is not awaited: asked at
    # the start, it is in place long before Space is pressed (asked just before, a chooser could slip past)
    page.on("filechooser", lambda chooser: chooser.set_files(str(pdf)))
    sign_in_by_keyboard(page, live_server.url, "rosa@example.org")
    page.goto(f"{live_server.url}/p/justicia/library")
    skip_to_main(page)
    press_enter_on(page, "main a.button[href*='/library/upload']")
    expect(page.locator("main input[name=file]")).to_be_visible()
    skip_to_main(page)
    tab_to(page, "main input[name=file]")
    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelector('main input[name=file]').files.length === 1")
    type_into(page, "main [name=title_es]", "Protocolo de intérpretes")
    type_into(page, "main [name=title_en]", "Interpreters protocol")
    choose(page, "main select[name=kind]", "policy_draft")
    choose(page, "main select[name=language]", "es")
    type_into(page, "main [name=year]", "2025")
    press_enter_on(page, "main form button[name=send]")

    expect(page.locator("main h1")).to_have_text("Protocolo de intérpretes")
    expect(page.locator("main table")).to_contain_text("protocolo.pdf")
    assert errors == []


# --- live updates while writing -------------------------------------------------------------------------------


def claire_replies(live_server, thread_url: str, body: str) -> None:
    """Claire's reply to the thread, sent by the forum as it is saved (not typed in a browser, so no one sees
    "is writing")."""
    with live_server.app.test_request_context(base_url=live_server.url):
        thread = db.session.get(Thread, int(thread_url.rsplit("/", 1)[1]))
        claire = db.session.scalar(select(User).where(User.email == "claire@example.org"))
        reply(claire, thread, body=body, language="en")
        commit()


@pytest.fixture
def rosa_writing(live_server, browser: Browser) -> tuple[Page, str]:
    """Rosa on the thread page, live, with the focus in the reply box halfway through a sentence."""
    thread_url = rosas_thread(live_server)
    context = browser.new_context(locale="es-MX")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    sign_in(page, live_server.url, "rosa@example.org")
    page.goto(thread_url)
    expect(page.locator("#live-status")).to_have_text("1 persona leyendo ahora")
    skip_to_main(page)
    type_into(page, "#reply-form textarea[name=body]", "Estoy escribiendo")
    yield page, thread_url
    context.close()


def test_a_post_arriving_live_leaves_the_focus_where_the_person_is_typing(live_server, rosa_writing):
    """While Rosa writes, Claire's reply appears on her page; Rosa's focus and text stay in the reply box and she
    goes on typing."""
    page, thread_url = rosa_writing
    claire_replies(live_server, thread_url, "We funded **interpreters** in Guatemala.")
    expect(page.locator(".post-item.live-new strong")).to_have_text("interpreters")
    box = page.locator("#reply-form textarea[name=body]")
    expect(box).to_be_focused()
    page.keyboard.type(" una respuesta.")
    expect(box).to_have_value("Estoy escribiendo una respuesta.")


def test_a_post_arriving_live_is_announced_politely(live_server, rosa_writing):
    """Claire's reply is announced by its author in a polite live region, so a screen reader tells Rosa without
    interrupting her."""
    page, thread_url = rosa_writing
    claire_replies(live_server, thread_url, "We funded **interpreters** in Guatemala.")
    expect(page.locator(".post-item.live-new")).to_have_count(1)
    polite = page.locator("[aria-live=polite], [role=status], [role=log]").filter(has_text="Claire Dubois")
    expect(polite).to_have_text(CLAIRES_POST, timeout=3000)


def test_each_new_post_is_announced_and_several_at_once_by_their_number(live_server, rosa_writing):
    """Two replies by Claire, one after the other, are each announced, though the words are the same (the region
    is emptied in between, or a screen reader would stay silent the second time); two that arrive together are
    announced once, by their number."""
    page, thread_url = rosa_writing
    page.evaluate(WATCH_ANNOUNCEMENTS)
    claire_replies(live_server, thread_url, "We funded interpreters in Guatemala.")
    page.wait_for_function("() => window.told.length === 1")
    claire_replies(live_server, thread_url, "And in Honduras.")
    page.wait_for_function("() => window.told.length === 3")
    claire_replies(live_server, thread_url, "One more thing:")
    claire_replies(live_server, thread_url, "the interpreters were paid by the courts.")
    page.wait_for_function("() => window.told.length === 5")
    with live_server.app.test_request_context(), force_locale("es"):
        two_posts = ngettext("%(num)s new post", "%(num)s new posts", 2)
    assert page.evaluate("window.told") == [CLAIRES_POST, "", CLAIRES_POST, "", two_posts]
    expect(page.locator(".post-item.live-new")).to_have_count(4)


def test_an_edit_to_a_post_on_an_earlier_page_is_not_announced_as_a_new_post(live_server, browser: Browser):
    """Rosa reads the last page of a long thread. Her edit of a reply on page 1 and the deletion of another change
    nothing on her page and are not announced; Claire's reply, which comes after them, is the only post added
    and announced."""
    thread_url = rosas_thread(live_server)
    with live_server.app.test_request_context(base_url=live_server.url):
        rosa = accounts.find_user_by_email("rosa@example.org")
        thread = db.session.get(Thread, int(thread_url.rsplit("/", 1)[1]))
        edited, deleted = [reply(rosa, thread, body=f"Respuesta número {n}.").id for n in range(POSTS_PER_PAGE)][:2]
        commit()
    context = browser.new_context(locale="es-MX")
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        sign_in(page, live_server.url, "rosa@example.org")
        page.goto(f"{thread_url}?page=2")
        expect(page.locator("#live-status")).to_have_text("1 persona leyendo ahora")
        expect(page.locator(".post-item")).to_have_count(1)
        page.evaluate(WATCH_ANNOUNCEMENTS)

        with live_server.app.test_request_context(base_url=live_server.url):
            rosa = accounts.find_user_by_email("rosa@example.org")
            edit_post(rosa, db.session.get(Post, edited), body="Respuesta corregida.")
            delete_post(rosa, db.session.get(Post, deleted))
            commit()
        claire_replies(live_server, thread_url, "We funded **interpreters** in Guatemala.")

        expect(page.locator(".post-item.live-new strong")).to_have_text("interpreters")
        page.wait_for_function("() => window.told.length > 0")
        assert page.evaluate("window.told") == [CLAIRES_POST]
        expect(page.locator(".post-item")).to_have_count(2)
        expect(page.locator(f"#post-{edited}, #post-{deleted}")).to_have_count(0)
    finally:
        context.close()
