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
    #: True when the person is told even if they may no longer see the item (a decision on what they wrote, the
    #: outcome of their flag): the message then names nothing of the item
    told_when_unseen: bool = False


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
    "moderated": NotificationKind(_l("Moderators' decisions on what I wrote"), "immediately",
                                  told_when_unseen=True),
    "flag_outcome": NotificationKind(_l("Outcomes of my flags"), "daily", told_when_unseen=True),
    "data_export_ready": NotificationKind(_l("A copy of my data ready to download"), "immediately",
                                          has_preference=False, told_when_unseen=True),
}

DELIVERIES = {
    "immediately": _l("At once"),
    "daily": _l("In a daily summary"),
    "never": _l("Never"),
}

#: what can be followed, besides threads (followed in their own domain)
FOLLOWABLE = ("platform", "consultation", "event")

#: what the notification centre, the e-mails and the digest say, by kind: ``%(actor)s`` is who did it (or
#: "Someone"), ``%(title)s`` the item's title (said only to people who may still see the item)
MESSAGES = {
    "reply": _l("%(actor)s replied to your post in “%(title)s”"),
    "mention": _l("%(actor)s mentioned you in “%(title)s”"),
    "thread_post": _l("%(actor)s wrote in “%(title)s”"),
    "platform_thread": _l("%(actor)s started the thread “%(title)s”"),
    "consultation_opened": _l("The consultation “%(title)s” is open for comments"),
    "consultation_closing": _l("The consultation “%(title)s” closes within 48 hours"),
    "consultation_answered": _l("The report of the consultation “%(title)s” is published"),
    "comment_answered": _l("%(actor)s answered your comment on “%(title)s”"),
    "event_changed": _l("The time, place or link of the event “%(title)s” has changed"),
    "event_cancelled": _l("The event “%(title)s” was cancelled"),
    "waitlist_promoted": _l("You have a seat at “%(title)s”"),
    "moderated": _l("The moderators decided on what you wrote in “%(title)s”"),
    "flag_outcome": _l("The moderators decided on your flag about “%(title)s”"),
    "data_export_ready": _l("The copy of your data is ready: the download link is in your e-mail"),
}

#: kinds about the reader's own account rather than an item, and the page of the account each leads to
ACCOUNT_PAGES = {
    "data_export_ready": "personal_data.export",
}

#: what a notification says when its reader may no longer see its item, for kinds told even then
UNSEEN_MESSAGES = {
    "moderated": _l("The moderators decided on something you wrote"),
    "flag_outcome": _l("The moderators decided on something you flagged"),
}
