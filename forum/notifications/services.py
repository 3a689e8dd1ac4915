"""Every change to notifications: telling people (:func:`notify`), following and unfollowing, reading, and the
e-mail preferences. Services check permissions and input, write and flush; the caller commits once, and the
new unread counts go out live after the commit.

Other domains tell people through :func:`notify` and find who follows their items with :func:`followers`.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import insert, select, update

from forum.accounts.models import User
from forum.core.db import utcnow
from forum.core.errors import ActionRefused
from forum.extensions import db
from forum.notifications import live, mailing, rules
from forum.notifications.choices import ACCOUNT_PAGES, DELIVERIES, FOLLOWABLE, KINDS
from forum.notifications.models import EmailPreference, Follow, Notification
from forum.search import kinds


def _not_found() -> ActionRefused:
    return ActionRefused(_("Not found."), status=404, code="not_found")


# --- telling people ---------------------------------------------------------------------------------------


def notify(recipients: Iterable[User], kind: str, *, subject_type: str, subject_id: int, actor: User | None = None,
           details: dict | None = None, by_email: bool = True) -> list[Notification]:
    """Tell each recipient (once; never the actor; only those who may see the subject, asked of the subject's
    search kind ``findable``, except for kinds about the recipient's own account, ``ACCOUNT_PAGES``): adds
    Notification rows (flush only), e-mails at once / queues for the digest / not, by the person's preference for
    ``kind`` (``by_email=False``: in-app only, e.g. when a service message such as a ticket already went out), and
    after commit publishes the new unread count on ``user:<id>``."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if kind not in ACCOUNT_PAGES and kinds.get(subject_type) is None:
        raise ValueError(f"{subject_type!r} is not a registered search kind")
    people: dict[int, User] = {}
    for person in recipients:
        if person is not None and (actor is None or person.id != actor.id):
            people.setdefault(person.id, person)
    seen_by_all = kind in ACCOUNT_PAGES or KINDS[kind].told_when_unseen  # one's own account, or told regardless
    if not seen_by_all and subject_id not in rules.visible_subjects(None, subject_type, [subject_id]):
        # what a visitor may see, everyone may (the rules only add to a visitor's view): one check for a public
        # item; anything else is asked person by person
        people = {pid: person for pid, person in people.items()
                  if subject_id in rules.visible_subjects(person, subject_type, [subject_id])}
    if not people:
        return []
    chosen = deliveries_of(list(people), kind)
    emailed = by_email and KINDS[kind].has_preference
    now = utcnow()
    rows = []
    for person in people.values():
        delivery = chosen[person.id] if emailed and rules.may_email(person) else "never"
        rows.append({"user_id": person.id, "kind": kind, "actor_id": actor.id if actor else None,
                     "subject_type": subject_type, "subject_id": subject_id, "details": details or {},
                     "created_at": now,
                     "email_status": {"immediately": "sent", "daily": "queued"}.get(delivery, "none")})
    db.session.execute(insert(Notification), rows)  # one statement for everyone, then read back at once
    notifications = db.session.scalars(select(Notification).where(
        Notification.user_id.in_(list(people)), Notification.kind == kind, Notification.created_at == now,
        Notification.subject_type == subject_type, Notification.subject_id == subject_id)
        .order_by(Notification.id)).all()
    mailing.send_now([(n, people[n.user_id]) for n in notifications if n.email_status == "sent"])
    live.unread_changed(list(people))
    return notifications


def deliveries_of(user_ids: list[int], kind: str) -> dict[int, str]:
    """How each of ``user_ids`` wants ``kind`` by e-mail (their choice, or the kind's default): one query."""
    chosen = dict(db.session.execute(select(EmailPreference.user_id, EmailPreference.delivery).where(
        EmailPreference.kind == kind, EmailPreference.user_id.in_(user_ids))).all()) if user_ids else {}
    return {user_id: chosen.get(user_id, KINDS[kind].default_delivery) for user_id in user_ids}


# --- following --------------------------------------------------------------------------------------------


def followers(target_type: str, target_id: int) -> list[User]:
    """People following a platform, consultation or event (Follow rows)."""
    return list(db.session.scalars(select(User).join(Follow, Follow.user_id == User.id).where(
        Follow.target_type == target_type, Follow.target_id == target_id).order_by(User.id)))


def _follow_row(user: User, target_type: str, target_id: int) -> Follow | None:
    return db.session.scalar(select(Follow).where(
        Follow.user_id == user.id, Follow.target_type == target_type, Follow.target_id == target_id))


def follow(user: User, target_type: str, target_id: int) -> Follow:
    """Follow a platform, consultation or event ``user`` may see (404 otherwise, as for one that does not
    exist); following twice changes nothing."""
    if target_type not in FOLLOWABLE or rules.followable_target(user, target_type, target_id) is None:
        raise _not_found()
    row = _follow_row(user, target_type, target_id)
    if row is None:
        row = Follow(user_id=user.id, target_type=target_type, target_id=target_id)
        db.session.add(row)
        db.session.flush()
    return row


def unfollow(user: User, target_type: str, target_id: int) -> None:
    """Stop following (also what one may no longer see); 404 for what one neither follows nor may see."""
    row = _follow_row(user, target_type, target_id)
    if row is None:
        if target_type not in FOLLOWABLE or rules.followable_target(user, target_type, target_id) is None:
            raise _not_found()
        return
    db.session.delete(row)
    db.session.flush()


def is_following(user: User | None, target_type: str, target_id: int) -> bool:
    """Whether ``user`` (a visitor: never) follows the platform, consultation or event."""
    if not getattr(user, "is_authenticated", False):
        return False
    return _follow_row(user, target_type, target_id) is not None


# --- reading ----------------------------------------------------------------------------------------------


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    """Mark ``user``'s notifications ``ids`` (None: all of them) as read; others' ids are ignored. Returns how
    many changed; the new unread count goes out live after the commit."""
    query = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if ids is not None:
        query = query.where(Notification.id.in_(list(ids)))
    changed = db.session.execute(query.values(read_at=utcnow()).execution_options(synchronize_session=False))
    db.session.flush()
    if changed.rowcount:
        live.unread_changed([user.id])
    return changed.rowcount


# --- e-mail preferences -----------------------------------------------------------------------------------


def set_delivery(user: User, kind: str, delivery: str) -> None:
    """Choose how ``kind`` reaches ``user`` by e-mail (``immediately``, ``daily`` or ``never``)."""
    if kind not in KINDS or not KINDS[kind].has_preference or delivery not in DELIVERIES:
        raise ActionRefused(_("Please choose one of the options offered."), field=kind)
    row = db.session.scalar(select(EmailPreference).where(EmailPreference.user_id == user.id,
                                                          EmailPreference.kind == kind))
    if row is None:
        db.session.add(EmailPreference(user_id=user.id, kind=kind, delivery=delivery))
    else:
        row.delivery = delivery
    db.session.flush()


def unsubscribe(token: str) -> tuple[User, str]:
    """Follow an unsubscribe link: its kind (or, for a digest's link, every kind now sent daily) is no longer
    e-mailed. Returns the person and what the link named (a kind or ``digest``). Raises ``ActionRefused``
    (400, or 410 when expired) for a bad link."""
    user, subject = mailing.read_unsubscribe_token(token)
    if subject == "digest":
        chosen = deliveries_for(user)
        stopped = [kind for kind, delivery in chosen.items() if delivery == "daily"]
    else:
        stopped = [subject]
    for kind in stopped:
        set_delivery(user, kind, "never")
    # what was waiting for the digest now goes nowhere by e-mail
    db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.email_status == "queued", Notification.kind.in_(stopped))
        .values(email_status="none").execution_options(synchronize_session=False))
    db.session.flush()
    return user, subject


def deliveries_for(user: User) -> dict[str, str]:
    """How each kind with a preference reaches ``user`` by e-mail (their choices over the defaults)."""
    chosen = dict(db.session.execute(select(EmailPreference.kind, EmailPreference.delivery).where(
        EmailPreference.user_id == user.id)).all())
    return {kind: chosen.get(kind, spec.default_delivery) for kind, spec in KINDS.items() if spec.has_preference}
