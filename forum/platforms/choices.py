"""The fixed vocabularies of platforms: code stored in the database → translated label."""

from flask_babel import lazy_gettext as _l

VISIBILITIES = {
    "public": _l("Public: anyone reads, members write"),
    "members": _l("Members only: only members read and write"),
}

JOIN_POLICIES = {
    "open": _l("Open: anyone signed in can join"),
    "approval": _l("On approval: the platform's moderators decide"),
}

#: duties an administrator gives on one platform
PLATFORM_ROLES = {
    "moderator": _l("Moderator"),
    "translator": _l("Translator"),
}

#: the icons a platform may show (files in static/img/icons/)
ICONS = {
    "scale": _l("Scales (justice)"),
    "shield": _l("Shield (security)"),
    "equality": _l("Equality (gender)"),
    "briefcase": _l("Briefcase (employment)"),
    "eye": _l("Eye (transparency)"),
    "people": _l("People (working group)"),
    "chat": _l("Speech bubble"),
}
