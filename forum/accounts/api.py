"""API endpoints of accounts: who am I, and the organisations taking part."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from forum.accounts import rules, services
from forum.accounts.choices import ORGANISATION_TYPES
from forum.accounts.models import Organisation, User
from forum.accounts.organisation_routes import organisations_query
from forum.api import bp, json_body, login_required, operation, page_arguments, paginated
from forum.api.openapi import PAGE_PARAMETERS, list_of, schema
from forum.core.db import commit
from forum.core.errors import ActionRefused
from forum.extensions import db

ORGANISATION = schema("Organisation", {
    "type": "object",
    "properties": {
        "id": {"type": "integer"}, "name": {"type": "object", "properties": {
            "es": {"type": "string"}, "en": {"type": "string"}}},
        "acronym": {"type": "string"}, "type": {"type": "string", "enum": list(ORGANISATION_TYPES)},
        "state": {"type": ["string", "null"]}, "website": {"type": ["string", "null"]},
        "verified": {"type": "boolean"},
    },
})
ME = schema("Me", {
    "type": "object",
    "properties": {
        "id": {"type": "integer"}, "email": {"type": "string"}, "display_name": {"type": "string"},
        "locale": {"type": "string", "enum": ["es", "en"]}, "timezone": {"type": "string"},
        "role": {"type": "string", "enum": ["participant", "moderator", "admin"]},
        "is_official": {"type": "boolean"}, "sector": {"type": "string"}, "state": {"type": "string"},
        "organisations": {"type": "array", "items": {"type": "object", "properties": {
            "organisation": ORGANISATION, "status": {"type": "string"}, "is_representative": {"type": "boolean"}}}},
    },
})


def organisation_json(organisation: Organisation) -> dict:
    """The public description of an organisation."""
    return {"id": organisation.id, "name": {"es": organisation.name_es, "en": organisation.name_en},
            "acronym": organisation.acronym, "type": organisation.kind, "state": organisation.state,
            "website": organisation.website, "verified": organisation.verified}


def me_json(user: User) -> dict:
    """What a person may read about their own account (self-declared data excluded)."""
    return {"id": user.id, "email": user.email, "display_name": user.display_name, "locale": user.locale,
            "timezone": user.timezone, "role": user.role, "is_official": rules.is_official(user),
            "sector": user.sector, "state": user.state,
            "organisations": [{"organisation": organisation_json(m.organisation), "status": m.status,
                               "is_representative": m.is_representative} for m in user.memberships]}


@bp.route("/me")
@operation("/me", "GET", summary="The authenticated account", response=ME, tag="accounts")
@login_required
def me():
    """The account the token (or session) belongs to, with its organisations."""
    return jsonify(me_json(current_user))


ME_UPDATE = schema("MeUpdate", {
    "type": "object", "additionalProperties": False,
    "properties": {"display_name": {"type": "string", "maxLength": 80},
                   "position": {"type": "string", "maxLength": 120},
                   "locale": {"type": "string", "enum": ["es", "en"]}, "timezone": {"type": "string"}},
})
#: what PATCH /me may change (the rest of the profile is edited on the settings page)
EDITABLE = ("display_name", "position", "locale", "timezone")


@bp.route("/me", methods=["PATCH"])
@operation("/me", "PATCH", summary="Update the authenticated account", response=ME, request_body=ME_UPDATE,
           tag="accounts", errors=(400, 422))
@login_required
def update_me():
    """Change one's name, position, language or time zone; other fields keep their values."""
    data = json_body()
    if not isinstance(data, dict) or not data or set(data) - set(EDITABLE):
        raise ActionRefused(_("Send a JSON object with some of: %(fields)s.", fields=", ".join(EDITABLE)),
                            status=422, code="invalid")
    if any(not isinstance(value, str) for value in data.values()):
        raise ActionRefused(_("Every value must be text."), status=422, code="invalid")
    if len(data.get("display_name", "")) > 80 or len(data.get("position", "")) > 120:
        raise ActionRefused(_("A value is too long."), status=422, code="invalid")
    current = {name: getattr(current_user, name) for name in (
        "display_name", "position", "locale", "timezone", "sector", "state", "gender", "gender_description",
        "age_range")}
    services.update_profile(current_user, **(current | data))
    commit()
    return jsonify(me_json(current_user))


@bp.route("/organisations")
@operation("/organisations", "GET", summary="Organisations taking part", response=list_of(ORGANISATION),
           tag="accounts", auth=False, errors=(400,), parameters=[
               {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "name or acronym"},
               {"name": "type", "in": "query", "schema": {"type": "string", "enum": list(ORGANISATION_TYPES)}},
               {"name": "verified", "in": "query", "schema": {"type": "boolean"}},
               *PAGE_PARAMETERS])
def organisations():
    """Organisations, by name; filter by name/acronym (``q``), ``type`` and ``verified``."""
    page, per_page = page_arguments()
    verified = {"true": True, "false": False}.get(request.args.get("verified", "").lower())
    query = organisations_query(request.args.get("q", "").strip()[:100], request.args.get("type", ""), verified)
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    return jsonify(paginated(pagination, [organisation_json(o) for o in pagination.items]))
