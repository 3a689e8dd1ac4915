"""Registrations' personal data is anonymised after the event's retention period; the figures survive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from forum.core.db import commit, utcnow
from forum.events import figures, registrations, retention
from forum.events.models import Event, Registration
from forum.extensions import db


def _over(event: Event, months_ago: int) -> None:
    """Move a held event into the past."""
    event.starts_at = utcnow() - timedelta(days=31 * months_ago, hours=3)
    event.ends_at = event.starts_at + timedelta(hours=2)
    commit()


def test_purge_expired_anonymises_old_registrations_and_keeps_figures(app, organiser, make_event, make_user,
                                                                      register):
    old = make_event(organiser, retention_months=12)
    recent = make_event(organiser, title_es="Reciente", retention_months=12)
    women = [make_user(gender="woman", age_range="18_29") for _ in range(6)]
    for person in women:
        register(person, old, accessibility_needs="Rampa de acceso", organisation_name="Colectivo X")
    keeper = register(make_user(), recent)
    registrations.check_in(organiser, db.session.get(Registration, register(women[0], old).id))
    commit()
    before = figures.counts(old)["registered"]["gender"]
    _over(old, 13)
    _over(recent, 2)

    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert "Anonymised 6 registrations of 1 events" in result.output
    anonymised = db.session.scalars(select(Registration).where(Registration.event_id == old.id)).all()
    assert {(r.user_id, r.email, r.name, r.organisation_name, r.accessibility_needs, r.code, r.gender)
            for r in anonymised} == {(None, "", "", "", "", None, None)}
    assert [r.status for r in anonymised] == ["confirmed"] * 6
    assert figures.counts(db.session.get(Event, old.id))["registered"]["gender"] == before
    assert figures.figures(db.session.get(Event, old.id))["attended"]["gender"].total == 1
    assert db.session.get(Registration, keeper.id).email != ""
    assert "Anonymised 0 registrations" in app.test_cli_runner().invoke(args=["purge-expired"]).output


def test_retention_counts_calendar_months():
    end = datetime(2026, 1, 31, 18, 0, tzinfo=UTC)
    assert retention.months_after(end, 1) == datetime(2026, 2, 28, 18, 0, tzinfo=UTC)
    assert retention.months_after(end, 12) == datetime(2027, 1, 31, 18, 0, tzinfo=UTC)


def test_who_registers_is_told_how_long_the_organisers_keep_their_answers(app, client, organiser, make_event,
                                                                         make_user):
    """The registration form says the event's own retention period, with a link to the privacy notice."""
    from tests.conftest import Auth, spanish_page

    event = make_event(organiser, retention_months=3)
    make_user("ana@example.org")
    Auth(client).login("ana@example.org")
    page = client.get(f"/events/{event.id}/register").get_data(as_text=True)
    with app.test_request_context():
        from flask_babel import force_locale, ngettext

        with force_locale("es"):
            told = ngettext("The organisers keep what you give here for %(num)s month after the event; then it is "
                            "anonymised.", "The organisers keep what you give here for %(num)s months after the "
                            "event; then it is anonymised.", 3)
    assert told in page and 'href="/privacy#retention"' in page
    assert spanish_page("Privacy notice") in page
