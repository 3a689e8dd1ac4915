"""What the privacy notice and the accessibility statement say that can change: their versions and dates, who
is responsible for the forum and how to reach them (set by whoever runs it), and how long each kind of personal
data is kept (the periods the retention jobs apply)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l

#: the version of the privacy notice in force; each account records the version its owner accepted
VERSION = "2026-11-24"
#: when that version of the privacy notice was published
PUBLISHED = date(2026, 11, 24)
#: when the accessibility statement was last reviewed against the checks of ``docs/accessibility.md``
ACCESSIBILITY_REVIEWED = date(2026, 11, 24)

#: working days within which an accessibility report is answered
ACCESSIBILITY_REPLY_DAYS = 10
#: working days within which a request to exercise the ARCO rights is answered (as the law provides)
ARCO_REPLY_DAYS = 20

#: what the pages show while these settings are not given
_UNSET = {
    "FORUM_CONTROLLER_NAME": _l("[Name of the organisation responsible for the forum]"),
    "FORUM_CONTROLLER_ADDRESS": _l("[Postal address of the organisation responsible for the forum]"),
    "FORUM_PRIVACY_EMAIL": "privacidad@foro.example",
    "FORUM_ACCESSIBILITY_EMAIL": "accesibilidad@foro.example",
}


@dataclass(frozen=True)
class Contacts:
    """Who answers for the forum: the data controller and the addresses that receive requests."""

    controller: str
    address: str
    privacy_email: str
    accessibility_email: str


def contacts() -> Contacts:
    """The controller's name and address and the contact addresses, as configured (placeholders otherwise)."""
    value = {name: str(current_app.config.get(name) or unset) for name, unset in _UNSET.items()}
    return Contacts(controller=value["FORUM_CONTROLLER_NAME"], address=value["FORUM_CONTROLLER_ADDRESS"],
                    privacy_email=value["FORUM_PRIVACY_EMAIL"],
                    accessibility_email=value["FORUM_ACCESSIBILITY_EMAIL"])


@dataclass(frozen=True)
class Retention:
    """How long personal data is kept, as ``forum.personal_data.retention`` and the events' own retention apply it."""

    registration_months: int
    unconfirmed_account_days: int
    session_days: int
    outbox_days: int
    access_log_days: int


def retention() -> Retention:
    """The retention periods in force on this site."""
    from forum.events.services import DEFAULT_RETENTION_MONTHS  # here: the account pages import this module

    config = current_app.config
    return Retention(registration_months=DEFAULT_RETENTION_MONTHS,
                     unconfirmed_account_days=config["FORUM_UNCONFIRMED_ACCOUNT_DAYS"],
                     session_days=config["REMEMBER_COOKIE_DURATION"].days,
                     outbox_days=config["FORUM_OUTBOX_RETENTION_DAYS"],
                     access_log_days=config["FORUM_ACCESS_LOG_RETENTION_DAYS"])


#: what is known not to meet the target, or not to have been checked (``docs/accessibility.md``), said for the reader
KNOWN_BARRIERS = (
    _l("Documents that people upload to the libraries (PDF, word-processor and other files) are published as they "
       "are given: the forum does not check whether they are accessible. Ask the person who published one, or us, "
       "for an accessible version."),
    _l("The forum is checked automatically, with the keyboard alone and at large text sizes, but it has not yet "
       "been reviewed by people who use screen readers or other assistive technologies every day: their reports "
       "are especially welcome."),
)
