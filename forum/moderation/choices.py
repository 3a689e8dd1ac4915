"""The fixed vocabularies of moderation: code stored in the database → translated label."""

from flask_babel import lazy_gettext as _l

#: why something is flagged or hidden
REASONS = {
    "spam": _l("Spam"),
    "harassment": _l("Harassment or abuse"),
    "hate": _l("Hate speech"),
    "off_topic": _l("Off-topic"),
    "personal_data": _l("Personal data exposed"),
    "misinformation": _l("Misinformation"),
    "other": _l("Other"),
}

#: what a moderator can decide about an item
DECISIONS = {
    "dismiss": _l("Flags dismissed"),
    "hide": _l("Hidden"),
    "restore": _l("Restored"),
    "delete": _l("Deleted"),
    "edit": _l("Edited"),
    "lock": _l("Thread locked"),
    "unlock": _l("Thread unlocked"),
    "pin": _l("Thread pinned"),
    "unpin": _l("Thread unpinned"),
    "move": _l("Thread moved"),
    "approve": _l("Approved"),
    "reject": _l("Rejected"),
    # about a contested sanction (forum.moderation.sanctions)
    "uphold": _l("Sanction upheld"),
    "lift": _l("Sanction lifted"),
}

#: sanctions on people
SANCTIONS = {
    "warning": _l("Warning"),
    "suspension": _l("Suspension"),
    "ban": _l("Ban"),
}

#: why an item is in the queue
CAUSES = {
    "flagged": _l("Flagged"),
    "held": _l("Awaiting approval"),
    "contested": _l("Sanction contested"),
}
