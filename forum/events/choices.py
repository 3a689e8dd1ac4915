"""The fixed vocabularies of events: code stored in the database → translated label."""

from flask_babel import lazy_gettext as _l

EVENT_TYPES = {
    "dialogue": _l("Dialogue"),
    "forum": _l("Forum"),
    "workshop": _l("Workshop"),
    "webinar": _l("Webinar"),
    "other": _l("Other"),
}

#: how people take part: worked out from the venue and the online link
MODES = {
    "in_person": _l("In person"),
    "online": _l("Online"),
    "hybrid": _l("In person and online"),
}

ACCESS_LEVELS = {
    "public": _l("Public: anyone sees it and signed-in people register"),
    "members": _l("Members of its platforms only"),
}

APPROVAL = {
    "automatic": _l("Automatic: seats are given in order of registration"),
    "organiser": _l("By the organisers: they accept or decline each registration"),
}

STATUSES = {
    "draft": _l("Draft"),
    "published": _l("Published"),
    "cancelled": _l("Cancelled"),
}

REGISTRATION_STATUSES = {
    "pending": _l("Awaiting the organisers' approval"),
    "confirmed": _l("Confirmed"),
    "waitlisted": _l("On the waiting list"),
    "declined": _l("Declined by the organisers"),
    "cancelled": _l("Cancelled"),
}

QUESTION_TYPES = {
    "short_text": _l("Short text"),
    "long_text": _l("Long text"),
    "single_choice": _l("Single choice"),
    "multiple_choice": _l("Multiple choice"),
    "yes_no": _l("Yes or no"),
}
#: question types that offer options
CHOICE_TYPES = frozenset({"single_choice", "multiple_choice"})

#: the lists of the event listing
WHEN = {
    "upcoming": _l("Upcoming"),
    "past": _l("Past"),
}

#: who receives an organiser's message
AUDIENCES = {
    "confirmed": _l("Confirmed attendees"),
    "waitlisted": _l("People on the waiting list"),
    "active": _l("Everyone registered (confirmed, waiting list and awaiting approval)"),
}
