"""Every change to platforms: create, edit, reorder, archive; join, leave, decide requests; name moderators and
translators. Services check permissions and input, write and flush; the caller commits once.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, select

from forum.accounts.audit import record
from forum.accounts.models import User
from forum.core.db import on_commit, utcnow
from forum.core.errors import ActionRefused
from forum.core.mail import external_url, queue_mail
from forum.extensions import db
from forum.platforms import directory, rules
from forum.platforms.choices import ICONS, JOIN_POLICIES, PLATFORM_ROLES, VISIBILITIES
from forum.platforms.models import Platform, PlatformMembership, PlatformRole

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
#: the fields of a platform that administrators edit
EDITABLE_FIELDS = ("slug", "name_es", "name_en", "description_es", "description_en", "colour", "icon",
                   "visibility", "join_policy", "premoderated", "leavers_may_delete_posts")
#: the yes-or-no fields among them, and the texts
_SWITCHES = ("premoderated", "leavers_may_delete_posts")
_TEXTS = ("name_es", "name_en", "description_es", "description_en")

#: called after the commit with (user id, platform id) when someone loses access; the live layer registers here
_access_revoked_listeners: list = []


def on_access_revoked(listener) -> None:
    """Register ``listener(user_id, platform_id)``, run after a commit that took a member's access away."""
    _access_revoked_listeners.append(listener)


def _access_revoked(user_id: int, platform_id: int) -> None:
    for listener in _access_revoked_listeners:
        on_commit(lambda listener=listener: listener(user_id, platform_id))


#: called after the commit with the platform id when a public platform became members-only
_closed_listeners: list = []


def on_closed_to_public(listener) -> None:
    """Register ``listener(platform_id)``, run after a commit that made a public platform members-only (every
    open live subscription to it must end: visitors and non-members may be among the subscribers)."""
    _closed_listeners.append(listener)


def _require_admin(actor: User) -> None:
    if not rules.can_manage_platforms(actor):
        raise ActionRefused(_("Only administrators manage platforms."), status=403, code="forbidden")


def _check_fields(fields: dict, platform: Platform | None = None) -> dict:
    clean = {name: (value.strip() if isinstance(value, str) else value) for name, value in fields.items()
             if name in EDITABLE_FIELDS}
    for name in _TEXTS:
        if name in clean and clean[name] is None:  # a field left out of the form: empty, as the form shows it
            clean[name] = ""
    if "slug" in clean:
        clean["slug"] = (clean["slug"] or "").lower()
        if not directory.SLUG.match(clean["slug"]) or len(clean["slug"]) > 60:
            raise ActionRefused(_("Use lower-case letters, digits and hyphens only (up to 60)."), field="slug")
        if clean["slug"] == "all":
            raise ActionRefused(_("This address is reserved; please choose another."), field="slug")
        taken = db.session.scalar(select(Platform.id).where(Platform.slug == clean["slug"]))
        if taken is not None and (platform is None or taken != platform.id):
            raise ActionRefused(_("Another platform already uses this address."), status=409, field="slug")
    name_es = clean.get("name_es", platform.name_es if platform else "")
    name_en = clean.get("name_en", platform.name_en if platform else "")
    if not name_es and not name_en:
        raise ActionRefused(_("Please give the platform's name in at least one language."), field="name_es")
    if any(len(clean.get(name) or "") > 120 for name in ("name_es", "name_en")):
        raise ActionRefused(_("A name can have at most 120 characters."), field="name_es")
    for name, vocabulary in (("icon", ICONS), ("visibility", VISIBILITIES), ("join_policy", JOIN_POLICIES)):
        if name in clean and clean[name] not in vocabulary:
            raise ActionRefused(_("Please choose one of the options offered."), field=name)
    for name in _SWITCHES:
        if name in clean and not isinstance(clean[name], bool):
            raise ActionRefused(_("Please choose one of the options offered."), field=name)
    if "colour" in clean and not COLOUR.match(clean["colour"] or ""):
        raise ActionRefused(_("A colour is written #rrggbb, for example #1f5f8b."), field="colour")
    return clean


def create_platform(actor: User | None, **fields) -> Platform:
    """Create a platform at the end of the navigation (``actor`` None: command line and demo data)."""
    if actor is not None:
        _require_admin(actor)
    clean = _check_fields({"visibility": "public", "join_policy": "open", "icon": "chat", "colour": "#1f5f8b",
                           **fields})
    if "slug" not in clean:
        raise ActionRefused(_("Please give the platform's address."), field="slug")
    last = db.session.scalar(select(func.max(Platform.position))) or 0
    platform = Platform(position=last + 1, **clean)
    db.session.add(platform)
    db.session.flush()
    return platform


def update_platform(actor: User, platform: Platform, **fields) -> None:
    """Change a platform's details. Making a public platform members-only closes it to non-members at once."""
    _require_admin(actor)
    clean = _check_fields(fields, platform)
    was_public = platform.visibility == "public"
    for name, value in clean.items():
        setattr(platform, name, value)
    db.session.flush()
    if was_public and platform.visibility != "public":
        for listener in _closed_listeners:
            on_commit(lambda listener=listener, platform_id=platform.id: listener(platform_id))


def move_platform(actor: User, platform: Platform, offset: int) -> None:
    """Move a platform one place up (``offset`` -1) or down (+1) in the navigation."""
    _require_admin(actor)
    ordered = list(db.session.scalars(select(Platform).order_by(Platform.position, Platform.id)))
    index = ordered.index(platform)
    target = index + (1 if offset > 0 else -1)
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    db.session.flush()


def set_archived(actor: User, platform: Platform, archived: bool) -> None:
    """Archive (read-only, out of the navigation) or bring back a platform."""
    _require_admin(actor)
    platform.archived_at = utcnow() if archived else None
    db.session.flush()


def _membership(user: User, platform: Platform) -> PlatformMembership | None:
    return db.session.scalar(select(PlatformMembership).where(
        PlatformMembership.user_id == user.id, PlatformMembership.platform_id == platform.id))


def join(user: User, platform: Platform) -> PlatformMembership:
    """Join an open platform, or ask to join one whose moderators decide (they are told by e-mail)."""
    if not rules.can_join(user, platform):
        if rules.is_member(user, platform) or rules.has_pending_request(user, platform):
            raise ActionRefused(_("You are already a member of this platform, or your request is pending."),
                                status=409, code="conflict")
        raise ActionRefused(_("You cannot join this platform."), status=403, code="forbidden")
    approved = platform.join_policy == "open"
    membership = PlatformMembership(platform=platform, user_id=user.id,
                                    status="approved" if approved else "pending",
                                    decided_at=utcnow() if approved else None)
    db.session.add(membership)
    db.session.flush()
    rules.forget_access(user)
    if not approved:
        for moderator in directory.people(platform, "moderator"):
            queue_mail(moderator.email, "platform_request", moderator.locale, user=moderator, applicant=user,
                       platform=platform, url=external_url("platforms.members", slug=platform.slug))
    return membership


def leave(user: User, platform: Platform) -> None:
    """Leave a platform, or withdraw a pending request. Open live subscriptions of a members-only platform end."""
    membership = _membership(user, platform)
    if membership is None:
        raise ActionRefused(_("You are not a member of this platform."), status=409, code="conflict")
    db.session.delete(membership)
    db.session.flush()
    rules.forget_access(user)
    _access_revoked(user.id, platform.id)


def let_leavers_take_posts(actor: User, platform: Platform, allowed: bool) -> None:
    """A moderator of the platform decides whether people who delete their account may take their posts on it
    with them (otherwise the posts stay, signed "former participant"). Flushes only."""
    if not rules.is_moderator_of(actor, platform):
        raise ActionRefused(_("Only the platform's moderators decide this."), status=403, code="forbidden")
    platform.leavers_may_delete_posts = bool(allowed)
    db.session.flush()


def decide_membership(actor: User, membership: PlatformMembership, approve: bool) -> None:
    """A moderator approves or declines a request to join; the person is told by e-mail in their language."""
    if not rules.can_decide_membership(actor, membership):
        raise ActionRefused(_("You cannot decide on this request."), status=403, code="forbidden")
    if membership.status != "pending":
        raise ActionRefused(_("This request was already decided."), status=409, code="conflict")
    platform, user = membership.platform, membership.user
    if approve:
        membership.status = "approved"
        membership.decided_at = utcnow()
        membership.decided_by_id = actor.id
    else:
        db.session.delete(membership)
    db.session.flush()
    rules.forget_access(user)
    queue_mail(user.email, "platform_decided", user.locale, user=user, platform=platform, approved=approve,
               url=external_url("threads.platform", slug=platform.slug))


def remove_member(actor: User, membership: PlatformMembership) -> None:
    """A moderator removes someone from the platform; their open live subscriptions end."""
    if not rules.can_decide_membership(actor, membership):
        raise ActionRefused(_("You cannot remove this member."), status=403, code="forbidden")
    user_id, platform_id = membership.user_id, membership.platform_id
    db.session.delete(membership)
    db.session.flush()
    rules.forget_access()
    _access_revoked(user_id, platform_id)


def grant_role(actor: User | None, platform: Platform, user: User, role: str) -> PlatformRole:
    """Name ``user`` moderator or translator of ``platform`` (recorded in the audit log)."""
    if actor is not None:
        _require_admin(actor)
    if role not in PLATFORM_ROLES:
        raise ActionRefused(_("Please choose one of the options offered."), field="role")
    existing = db.session.scalar(select(PlatformRole).where(
        PlatformRole.platform_id == platform.id, PlatformRole.user_id == user.id, PlatformRole.role == role))
    if existing is not None:
        return existing
    duty = PlatformRole(platform=platform, user_id=user.id, role=role,
                        assigned_by_id=actor.id if actor else None)
    db.session.add(duty)
    record(actor, "platform_role_granted", user=user, new=f"{platform.slug}: {role}")
    db.session.flush()
    rules.forget_access(user)
    return duty


def revoke_role(actor: User, duty: PlatformRole) -> None:
    """Take a platform duty away (recorded in the audit log)."""
    _require_admin(actor)
    record(actor, "platform_role_revoked", user=duty.user, old=f"{duty.platform.slug}: {duty.role}")
    user_id, platform_id = duty.user_id, duty.platform_id
    db.session.delete(duty)
    db.session.flush()
    rules.forget_access()
    _access_revoked(user_id, platform_id)

