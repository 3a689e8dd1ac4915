"""The vocabularies of the indicators: the dashboard's sections, the groups measured against a target, and the
ways of taking part that are counted."""

from flask_babel import lazy_gettext as _l

#: the dashboard's sections, in order (each table names its own)
SECTIONS = {
    "participants": _l("Who takes part"),
    "shares": _l("Women and young people"),
    "consultations": _l("Consultations"),
    "events": _l("Events"),
    "moderation": _l("Moderation"),
    "translation": _l("Translation"),
}

#: the groups whose share of participants is measured against a target, with the target used until an
#: administrator sets one (per cent)
MEASURES = {
    "women": _l("Women"),
    "young": _l("People under 30"),
}
DEFAULT_TARGETS = {"women": 50, "young": 30}

#: the ways of taking part counted in the shares, in order
ACTIVITIES = {
    "posters": _l("Posters"),
    "commenters": _l("Commenters on consultations"),
    "registrants": _l("Registrants for events"),
    "attendees": _l("Attendees of events"),
}

#: the levels of the dashboard
LEVELS = {
    "public": _l("Public indicators"),
    "full": _l("Full indicators"),
}
