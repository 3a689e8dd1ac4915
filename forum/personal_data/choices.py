"""The vocabularies of the personal-data domain."""

from flask_babel import lazy_gettext as _l

#: the course of a copy of one's data
EXPORT_STATUSES = {
    "pending": _l("Being prepared"),
    "ready": _l("Ready to download"),
    "downloaded": _l("Downloaded"),
    "expired": _l("Expired"),
    "failed": _l("Could not be prepared"),
}

#: the reads of other people's personal data that are logged
ACCESS_ACTIONS = {
    "attendee_list": _l("Viewed the attendee list of an event"),
    "attendee_export": _l("Downloaded the attendee list of an event"),
    "check_in_list": _l("Opened the check-in list of an event"),
    "user_list": _l("Viewed the list of accounts"),
    "user_account": _l("Viewed an account's details"),
    "membership_requests": _l("Viewed the requests to join organisations"),
}

#: what an entry of the access log can be about (an entry without an id is about a list of them)
ACCESS_SUBJECTS = {
    "event": _l("Event"),
    "user": _l("Account"),
}
