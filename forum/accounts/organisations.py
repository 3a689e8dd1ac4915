"""Changes to organisations and memberships: proposals, requests, decisions, representatives, verification.
Like every service module, these functions check permissions, write and flush; the caller commits.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select

from forum.accounts import rules
from forum.accounts.audit import record
from forum.accounts.choices import ORGANISATION_TYPES, STATES
from forum.accounts.models import Membership, Organisation, User
from forum.core.db import utcnow
from forum.core.errors import ActionRefused
from forum.core.mail import external_url, queue_mail
from forum.extensions import db

#: the fields of an organisation that administrators and representatives edit
EDITABLE_FIELDS = ("name_es", "name_en", "acronym", "kind", "state", "website", "description_es",
                   "description_en")


def _check_fields(fields: dict) -> None:
    if not (fields.get("name_es") or "").strip() and not (fields.get("name_en") or "").strip():
        raise ActionRefused(_("Please give the organisation's name."), field="name_es")
    if fields.get("kind") not in ORGANISATION_TYPES:
        raise ActionRefused(_("Please choose one of the options offered."), field="kind")
    if fields.get("state") is not None and fields["state"] not in STATES:
        raise ActionRefused(_("Please choose one of the options offered."), field="state")
    website = (fields.get("website") or "").strip()
    if website and not website.startswith(("https://", "http://")):
        raise ActionRefused(_("A website address starts with https:// or http://."), field="website")


def create_organisation(*, verified: bool = False, created_by: User | None = None, **fields) -> Organisation:
    """Create an organisation (administrators, the command line and demo data)."""
    _check_fields(fields)
    organisation = Organisation(verified=verified, created_by_id=created_by.id if created_by else None)
    _apply(organisation, fields)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def _apply(organisation: Organisation, fields: dict) -> None:
    for name in EDITABLE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(organisation, name, value.strip() if isinstance(value, str) else value)
    organisation.website = organisation.website or None


def propose_organisation(user: User, *, name: str, kind: str, acronym: str = "",
                         state: str | None = None) -> Organisation:
    """A new, unverified organisation named at registration; administrators verify it later."""
    name = (name or "").strip()
    existing = db.session.scalar(
        select(Organisation).where(or_(func.lower(Organisation.name_es) == name.lower(),
                                       func.lower(Organisation.name_en) == name.lower()))
    )
    if existing is not None:
        return existing
    return create_organisation(created_by=user, name_es=name, name_en=name, acronym=acronym, kind=kind,
                               state=state or user.state)


def update_organisation(actor: User, organisation: Organisation, **fields) -> None:
    """Edit an organisation's details; recorded in the audit log."""
    if not rules.can_edit_organisation(actor, organisation):
        raise ActionRefused(_("You cannot edit this organisation."), status=403, code="forbidden")
    merged = {name: getattr(organisation, name) for name in EDITABLE_FIELDS} | fields
    _check_fields(merged)
    changed = sorted(name for name in EDITABLE_FIELDS if name in fields and fields[name] != getattr(organisation, name))
    _apply(organisation, fields)
    if changed:
        record(actor, "organisation_edited", organisation=organisation, note=", ".join(changed))


def set_verified(actor: User, organisation: Organisation, verified: bool) -> None:
    """Vouch for an organisation (or withdraw it); its approved government members become officials."""
    if not rules.can_verify_organisation(actor):
        raise ActionRefused(_("Only administrators verify organisations."), status=403, code="forbidden")
    if organisation.verified == verified:
        return
    organisation.verified = verified
    record(actor, "organisation_verified" if verified else "organisation_unverified", organisation=organisation)


def request_membership(user: User, organisation: Organisation) -> Membership:
    """Ask to join an organisation; its representatives (or an administrator) decide."""
    if not rules.can_request_membership(user, organisation):
        raise ActionRefused(_("You have already asked to join this organisation."), status=409, code="conflict")
    membership = Membership(user=user, organisation=organisation, status="pending")
    db.session.add(membership)
    db.session.flush()
    return membership


def leave_organisation(user: User, membership: Membership) -> None:
    """Withdraw one's own request or membership."""
    if membership.user_id != user.id:
        raise ActionRefused(_("This membership is not yours."), status=403, code="forbidden")
    db.session.delete(membership)


def decide_membership(actor: User, membership: Membership, approve: bool) -> None:
    """Approve or decline a pending request; the person is told by e-mail in their language."""
    if not rules.can_decide_membership(actor, membership):
        raise ActionRefused(_("You cannot decide on this request."), status=403, code="forbidden")
    if membership.status != "pending":
        decided_by = membership.decided_by.display_name if membership.decided_by else "—"
        raise ActionRefused(_("This request was already decided by %(name)s.", name=decided_by),
                            status=409, code="already_decided")
    membership.status = "approved" if approve else "rejected"
    membership.decided_at = utcnow()
    membership.decided_by = actor
    record(actor, "membership_approved" if approve else "membership_rejected", user=membership.user,
           organisation=membership.organisation)
    member = membership.user
    queue_mail(member.email, "membership_decided", member.locale, user=member, approved=approve,
               organisation=membership.organisation, url=external_url("accounts.profile", user_id=member.id))


def set_representative(actor: User, membership: Membership, value: bool) -> None:
    """Name or remove a representative of an organisation."""
    if not rules.can_appoint_representative(actor, membership):
        raise ActionRefused(_("You cannot change the representatives of this organisation."), status=403,
                            code="forbidden")
    if membership.is_representative == value:
        return
    membership.is_representative = value
    record(actor, "representative_granted" if value else "representative_revoked", user=membership.user,
           organisation=membership.organisation)


def pending_requests_query(actor: User):
    """Membership requests ``actor`` may decide, oldest first."""
    query = select(Membership).where(Membership.status == "pending", Membership.user_id != actor.id)
    organisation_ids = rules.decidable_organisation_ids(actor)
    if organisation_ids is not None:
        query = query.where(Membership.organisation_id.in_(organisation_ids))
    return query.order_by(Membership.requested_at)


def first_organisation_kinds(people: Select | None = None) -> dict[int, str]:
    """For aggregate figures, the type of organisation each person belongs to: that of their first approved
    membership (``people``: a select of user ids; None: everyone with one)."""
    query = (select(Membership.user_id, Organisation.kind).join(Organisation)
             .where(Membership.status == "approved").order_by(Membership.id))
    if people is not None:
        query = query.where(Membership.user_id.in_(people))
    kinds: dict[int, str] = {}
    for user_id, kind in db.session.execute(query):
        kinds.setdefault(user_id, kind)
    return kinds
