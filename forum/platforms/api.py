"""API endpoints of platforms: the list of platforms with the caller's standing on each, and joining or leaving.

Threads of a platform (``/platforms/<slug>/threads``) are endpoints of the threads domain.
"""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user

from forum.accounts.models import User
from forum.api import bp, login_required, operation
from forum.api.openapi import schema
from forum.core.db import commit
from forum.core.errors import ActionRefused
from forum.platforms import directory, rules, services
from forum.platforms.choices import ICONS, JOIN_POLICIES, VISIBILITIES
from forum.platforms.models import Platform

BILINGUAL = {"type": "object", "required": ["es", "en"],
             "properties": {"es": {"type": "string"}, "en": {"type": "string"}}}
PLATFORM = schema("Platform", {
    "type": "object",
    "required": ["id", "slug", "name", "description", "colour", "icon", "visibility", "join_policy", "archived",
                 "members_count", "membership", "is_moderator"],
    "properties": {
        "id": {"type": "integer"},
        "slug": {"type": "string", "description": "the platform's address: /p/<slug>"},
        "name": BILINGUAL, "description": BILINGUAL,
        "colour": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
        "icon": {"type": "string", "enum": list(ICONS)},
        "visibility": {"type": "string", "enum": list(VISIBILITIES),
                       "description": "public: anyone reads, members write; members: only members read and write"},
        "join_policy": {"type": "string", "enum": list(JOIN_POLICIES),
                        "description": "open: joining is immediate; approval: the platform's moderators decide"},
        "archived": {"type": "boolean"},
        "members_count": {"type": "integer", "description": "approved members"},
        "membership": {"type": ["string", "null"], "enum": ["member", "pending", None],
                       "description": "the caller's membership: member, pending request, or none"},
        "is_moderator": {"type": "boolean", "description": "whether the caller moderates this platform"},
    },
})
MEMBERSHIP = schema("PlatformMembership", {
    "type": "object", "required": ["status"],
    "properties": {"status": {"type": "string", "enum": ["member", "pending"],
                              "description": "member: joined; pending: the moderators will decide"}},
})
SLUG_PARAMETER = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}


def platform_or_404(slug: str) -> Platform:
    """The platform at ``slug``, or a 404 error (every platform is listed publicly; its threads may not be)."""
    platform = directory.platform_by_slug(slug)
    if platform is None:
        raise ActionRefused(_("Not found."), status=404, code="not_found")
    return platform


def membership_state(user: User | None, platform: Platform) -> str | None:
    """``member``, ``pending`` or None: the standing of ``user`` on ``platform`` as the API reports it."""
    if rules.is_member(user, platform):
        return "member"
    if rules.has_pending_request(user, platform):
        return "pending"
    return None


def platform_json(platform: Platform, user: User | None, members_count: int) -> dict:
    """The public description of a platform, with the standing of ``user`` on it."""
    return {
        "id": platform.id, "slug": platform.slug,
        "name": {"es": platform.name_es, "en": platform.name_en},
        "description": {"es": platform.description_es, "en": platform.description_en},
        "colour": platform.colour, "icon": platform.icon, "visibility": platform.visibility,
        "join_policy": platform.join_policy, "archived": platform.is_archived, "members_count": members_count,
        "membership": membership_state(user, platform), "is_moderator": rules.is_moderator_of(user, platform),
    }


@bp.route("/platforms")
@operation("/platforms", "GET", summary="The thematic platforms", tag="platforms", auth=False,
           response={"type": "object", "required": ["items"],
                     "properties": {"items": {"type": "array", "items": PLATFORM}}})
def list_platforms():
    """The platforms that are not archived, in their navigation order, with their members count and the caller's
    membership and moderator duty (none for visitors)."""
    platforms = directory.active_platforms()
    counts = directory.member_counts([p.id for p in platforms])
    user = current_user._get_current_object()
    return jsonify(items=[platform_json(p, user, counts.get(p.id, 0)) for p in platforms])


@bp.route("/platforms/<slug>/membership", methods=["POST"])
@operation("/platforms/{slug}/membership", "POST", summary="Join a platform", response=MEMBERSHIP, status=201,
           tag="platforms", parameters=[SLUG_PARAMETER], errors=(403, 404, 409))
@login_required
def join_platform(slug: str):
    """Join an open platform (status ``member``) or ask to join one whose moderators decide (``pending``).
    Already a member or waiting: 409."""
    platform = platform_or_404(slug)
    membership = services.join(current_user._get_current_object(), platform)
    status = "member" if membership.status == "approved" else "pending"
    commit()
    return jsonify(status=status), 201


@bp.route("/platforms/<slug>/membership", methods=["DELETE"])
@operation("/platforms/{slug}/membership", "DELETE", summary="Leave a platform or withdraw a request",
           response=None, status=204, tag="platforms", parameters=[SLUG_PARAMETER],
           errors=(404, 409))
@login_required
def leave_platform(slug: str):
    """Leave a platform, or withdraw a pending request to join it (409 when there is neither)."""
    platform = platform_or_404(slug)
    services.leave(current_user._get_current_object(), platform)
    commit()
    return "", 204
