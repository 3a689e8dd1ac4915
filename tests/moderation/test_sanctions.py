"""Sanctions as people meet them: warnings, suspensions for a period (no sign-in, no posting, live connections
cut, lifted by themselves when the period ends), bans by administrators only, lifting, the one-time reply that
lands in the moderation queue, the ``sanction`` target, and who may open these pages, in both languages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from babel.dates import format_date
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import func, select

# the pages register themselves on the moderation blueprint when imported (as forum/moderation/__init__.py will)
import forum.moderation.log_routes  # noqa: F401
import forum.moderation.sanction_routes  # noqa: F401
import forum.moderation.transparency_routes  # noqa: F401
from forum.accounts import api_tokens
from forum.accounts.models import LoginSession
from forum.core import presence
from forum.core.db import commit, utcnow
from forum.core.errors import ActionRefused
from forum.extensions import db
from forum.moderation import reasons, sanctions, targets
from forum.moderation.models import ModerationAction, QueueItem, Sanction
from forum.moderation.reasons import DEFAULTS
from forum.threads.models import Post
from tests.conftest import Auth, browser, saved
from tests.live import Live


def html(response) -> str:
    """The page's text."""
    return response.get_data(as_text=True)


def shown(text: str) -> str:
    """``text`` as a page shows it (HTML-escaped)."""
    return str(escape(text))


def in_locale(locale: str, message: str, **values) -> str:
    """``message`` as a person reading ``locale`` gets it."""
    with force_locale(locale):
        return _(message, **values)


def last_sanction(person) -> Sanction:
    """The person's newest sanction."""
    db.session.expire_all()
    return db.session.scalars(select(Sanction).where(Sanction.user_id == person.id)
                              .order_by(Sanction.id.desc())).first()


def issue(client, person, kind: str, *, template=None, reason: str = "", days: int | str | None = None):
    """Post the sanction form of ``person``'s sanctions page."""
    data = {"sanction-kind": kind, "sanction-reason": reason,
            "sanction-template": str(template.id) if template else ""}
    if days is not None:
        data["sanction-days"] = str(days)
    return client.post(f"/moderation/people/{person.id}/sanctions", data=data)


@pytest.fixture
def templates(app):
    """The default reason templates, one per flag reason."""
    reasons.seed_defaults()
    commit()
    return {t.reason: t for t in reasons.all_templates()}


@pytest.fixture
def people(make_user):
    """A Spanish-speaking and an English-speaking participant, a global moderator and an administrator."""
    return {
        "rosa": make_user("rosa@example.org", display_name="Rosa López", locale="es"),
        "claire": make_user("claire@example.org", display_name="Claire Dubois", locale="en",
                            timezone="Europe/Brussels"),
        "mod": make_user("mod@example.org", display_name="Mateo Moderador", role="moderator", locale="en"),
        "admin": make_user("admin@example.org", display_name="Alba Admin", role="admin", locale="en"),
    }


@pytest.fixture
def moderator(app, people):
    """The global moderator's browser."""
    return browser(app, "mod@example.org")


@pytest.fixture
def admin(app, people):
    """The administrator's browser."""
    return browser(app, "admin@example.org")


# --- warnings -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, locale", [("rosa", "es"), ("claire", "en")])
def test_a_warning_reaches_the_person_in_their_language(moderator, people, templates, outbox, name, locale):
    """The warning e-mail is written in the person's language, with the template's text in that language, the
    moderator's own words and the link to reply; the moderation log records it."""
    person = people[name]
    response = issue(moderator, person, "warning", template=templates["harassment"], reason="Ver el hilo del 3.")
    assert response.status_code == 303
    (message,) = outbox(person.email)
    assert message.subject == in_locale(locale, "A warning from the Social Cohesion Forum moderators")
    spanish, english = DEFAULTS["harassment"][2], DEFAULTS["harassment"][3]
    assert (spanish if locale == "es" else english) in message.body
    assert (english if locale == "es" else spanish) not in message.body
    assert "Ver el hilo del 3." in message.body
    assert "/sanctions/" in outbox.link(message)
    sanction = last_sanction(person)
    assert sanction.kind == "warning" and sanction.ends_at is None
    entry = db.session.scalar(select(ModerationAction).where(ModerationAction.subject_id == person.id))
    assert (entry.action, entry.moderator_id, entry.reason, entry.target_type, entry.target_id) == (
        "warning", people["mod"].id, "harassment", "sanction", sanction.id)
    assert not saved(person).is_suspended


def test_a_sanction_needs_a_reason(moderator, people, templates):
    """Neither a template nor an explanation: 422, the form keeps what was chosen; nothing is issued."""
    response = issue(moderator, people["rosa"], "suspension", days=5)
    assert response.status_code == 422
    page = html(response)
    assert in_locale("en", "Please pick a reason template or explain the reason; the person will read it.") in page
    assert 'value="5"' in page
    assert last_sanction(people["rosa"]) is None


@pytest.mark.parametrize("days", ["0", "366", "tres", ""])
def test_a_suspension_needs_a_sensible_number_of_days(moderator, people, days):
    """Days outside 1–365 (or none) are refused with 422 and the typed explanation kept."""
    response = issue(moderator, people["rosa"], "suspension", reason="Mensajes repetidos", days=days)
    assert response.status_code == 422
    assert "Mensajes repetidos" in html(response)
    assert not saved(people["rosa"]).is_suspended


# --- suspensions ----------------------------------------------------------------------------------------


@pytest.fixture
def conversation(people, make_platform, make_thread):
    """A public platform where Rosa and Claire take part, and a thread."""
    platform = make_platform(slug="justicia", name_es="Justicia", name_en="Justice",
                             members=[people["rosa"], people["claire"]])
    return make_thread(people["claire"], platform, title="Intérpretes en las fiscalías")


def test_a_suspended_person_cannot_sign_in_and_is_told_why(app, moderator, people, templates, outbox):
    """After a 3-day suspension the right password gets 403 with the reason; the e-mail gives the end date in
    the person's language and time zone, and their sessions have ended."""
    rosa = people["rosa"]
    browser(app, rosa.email)
    assert issue(moderator, rosa, "suspension", template=templates["spam"], days=3).status_code == 303
    sanction = last_sanction(rosa)
    assert timedelta(days=3) - timedelta(minutes=1) < sanction.ends_at - utcnow() <= timedelta(days=3)
    assert saved(rosa).suspended_until == sanction.ends_at
    assert db.session.scalar(select(func.count()).select_from(LoginSession)
                             .where(LoginSession.user_id == rosa.id)) == 0

    response = Auth(browser(app, language="es")).login(rosa.email)
    assert response.status_code == 403
    assert shown(DEFAULTS["spam"][2]) in html(response)

    (message,) = outbox(rosa.email)
    until = sanctions.moment(sanction.ends_at, rosa)
    assert format_date(sanction.ends_at, "long", locale="es").split(" de ")[1] in until  # the month, in Spanish
    assert message.subject == in_locale("es", "Your account is suspended until %(date)s", date=until)
    assert until in message.body and DEFAULTS["spam"][2] in message.body


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_sign_in_page_gives_the_end_of_the_suspension(app, moderator, people, templates, language):
    """The refusal on the sign-in page says until when, in the language of the page."""
    rosa = people["rosa"]
    issue(moderator, rosa, "suspension", template=templates["spam"], days=3)
    until = last_sanction(rosa).ends_at
    response = Auth(browser(app, language=language)).login(rosa.email)
    with app.test_request_context(headers={"Accept-Language": language}):
        expected = format_datetime(until, "short")
    assert response.status_code == 403 and expected in html(response)


def test_a_suspended_person_cannot_post(app, moderator, people, conversation, templates, token):
    """The browser signed in before the suspension and a personal token both stop working for posting."""
    rosa = people["rosa"]
    page = browser(app, rosa.email)
    headers = token(rosa)
    issue(moderator, rosa, "suspension", template=templates["spam"], days=3)

    response = page.post(f"/t/{conversation.id}/reply", data={"body": "Sigo aquí", "language": "es"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = page.post(f"/api/v1/threads/{conversation.id}/posts", json={"body": "Sigo aquí"}, headers=headers)
    assert response.status_code == 401
    assert db.session.scalar(select(func.count()).select_from(Post).where(Post.author_id == rosa.id)) == 0


def test_a_suspension_cuts_an_open_subscribed_connection(app, moderator, people, conversation, templates):
    """The person's live connection following a thread is closed by the server at once."""
    rosa = people["rosa"]
    _token, secret = api_tokens.create_token(rosa, "live")
    commit()
    live = Live(app, token=secret)
    assert live.subscribe(f"thread:{conversation.id}")["ok"] is True
    issue(moderator, rosa, "suspension", template=templates["spam"], days=3)
    assert not live.connected
    assert presence.subscriptions_of(rosa.id) == []


def test_a_suspension_lifts_itself_when_its_period_ends(app, moderator, people, templates):
    """Once the end date has passed the person signs in again and their page says the suspension ended."""
    rosa = people["rosa"]
    issue(moderator, rosa, "suspension", template=templates["spam"], days=3)
    assert Auth(browser(app)).login(rosa.email).status_code == 403
    sanction = last_sanction(rosa)
    ended = utcnow() - timedelta(minutes=1)
    sanction.ends_at = ended
    sanction.user.suspended_until = ended
    commit()
    client = browser(app)
    assert Auth(client).login(rosa.email).status_code == 302
    page = html(client.get("/account/sanctions"))
    assert in_locale("es", "Ended") in page
    assert sanctions.state(last_sanction(rosa)) == "ended"
    # a new suspension may follow
    assert issue(moderator, rosa, "suspension", template=templates["spam"], days=1).status_code == 303


def test_a_second_suspension_while_one_stands_is_refused(moderator, people, templates):
    """409, and the first suspension's end does not move."""
    rosa = people["rosa"]
    issue(moderator, rosa, "suspension", template=templates["spam"], days=3)
    until = saved(rosa).suspended_until
    response = issue(moderator, rosa, "suspension", template=templates["spam"], days=30)
    assert response.status_code == 409
    assert saved(rosa).suspended_until == until


# --- bans and lifting -----------------------------------------------------------------------------------


def test_only_administrators_ban(app, moderator, admin, people, templates, outbox):
    """A moderator's ban is refused with 403 (and not offered on their page); an administrator's stands until
    lifted, and the person is told in their language."""
    claire = people["claire"]
    assert 'value="ban"' not in html(moderator.get(f"/moderation/people/{claire.id}/sanctions"))
    response = issue(moderator, claire, "ban", template=templates["hate"])
    assert response.status_code == 403
    assert not saved(claire).is_suspended and last_sanction(claire) is None

    assert 'value="ban"' in html(admin.get(f"/moderation/people/{claire.id}/sanctions"))
    assert issue(admin, claire, "ban", template=templates["hate"]).status_code == 303
    stored = saved(claire)
    assert stored.is_suspended and stored.suspended_until is None
    (message,) = outbox(claire.email)
    assert message.subject == in_locale("en", "Your account has been banned")
    assert DEFAULTS["hate"][3] in message.body
    assert Auth(browser(app)).login(claire.email).status_code == 403


def test_lifting(app, moderator, admin, people, templates, outbox):
    """Moderators lift suspensions but not bans; an administrator's lift gives the account back at once,
    tells the person and is logged."""
    rosa, claire = people["rosa"], people["claire"]
    issue(moderator, rosa, "suspension", template=templates["spam"], days=3)
    issue(admin, claire, "ban", template=templates["hate"])
    ban = last_sanction(claire)
    assert moderator.post(f"/moderation/sanctions/{ban.id}/lift", data={}).status_code == 403
    assert saved(claire).is_suspended

    response = admin.post(f"/moderation/sanctions/{ban.id}/lift", data={"lift-note": "Revisado en comité"})
    assert response.status_code == 303
    assert not saved(claire).is_suspended and last_sanction(claire).lifted_at is not None
    assert Auth(browser(app)).login(claire.email).status_code == 302
    lifted = outbox(claire.email)[-1]
    assert lifted.subject == in_locale("en", "Your account is no longer restricted") and "/login" in lifted.body
    entry = db.session.scalar(select(ModerationAction).where(ModerationAction.action == "lift"))
    assert (entry.moderator_id, entry.subject_id, entry.note) == (people["admin"].id, claire.id,
                                                                   "Revisado en comité")
    assert admin.post(f"/moderation/sanctions/{ban.id}/lift", data={}).status_code == 409

    suspension = last_sanction(rosa)
    assert moderator.post(f"/moderation/sanctions/{suspension.id}/lift", data={}).status_code == 303
    assert not saved(rosa).is_suspended


def test_lifting_one_of_two_keeps_the_other(admin, people, templates):
    """A ban over a running suspension: lifting the ban leaves the suspension until its own end."""
    rosa = people["rosa"]
    issue(admin, rosa, "suspension", template=templates["spam"], days=3)
    suspension = last_sanction(rosa)
    issue(admin, rosa, "ban", template=templates["hate"])
    assert admin.post(f"/moderation/sanctions/{last_sanction(rosa).id}/lift", data={}).status_code == 303
    stored = saved(rosa)
    assert stored.is_suspended and stored.suspended_until == suspension.ends_at
    assert stored.suspension_reason == suspension.reason


@pytest.mark.parametrize("target, actor", [("admin", "mod"), ("mod", "mod"), ("admin", "admin")])
def test_nobody_sanctions_themselves_or_an_administrator(app, people, templates, target, actor):
    """Refused with 403."""
    client = browser(app, people[actor].email)
    assert issue(client, people[target], "warning", template=templates["spam"]).status_code == 403


def test_platform_moderators_sanction_participants_but_not_other_moderators(app, make_user, make_platform,
                                                                             people, templates):
    """A platform's moderator may warn a participant; sanctioning someone who moderates is for administrators."""
    local, other = make_user(display_name="Moderadora Local"), make_user(display_name="Otro Moderador")
    make_platform(moderators=[local])
    make_platform(moderators=[other])
    client = browser(app, local.email)
    assert issue(client, people["rosa"], "warning", template=templates["spam"]).status_code == 303
    assert issue(client, other, "warning", template=templates["spam"]).status_code == 403


# --- the person's reply -----------------------------------------------------------------------------------


def test_the_person_contests_once_and_the_reply_enters_the_queue(app, moderator, people, templates):
    """From their sanctions page, the person replies once: the reply is a queue item caused by the contest; a
    second reply gets 409 and changes nothing."""
    rosa = people["rosa"]
    issue(moderator, rosa, "warning", template=templates["off_topic"], reason="Tema equivocado")
    sanction = last_sanction(rosa)
    client = browser(app, rosa.email)
    page = html(client.get("/account/sanctions"))
    assert shown(DEFAULTS["off_topic"][2]) in page and "Tema equivocado" in page
    assert f'name="reply-{sanction.id}-text"' in page

    url = f"/account/sanctions/{sanction.id}/reply"
    assert client.post(url, data={f"reply-{sanction.id}-text": "Era pertinente: hablaba de intérpretes."}
                       ).status_code == 303
    stored = last_sanction(rosa)
    assert stored.contest_text == "Era pertinente: hablaba de intérpretes." and stored.contested_at
    item = db.session.scalar(select(QueueItem).where(QueueItem.target_type == "sanction"))
    assert (item.target_id, item.cause, item.status, item.platform_id, item.language) == (
        sanction.id, "contested", "open", None, "es")
    assert f'name="reply-{sanction.id}-text"' not in html(client.get("/account/sanctions"))

    second = client.post(url, data={f"reply-{sanction.id}-text": "Otra vez"})
    assert second.status_code == 409
    assert last_sanction(rosa).contest_text == "Era pertinente: hablaba de intérpretes."
    assert db.session.scalar(select(func.count()).select_from(QueueItem)) == 1


def test_an_empty_reply_is_refused_and_nothing_is_lost(app, moderator, people, templates):
    """422 with the message next to the field."""
    rosa = people["rosa"]
    issue(moderator, rosa, "warning", template=templates["spam"])
    sanction = last_sanction(rosa)
    client = browser(app, rosa.email)
    response = client.post(f"/account/sanctions/{sanction.id}/reply", data={f"reply-{sanction.id}-text": "  "})
    assert response.status_code == 422
    assert last_sanction(rosa).contested_at is None


def test_nobody_replies_to_someone_elses_sanction(app, moderator, people, templates):
    """404: the sanction is not theirs."""
    issue(moderator, people["rosa"], "warning", template=templates["spam"])
    sanction = last_sanction(people["rosa"])
    client = browser(app, people["claire"].email)
    assert client.post(f"/account/sanctions/{sanction.id}/reply",
                       data={f"reply-{sanction.id}-text": "No"}).status_code == 404


@pytest.mark.parametrize("name, locale", [("rosa", "es"), ("claire", "en")])
def test_a_suspended_person_replies_through_the_link_in_the_email(app, moderator, people, templates, outbox,
                                                                  name, locale):
    """Signed out by the suspension, the person follows the e-mail's link, reads the reason and the end in
    their language, and replies once; the link of another purpose or altered is refused."""
    person = people[name]
    issue(moderator, person, "suspension", template=templates["personal_data"], days=3)
    sanction = last_sanction(person)
    link = outbox.link(outbox(person.email)[0])
    client = browser(app, language=locale)
    page = html(client.get(link))
    assert shown(DEFAULTS["personal_data"][2 if locale == "es" else 3]) in page
    assert sanctions.moment(sanction.ends_at, person, locale) in page
    assert client.post(link, data={"reply-text": "Eran datos públicos del juzgado."}).status_code == 303
    assert db.session.scalar(select(QueueItem.cause).where(QueueItem.target_id == sanction.id)) == "contested"
    assert client.post(link, data={"reply-text": "Insisto"}).status_code == 409
    assert "reply-text" not in html(client.get(link))

    assert client.get(link[:-3] + "abc").status_code == 400
    assert client.get("/sanctions/not-a-token").status_code == 400


# --- the ``sanction`` target ------------------------------------------------------------------------------


def test_the_sanction_target_for_the_moderation_queue(app, people, templates, outbox, make_platform, make_user):
    """Moderators alone see sanctions; a contest is described by the person and their reply, outside any
    platform; ``uphold`` tells the person, ``lift`` lifts (a ban only by an administrator)."""
    rosa = people["rosa"]
    sanction = sanctions.ban(people["admin"], rosa, template=templates["hate"])
    commit()
    sanctions.contest(rosa, sanction, "No fue mi intención.")
    commit()
    kind, loaded = targets.load("sanction", str(sanction.id))
    assert kind.decisions == ("uphold", "lift") and loaded.id == sanction.id
    with app.test_request_context():
        described = kind.describe(loaded)
    assert (described.type, described.platform, described.language, described.author.id, described.text) == (
        "sanction", None, "es", rosa.id, "No fue mi intención.")
    assert described.url.endswith(f"/moderation/people/{rosa.id}/sanctions#sanction-{sanction.id}")

    platform_moderator = make_user()
    make_platform(moderators=[platform_moderator])
    assert kind.can_see(people["mod"], loaded) and kind.can_see(platform_moderator, loaded)
    assert not kind.can_see(people["claire"], loaded) and not kind.can_see(None, loaded)

    with app.test_request_context():
        kind.apply(people["mod"], loaded, "uphold", reason=None)
    commit()
    assert outbox(rosa.email)[-1].subject == in_locale("es", "Your reply about a sanction has been reviewed")
    with pytest.raises(ActionRefused) as refused:
        kind.apply(people["mod"], loaded, "lift", reason=None)
    assert refused.value.status == 403
    with pytest.raises(ActionRefused):
        kind.apply(people["admin"], loaded, "hide", reason=None)
    kind.apply(people["admin"], loaded, "lift", reason=None)
    commit()
    assert not saved(rosa).is_suspended
    assert db.session.scalar(select(func.count()).select_from(ModerationAction)
                             .where(ModerationAction.action == "lift")) == 0  # the queue logs its decisions


def test_the_queue_decides_a_contest(app, people, templates, outbox):
    """Through the moderation queue's decisions: ``uphold`` keeps the suspension and tells the person; after a
    new contest, ``lift`` gives the account back. Each decision closes the queue item and is logged once, about
    the person."""
    from forum.moderation import decisions

    rosa, claire = people["rosa"], people["claire"]
    kept = sanctions.suspend_for(people["mod"], claire, days=3, template=templates["spam"])
    lifted = sanctions.suspend_for(people["mod"], rosa, days=3, template=templates["spam"])
    commit()
    for sanction in (kept, lifted):
        sanctions.contest(sanction.user, sanction, "No estoy de acuerdo.")
    commit()
    decisions.decide(people["mod"], "sanction", kept.id, "uphold")
    decisions.decide(people["admin"], "sanction", lifted.id, "lift", note="Aclarado")
    commit()
    assert saved(claire).is_suspended and not saved(rosa).is_suspended
    assert outbox(claire.email)[-1].subject == in_locale("en", "Your reply about a sanction has been reviewed")
    assert outbox(rosa.email)[-1].subject == in_locale("es", "Your account is no longer restricted")
    items = db.session.scalars(select(QueueItem).order_by(QueueItem.id)).all()
    assert [(i.cause, i.status, i.decision) for i in items] == [("contested", "closed", "uphold"),
                                                                ("contested", "closed", "lift")]
    logged = db.session.execute(select(ModerationAction.action, ModerationAction.subject_id).where(
        ModerationAction.action.in_(("uphold", "lift"))).order_by(ModerationAction.id)).all()
    assert logged == [("uphold", claire.id), ("lift", rosa.id)]


# --- who may open these pages -----------------------------------------------------------------------------


def moderation_pages(sanction_id: int, person_id: int, template_id: int) -> list[tuple[str, str]]:
    """(method, path) of every moderation page of this part."""
    return [("GET", f"/moderation/people/{person_id}/sanctions"),
            ("POST", f"/moderation/people/{person_id}/sanctions"),
            ("POST", f"/moderation/sanctions/{sanction_id}/lift"),
            ("GET", "/moderation/reasons"), ("POST", "/moderation/reasons"),
            ("GET", f"/moderation/reasons/{template_id}/edit"),
            ("POST", f"/moderation/reasons/{template_id}/edit"),
            ("GET", "/moderation/log")]


def test_participants_get_403_and_visitors_sign_in(app, people, templates):
    """Every moderation page of this part: 403 for a participant (even the sanctioned one), the sign-in page
    for visitors."""
    sanction = sanctions.warn(people["mod"], people["rosa"], template=templates["spam"])
    commit()
    pages = moderation_pages(sanction.id, people["rosa"].id, templates["spam"].id)
    participant, visitor = browser(app, people["claire"].email), browser(app)
    for method, path in pages:
        assert participant.open(path, method=method, data={}).status_code == 403, path
        response = visitor.open(path, method=method, data={})
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    assert browser(app, people["rosa"].email).get(pages[0][1]).status_code == 403


def test_the_pages_speak_the_readers_language(app, people, templates, make_user):
    """The person's sanctions page in Spanish and English: the reason in their language, dates in their
    language; the moderator's page shows the templates by their title in the moderator's language."""
    issue(browser(app, "mod@example.org"), people["rosa"], "suspension", template=templates["spam"], days=3)
    issue(browser(app, "mod@example.org"), people["claire"], "warning", template=templates["spam"])
    sanction = last_sanction(people["rosa"])
    sanction.user.suspended_until = sanction.ends_at = utcnow() - timedelta(seconds=1)  # the period is over
    commit()
    spanish = browser(app, "rosa@example.org")
    page = html(spanish.get("/account/sanctions"))
    assert '<html lang="es">' in page and shown(DEFAULTS["spam"][2]) in page
    assert re.search(r"\d+ de [a-z]+ de \d{4}", page)
    english = html(browser(app, "claire@example.org").get("/account/sanctions"))
    assert '<html lang="en">' in english and shown(DEFAULTS["spam"][3]) in english

    spanish_moderator = make_user(role="moderator", locale="es")
    form = html(browser(app, spanish_moderator.email).get(f"/moderation/people/{people['rosa'].id}/sanctions"))
    assert re.search(f'<option lang="es" value="\\d+">{DEFAULTS["spam"][0]}</option>', form)
    assert DEFAULTS["spam"][1] not in form
    form = html(browser(app, "mod@example.org").get(f"/moderation/people/{people['rosa'].id}/sanctions"))
    assert re.search(f'<option lang="en" value="\\d+">{DEFAULTS["spam"][1]}</option>', form)
    assert "Mateo Moderador" in form  # moderators see who issued each sanction
    assert "Mateo Moderador" not in page  # the person does not
