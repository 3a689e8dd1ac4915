"""Seats, the waiting list, quotas and cancellation, through the registration services."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.core.db import commit, utcnow
from forum.core.errors import ActionRefused
from forum.events import registrations, services
from forum.events.models import Registration
from forum.extensions import db
from tests.conftest import saved


def test_registration_confirms_until_full_then_waitlists(organiser, make_event, make_user, register, outbox):
    event = make_event(organiser, capacity=2)
    people = [make_user() for _ in range(3)]
    statuses = [register(p, event).status for p in people]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    messages = outbox(people[0].email)
    assert messages[-1].subject.startswith("Registro confirmado")
    assert [a.filename for a in messages[-1].attachments][0].endswith(".ics")


def test_cancellation_promotes_the_first_waiting(organiser, make_event, make_user, register, outbox):
    event = make_event(organiser, capacity=1)
    first, second, third = make_user(), make_user(), make_user()
    held = register(first, event)
    register(second, event)
    register(third, event)
    promoted = registrations.cancel(held, by=first)
    commit()
    assert [r.user_id for r in promoted] == [second.id]
    statuses = {r.user_id: r.status for r in db.session.scalars(db.select(Registration))}
    assert statuses == {first.id: "cancelled", second.id: "confirmed", third.id: "waitlisted"}


def _statuses(event) -> dict[int, str]:
    db.session.expire_all()
    return {r.user_id: r.status for r in db.session.scalars(
        db.select(Registration).where(Registration.event_id == event.id))}


def test_sector_maximum_sends_the_extra_people_to_the_waiting_list(organiser, make_event, make_user, register):
    event = make_event(organiser, capacity=10)
    services.set_quota(organiser, event, sector="federal_government", maximum=2)
    commit()
    officials = [make_user(sector="federal_government") for _ in range(3)]
    activist = make_user(sector="civil_society")
    assert [register(p, event).status for p in officials] == ["confirmed", "confirmed", "waitlisted"]
    assert register(activist, event).status == "confirmed"


def test_seats_kept_for_civil_society_until_the_date(organiser, make_event, make_user, register):
    event = make_event(organiser, capacity=4)
    services.set_quota(organiser, event, sector="civil_society", reserved=2,
                       reserved_until=utcnow() + timedelta(hours=2))
    commit()
    officials = [make_user(sector="federal_government") for _ in range(3)]
    assert [register(p, event).status for p in officials] == ["confirmed", "confirmed", "waitlisted"]
    activists = [make_user(sector="civil_society") for _ in range(3)]
    assert [register(p, event).status for p in activists] == ["confirmed", "confirmed", "waitlisted"]


def test_a_lapsed_reservation_releases_its_seats_to_the_waiting_list(app, organiser, make_event, make_user,
                                                                     register, outbox):
    event = make_event(organiser, capacity=3)
    services.set_quota(organiser, event, sector="civil_society", reserved=2,
                       reserved_until=utcnow() + timedelta(hours=2))
    commit()
    officials = [make_user(sector="federal_government") for _ in range(3)]
    for person in officials:
        register(person, event)
    assert list(_statuses(event).values()).count("waitlisted") == 2
    event.quotas[0].reserved_until = utcnow() - timedelta(minutes=1)
    commit()
    result = app.test_cli_runner().invoke(args=["events", "release-seats"])
    assert "Promoted 2" in result.output
    assert list(_statuses(event).values()) == ["confirmed"] * 3
    assert outbox(officials[1].email)[-1].subject.startswith("Un lugar es suyo")


def test_approval_by_the_organisers(organiser, make_event, make_user, register, outbox):
    event = make_event(organiser, capacity=1, approval="organiser")
    first, second = make_user(), make_user()
    pending = [register(first, event), register(second, event)]
    assert [r.status for r in pending] == ["pending", "pending"]
    assert registrations.seats_left(event) == 1
    registrations.approve(organiser, pending[0])
    registrations.approve(organiser, pending[1])
    commit()
    assert _statuses(event) == {first.id: "confirmed", second.id: "waitlisted"}
    registrations.decline(organiser, db.session.get(Registration, pending[0].id))
    commit()
    assert _statuses(event) == {first.id: "declined", second.id: "confirmed"}
    with pytest.raises(ActionRefused) as refused:
        registrations.register(first, event)
    assert refused.value.status == 409


def test_organisers_are_alerted_at_80_and_100_per_cent(organiser, make_event, make_user, register, outbox):
    event = make_event(organiser, capacity=5)
    for count in range(5):
        register(make_user(), event)
        alerts = [m.subject for m in outbox(organiser.email)]
        assert len(alerts) == (0 if count < 3 else 1 if count == 3 else 2)
    assert "80" in alerts[0] and "lleno" in alerts[1].lower()


def test_registration_refused_when_closed_with_the_reason(organiser, make_event, make_user):
    person = make_user()
    closed = make_event(organiser, registration_closes_at=utcnow() - timedelta(minutes=5))
    not_yet = make_event(organiser, registration_opens_at=utcnow() + timedelta(hours=1),
                         title_es="Otro diálogo")
    for event, words in ((closed, "cerró"), (not_yet, "abre")):
        with pytest.raises(ActionRefused) as refused:
            registrations.register(person, event)
        assert refused.value.status == 409 and words in refused.value.message
    services.set_registration_closed(organiser, not_yet, True)
    assert "cerrado" in registrations.closed_reason(not_yet)


def test_answers_are_checked_against_the_questions(organiser, make_event, make_user):
    event = make_event(organiser, publish=False)
    choice = services.add_question(organiser, event, kind="single_choice", label_es="¿Mesa?", required=True,
                                   options="Fiscalías | Prosecutors\nDefensorías | Defenders")
    several = services.add_question(organiser, event, kind="multiple_choice", label_en="Topics",
                                    options=["Uno | One", "Dos | Two", "Tres | Three"])
    yes_no = services.add_question(organiser, event, kind="yes_no", label_es="¿Necesita constancia?")
    services.publish(organiser, event)
    commit()
    person = make_user()
    for answers, field in (({}, f"question_{choice.id}"), ({str(choice.id): 5}, f"question_{choice.id}"),
                           ({str(choice.id): "1", "999": "x"}, "answers"), ("nope", "answers")):
        with pytest.raises(ActionRefused) as refused:
            registrations.register(person, event, answers=answers)
        assert refused.value.field == field
    registration, created = registrations.register(
        person, event, answers={str(choice.id): "1", str(several.id): ["2", "0", "2"], str(yes_no.id): "yes"})
    assert created and registration.answers == {str(choice.id): 1, str(several.id): [0, 2], str(yes_no.id): True}
    assert registrations.answer_text(several, registration.answers[str(several.id)]) == "Uno; Tres"


def test_capacity_cannot_drop_below_confirmed_seats_and_growth_promotes(organiser, make_event, make_user,
                                                                        register):
    event = make_event(organiser, capacity=1)
    register(make_user(), event)
    waiting = register(make_user(), event)
    with pytest.raises(ActionRefused):
        services.update(organiser, event, capacity=0)
    services.update(organiser, event, capacity=2)
    commit()
    assert saved(waiting).status == "confirmed"
