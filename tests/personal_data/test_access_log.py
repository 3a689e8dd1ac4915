"""The access log: every privileged read of other people's personal data (an event's attendee list, its CSV
file, the check-in list, the administrators' account pages) leaves one entry saying who read what about how many
people; refused requests leave none. Administrators read the log at /admin/access-log, filtered, in their
language; nobody else does."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.accounts.models import User
from forum.core.db import commit, utcnow
from forum.events.models import Registration
from forum.extensions import db
from forum.personal_data.models import AccessEntry
from tests.conftest import browser
from tests.conftest import spanish_page as _es
from tests.events import conftest as event_fixtures

#: the event tests' fixtures: an organiser, ``make_event`` and ``register``
organiser, make_event, register = event_fixtures.organiser, event_fixtures.make_event, event_fixtures.register

ORGANISER = "organiser@sre.gob.mx"
ADMIN = "admin@example.org"


def entries() -> list[tuple]:
    """The log as (reader's e-mail, action, subject kind, subject id, people), oldest first."""
    db.session.expire_all()
    return [(e.actor.email if e.actor else None, e.action, e.subject_kind, e.subject_id, e.people)
            for e in db.session.scalars(select(AccessEntry).order_by(AccessEntry.id))]


def rows(response) -> list[str]:
    """The log page's rows as plain text, without their time."""
    found = re.findall(r'<tr id="access-\d+">\s*<td>[^<]*</td>(.*?)</tr>', response.get_data(as_text=True),
                       flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in found]


@pytest.fixture
def event(organiser, make_event, make_user, register):
    """A published event with three people registered (Spanish names, e-mail addresses of their own)."""
    event = make_event(organiser, title_en="EU–Mexico dialogue on justice")
    for name in ("Ana Ruiz", "Beto Díaz", "Carla Peña"):
        register(make_user(f"{name.split()[0].lower()}@example.org", display_name=name), event)
    return event


@pytest.fixture
def admin(app, make_user):
    """A signed-in administrator's browser (English)."""
    make_user(ADMIN, role="admin", locale="en", display_name="Alba Admin")
    return browser(app, ADMIN)


# --- what is recorded -----------------------------------------------------------------------------------------


def test_the_organisers_reads_of_attendees_are_recorded(app, event):
    desk = browser(app, ORGANISER)
    assert desk.get(f"/events/{event.id}/attendees").status_code == 200
    assert desk.get(f"/events/{event.id}/attendees.csv").status_code == 200
    assert desk.get(f"/events/{event.id}/attendees.csv?q=ana").status_code == 200
    assert desk.get(f"/events/{event.id}/check-in").status_code == 200  # the form alone shows nobody
    assert desk.get(f"/events/{event.id}/check-in?q=a").status_code == 200

    assert entries() == [
        (ORGANISER, "attendee_list", "event", event.id, 3),
        (ORGANISER, "attendee_export", "event", event.id, 3),
        (ORGANISER, "attendee_export", "event", event.id, 1),
        (ORGANISER, "check_in_list", "event", event.id, 3),
    ]


def test_the_organisers_own_registration_is_not_counted(app, event, organiser, register):
    """An organiser registered for their own event reads three other people's data, not four."""
    register(organiser, event)
    assert browser(app, ORGANISER).get(f"/events/{event.id}/attendees").status_code == 200
    assert entries() == [(ORGANISER, "attendee_list", "event", event.id, 3)]


def test_a_scanned_check_in_code_records_one_person(app, event):
    code = db.session.scalar(select(Registration.code).where(Registration.code.is_not(None)).limit(1))
    desk = browser(app, ORGANISER)
    assert desk.get(f"/events/{event.id}/check-in", query_string={"code": code}).status_code == 200
    assert desk.get(f"/events/{event.id}/check-in", query_string={"code": "ZZZZZZ"}).status_code == 404
    assert entries() == [(ORGANISER, "check_in_list", "event", event.id, 1)]


def test_an_empty_list_records_nothing(app, organiser, make_event):
    empty = make_event(organiser)
    desk = browser(app, ORGANISER)
    assert desk.get(f"/events/{empty.id}/attendees").status_code == 200
    assert desk.get(f"/events/{empty.id}/attendees.csv").status_code == 200
    assert entries() == []


def test_refused_requests_record_nothing(app, client, event, make_user):
    make_user("nosy@example.org")
    nosy = browser(app, "nosy@example.org")
    for path in (f"/events/{event.id}/attendees", f"/events/{event.id}/attendees.csv",
                 f"/events/{event.id}/check-in?q=a", "/admin/users", "/admin/users/1", "/admin/memberships"):
        assert nosy.get(path).status_code == 403, path
        assert client.get(path).status_code == 302, path
    assert browser(app, ORGANISER).get(f"/events/{event.id + 1000}/attendees").status_code == 404
    assert entries() == []


def test_the_administrators_reads_of_accounts_are_recorded(app, admin, make_user, make_organisation, add_member):
    people = [make_user(f"p{n}@example.org") for n in range(3)]
    organisation = make_organisation(acronym="RMM")
    for person in people[:2]:
        add_member(person, organisation, status="pending")
    me = db.session.scalar(select(User.id).where(User.email == ADMIN))

    assert admin.get("/admin/users").status_code == 200
    assert admin.get(f"/admin/users/{people[0].id}").status_code == 200
    assert admin.get("/admin/memberships").status_code == 200
    assert admin.get(f"/admin/users/{me}").status_code == 200  # one's own account is not someone else's data
    assert admin.get("/admin/users/99999").status_code == 404

    assert entries() == [
        (ADMIN, "user_list", "user", None, 3),
        (ADMIN, "user_account", "user", people[0].id, 1),
        (ADMIN, "membership_requests", "user", None, 2),
    ]


# --- the log page ---------------------------------------------------------------------------------------------


def test_only_administrators_read_the_log(app, client, make_user, organiser):
    response = client.get("/admin/access-log")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    for role in ("participant", "moderator"):
        make_user(f"{role}@example.org", role=role)
        assert browser(app, f"{role}@example.org").get("/admin/access-log").status_code == 403
    assert browser(app, ORGANISER).get("/admin/access-log").status_code == 403


def test_the_log_says_who_read_what_about_how_many_newest_first(app, admin, event, make_user):
    browser(app, ORGANISER).get(f"/events/{event.id}/attendees")
    gone = make_user("gone@example.org", display_name="Gone Person")
    admin.get(f"/admin/users/{gone.id}")
    db.session.delete(db.session.get(User, gone.id))
    commit()

    response = admin.get("/admin/access-log")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page and "<h1>Access log</h1>" in page
    assert 'href="/admin/access-log" aria-current="page"' in page
    assert rows(response) == [
        f"Alba Admin Viewed an account's details Account no. {gone.id} (no longer exists) 1 person",
        "Organizadora SRE Viewed the attendee list of an event EU–Mexico dialogue on justice 3 people",
    ]
    assert f'href="/events/{event.id}"' in page


def test_the_log_is_in_spanish_for_spanish_speakers(app, event, make_user):
    browser(app, ORGANISER).get(f"/events/{event.id}/attendees.csv")
    make_user("admin.es@example.org", role="admin", locale="es")
    page = browser(app, "admin.es@example.org").get("/admin/access-log").get_data(as_text=True)
    assert '<html lang="es">' in page
    assert f"<h1>{_es('Access log')}</h1>" in page
    assert _es("Downloaded the attendee list of an event") in page
    assert "Diálogo UE–México sobre justicia" in page


@pytest.fixture
def logged(app, admin, make_user):
    """Entries by two readers over three days: (reader, action, days ago)."""
    reader = make_user("reader@example.org", display_name="Rita Reader", role="admin")
    admin_user = db.session.scalar(select(User).where(User.email == ADMIN))
    now = utcnow()
    for who, action, days in ((reader, "attendee_list", 10), (reader, "user_list", 5), (admin_user, "user_list", 1)):
        db.session.add(AccessEntry(actor_id=who.id, action=action, subject_kind="user", people=days,
                                   created_at=now - timedelta(days=days)))
    commit()
    return {"reader": reader.id, "today": now.date()}


def test_the_log_filters_by_action_reader_and_days(admin, logged):
    def people(**query) -> list[str]:
        response = admin.get("/admin/access-log", query_string=query)
        assert response.status_code == 200
        return [row.rsplit(" ", 2)[1] for row in rows(response)]

    assert people() == ["1", "5", "10"]
    assert people(action="user_list") == ["1", "5"]
    assert people(reader=logged["reader"]) == ["5", "10"]
    assert people(reader=logged["reader"], action="user_list") == ["5"]
    today = logged["today"]
    assert people(start=str(today - timedelta(days=6)), end=str(today - timedelta(days=2))) == ["5"]
    assert people(start=str(today - timedelta(days=2))) == ["1"]
    assert people(end=str(today - timedelta(days=8))) == ["10"]


@pytest.mark.parametrize("query, field, message", [
    ({"action": "peeked"}, "action", "Choose an action from the list."),
    ({"reader": "abc"}, "reader", "Choose a person from the list."),
    ({"reader": "99999"}, "reader", "Choose a person from the list."),
    ({"start": "2026-13-01"}, "start", "Give a date such as 2026-12-01."),
    ({"end": "9999-12-31"}, "end", "Give a date such as 2026-12-01."),
    ({"start": "2026-05-02", "end": "2026-05-01"}, "end", "The end of the range comes before its start."),
])
def test_bad_filters_answer_400_with_a_message_beside_the_field(admin, logged, query, field, message):
    response = admin.get("/admin/access-log", query_string=query)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'<p class="error" id="{field}-error">{message}</p>' in page
    for name in ("start", "end"):
        if name in query:
            assert f'value="{query[name]}"' in page, "the dates keep what was typed"


def test_bad_filters_are_explained_in_spanish(app, logged, make_user):
    make_user("admin.es@example.org", role="admin", locale="es")
    response = browser(app, "admin.es@example.org").get("/admin/access-log?start=ayer")
    assert response.status_code == 400
    assert _es("Give a date such as 2026-12-01.") in response.get_data(as_text=True)


def test_the_log_is_paginated_like_other_admin_lists(admin, make_user):
    reader = make_user(role="admin")
    db.session.add_all([AccessEntry(actor_id=reader.id, action="user_list", subject_kind="user", people=1)
                        for _ in range(51)])
    commit()
    first = admin.get("/admin/access-log?action=user_list")
    assert len(rows(first)) == 50 and "Page 1 of 2" in first.get_data(as_text=True)
    second = admin.get("/admin/access-log?action=user_list&page=2")
    assert len(rows(second)) == 1
    assert 'href="/admin/access-log?page=1&amp;action=user_list"' in second.get_data(as_text=True)
