"""The vocabulary of sanctions, beside moderation's own in :mod:`forum.moderation.choices`: what a moderator
decides about a contested sanction, what a sanction is now, and every action the moderation log records."""

from flask_babel import lazy_gettext as _l

from forum.moderation.choices import DECISIONS, SANCTIONS

#: what a moderator can decide about a contested sanction (keys of the decision vocabulary)
SANCTION_DECISIONS = {
    "uphold": _l("Sanction upheld"),
    "lift": _l("Sanction lifted"),
}

#: every action the moderation log records: decisions on items, sanctions, and decisions on sanctions
LOG_ACTIONS = {**DECISIONS, **SANCTIONS, **SANCTION_DECISIONS}

#: what a sanction is now
STATES = {
    "issued": _l("Issued"),
    "in_force": _l("In force"),
    "ended": _l("Ended"),
    "lifted": _l("Lifted"),
    "withdrawn": _l("Withdrawn"),
}

#: what the kinds of moderated items are called on the log and transparency pages (others: "item")
TARGET_LABELS = {
    "post": _l("Post"),
    "thread": _l("Thread"),
    "sanction": _l("Sanction"),
}
