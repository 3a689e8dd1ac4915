"""The daily summary: each person whose notifications wait for it gets one e-mail in their language listing
them by kind (with titles only of what they may still see), and they are marked sent, so a second run sends
nothing new. Run ``flask --app forum send-digests`` once a day (e.g. from cron)."""

from __future__ import annotations

from itertools import groupby

import click
from sqlalchemy import select, update

from forum.accounts.models import User
from forum.core.db import commit
from forum.core.mail import external_url, queue_mail
from forum.extensions import db
from forum.notifications import mailing, rules
from forum.notifications.choices import KINDS
from forum.notifications.models import Notification
from forum.notifications.services import deliveries_for
from forum.notifications.wording import in_language_of, show


def send_digests() -> int:
    """Queue one summary e-mail per person with queued notifications and mark those sent; notifications of
    people who may no longer be e-mailed, or who since chose "never" for their kind, go nowhere. Returns how
    many e-mails were queued. The caller commits."""
    queued = db.session.scalars(select(Notification).where(Notification.email_status == "queued")
                                .order_by(Notification.user_id, Notification.id)).all()
    people = {user.id: user for user in db.session.scalars(
        select(User).where(User.id.in_({n.user_id for n in queued})))} if queued else {}
    sent = 0
    for user_id, group in groupby(queued, key=lambda n: n.user_id):
        person, notifications = people[user_id], list(group)
        wanted = deliveries_for(person)
        kept = [n for n in notifications if wanted.get(n.kind, "never") != "never"] if rules.may_email(person) else []
        if kept:
            _send(person, kept)
            sent += 1
        _mark(kept, "sent")
        _mark([n for n in notifications if n not in kept], "none")
    db.session.flush()
    return sent


def _send(person: User, notifications: list[Notification]) -> None:
    with in_language_of(person):
        shown = show(person, notifications)
        order = list(KINDS)
        shown.sort(key=lambda item: (order.index(item.notification.kind), item.notification.id))
        sections = [(KINDS[kind].label, list(items))
                    for kind, items in groupby(shown, key=lambda item: item.notification.kind)]
        link = mailing.unsubscribe_url(person, mailing.DIGEST)
        queue_mail(person.email, "notification_digest", person.locale,
                   unsubscribe_url=link, unsubscribe_link=link, person=person, sections=sections,
                   count=len(shown), centre_url=external_url("notifications.centre"),
                   preferences_url=external_url("notifications.preferences"))


def _mark(notifications: list[Notification], status: str) -> None:
    if notifications:
        db.session.execute(update(Notification).where(Notification.id.in_([n.id for n in notifications]))
                           .values(email_status=status).execution_options(synchronize_session=False))


@click.command("send-digests")
def send_digests_command() -> None:
    """E-mail each person their daily summary of notifications (run once a day); prints how many e-mails."""
    sent = send_digests()
    commit()
    click.echo(f"Daily summaries queued: {sent}.")
