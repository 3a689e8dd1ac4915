"""Telling people of a consultation's course (``forum.notifications``): that it opened (when it is published
already open, or by the hourly ``flask --app forum announce`` once its opening time has passed), that it closes
within 48 hours (by the same command), and that its report is out. The scheduled announcements are made once
each (an ``Announcement`` row per occasion); an extension moves the closing time, which makes the closing
announcement due again. Services flush only; the caller commits.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click
from sqlalchemy import select

from forum.accounts.models import User
from forum.consultations import lifecycle
from forum.consultations.models import Comment, Consultation
from forum.core.db import commit, utcnow
from forum.extensions import db
from forum.notifications import services as notifications
from forum.notifications.models import Announcement

#: how long before its closing time followers and commenters are reminded that a consultation closes
CLOSING_NOTICE = timedelta(hours=48)
#: openings the scheduled command still announces: a command that did not run for days does not send old news
LOOK_BACK = timedelta(hours=48)
SUBJECT = "consultation"


def _occasion(moment: datetime) -> str:
    """The occasion of an announcement tied to a time (to the second, in UTC)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _first_time(kind: str, consultation: Consultation, occasion: str) -> bool:
    """Record that ``kind`` was announced for ``consultation`` on ``occasion``; False when it already was."""
    done = db.session.scalar(select(Announcement.id).where(
        Announcement.kind == kind, Announcement.subject_type == SUBJECT, Announcement.subject_id == consultation.id,
        Announcement.occasion == occasion))
    if done is not None:
        return False
    db.session.add(Announcement(kind=kind, subject_type=SUBJECT, subject_id=consultation.id, occasion=occasion))
    db.session.flush()
    return True


def commenters(consultation: Consultation) -> list[User]:
    """Everyone with a comment or reply on the consultation that they have not withdrawn."""
    authors = select(Comment.author_id).where(Comment.consultation_id == consultation.id,
                                              Comment.deleted_at.is_(None), Comment.author_id.is_not(None))
    return list(db.session.scalars(select(User).where(User.id.in_(authors)).order_by(User.id)))


def _followers(consultation: Consultation) -> list[User]:
    return notifications.followers(SUBJECT, consultation.id)


def opened(consultation: Consultation, actor: User | None = None) -> int | None:
    """Tell the followers of the consultation's platform and of the consultation that it is open (once).
    Returns how many people were told (None: it was announced already)."""
    if not _first_time("consultation_opened", consultation, _occasion(consultation.opens_at)):
        return None
    people = notifications.followers("platform", consultation.platform_id) + _followers(consultation)
    return len(notifications.notify(people, "consultation_opened", subject_type=SUBJECT, subject_id=consultation.id,
                                    actor=actor))


def closing(consultation: Consultation) -> int | None:
    """Tell the consultation's followers and commenters that it closes soon (once per closing time). Returns how
    many people were told (None: it was announced already for this closing time)."""
    if not _first_time("consultation_closing", consultation, _occasion(consultation.closes_at)):
        return None
    people = _followers(consultation) + commenters(consultation)
    return len(notifications.notify(people, "consultation_closing", subject_type=SUBJECT,
                                    subject_id=consultation.id))


def answered(consultation: Consultation, actor: User) -> int:
    """Tell the consultation's followers and commenters that its report is published. Returns how many people
    were told."""
    people = _followers(consultation) + commenters(consultation)
    return len(notifications.notify(people, "consultation_answered", subject_type=SUBJECT,
                                    subject_id=consultation.id, actor=actor))


def announce_due(now: datetime | None = None) -> list[tuple[str, Consultation, int]]:
    """Make the announcements due at ``now``: consultations that opened in the last 48 hours, and open ones
    that close within 48 hours (not those closed early or already closed). Returns (kind, consultation, people
    told) for each announcement made; running it again announces nothing new."""
    now = now or utcnow()
    running = select(Consultation).where(lifecycle.in_phase("open", now)).order_by(Consultation.id)
    made: list[tuple[str, Consultation, int]] = []
    for kind, announcement, due in (("consultation_opened", opened, Consultation.opens_at > now - LOOK_BACK),
                                    ("consultation_closing", closing, Consultation.closes_at <= now + CLOSING_NOTICE)):
        for consultation in list(db.session.scalars(running.where(due))):
            told = announcement(consultation)
            if told is not None:
                made.append((kind, consultation, told))
    return made


@click.command("announce")
def announce() -> None:
    """Announce consultations that opened, and those closing within 48 hours, to the people following them
    (hourly, from cron; safe to run again: each is announced once)."""
    made = announce_due()
    commit()
    for kind, consultation, told in made:
        click.echo(f"{kind}: consultation {consultation.id} ({consultation.title_es or consultation.title_en}), "
                   f"people told: {told}")
    click.echo(f"{len(made)} announcements.")
