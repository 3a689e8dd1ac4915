"""Reading notifications and follows: a person's notifications page by page, and what they follow."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import Select, select

from forum.accounts.models import User
from forum.extensions import db
from forum.i18n import localized
from forum.notifications import rules
from forum.notifications.models import Follow, Notification
from forum.threads import rules as thread_rules
from forum.threads.models import Thread, ThreadReader

#: notifications per page of the centre and of the API (by default)
PER_PAGE = 20


def notifications_of(user: User) -> Select:
    """``user``'s notifications, newest first."""
    return select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc())


@dataclass(frozen=True)
class Followed:
    """Something a person follows, as the preferences page lists it."""

    target_type: str
    target_id: int
    title: str
    language: str
    #: None when the person may no longer see it (the page then names nothing)
    url: str | None


def followed(user: User) -> list[Followed]:
    """What ``user`` follows: platforms, consultations and events (named in the reader's language, or not at
    all when they may no longer see them) and threads they may still read."""
    targets: dict[str, list[int]] = {}
    for target_type, target_id in db.session.execute(select(Follow.target_type, Follow.target_id).where(
            Follow.user_id == user.id).order_by(Follow.id)).all():
        targets.setdefault(target_type, []).append(target_id)
    items: list[Followed] = []
    addresses = {"platform": lambda p: url_for("threads.platform", slug=p.slug),
                 "consultation": lambda c: url_for("consultations.show", consultation_id=c.id),
                 "event": lambda e: url_for("events.show", event_id=e.id)}
    for target_type, (model, may_see) in rules.targets().items():
        if not targets.get(target_type):
            continue
        for target in db.session.scalars(select(model).where(model.id.in_(targets[target_type]))):
            if may_see(user, target):
                title, language, _fallback = localized(target, "name" if target_type == "platform" else "title")
                items.append(Followed(target_type, target.id, title, language, addresses[target_type](target)))
            else:  # followed when it could be seen: it may be left, without saying what it is
                items.append(Followed(target_type, target.id, "", "", None))
    threads = db.session.scalars(select(Thread).join(ThreadReader, ThreadReader.thread_id == Thread.id).where(
        ThreadReader.user_id == user.id, ThreadReader.following.is_(True), thread_rules.readable_threads(user))
        .order_by(Thread.title))
    items.extend(Followed("thread", t.id, t.title, t.language, url_for("threads.show", thread_id=t.id))
                 for t in threads)
    return items
