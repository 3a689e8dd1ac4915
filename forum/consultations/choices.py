"""The fixed vocabularies of consultations: code stored in the database → translated label."""

from flask_babel import lazy_gettext as _l

#: the phases of a consultation, in order (worked out from its dates by ``lifecycle.phase``)
PHASES = {
    "draft": _l("Draft"),
    "scheduled": _l("Scheduled"),
    "open": _l("Open for comments"),
    "closed": _l("Closed"),
    "answered": _l("Answered: report published"),
}

#: what the record of a consultation's course notes
CHANGES = {
    "published": _l("Published"),
    "closed_early": _l("Closed early"),
    "extended": _l("Closing date extended"),
    "version": _l("New version of the draft"),
    "report": _l("Report published"),
}

#: what a comment says about the draft
COMMENT_KINDS = {
    "support": _l("Support"),
    "concern": _l("Concern"),
    "proposal": _l("Proposal for change"),
}
#: replies to another comment have this kind
REPLY = "reply"

#: the consulting organisation's answer to a comment
ANSWER_STATUSES = {
    "accepted": _l("Accepted"),
    "partly_accepted": _l("Partly accepted"),
    "not_accepted": _l("Not accepted"),
    "taken_into_account": _l("Taken into account"),
}

#: how a comment's translation came to be, as readers see it
TRANSLATION_PROVENANCES = {
    "author": _l("Translated by the author"),
    "agency": _l("Translated by the consulting organisation"),
    "moderator": _l("Translated by a moderator"),
    "community": _l("Translated by a community translator"),
}
