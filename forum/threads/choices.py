"""The fixed vocabularies of threads: code stored in the database → translated label."""

from flask_babel import lazy_gettext as _l

KINDS = {
    "discussion": _l("Discussion"),
    "question": _l("Question"),
    "announcement": _l("Announcement"),
}

#: how a thread list can be ordered
SORTS = {
    "activity": _l("Latest activity"),
    "newest": _l("Newest"),
    "replies": _l("Most replies"),
}

REACTIONS = {
    "support": _l("Support"),
    "thanks": _l("Thanks"),
}

#: how a translation came to be, as readers see it
PROVENANCES = {
    "author": _l("Translated by the author"),
    "official": _l("Official translation from the author's organisation"),
    "moderator": _l("Translated by a moderator"),
    "community": _l("Translated by a community translator"),
}
