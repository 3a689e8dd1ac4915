"""How notifications read, in the reader's language: a sentence made of the kind, who did it and the item's
title, with the item's address. The title and address are asked of the item's search kind when the notification
is shown (nothing of the item is stored with it), and only when the reader may still see the item; otherwise
the notification says, without title or link, that it is no longer available.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from forum.accounts.models import User
from forum.consultations.choices import ANSWER_STATUSES
from forum.extensions import db
from forum.moderation.choices import DECISIONS, REASONS
from forum.notifications import rules
from forum.notifications.choices import ACCOUNT_PAGES, KINDS, MESSAGES, UNSEEN_MESSAGES
from forum.notifications.models import Notification
from forum.search import kinds


@dataclass(frozen=True)
class Shown:
    """One notification as its reader sees it."""

    notification: Notification
    #: the sentence, in the reader's language
    text: str
    #: the item's address on this site (a path), or None when the reader may no longer see it
    url: str | None
    #: where the item lives (a platform's name, the thread or consultation it belongs to)
    context: str = ""
    #: the first sentence alone, without its full stop (an e-mail's subject)
    headline: str = ""

    @property
    def absolute_url(self) -> str | None:
        """The item's full address, for e-mails."""
        return current_app.config["FORUM_BASE_URL"].rstrip("/") + self.url if self.url else None


def _facts(notification: Notification) -> list[str]:
    """What the notification's details add: an answer's status, a moderation decision and its reason, a flag's
    outcome."""
    details, facts = notification.details or {}, []
    if notification.kind == "comment_answered" and details.get("status") in ANSWER_STATUSES:
        facts.append(_("Answer: %(status)s.", status=ANSWER_STATUSES[details["status"]]))
    if notification.kind == "moderated" and details.get("decision") in DECISIONS:
        facts.append(_("Decision: %(decision)s.", decision=DECISIONS[details["decision"]]))
    if notification.kind == "moderated" and details.get("reason") in REASONS:
        facts.append(_("Reason: %(reason)s.", reason=REASONS[details["reason"]]))
    if notification.kind == "flag_outcome" and "upheld" in details:
        facts.append(_("Your flag was upheld.") if details["upheld"] else _("Your flag was dismissed."))
    return facts


def headline(notification: Notification, actor: str | None, title: str) -> str:
    """What a notification of an item the reader may see says first, in the current language."""
    key = notification.kind
    if key == "event_changed" and (notification.details or {}).get("change") == "cancelled":
        key = "event_cancelled"
    return MESSAGES[key] % {"actor": actor or _("Someone"), "title": title}


def unavailable(notification: Notification) -> str:
    """What a notification says first when its reader may no longer see its item (no title, no link): for a
    decision on what they wrote or flagged, that there was one; otherwise that it is no longer available."""
    if notification.kind in UNSEEN_MESSAGES:
        return str(UNSEEN_MESSAGES[notification.kind])
    return _("%(kind)s: this is no longer available to you", kind=KINDS[notification.kind].label)


def _shown(notification: Notification, first: str, url: str | None = None, context: str = "") -> Shown:
    return Shown(notification, " ".join([f"{first}.", *_facts(notification)]), url, context, headline=first)


def show(reader: User, notifications: Sequence[Notification]) -> list[Shown]:
    """``notifications`` of ``reader`` as they read now, in the current language: a constant number of queries
    (per kind of item: which ones the reader may see, and their titles; plus the actors' names). Kinds about the
    reader's own account lead to its page."""
    by_type: dict[str, set[int]] = defaultdict(set)
    for notification in notifications:
        by_type[notification.subject_type].add(notification.subject_id)
    described = {}
    for subject_type, ids in by_type.items():
        visible = rules.visible_subjects(reader, subject_type, ids)
        if visible:
            described.update({(subject_type, subject_id): item for subject_id, item
                              in kinds.get(subject_type).describe(sorted(visible)).items()})
    actor_ids = {n.actor_id for n in notifications if n.actor_id is not None}
    names = dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(actor_ids))).all()) \
        if actor_ids else {}
    shown = []
    for notification in notifications:
        item = described.get((notification.subject_type, notification.subject_id))
        if notification.kind in ACCOUNT_PAGES:
            shown.append(_shown(notification, str(MESSAGES[notification.kind]),
                                url_for(ACCOUNT_PAGES[notification.kind])))
        elif item is None:
            shown.append(_shown(notification, unavailable(notification)))
        else:
            shown.append(_shown(notification, headline(notification, names.get(notification.actor_id), item.title),
                                item.url, item.context))
    return shown


@contextmanager
def in_language_of(reader: User) -> Iterator[None]:
    """Speak ``reader``'s language, with a request context on the site's base address when there is none (as
    on the command line), so that items can name their addresses."""
    if has_request_context():
        with force_locale(reader.locale):
            yield
    else:
        with current_app.test_request_context(base_url=current_app.config["FORUM_BASE_URL"]), \
                force_locale(reader.locale):
            yield
