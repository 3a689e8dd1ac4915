"""``flask --app forum purge-expired``, the daily job: each kind of personal data goes once its retention period
has passed, and not a moment earlier; what it erased is reported one line per kind."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.accounts.audit import record
from forum.accounts.models import ApiToken, LoginSession, Membership, Organisation, User
from forum.accounts.organisations import propose_organisation
from forum.core.db import commit, utcnow
from forum.core.mail import OutboxAttachment, OutboxMessage
from forum.core.storage import storage
from forum.events.models import Registration
from forum.extensions import db
from forum.personal_data.models import AccessEntry, DataExport
from tests.events import conftest as event_fixtures

#: the event tests' fixtures: an organiser, ``make_event`` and ``register``
organiser, make_event, register = event_fixtures.organiser, event_fixtures.make_event, event_fixtures.register

#: how far either side of a limit the rows are put (the job runs a moment after they are written)
MARGIN = timedelta(hours=1)


def purge(app) -> str:
    """Run the job as cron does and return what it printed."""
    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    return result.output


def ids(model) -> set[int]:
    """The ids of ``model``'s rows now in the database."""
    db.session.expire_all()
    return set(db.session.scalars(select(model.id)))


def aged(row, column: str, age: timedelta) -> None:
    """Set ``row.<column>`` to ``age`` ago and save it."""
    setattr(row, column, utcnow() - age)
    commit()


# --- accounts never confirmed ---------------------------------------------------------------------------------


def test_accounts_never_confirmed_go_after_14_days_with_what_they_named(app, make_user, add_member):
    stale = make_user("stale@example.org", confirmed=False)
    named = propose_organisation(stale, name="Colectivo Fantasma", kind="cso")
    add_member(stale, named, status="pending")
    shared = make_user("shared@example.org", confirmed=False)
    joined = propose_organisation(shared, name="Red Compartida", kind="cso")
    add_member(shared, joined, status="pending")
    add_member(make_user("someone@example.org"), joined, status="pending")
    edited = make_user("edited@example.org", confirmed=False)
    reviewed = propose_organisation(edited, name="Instituto Revisado", kind="academia")
    record(None, "organisation_edited", organisation=reviewed)
    commit()
    fresh = make_user("fresh@example.org", confirmed=False)
    veteran = make_user("veteran@example.org")
    for person in (stale, shared, edited, veteran):
        aged(person, "created_at", timedelta(days=14) + MARGIN)
    aged(fresh, "created_at", timedelta(days=14) - MARGIN)
    gone, kept = {stale.id, shared.id, edited.id}, {fresh.id, veteran.id}
    named_id, joined_id, reviewed_id = named.id, joined.id, reviewed.id

    output = purge(app)

    assert "Deleted 3 accounts never confirmed (and 1 organisations only they had named)." in output
    assert gone.isdisjoint(ids(User)) and kept <= ids(User)
    assert named_id not in ids(Organisation)
    assert joined_id in ids(Organisation), "someone else asked to join it"
    assert reviewed_id in ids(Organisation), "an administrator has worked on it"
    assert db.session.get(Organisation, joined_id).created_by_id is None
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1


def test_the_waiting_period_of_unconfirmed_accounts_is_a_setting(app_factory):
    app = app_factory(FORUM_UNCONFIRMED_ACCOUNT_DAYS=3)
    with app.app_context():
        from forum.accounts import services

        person = services.create_user(email="late@example.org", password="correct horse battery",
                                      display_name="Late", sector="academia", state="OAX")
        commit()
        aged(person, "created_at", timedelta(days=3) + MARGIN)
        person_id = person.id
        assert "Deleted 1 accounts never confirmed" in purge(app)
        assert person_id not in ids(User)


# --- tokens and what they protect -----------------------------------------------------------------------------


def test_sign_in_sessions_unused_for_longer_than_they_last_go(app, make_user):
    person = make_user()
    lifetime = app.config["REMEMBER_COOKIE_DURATION"]
    idle, recent = (LoginSession(id=f"session-{n}", user_id=person.id) for n in (1, 2))
    db.session.add_all([idle, recent])
    commit()
    aged(idle, "last_seen_at", lifetime + MARGIN)
    aged(recent, "last_seen_at", lifetime - MARGIN)

    assert "Deleted 1 sign-in sessions left unused." in purge(app)
    assert set(db.session.scalars(select(LoginSession.id))) == {"session-2"}


def test_api_tokens_go_30_days_after_they_were_revoked(app, make_user):
    person = make_user()
    tokens = [ApiToken(user_id=person.id, name=name, token_hash=name * 8, prefix="fcs_") for name in "abcd"]
    db.session.add_all(tokens)
    commit()
    old_revoked, recently_revoked, old_live, _ = tokens
    aged(old_revoked, "revoked_at", timedelta(days=30) + MARGIN)
    aged(recently_revoked, "revoked_at", timedelta(days=30) - MARGIN)
    aged(old_live, "created_at", timedelta(days=400))

    assert "Deleted 1 API tokens revoked over 30 days ago." in purge(app)
    assert ids(ApiToken) == {token.id for token in tokens[1:]}


@pytest.fixture
def copies(app, make_user):
    """Copies of one person's data on each side of their limits, each ready copy with a file in storage."""
    person = make_user()
    now = utcnow()

    def copy(status: str, *, requested_days: float, expires_in: timedelta | None = None, token: str | None = None,
             with_file: bool = False) -> DataExport:
        key = storage().save(io.BytesIO(b"PK zip")).key if with_file else None
        export = DataExport(user_id=person.id, status=status, requested_at=now - timedelta(days=requested_days),
                            expires_at=now + expires_in if expires_in is not None else None,
                            token_hash=token, storage_key=key)
        db.session.add(export)
        commit()
        return export

    return {
        "expired": copy("ready", requested_days=8, expires_in=-MARGIN, token="a" * 64, with_file=True),
        "ready": copy("ready", requested_days=6, expires_in=MARGIN, token="b" * 64, with_file=True),
        "stuck": copy("pending", requested_days=7 + 1 / 24 + 0.01),
        "preparing": copy("pending", requested_days=7 - 1 / 24),
        "downloaded": copy("downloaded", requested_days=8, expires_in=-MARGIN, token="c" * 64),
        "failed": copy("failed", requested_days=30),
    }


def test_copies_of_personal_data_expire_with_their_link(app, copies):
    files = {name: copy.storage_key for name, copy in copies.items() if copy.storage_key}

    assert "Expired 2 copies of personal data whose link had expired." in purge(app)

    def now(name: str) -> DataExport:
        return db.session.get(DataExport, copies[name].id)

    db.session.expire_all()
    assert {name: now(name).status for name in copies} == {
        "expired": "expired", "ready": "ready", "stuck": "expired", "preparing": "pending",
        "downloaded": "downloaded", "failed": "failed"}
    # the links' hashes stay, so an old link still answers "expired" rather than "unknown"
    assert [(now(name).token_hash, now(name).storage_key) for name in ("expired", "stuck", "downloaded")] == [
        ("a" * 64, None), (None, None), ("c" * 64, None)]
    assert not storage().path(files["expired"]).exists()
    assert storage().path(files["ready"]).exists()
    assert (now("ready").token_hash, now("ready").storage_key) == ("b" * 64, files["ready"])
    assert "Expired 0 copies" in purge(app)


# --- the outbox -----------------------------------------------------------------------------------------------


def test_outbox_messages_go_90_days_after_sending_or_failing(app):
    def message(subject: str, *, sent: timedelta | None = None, queued: timedelta, attempts: int = 0):
        row = OutboxMessage(recipient="someone@example.org", subject=subject, body="…", attempts=attempts,
                            created_at=utcnow() - queued, sent_at=utcnow() - sent if sent else None,
                            attachments=[OutboxAttachment(filename="event.ics", content_type="text/calendar",
                                                          data=b"BEGIN:VCALENDAR")])
        db.session.add(row)
        commit()
        return row

    limit = timedelta(days=90)
    message("sent long ago", sent=limit + MARGIN, queued=limit + MARGIN)
    message("failing long ago", queued=limit + MARGIN, attempts=3)
    kept = {message("sent recently", sent=limit - MARGIN, queued=limit + MARGIN).id,
            message("failing recently", queued=limit - MARGIN, attempts=3).id,
            message("never tried", queued=limit * 3).id}

    assert "Deleted 2 old outbox messages." in purge(app)
    assert ids(OutboxMessage) == kept
    assert set(db.session.scalars(select(OutboxAttachment.message_id))) == kept


def test_the_outbox_retention_is_a_setting(app_factory):
    app = app_factory(FORUM_OUTBOX_RETENTION_DAYS=7)
    with app.app_context():
        db.session.add(OutboxMessage(recipient="a@example.org", subject="s", body="b",
                                     sent_at=utcnow() - timedelta(days=7) - MARGIN))
        commit()
        assert "Deleted 1 old outbox messages." in purge(app)


# --- event registrations and the access log -------------------------------------------------------------------


def test_event_registrations_past_their_retention_period_are_anonymised(app, organiser, make_event, make_user,
                                                                       register):
    event = make_event(organiser, retention_months=1)
    kept_event = make_event(organiser, retention_months=12)
    gone, kept = register(make_user(), event), register(make_user(), kept_event)
    for held in (event, kept_event):
        held.starts_at = utcnow() - timedelta(days=40)
        held.ends_at = held.starts_at + timedelta(hours=2)
    commit()

    assert "Anonymised 1 registrations of 1 events." in purge(app)
    db.session.expire_all()
    assert db.session.get(Registration, gone.id).email == ""
    assert db.session.get(Registration, kept.id).email != ""


def test_access_log_entries_go_after_730_days(app, make_user):
    reader = make_user(role="admin")
    entries = [AccessEntry(actor_id=reader.id, action="user_list", subject_kind="user", people=3,
                           created_at=utcnow() - age)
               for age in (timedelta(days=730) + MARGIN, timedelta(days=730) - MARGIN)]
    db.session.add_all(entries)
    commit()

    assert "Deleted 1 old access-log entries." in purge(app)
    assert ids(AccessEntry) == {entries[1].id}


def test_the_access_log_retention_is_a_setting(app_factory):
    app = app_factory(FORUM_ACCESS_LOG_RETENTION_DAYS=30)
    with app.app_context():
        db.session.add(AccessEntry(action="user_list", subject_kind="user", people=1,
                                   created_at=utcnow() - timedelta(days=30) - MARGIN))
        commit()
        assert "Deleted 1 old access-log entries." in purge(app)


# --- the command ----------------------------------------------------------------------------------------------


def test_the_command_reports_each_kind_even_when_nothing_is_due(app, make_user):
    make_user()
    assert purge(app).splitlines() == [
        "Deleted 0 accounts never confirmed (and 0 organisations only they had named).",
        "Deleted 0 sign-in sessions left unused.",
        "Deleted 0 API tokens revoked over 30 days ago.",
        "Expired 0 copies of personal data whose link had expired.",
        "Deleted 0 old outbox messages.",
        "Anonymised 0 registrations of 0 events.",
        "Erased 0 registrations of deleted accounts whose event's check-in has closed.",
        "Deleted 0 old access-log entries.",
    ]
