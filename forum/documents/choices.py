"""The fixed options of documents: their types, the languages of their files, access levels and sort orders."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: what kind of document it is
DOCUMENT_TYPES = {
    "policy_draft": _l("Policy draft"),
    "legal_framework": _l("Legal framework"),
    "report": _l("Report or study"),
    "minutes": _l("Minutes"),
    "presentation": _l("Presentation"),
    "infographic": _l("Infographic"),
    "other": _l("Other"),
}

#: the language of the file itself
FILE_LANGUAGES = {
    "es": _l("Spanish"),
    "en": _l("English"),
    "both": _l("Spanish and English"),
    "other": _l("Other language"),
}

#: who may see and download it
ACCESS_LEVELS = {
    "public": _l("Public"),
    "registered": _l("Registered users"),
    "members": _l("Members of the platform"),
    "organisation": _l("My organisation only"),
}

#: how a library can be sorted
SORTS = {
    "newest": _l("Newest"),
    "title": _l("Title"),
    "downloads": _l("Most downloaded"),
    "year": _l("Year"),
}

#: the state of a version's extracted text
TEXT_STATUSES = {
    "pending": _l("Text extraction pending"),
    "done": _l("Text extracted"),
    "failed": _l("The text of this file could not be extracted"),
    "none": _l("This type of file has no text to extract"),
}
