"""Seats, the waiting list, quotas and cancellation, through the registration services."""

from __future__ import annotations

from forum.core.db import commit
from forum.events import registrations
from forum.events.models import Registration
from forum.extensions import db


def test_registration_confirms_until_full_then_waitlists(organiser, make_event, make_user, register, outbox):
    event = make_event(organiser, capacity=2)
    people = [make_user() for _ in range(3)]
    statuses = [register(p, event).status for p in people]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    messages = outbox(people[0].email)
    assert messages[-1].subject.startswith("Registro confirmado") or "confirm" in messages[-1].subject.lower()
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
