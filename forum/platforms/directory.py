"""Reading platforms: by address, in navigation order, with their figures, people and memberships."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forum.accounts.models import User
from forum.extensions import db
from forum.platforms import rules
from forum.platforms.models import Platform, PlatformMembership, PlatformRole

#: what a platform's address may be: lower-case letters, digits and single hyphens
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def platform_by_slug(slug: str) -> Platform | None:
    """The platform at ``/p/<slug>`` (every platform's page is public; its threads may not be)."""
    return db.session.scalar(select(Platform).where(Platform.slug == slug))


def readable_platforms(user: User | None) -> list[Platform]:
    """The platforms whose content ``user`` may read, in navigation order (the choices of platform filters)."""
    return list(db.session.scalars(select(Platform).where(rules.readable_platforms(user))
                                   .order_by(Platform.position, Platform.id)))


def readable_platform(user: User | None, slug: str) -> Platform | None:
    """The platform at ``slug`` if ``user`` may read it; None when it does not exist or they may not (a filter
    refuses both alike)."""
    if len(slug) > 60 or not SLUG.match(slug):
        return None
    return db.session.scalar(select(Platform).where(Platform.slug == slug, rules.readable_platforms(user)))


def active_platforms() -> list[Platform]:
    """The platforms that are not archived, in navigation order."""
    return list(db.session.scalars(
        select(Platform).where(Platform.archived_at.is_(None)).order_by(Platform.position, Platform.id)))


def platform_navigation() -> dict:
    """Template context: ``nav_platforms``, the active platforms in their order (one query per page)."""
    return {"nav_platforms": active_platforms()}


def member_counts(platform_ids: list[int]) -> dict[int, int]:
    """Approved members per platform, for many platforms in one query."""
    if not platform_ids:
        return {}
    rows = db.session.execute(
        select(PlatformMembership.platform_id, func.count()).where(
            PlatformMembership.platform_id.in_(platform_ids), PlatformMembership.status == "approved")
        .group_by(PlatformMembership.platform_id))
    counts = dict.fromkeys(platform_ids, 0)
    counts.update(dict(rows.all()))
    return counts


def people(platform: Platform, role: str) -> list[User]:
    """The people named ``role`` (moderator or translator) on ``platform``, by name."""
    return list(db.session.scalars(select(User).join(PlatformRole, PlatformRole.user_id == User.id).where(
        PlatformRole.platform_id == platform.id, PlatformRole.role == role).order_by(User.display_name)))


def memberships(platform: Platform, status: str) -> list[PlatformMembership]:
    """Memberships of ``platform`` with ``status`` (approved or pending), oldest request first."""
    return list(db.session.scalars(
        select(PlatformMembership).where(PlatformMembership.platform_id == platform.id,
                                         PlatformMembership.status == status)
        .options(joinedload(PlatformMembership.user)).order_by(PlatformMembership.requested_at)))
