"""The fixed vocabularies of accounts and organisations: code stored in the database → translated label."""

from flask_babel import lazy_gettext as _l

ROLES = {
    "participant": _l("Participant"),
    "moderator": _l("Moderator"),
    "admin": _l("Administrator"),
}

SECTORS = {
    "federal_government": _l("Federal government"),
    "state_government": _l("State government"),
    "municipal_government": _l("Municipal government"),
    "civil_society": _l("Civil-society organisation"),
    "academia": _l("Academia"),
    "international_cooperation": _l("International cooperation"),
    "private_sector": _l("Private sector"),
    "individual": _l("Individual"),
}

ORGANISATION_TYPES = {
    "federal_agency": _l("Federal agency"),
    "state_agency": _l("State agency"),
    "municipal_government": _l("Municipal government"),
    "cso": _l("Civil-society organisation"),
    "academia": _l("Academia"),
    "international": _l("International organisation"),
    "private_sector": _l("Private sector"),
}
#: organisation types whose verified members act as officials
GOVERNMENT_TYPES = frozenset({"federal_agency", "state_agency", "municipal_government"})

#: the 32 federal entities of Mexico, plus "outside Mexico"
STATES = {
    "AGU": _l("Aguascalientes"),
    "BCN": _l("Baja California"),
    "BCS": _l("Baja California Sur"),
    "CAM": _l("Campeche"),
    "CHP": _l("Chiapas"),
    "CHH": _l("Chihuahua"),
    "CMX": _l("Mexico City"),
    "COA": _l("Coahuila"),
    "COL": _l("Colima"),
    "DUR": _l("Durango"),
    "GUA": _l("Guanajuato"),
    "GRO": _l("Guerrero"),
    "HID": _l("Hidalgo"),
    "JAL": _l("Jalisco"),
    "MEX": _l("State of Mexico"),
    "MIC": _l("Michoacán"),
    "MOR": _l("Morelos"),
    "NAY": _l("Nayarit"),
    "NLE": _l("Nuevo León"),
    "OAX": _l("Oaxaca"),
    "PUE": _l("Puebla"),
    "QUE": _l("Querétaro"),
    "ROO": _l("Quintana Roo"),
    "SLP": _l("San Luis Potosí"),
    "SIN": _l("Sinaloa"),
    "SON": _l("Sonora"),
    "TAB": _l("Tabasco"),
    "TAM": _l("Tamaulipas"),
    "TLA": _l("Tlaxcala"),
    "VER": _l("Veracruz"),
    "YUC": _l("Yucatán"),
    "ZAC": _l("Zacatecas"),
    "outside": _l("Outside Mexico"),
}

GENDERS = {
    "woman": _l("Woman"),
    "man": _l("Man"),
    "non_binary": _l("Non-binary"),
    "self_described": _l("Self-described"),
    "undisclosed": _l("Prefer not to say"),
}

AGE_RANGES = {
    "under_18": _l("Under 18"),
    "18_29": _l("18–29"),
    "30_44": _l("30–44"),
    "45_64": _l("45–64"),
    "65_plus": _l("65 or older"),
}

MEMBERSHIP_STATUSES = {
    "pending": _l("Awaiting approval"),
    "approved": _l("Approved"),
    "rejected": _l("Declined"),
}

#: time zones offered in account settings (the site default first)
TIMEZONES = (
    "America/Mexico_City", "America/Cancun", "America/Merida", "America/Monterrey", "America/Matamoros",
    "America/Chihuahua", "America/Ciudad_Juarez", "America/Ojinaga", "America/Mazatlan",
    "America/Bahia_Banderas", "America/Hermosillo", "America/Tijuana", "Europe/Brussels", "Europe/Madrid",
    "Europe/Paris", "Europe/Berlin", "Europe/Rome", "Europe/Lisbon", "Europe/London", "America/New_York",
    "America/Los_Angeles", "UTC",
)

#: what the account audit log records
AUDIT_ACTIONS = {
    "role_changed": _l("Role changed"),
    "suspended": _l("Account suspended"),
    "unsuspended": _l("Suspension lifted"),
    "membership_approved": _l("Membership approved"),
    "membership_rejected": _l("Membership declined"),
    "representative_granted": _l("Made representative"),
    "representative_revoked": _l("No longer representative"),
    "organisation_verified": _l("Organisation verified"),
    "organisation_unverified": _l("Verification withdrawn"),
    "organisation_edited": _l("Organisation edited"),
    "platform_role_granted": _l("Platform duty given"),
    "platform_role_revoked": _l("Platform duty taken away"),
}


def label(vocabulary: dict, code: str | None) -> str:
    """The translated label of ``code``, or the code itself when it is not in the vocabulary."""
    if code is None:
        return ""
    return str(vocabulary.get(code, code))
