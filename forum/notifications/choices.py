"""The vocabularies of notifications: the kinds people are told of, and how each may reach them by e-mail."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class NotificationKind:
    """One kind of notification: what the preferences page calls it and how it is e-mailed by default."""

    label: object
    #: ``immediately``, ``daily`` or ``never``
    default_delivery: str
    #: False when its e-mail is the service's own message (a ticket, a calendar update), always sent: the
    #: preference does not apply and the page says so
    has_preference: bool = True


KINDS = {
    "reply": NotificationKind(_l("Replies to my posts"), "immediately"),
    "mention": NotificationKind(_l("Mentions of me"), "immediately"),
    "thread_post": NotificationKind(_l("New posts in threads I follow"), "daily"),
    "platform_thread": NotificationKind(_l("New threads on platforms I follow"), "daily"),
    "consultation_opened": NotificationKind(_l("Consultations opening on platforms I follow"), "immediately"),
    "consultation_closing": NotificationKind(_l("Consultations I follow closing within 48 hours"), "immediately"),
    "consultation_answered": NotificationKind(_l("Reports of consultations I follow"), "immediately"),
    "comment_answered": NotificationKind(_l("Official answers to my comments"), "immediately"),
    "event_changed": NotificationKind(_l("Changes to events I follow"), "immediately"),
    "waitlist_promoted": NotificationKind(_l("A seat for me from a waiting list"), "immediately",
                                          has_preference=False),
    "moderated": NotificationKind(_l("Moderators' decisions on what I wrote"), "immediately"),
    "flag_outcome": NotificationKind(_l("Outcomes of my flags"), "daily"),
}

DELIVERIES = {
    "immediately": _l("At once"),
    "daily": _l("In a daily summary"),
    "never": _l("Never"),
}

#: what can be followed, besides threads (followed in their own domain)
FOLLOWABLE = ("platform", "consultation", "event")
