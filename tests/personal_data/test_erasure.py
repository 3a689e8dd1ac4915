"""Deleting one's account: the password is asked again, the choice about posts is honoured per platform, the
conversations stay readable signed "Former participant", and afterwards no text of any table names the person."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import JSON, String, Text, cast, func, select
from werkzeug.datastructures import FileStorage

from forum.accounts import api_tokens
from forum.accounts.audit import record
from forum.accounts.models import User
from forum.consultations import comments
from forum.consultations import services as consultations
from forum.core.db import commit, utcnow
from forum.core.storage import storage
from forum.documents import services as documents
from forum.events import figures, registrations
from forum.events import services as events
from forum.events.models import Event, Registration
from forum.extensions import db
from forum.moderation import flags
from forum.personal_data.models import DataExport
from forum.platforms.models import Platform, PlatformMembership
from forum.threads import services as threads
from forum.threads.models import Post, Thread
from tests.conftest import PASSWORD, Auth, browser, spanish_page
from tests.events import conftest as event_fixtures

#: the events' fixtures, for the registrations she leaves
organiser, make_event, register = event_fixtures.organiser, event_fixtures.make_event, event_fixtures.register
EMAIL = "zelda.q@example.org"
NAME = "Zelda Quetzalli"
HANDLE = "zelda.quetzalli"


@pytest.fixture
def zelda(make_user):
    """The person who deletes her account (her self-declared data given)."""
    return make_user(EMAIL, display_name=NAME, gender="woman", age_range="18_29", locale="en")


@pytest.fixture
def bruno(make_user):
    """Someone who talks with her."""
    return make_user("bruno@example.org", display_name="Bruno Ortega")


def _delete(client, password: str = PASSWORD, posts: str = "keep"):
    return client.post("/account/delete", data={"password": password, "posts": posts})


def _platform(make_platform, people, *, leavers_may_delete_posts: bool = False, **fields) -> Platform:
    platform = make_platform(members=people, **fields)
    platform.leavers_may_delete_posts = leavers_may_delete_posts
    commit()
    return platform


def test_a_wrong_or_missing_password_deletes_nothing(app, client, auth, zelda, make_platform, make_thread):
    thread = make_thread(zelda, _platform(make_platform, [zelda]), body="Mi propuesta.")
    auth.login(EMAIL)
    for password in ("not my password", ""):
        response = _delete(client, password)
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert 'id="password-error"' in page
    assert "Your password is not correct." in _delete(client, "wrong").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, zelda.id) is not None
    assert db.session.get(Thread, thread.id).author_id == zelda.id
    assert client.get("/account").status_code == 200  # still signed in


def test_the_page_explains_what_happens_in_both_languages(app, client, english_client, zelda, make_user,
                                                          make_platform, make_thread):
    keeps = _platform(make_platform, [zelda], name_en="Justice")
    allows = _platform(make_platform, [zelda], name_en="Gender", leavers_may_delete_posts=True)
    make_thread(zelda, keeps)
    make_thread(zelda, allows)
    Auth(english_client).login(EMAIL)
    page = english_client.get("/account/delete").get_data(as_text=True)
    assert "What stays, without your name" in page and "Former participant" in page
    assert "Justice" in page and "The moderators keep posts here" in page
    assert "Gender" in page and "They are deleted." in page
    assert "do not change" in page
    make_user("lucia@example.org")  # Spanish, the default language
    Auth(client).login("lucia@example.org")
    spanish = client.get("/account/delete").get_data(as_text=True)
    assert spanish_page("What is erased") in spanish
    assert spanish_page("Delete my account") in spanish


def test_the_last_administrator_is_refused(app, client, auth, make_user):
    make_user("admin@example.org", role="admin")
    auth.login("admin@example.org")
    for response in (client.get("/account/delete"), _delete(client)):
        assert response.status_code == 403
        assert spanish_page("You are the only administrator of the forum, so your account cannot be deleted yet. "
                            "Hand the role on first: make someone else an administrator, then come back to delete "
                            "your account.") in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_an_administrator_who_is_not_the_last_may_leave(app, client, auth, make_user):
    make_user("admin@example.org", role="admin")
    make_user("other.admin@example.org", role="admin")
    auth.login("admin@example.org")
    assert _delete(client).status_code == 303
    assert db.session.scalar(select(User).where(User.email == "admin@example.org")) is None


def test_the_choice_about_posts_is_honoured_per_platform(app, english_client, zelda, bruno, make_platform,
                                                          make_thread, make_post):
    allows = _platform(make_platform, [zelda, bruno], leavers_may_delete_posts=True)
    keeps = _platform(make_platform, [zelda, bruno])
    there = make_thread(bruno, allows, body="Abro el tema.")
    taken = make_post(zelda, there, "Texto que me llevo.")
    here = make_thread(bruno, keeps, body="Otro tema.")
    kept = make_post(zelda, here, "Texto que se queda.")
    Auth(english_client).login(EMAIL)

    response = _delete(english_client, posts="delete")
    assert response.status_code == 303 and response.headers["Location"].endswith("/account/deleted")
    reader = browser(app, "bruno@example.org")  # Spanish
    page = reader.get(f"/t/{there.id}").get_data(as_text=True)
    assert "Texto que me llevo." not in page and spanish_page("This post was deleted by its author.") in page
    assert "Abro el tema." in page
    assert db.session.get(Thread, there.id).reply_count == 0
    page = reader.get(f"/t/{here.id}").get_data(as_text=True)
    assert "Texto que se queda." in page and spanish_page("Former participant") in page
    assert db.session.get(Post, taken.id).body_source == "" and db.session.get(Post, kept.id).author_id is None


def test_posts_stay_by_default_even_where_they_could_go(app, client, auth, zelda, make_platform, make_thread):
    thread = make_thread(zelda, _platform(make_platform, [zelda], leavers_may_delete_posts=True),
                         body="Se queda porque así lo elegí.")
    auth.login(EMAIL)
    assert _delete(client).status_code == 303
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Se queda porque así lo elegí." in page and spanish_page("Former participant") in page
    assert "Your account has been deleted" in browser(app, language="en").get("/account/deleted").get_data(
        as_text=True)


def test_moderators_choose_in_the_platform_settings(app, client, auth, make_user, make_platform):
    make_user("admin@example.org", role="admin")
    platform = make_platform()
    auth.login("admin@example.org")
    page = client.get(f"/admin/platforms/{platform.slug}").get_data(as_text=True)
    assert 'name="leavers_may_delete_posts"' in page
    fields = {"slug": platform.slug, "name_es": platform.name_es, "name_en": platform.name_en, "description_es": "D",
              "description_en": "D", "colour": "#1f5f8b",
              "icon": "chat", "visibility": "public", "join_policy": "open", "leavers_may_delete_posts": "y"}
    assert client.post(f"/admin/platforms/{platform.slug}", data=fields).status_code == 303
    assert db.session.get(Platform, platform.id).leavers_may_delete_posts is True
    fields.pop("leavers_may_delete_posts")
    client.post(f"/admin/platforms/{platform.slug}", data=fields)
    assert db.session.get(Platform, platform.id).leavers_may_delete_posts is False


# --- nothing names her afterwards ------------------------------------------------------------------------------


def _traces_left() -> list[tuple[str, str, str]]:
    """(table, column, term) of every text, varchar or JSON column of every table that still holds her e-mail
    address, name or handle."""
    found = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, String | Text | JSON):
                    continue
                for term in (EMAIL, NAME, HANDLE):
                    text = func.lower(cast(column, Text))
                    hits = connection.execute(select(func.count()).select_from(table).where(
                        text.contains(term.lower(), autoescape=True))).scalar()
                    if hits:
                        found.append((table.name, column.name, term))
    return found


def _official(make_user, make_organisation, add_member, platform):
    official = make_user("oficial@segob.gob.mx", display_name="Oficial SEGOB", sector="federal_government")
    add_member(official, make_organisation(acronym="SEGOB"))
    db.session.add(PlatformMembership(platform=platform, user_id=official.id))
    commit()
    return official


def _events(official, zelda, make_user):
    """A future event with one seat (hers) and someone waiting; a past event she attended with five others."""
    start = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    values = {"title_es": "Diálogo", "description_es": "Un diálogo.", "kind": "dialogue", "venue_name": "Casa",
              "city": "Oaxaca", "state": "OAX", "organisations": []}
    future = events.create(official, **values, starts_at=start, ends_at=start + timedelta(hours=2), capacity=1)
    past = events.create(official, **{**values, "title_es": "Foro"}, starts_at=start, ends_at=start + timedelta(
        hours=2), capacity=20)
    for event in (future, past):
        events.publish(official, event)
    commit()
    registrations.register(zelda, future, accessibility_needs=f"Escríbanme a {EMAIL}")
    waiting, _ = registrations.register(make_user(gender="man"), future)
    mine, _ = registrations.register(zelda, past, position=f"Coordinadora, {NAME}")
    for _n in range(5):
        registrations.register(make_user(gender="woman", age_range="18_29"), past)
    registrations.check_in(official, mine)
    commit()
    past.starts_at, past.ends_at = utcnow() - timedelta(days=10), utcnow() - timedelta(days=10, hours=-2)
    commit()
    return future, past, waiting


def test_nothing_names_her_afterwards_and_conversations_stay_readable(
        app, english_client, zelda, bruno, make_user, make_organisation, add_member, make_platform, outbox):
    platform = _platform(make_platform, [zelda, bruno], translators=[bruno], name_en="Justice")
    official = _official(make_user, make_organisation, add_member, platform)
    add_member(zelda, make_organisation(acronym="RMM", kind="cso"))  # members of verified ones upload
    auth = Auth(english_client)
    auth.login(EMAIL)
    elsewhere = browser(app, EMAIL, "en")  # another device of hers

    with app.test_request_context():  # mentions are linked to profiles as on a page
        # her thread, naming herself; Bruno's reply mentions and quotes her; her edited reply; a translation
        thread = threads.start_thread(zelda, platform, title=f"Propuesta de {NAME}", review=False,
                                      body=f"Soy {NAME} (@{HANDLE}), escríbanme a {EMAIL}. Propongo intérpretes.")
        commit()
        opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
        answer = threads.reply(bruno, thread, reply_to=opening, review=False,
                               body=f"@{HANDLE} wrote:\n> Propongo intérpretes.\n\nDe acuerdo con @{HANDLE}.")
        mine = threads.reply(zelda, thread, body="Gracias, Bruno.", review=False)
        commit()
        threads.edit_post(zelda, mine, body=f"Gracias, Bruno. — {NAME}")
        threads.translate(bruno, opening, body=f"I am {NAME} (@{HANDLE}). I propose interpreters.")
        flags.flag(zelda, "post", answer.id, reason="other", note=f"Flagged by {NAME}")
        record(None, "email_changed", user=zelda, old="zelda.old@example.org", new=EMAIL, note=f"{NAME} asked")
        commit()
        # a comment on a consultation
        now = utcnow()
        consultation = consultations.create(official, organisation=official.memberships[0].organisation_id,
                                            platform=platform.slug, title_es="Protocolo", question_es="¿Qué cambiaría?",
                                            opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=3),
                                            text_es="## 1. Objetivo\n\nGarantizar intérpretes.")
        consultations.publish(official, consultation)
        comment = comments.comment(zelda, consultation, body=f"Como {NAME} propongo más plazo.", kind="support")
        commit()
        # events, a document, an API token and a copy of her data with its file
        future, past, waiting = _events(official, zelda, make_user)
        before = figures.counts(db.session.get(Event, past.id))
        document = documents.upload(zelda, file=FileStorage(io.BytesIO(b"Informe de trabajo\n"), "informe.txt"),
                                    platform=platform, title_es=f"Informe de {NAME}", kind="report", language="es")
        api_tokens.create_token(zelda, f"script de {HANDLE}")
        saved = storage().save(io.BytesIO(b"zip"))
        db.session.add(DataExport(user_id=zelda.id, status="ready", storage_key=saved.key))
        commit()
    assert _traces_left()  # the seeding reached the database

    response = english_client.post("/account/delete", data={"password": PASSWORD, "posts": "keep"})
    assert response.status_code == 303

    assert _traces_left() == []
    assert not storage().path(saved.key).exists()
    # signed out everywhere, and the account cannot sign in again
    for device in (english_client, elsewhere):
        assert device.get("/account").status_code == 302
    assert auth.login(EMAIL).status_code == 401
    # the conversation stays readable, signed "Former participant", the reply and its quote included
    page = browser(app, "bruno@example.org").get(f"/t/{thread.id}").get_data(as_text=True)
    assert page.count(spanish_page("Former participant")) == 2
    assert "Propongo intérpretes." in page and "I propose interpreters." in page
    assert f"De acuerdo con {spanish_page('former participant')}." in page and "<blockquote>" in page
    assert db.session.get(Thread, thread.id).title == "Propuesta de former participant"
    assert "Gracias, Bruno." in page
    assert db.session.get(type(comment), comment.id).author_id is None
    assert "más plazo" in english_client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    # the person waiting for the future event has her seat; the past event's figures did not change
    assert db.session.get(Registration, waiting.id).status == "confirmed"
    assert figures.counts(db.session.get(Event, past.id)) == before
    assert db.session.get(type(document), document.id).uploader_id is None
    assert outbox(EMAIL) == []  # no message to her address is kept


# --- found in review: events under way, old addresses, ordinary words, other addresses, usable administrators --


def _ended_two_hours_ago(event) -> Event:
    event = db.session.get(Event, event.id)
    event.starts_at, event.ends_at = utcnow() - timedelta(hours=5), utcnow() - timedelta(hours=2)
    commit()
    return event


def test_leaving_in_the_check_in_day_keeps_the_figures_and_erases_the_rest_once_it_closes(
        app, client, zelda, make_user, organiser, make_event, register):
    """The event ended two hours ago, its check-in still open: the organisers' figures stay as they were, at once
    and after the daily job has erased the rest once the check-in closed."""
    event = make_event(organiser)
    for _n in range(5):
        register(make_user(gender="woman", age_range="18_29"), event)
    mine = register(zelda, event)
    event = _ended_two_hours_ago(event)
    before = figures.counts(event)
    Auth(client).login(EMAIL)
    assert _delete(client).status_code == 303
    assert figures.counts(db.session.get(Event, event.id)) == before
    assert _traces_left() == []
    left = db.session.get(Registration, mine.id)
    assert (left.user_id, left.email, left.gender) == (None, "", "woman")  # counted until the check-in closes
    runner = app.test_cli_runner()
    assert "Erased 0 registrations of deleted accounts" in runner.invoke(args=["purge-expired"]).output
    event.ends_at = utcnow() - registrations.CHECK_IN_GRACE - timedelta(minutes=1)
    commit()
    assert "Erased 1 registrations of deleted accounts" in runner.invoke(args=["purge-expired"]).output
    db.session.expire_all()
    assert db.session.get(Registration, mine.id).gender is None
    assert figures.counts(db.session.get(Event, event.id)) == before


def test_leaving_during_an_event_keeps_the_attendance_already_checked(app, client, zelda, make_user, organiser,
                                                                      make_event, register):
    """An event under way: a checked-in registration is not cancelled (its seat was used), and nobody on the
    waiting list is moved into it."""
    event = make_event(organiser)
    mine = register(zelda, event)
    for _n in range(5):
        register(make_user(gender="woman"), event)
    event = db.session.get(Event, event.id)
    event.starts_at, event.ends_at = utcnow() - timedelta(hours=1), utcnow() + timedelta(hours=2)
    commit()
    registrations.check_in(organiser, db.session.get(Registration, mine.id))
    commit()
    Auth(client).login(EMAIL)
    assert _delete(client).status_code == 303
    db.session.expire_all()
    left = db.session.get(Registration, mine.id)
    assert (left.status, left.attended_at is not None, left.email) == ("confirmed", True, "")
    assert sum(figures.counts(db.session.get(Event, event.id))["attended"]["gender"].values()) == 1


def test_an_address_used_before_goes_too(app, client, make_user, organiser, make_event, register):
    """She registered, then changed her address: her old address (on the registration, and where the notice of
    the change went) is found nowhere afterwards, and no mail is left for it."""
    from forum.accounts import services as accounts

    event = make_event(organiser)
    zelda = make_user("zelda.old@example.org", display_name=NAME)
    register(zelda, event)
    from forum.core.mail import OutboxMessage

    with app.test_request_context():
        accounts.request_email_change(db.session.get(User, zelda.id), PASSWORD, EMAIL)
        commit()
    body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.recipient == EMAIL))
    token = body.split("/account/email/")[1].split()[0]
    with app.test_request_context():
        accounts.confirm_email_change(token)
        commit()
    Auth(client).login(EMAIL)
    assert _delete(client).status_code == 303
    assert _holding("zelda.old@example.org") == []


def _holding(term: str) -> list[tuple[str, str]]:
    """(table, column) of every text, varchar or JSON column that holds ``term``."""
    found = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, String | Text | JSON) and connection.execute(
                        select(func.count()).select_from(table).where(
                            func.lower(cast(column, Text)).contains(term.lower(), autoescape=True))).scalar():
                    found.append((table.name, column.name))
    return found


def test_a_name_that_is_an_ordinary_word_stays_in_records_about_other_people(app, client, make_user):
    """"Paz" is a name and the word for peace: a note about Bruno, and mail to him, keep their words; a record
    about Paz herself loses her name."""
    from forum.core.mail import queue_mail

    admin = make_user("admin@example.org", role="admin", display_name="Alba Admin")
    bruno = make_user("bruno@example.org", display_name="Bruno Ortega")
    paz = make_user("paz@example.org", display_name="Paz")
    with app.test_request_context():
        about_bruno = record(admin, "suspended", user=bruno, note="Amenazas en el hilo sobre la paz en Guerrero")
        about_paz = record(admin, "suspended", user=paz, note="Paz insultó a otras personas")
        message = queue_mail("bruno@example.org", "email_change_notice", "es", user=bruno,
                             new_email="bruno.new@example.org")
        message.body = "Resumen: nueva consulta sobre paz y seguridad."
        commit()
    Auth(client).login("paz@example.org")
    assert _delete(client).status_code == 303
    db.session.expire_all()
    assert db.session.get(type(about_bruno), about_bruno.id).note == "Amenazas en el hilo sobre la paz en Guerrero"
    assert "Paz" not in db.session.get(type(about_paz), about_paz.id).note
    assert db.session.get(type(message), message.id).body == "Resumen: nueva consulta sobre paz y seguridad."


def test_other_addresses_that_contain_hers_are_left_alone(app, client, make_user, make_platform, make_thread):
    """Deleting ana@example.org leaves juliana@example.org whole, in posts and in records."""
    admin = make_user("admin@example.org", role="admin")
    ana = make_user("ana@example.org", display_name="Ana Andrade")
    juliana = make_user("juliana@example.org", display_name="Juliana Juárez")
    thread = make_thread(juliana, make_platform(members=[ana, juliana]), title="Contacto",
                         body="Escríbanme a juliana@example.org, o a ana@example.org.")
    with app.test_request_context():
        note = record(admin, "role_changed", user=juliana, note="Pidió el cambio desde juliana@example.org")
        commit()
    Auth(client).login("ana@example.org")
    assert _delete(client).status_code == 303
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    assert "juliana@example.org" in opening.body_source and "ana@example.org." not in opening.body_source
    assert db.session.get(type(note), note.id).note == "Pidió el cambio desde juliana@example.org"


def test_an_administrator_whose_only_fellow_is_suspended_cannot_leave(app, client, make_user):
    """A suspended administrator cannot run the forum: the last one who can is refused."""
    make_user("admin@example.org", role="admin")
    suspended = make_user("old.admin@example.org", role="admin")
    suspended.suspended_at = utcnow()
    commit()
    Auth(client).login("admin@example.org")
    assert _delete(client).status_code == 403
    assert db.session.scalar(select(User).where(User.email == "admin@example.org")) is not None
