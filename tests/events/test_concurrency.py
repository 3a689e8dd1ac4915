"""Capacity holds under simultaneous requests, on the test database (SQLite, or PostgreSQL in CI)."""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import select

from forum.accounts.models import User
from forum.core.db import commit, rollback
from forum.events import registrations
from forum.events.models import Event, Registration
from forum.extensions import db


def _at_once(app, jobs) -> list:
    """Run every job in its own thread and application context, all released together; collect errors."""
    start = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        with app.app_context():
            start.wait()
            try:
                job()
            except Exception as error:  # noqa: BLE001 - reported by the test
                rollback()
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


def _register_job(user_id: int, event_id: int):
    def job():
        registrations.register(db.session.get(User, user_id), db.session.get(Event, event_id))
        commit()
    return job


def test_hundred_simultaneous_registrations_for_fifty_seats(app, organiser, make_event, make_user):
    event = make_event(organiser, capacity=50)
    people = [make_user().id for _ in range(100)]
    errors = _at_once(app, [_register_job(person, event.id) for person in people])
    assert errors == []
    statuses = Counter(db.session.scalars(select(Registration.status).where(Registration.event_id == event.id)))
    assert statuses == {"confirmed": 50, "waitlisted": 50}
    waiting = db.session.scalars(select(Registration.waitlisted_at).where(Registration.status == "waitlisted"))
    assert None not in list(waiting)


def test_double_submission_gives_one_registration(app, organiser, make_event, make_user):
    event = make_event(organiser, capacity=5)
    person = make_user().id
    errors = _at_once(app, [_register_job(person, event.id) for _ in range(8)])
    assert errors == []
    assert db.session.scalar(select(db.func.count()).select_from(Registration)) == 1


def test_simultaneous_cancellations_promote_exactly_one_each(app, organiser, make_event, make_user, register):
    event = make_event(organiser, capacity=3)
    holders = [register(make_user(), event) for _ in range(3)]
    waiting = [register(make_user(), event) for _ in range(5)]
    assert {r.status for r in waiting} == {"waitlisted"}

    def cancel_job(registration_id):
        def job():
            registration = db.session.get(Registration, registration_id)
            registrations.cancel(registration, by=registration.user)
            commit()
        return job

    errors = _at_once(app, [cancel_job(h.id) for h in holders[:2]])
    assert errors == []
    db.session.expire_all()
    statuses = [db.session.get(Registration, r.id).status for r in waiting]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted", "waitlisted"]
