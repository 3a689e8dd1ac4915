"""What events tell people: a change of time, place or link, or a cancellation, reaches registrants in the
notification centre (their service e-mail with the calendar file goes as before) and other followers also by
e-mail; a seat from the waiting list is a notification beside the ticket; the follow button on the event page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.core.db import commit
from forum.events import registrations, services
from forum.extensions import db
from forum.notifications import services as notifications
from forum.notifications.models import Notification
from forum.platforms import services as platforms
from tests.conftest import browser
from tests.events import conftest as event_fixtures

#: the event tests' fixtures: an organiser, ``make_event`` and ``register``
organiser, make_event, register = event_fixtures.organiser, event_fixtures.make_event, event_fixtures.register


def of(kind: str, user) -> list[Notification]:
    """``user``'s notifications of ``kind``, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id,
                                                              Notification.kind == kind).order_by(Notification.id)))


@pytest.fixture
def people(make_user):
    """Ana registers, Ben follows, Carla registers and follows, Dan does neither."""
    return [make_user(f"{name}@example.org", display_name=name.title(), locale="en")
            for name in ("ana", "ben", "carla", "dan")]


@pytest.fixture
def audience(organiser, make_event, register, people):
    ana, ben, carla, _dan = people
    event = make_event(organiser)
    register(ana, event)
    register(carla, event)
    for person in (ben, carla, organiser):
        notifications.follow(person, "event", event.id)
    commit()
    return event


def test_a_change_of_time_reaches_registrants_in_the_centre_and_followers_by_email(organiser, audience, people,
                                                                                    outbox):
    ana, ben, carla, dan = people
    before = {person.email: len(outbox(person.email)) for person in people}
    services.update(organiser, audience, starts_at=audience.starts_at + timedelta(hours=1),
                    ends_at=audience.ends_at + timedelta(hours=1))
    commit()
    for person in (ana, carla):  # registrants: in the centre only, and their service e-mail as before
        [told] = of("event_changed", person)
        assert (told.subject_type, told.subject_id, told.actor_id, told.email_status) == (
            "event", audience.id, organiser.id, "none")
        assert told.details == {"change": "changed", "fields": ["ends_at", "starts_at"]}
        [service] = outbox(person.email)[before[person.email]:]
        assert service.subject == "Event changed: EU–Mexico dialogue on justice"
        assert any(a.filename.endswith(".ics") for a in service.attachments)
    [told] = of("event_changed", ben)
    assert told.email_status == "sent"
    [mail] = outbox(ben.email)[before[ben.email]:]
    assert "EU–Mexico dialogue on justice" in mail.subject and not mail.attachments
    assert of("event_changed", dan) == of("event_changed", organiser) == []


def test_a_change_of_description_tells_nobody(organiser, audience, people):
    services.update(organiser, audience, description_en="A longer dialogue.")
    commit()
    assert all(of("event_changed", person) == [] for person in people)


def test_a_cancellation_is_told_the_same_way(organiser, audience, people, outbox):
    ana, ben, carla, _dan = people
    services.cancel(organiser, audience)
    commit()
    for person, email_status in ((ana, "none"), (carla, "none"), (ben, "sent")):
        [told] = of("event_changed", person)
        assert told.details["change"] == "cancelled" and told.email_status == email_status
    assert outbox(ana.email)[-1].subject == outbox(carla.email)[-1].subject  # the cancellation service mail


def test_followers_who_may_no_longer_see_a_members_only_event_are_not_told(organiser, make_event, make_platform,
                                                                           people):
    ana, ben, _carla, _dan = people
    closed = make_platform(slug="seguridad", visibility="members", members=[organiser, ana, ben])
    event = make_event(organiser, access="members", platforms=[closed.slug])
    for person in (ana, ben):
        notifications.follow(person, "event", event.id)
    commit()
    platforms.leave(ben, closed)
    commit()
    services.update(organiser, event, city="Puebla")
    commit()
    assert len(of("event_changed", ana)) == 1 and of("event_changed", ben) == []


def test_a_seat_from_the_waiting_list_is_notified_beside_the_ticket(organiser, make_event, register, people,
                                                                    outbox):
    ana, ben, _carla, _dan = people
    event = make_event(organiser, capacity=1)
    seat = register(ana, event)
    assert register(ben, event).status == "waitlisted"
    registrations.cancel(seat, by=ana)
    commit()
    [told] = of("waitlist_promoted", ben)
    assert (told.subject_type, told.subject_id, told.email_status) == ("event", event.id, "none")
    promoted = outbox(ben.email)[-1]
    assert any(a.filename.startswith("check-in-") for a in promoted.attachments)  # the ticket, as before
    assert of("waitlist_promoted", ana) == []


def test_the_follow_button_on_the_event_page_works_without_script(app, organiser, make_event, people):
    event = make_event(organiser)
    assert f"/follow/event/{event.id}" not in app.test_client().get(f"/events/{event.id}").get_data(as_text=True)
    client = browser(app, "dan@example.org", "en")
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f'action="/follow/event/{event.id}"' in page and ">Follow</button>" in page
    response = client.post(f"/follow/event/{event.id}", data={"follow": "1", "next": f"/events/{event.id}"},
                           follow_redirects=True)
    assert response.status_code == 200 and "Stop following" in response.get_data(as_text=True)
    assert notifications.is_following(people[3], "event", event.id)
