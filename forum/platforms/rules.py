"""Who may see, join, post on, moderate and run each platform. The only place these questions are answered."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_app_context
from sqlalchemy import ColumnElement, false, or_, select, true

from forum.accounts.models import User
from forum.core.permissions import is_admin, is_global_moderator, is_signed_in
from forum.extensions import db
from forum.platforms.models import Platform, PlatformMembership, PlatformRole

_CACHE = "platform_access"


@dataclass(frozen=True)
class Access:
    """What one user holds on the platforms: loaded once per request (two queries) and then looked up."""

    approved: frozenset[int] = frozenset()
    pending: frozenset[int] = frozenset()
    moderates: frozenset[int] = frozenset()
    translates: frozenset[int] = frozenset()


def access(user: User | None) -> Access:
    """The platform memberships and duties of ``user`` (empty for visitors), cached for the request."""
    if not is_signed_in(user):
        return Access()
    cache = g.setdefault(_CACHE, {}) if has_app_context() else {}
    if user.id not in cache:
        memberships = db.session.execute(
            select(PlatformMembership.platform_id, PlatformMembership.status)
            .where(PlatformMembership.user_id == user.id)).all()
        roles = db.session.execute(
            select(PlatformRole.platform_id, PlatformRole.role).where(PlatformRole.user_id == user.id)).all()
        cache[user.id] = Access(
            approved=frozenset(p for p, status in memberships if status == "approved"),
            pending=frozenset(p for p, status in memberships if status == "pending"),
            moderates=frozenset(p for p, role in roles if role == "moderator"),
            translates=frozenset(p for p, role in roles if role == "translator"),
        )
    return cache[user.id]


def forget_access(user: User | None = None) -> None:
    """Drop the cached :func:`access` (after a membership or duty changed in this request)."""
    if has_app_context() and _CACHE in g:
        if user is None:
            g.pop(_CACHE)
        else:
            g.get(_CACHE).pop(user.id, None)


def is_moderator_of(user: User | None, platform: Platform) -> bool:
    """Global moderators and administrators moderate every platform; others only where they were named."""
    return is_global_moderator(user) or platform.id in access(user).moderates


def is_member(user: User | None, platform: Platform) -> bool:
    """An approved member of the platform."""
    return platform.id in access(user).approved


def has_pending_request(user: User | None, platform: Platform) -> bool:
    """The user asked to join and awaits the moderators' decision."""
    return platform.id in access(user).pending


def can_read(user: User | None, platform: Platform) -> bool:
    """Threads and posts: anyone on a public platform; members and moderators on a members-only one."""
    if platform.visibility == "public":
        return True
    return is_member(user, platform) or is_moderator_of(user, platform)


def can_post(user: User | None, platform: Platform) -> bool:
    """Members (and the platform's moderators) write, while the platform is not archived."""
    if not is_signed_in(user) or platform.is_archived:
        return False
    return is_member(user, platform) or is_moderator_of(user, platform)


def can_join(user: User | None, platform: Platform) -> bool:
    """A signed-in person may join (or ask to join) a platform they have no membership or request on."""
    if not is_signed_in(user) or platform.is_archived:
        return False
    held = access(user)
    return platform.id not in held.approved and platform.id not in held.pending


def can_leave(user: User | None, platform: Platform) -> bool:
    """Members leave, and people withdraw their pending requests, whenever they like."""
    held = access(user)
    return platform.id in held.approved or platform.id in held.pending


def can_decide_membership(user: User | None, membership: PlatformMembership) -> bool:
    """The platform's moderators decide on other people's requests."""
    return (is_signed_in(user) and membership.user_id != user.id
            and is_moderator_of(user, membership.platform))


def can_manage_platforms(user: User | None) -> bool:
    """Administrators create, edit, reorder and archive platforms and name their moderators."""
    return is_admin(user)


def can_translate_on(user: User | None, platform: Platform) -> bool:
    """Community translators named for the platform, and its moderators, translate other people's posts."""
    return platform.id in access(user).translates or is_moderator_of(user, platform)


def readable_platforms(user: User | None) -> ColumnElement[bool]:
    """A SQL condition on :class:`Platform` true for the platforms whose threads ``user`` may read."""
    if is_global_moderator(user):
        return true()
    held = access(user)
    ids = held.approved | held.moderates
    return or_(Platform.visibility == "public", Platform.id.in_(ids) if ids else false())
