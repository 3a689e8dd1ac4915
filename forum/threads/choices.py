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

#: what moderation made of a thread or post: ``visible`` to its readers; ``held`` until a moderator approves it
#: (pre-moderation); ``hidden`` by the moderators (readers see a placeholder); ``rejected`` (never published)
STATUSES = ("visible", "held", "hidden", "rejected")

#: how a thread's status is shown to the few who still see a thread that is not visible
THREAD_STATUSES = {
    "held": _l("Awaiting review by the moderators"),
    "hidden": _l("Hidden from readers"),
    "rejected": _l("Not approved by the moderators"),
}
