"""The hourly ``flask --app forum announce``: consultations that opened (scheduled ones, once their time has
passed) and those closing within 48 hours, each announced once, again after an extension moves the closing
time; never for consultations closed early or already closed. "Now" is given to the function."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.consultations import announcements, comments, services
from forum.core.db import commit, utcnow
from forum.extensions import db
from forum.notifications import services as notifications
from forum.notifications.models import Announcement, Notification
from tests.consultations import conftest as consultation_fixtures

#: the consultation tests' fixtures: SEGOB's official Jorge, the Justicia platform, ``make_consultation``
justicia, segob, official = consultation_fixtures.justicia, consultation_fixtures.segob, consultation_fixtures.official
make_consultation = consultation_fixtures.make_consultation


def kinds_told(user) -> list[tuple[str, int]]:
    """(kind, consultation id) of each notification of ``user``, oldest first."""
    db.session.expire_all()
    return [tuple(row) for row in db.session.execute(select(Notification.kind, Notification.subject_id).where(
        Notification.user_id == user.id).order_by(Notification.id))]


def announce(now) -> list[tuple[str, int, int]]:
    """Run the announcements at ``now`` and commit; (kind, consultation id, people told) of each one made."""
    made = [(kind, consultation.id, told) for kind, consultation, told in announcements.announce_due(now)]
    commit()
    return made


@pytest.fixture
def people(make_user, justicia):
    """Ana follows the Justicia platform; Ben will follow a consultation; Carla will comment."""
    ana, ben, carla = make_user("ana@example.org"), make_user("ben@example.org"), make_user("carla@example.org")
    notifications.follow(ana, "platform", justicia.id)
    commit()
    return ana, ben, carla


def test_a_scheduled_consultation_is_announced_once_when_it_opens(official, make_consultation, people):
    ana, _ben, _carla = people
    opens = utcnow() + timedelta(hours=5)
    consultation = make_consultation(official, opens_at=opens)
    assert announce(opens - timedelta(minutes=1)) == []
    assert announce(opens + timedelta(minutes=30)) == [("consultation_opened", consultation.id, 1)]
    assert announce(opens + timedelta(minutes=90)) == []
    assert kinds_told(ana) == [("consultation_opened", consultation.id)]
    assert db.session.scalar(select(func.count()).select_from(Announcement)) == 1


def test_an_open_consultation_published_and_announced_at_once_is_not_announced_again(official, make_consultation,
                                                                                      people):
    ana, _ben, _carla = people
    consultation = make_consultation(official)
    assert kinds_told(ana) == [("consultation_opened", consultation.id)]
    assert announce(utcnow()) == []
    assert kinds_told(ana) == [("consultation_opened", consultation.id)]


def test_old_openings_are_not_announced(official, make_consultation, people):
    """A consultation that opened days ago while the command did not run is not news any more."""
    ana, _ben, _carla = people
    opens = utcnow() + timedelta(hours=1)
    make_consultation(official, opens_at=opens)
    assert announce(opens + timedelta(days=3)) == []
    assert kinds_told(ana) == []


def test_closing_within_48_hours_is_announced_to_followers_and_commenters_once(official, make_consultation,
                                                                                people, make_user):
    ana, ben, carla = people
    closes = utcnow() + timedelta(days=5)
    consultation = make_consultation(official, closes_at=closes)
    notifications.follow(ben, "consultation", consultation.id)
    comments.comment(carla, consultation, body="Falta la Huasteca.", kind="concern")
    notifications.unfollow(carla, "consultation", consultation.id)  # commenters are reminded all the same
    commit()
    assert announce(closes - timedelta(hours=49)) == []
    assert announce(closes - timedelta(hours=47)) == [("consultation_closing", consultation.id, 2)]
    assert announce(closes - timedelta(hours=46)) == []
    assert announce(closes - timedelta(hours=1)) == []
    for person in (ben, carla):
        assert ("consultation_closing", consultation.id) in kinds_told(person)
    assert ("consultation_closing", consultation.id) not in kinds_told(ana)  # the platform's followers are not


def test_an_extension_makes_the_closing_announcement_due_again(official, make_consultation, people):
    _ana, ben, _carla = people
    closes = utcnow() + timedelta(hours=30)
    consultation = make_consultation(official, closes_at=closes)
    notifications.follow(ben, "consultation", consultation.id)
    commit()
    now = utcnow()
    assert announce(now) == [("consultation_closing", consultation.id, 1)]
    later = closes + timedelta(days=3)
    services.extend(official, consultation, later)
    commit()
    assert announce(now) == []  # more than 48 hours left now
    assert announce(later - timedelta(hours=10)) == [("consultation_closing", consultation.id, 1)]
    assert announce(later - timedelta(hours=9)) == []
    assert [kind for kind, _id in kinds_told(ben)] == ["consultation_closing", "consultation_closing"]


def test_closed_early_or_already_closed_consultations_are_not_announced(official, make_consultation, people):
    _ana, ben, _carla = people
    closes = utcnow() + timedelta(hours=30)
    early = make_consultation(official, closes_at=closes)
    notifications.follow(ben, "consultation", early.id)
    services.close_early(official, early)
    commit()
    assert announce(utcnow()) == []
    assert announce(closes + timedelta(hours=1)) == []
    assert kinds_told(ben) == []


def test_the_command_prints_what_it_announced_and_is_safe_to_run_again(app, official, make_consultation, people,
                                                                        outbox):
    """From cron (no request): the announcement is made and e-mailed with the consultation's address."""
    ana, _ben, _carla = people
    consultation = make_consultation(official, closes_at=utcnow() + timedelta(hours=20))
    notifications.follow(ana, "consultation", consultation.id)
    commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["announce"])
    assert first.exit_code == 0, first.output
    assert f"consultation_closing: consultation {consultation.id} (Protocolo de intérpretes), people told: 1" \
        in first.output and "1 announcements." in first.output
    second = runner.invoke(args=["announce"])
    assert second.exit_code == 0 and "0 announcements." in second.output
    assert [kind for kind, _id in kinds_told(ana)] == ["consultation_opened", "consultation_closing"]
    closing = outbox(ana.email)[-1]
    assert "Protocolo de intérpretes" in closing.subject and f"/consultations/{consultation.id}" in outbox.link(closing)
