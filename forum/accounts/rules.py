"""Who may do what with users, organisations and memberships. The only place these questions are answered."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_

from forum.accounts.choices import GOVERNMENT_TYPES
from forum.accounts.models import Membership, Organisation, User
from forum.core.db import utcnow
from forum.core.permissions import is_admin, is_signed_in


def approved_memberships(user: User) -> list[Membership]:
    """The user's approved memberships."""
    if not is_signed_in(user):
        return []
    return [m for m in user.memberships if m.status == "approved"]


def official_organisations(user: User) -> list[Organisation]:
    """The verified government organisations the user may act for."""
    return [
        m.organisation
        for m in approved_memberships(user)
        if m.organisation.verified and m.organisation.kind in GOVERNMENT_TYPES
    ]


def is_official(user: User) -> bool:
    """An official is an approved member of a verified government organisation."""
    return bool(official_organisations(user))


def is_representative(user: User, organisation: Organisation) -> bool:
    """True for an approved representative of ``organisation``."""
    return any(m.is_representative and m.organisation_id == organisation.id for m in approved_memberships(user))


def can_manage_users(user: User) -> bool:
    """Change roles, suspend and lift suspensions: administrators only."""
    return is_admin(user)


def can_change_role(actor: User, target: User) -> bool:
    """Administrators change other people's roles (never their own, so the site keeps an admin)."""
    return is_admin(actor) and actor.id != target.id


def can_suspend(actor: User, target: User) -> bool:
    """Administrators suspend other accounts, but not another administrator's."""
    return is_admin(actor) and actor.id != target.id and target.role != "admin"


def can_verify_organisation(user: User) -> bool:
    """Only administrators vouch for an organisation."""
    return is_admin(user)


def can_edit_organisation(user: User, organisation: Organisation) -> bool:
    """Administrators and the organisation's representatives edit its details."""
    return is_admin(user) or is_representative(user, organisation)


def can_request_membership(user: User, organisation: Organisation) -> bool:
    """A signed-in user may ask to join an organisation they have not asked to join yet."""
    return is_signed_in(user) and not any(m.organisation_id == organisation.id for m in user.memberships)


def can_decide_membership(user: User, membership: Membership) -> bool:
    """Administrators, or representatives of the organisation deciding on someone else's request."""
    if not is_signed_in(user) or membership.user_id == user.id:
        return False
    return is_admin(user) or is_representative(user, membership.organisation)


def decidable_organisation_ids(user: User) -> list[int] | None:
    """The organisations whose membership requests ``user`` decides; None means all of them."""
    if is_admin(user):
        return None
    return [m.organisation_id for m in approved_memberships(user) if m.is_representative]


def can_appoint_representative(user: User, membership: Membership) -> bool:
    """Administrators name and remove representatives."""
    return is_admin(user) and membership.status == "approved"


def can_view_profile(viewer: User, profile: User) -> bool:
    """Profiles are for signed-in people; a suspended person's profile only for administrators."""
    if not is_signed_in(viewer):
        return False
    return not profile.is_suspended or is_admin(viewer) or viewer.id == profile.id


def can_see_private_fields(viewer: User, profile: User) -> bool:
    """Self-declared gender and age are seen only by their owner, never by anyone else."""
    return is_signed_in(viewer) and viewer.id == profile.id


def not_suspended() -> ColumnElement[bool]:
    """A SQL condition on :class:`User`: no suspension stands now (as ``User.is_suspended``; a suspension for a
    period lifts itself when the period ends)."""
    return or_(User.suspended_at.is_(None), and_(User.suspended_until.is_not(None), User.suspended_until <= utcnow()))
