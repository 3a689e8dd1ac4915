"""What consultations tell people: the opening (to followers of its platform and of the consultation, at
publishing when it is already open), official answers to a comment (to its author, by e-mail as they chose), the
report (to followers and commenters); commenting makes one follow; the follow buttons of consultations and
platforms."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.consultations import comments, report, services
from forum.core.db import commit, utcnow
from forum.extensions import db
from forum.notifications import services as notifications
from forum.notifications.models import Notification
from forum.platforms import services as platforms
from tests.conftest import browser
from tests.consultations import conftest as consultation_fixtures

#: the consultation tests' fixtures: SEGOB's official Jorge, the Justicia platform, ``make_consultation``
justicia, segob, official = consultation_fixtures.justicia, consultation_fixtures.segob, consultation_fixtures.official
make_consultation = consultation_fixtures.make_consultation


def of(kind: str, user) -> list[Notification]:
    """``user``'s notifications of ``kind``, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id,
                                                              Notification.kind == kind).order_by(Notification.id)))


@pytest.fixture
def ana(make_user):
    return make_user("ana@example.org", display_name="Ana")


@pytest.fixture
def ben(make_user):
    return make_user("ben@example.org", display_name="Ben", locale="en")


def test_publishing_an_open_consultation_tells_the_platforms_followers(official, justicia, make_consultation, ana,
                                                                       ben, make_user):
    """Followers of Justicia are told once, as soon as it is published open; the official who published it and
    people who follow nothing are not."""
    for person in (ana, ben, official):
        notifications.follow(person, "platform", justicia.id)
    bystander = make_user()
    commit()
    consultation = make_consultation(official)
    for person in (ana, ben):
        [told] = of("consultation_opened", person)
        assert (told.subject_type, told.subject_id, told.actor_id) == ("consultation", consultation.id, official.id)
    assert of("consultation_opened", official) == of("consultation_opened", bystander) == []


def test_a_draft_tells_nobody_and_a_scheduled_one_waits_for_the_announcements(official, justicia,
                                                                              make_consultation, ana):
    notifications.follow(ana, "platform", justicia.id)
    commit()
    draft = make_consultation(official, publish=False)
    scheduled = make_consultation(official, opens_at=utcnow() + timedelta(hours=2))
    assert of("consultation_opened", ana) == []
    services.publish(official, draft)
    commit()
    assert [n.subject_id for n in of("consultation_opened", ana)] == [draft.id]
    assert scheduled.id not in [n.subject_id for n in of("consultation_opened", ana)]


def test_followers_of_a_members_only_platform_who_left_are_not_told(official, make_platform, make_consultation,
                                                                    ana, ben):
    """Ben followed a members-only platform, then left it: he may no longer see its consultations, so he hears
    nothing of them; Ana, still a member, is told."""
    closed = make_platform(slug="genero", visibility="members", members=[ana, ben, official])
    for person in (ana, ben):
        notifications.follow(person, "platform", closed.id)
    commit()
    platforms.leave(ben, closed)
    commit()
    consultation = make_consultation(official, platform=closed.slug)
    assert [n.subject_id for n in of("consultation_opened", ana)] == [consultation.id]
    assert of("consultation_opened", ben) == []


def test_commenting_makes_one_follow_the_consultation(official, make_consultation, ana):
    consultation = make_consultation(official)
    comments.comment(ana, consultation, body="Falta la Huasteca.", kind="concern")
    commit()
    assert notifications.is_following(ana, "consultation", consultation.id)
    notifications.unfollow(ana, "consultation", consultation.id)
    commit()
    comments.comment(ana, consultation, body="Y la Mixteca.", kind="concern")  # commenting again follows again
    commit()
    assert notifications.is_following(ana, "consultation", consultation.id)


def test_the_commenter_is_notified_of_each_answer_and_emailed_as_they_chose(official, make_consultation, ben,
                                                                            outbox):
    """Ben's comment is answered: he is notified (about the comment, by the official, with the status) and
    e-mailed at once, as by default; a new explanation with the same status tells nothing new; a new status
    does."""
    consultation = make_consultation(official)
    item = comments.comment(ben, consultation, body="Please add the Huasteca.", kind="proposal", paragraph=3)
    comments.answer(official, item, status="partly_accepted", explanation_en="Partly: regional offices.")
    commit()
    [told] = of("comment_answered", ben)
    assert (told.subject_type, told.subject_id, told.actor_id, told.details, told.email_status) == (
        "comment", item.id, official.id, {"status": "partly_accepted"}, "sent")
    [message] = outbox("ben@example.org")
    assert "Jorge Ramírez" in message.subject and "Interpreters' protocol" in message.subject
    assert f"/consultations/{consultation.id}" in outbox.link(message)
    comments.answer(official, item, status="partly_accepted", explanation_en="Partly, with an annex.")
    commit()
    assert len(of("comment_answered", ben)) == 1 and len(outbox("ben@example.org")) == 1
    comments.answer(official, item, status="accepted", explanation_en="Accepted in full.")
    commit()
    assert [n.details["status"] for n in of("comment_answered", ben)] == ["partly_accepted", "accepted"]
    assert len(outbox("ben@example.org")) == 2


def test_no_email_for_answers_when_the_commenter_chose_never(official, make_consultation, ben, outbox):
    consultation = make_consultation(official)
    notifications.set_delivery(ben, "comment_answered", "never")
    item = comments.comment(ben, consultation, body="Please add the Huasteca.", kind="concern")
    comments.answer(official, item, status="not_accepted", explanation_en="Out of scope.")
    commit()
    [told] = of("comment_answered", ben)
    assert told.email_status == "none" and outbox("ben@example.org") == []


def test_the_report_tells_followers_and_commenters_but_not_the_official(official, make_consultation, ana, ben,
                                                                        make_user):
    consultation = make_consultation(official, opens_at=utcnow() - timedelta(days=3))
    comments.comment(ana, consultation, body="Falta la Huasteca.", kind="concern")
    notifications.unfollow(ana, "consultation", consultation.id)  # a commenter is told even after unfollowing
    notifications.follow(ben, "consultation", consultation.id)
    notifications.follow(official, "consultation", consultation.id)
    commit()
    services.close_early(official, consultation)
    report.publish_report(official, consultation, summary_es="Gracias.")
    commit()
    for person in (ana, ben):
        assert [(n.subject_type, n.subject_id) for n in of("consultation_answered", person)] == [
            ("consultation", consultation.id)]
    assert of("consultation_answered", official) == []


def test_the_follow_button_on_the_consultation_page_works_without_script(app, official, make_consultation, ben):
    consultation = make_consultation(official)
    page = app.test_client().get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert f"/follow/consultation/{consultation.id}" not in page  # visitors see no button
    client = browser(app, "ben@example.org", "en")
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert f'action="/follow/consultation/{consultation.id}"' in page and ">Follow</button>" in page
    response = client.post(f"/follow/consultation/{consultation.id}",
                        data={"follow": "1", "next": f"/consultations/{consultation.id}"}, follow_redirects=True)
    assert response.status_code == 200 and "Stop following" in response.get_data(as_text=True)
    assert notifications.is_following(ben, "consultation", consultation.id)


def test_the_follow_button_on_the_platform_page_works_without_script(app, justicia, make_platform, ben):
    """Signed-in readers follow a platform from its page (and so hear of its consultations); visitors and
    outsiders of a members-only platform see no button."""
    assert f"/follow/platform/{justicia.id}" not in app.test_client().get("/p/justicia").get_data(as_text=True)
    client = browser(app, "ben@example.org", "en")
    page = client.get("/p/justicia").get_data(as_text=True)
    assert f'action="/follow/platform/{justicia.id}"' in page and ">Follow</button>" in page
    response = client.post(f"/follow/platform/{justicia.id}", data={"follow": "1", "next": "/p/justicia"},
                           follow_redirects=True)
    assert response.status_code == 200 and "Stop following" in response.get_data(as_text=True)
    assert notifications.is_following(ben, "platform", justicia.id)
    closed = make_platform(slug="genero", visibility="members")
    assert f"/follow/platform/{closed.id}" not in client.get("/p/genero").get_data(as_text=True)
