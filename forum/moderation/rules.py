"""Who may flag, see the moderation queue, decide on items and follow the queue live. The only place these
questions are answered for moderation; "is a moderator of this platform" is asked of ``forum.platforms.rules``.

Moderated items belong to other domains: whether someone may see one at all is the owning domain's answer
(``TargetKind.can_see``); moderation adds who may *act* on it.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, false, true

from forum.accounts.models import User
from forum.core.permissions import is_global_moderator, is_signed_in
from forum.i18n import LOCALES
from forum.moderation import targets
from forum.moderation.models import QueueItem
from forum.moderation.targets import Described
from forum.platforms import rules as platform_rules
from forum.platforms.models import Platform

#: the live topic of one platform's queue, and of every queue (global moderators)
QUEUE_TOPIC = re.compile(r"^moderation:([a-z0-9]+(?:-[a-z0-9]+)*)$")
ALL_TOPIC = "moderation:all"


def moderated_platform_ids(user: User | None) -> frozenset[int] | None:
    """The platforms ``user`` moderates: None means every platform (global moderators and administrators)."""
    if is_global_moderator(user):
        return None
    return platform_rules.access(user).moderates


def can_use_queue(user: User | None) -> bool:
    """The moderation pages are for global moderators, administrators and the moderators of any platform."""
    return is_signed_in(user) and (is_global_moderator(user) or bool(platform_rules.access(user).moderates))


def can_moderate_platform(user: User | None, platform: Platform) -> bool:
    """The platform's queue: its moderators, global moderators and administrators."""
    return platform_rules.is_moderator_of(user, platform)


def can_moderate(user: User | None, target: Described) -> bool:
    """Decisions on an item: the moderators of its platform; items outside platforms, global moderators."""
    if target.platform is not None:
        return platform_rules.is_moderator_of(user, target.platform)
    return is_global_moderator(user)


def can_see_item(user: User | None, item: QueueItem) -> bool:
    """A queue item (and the moderator-only text it shows): the moderators of its platform."""
    if is_global_moderator(user):
        return True
    return item.platform_id is not None and item.platform_id in platform_rules.access(user).moderates


def visible_items(user: User | None) -> ColumnElement[bool]:
    """A SQL condition on :class:`QueueItem`: the items ``user`` may see in a queue."""
    platforms = moderated_platform_ids(user)
    if platforms is None:
        return true()
    return QueueItem.platform_id.in_(platforms) if platforms else false()


def is_own(user: User | None, target: Described) -> bool:
    """Whether ``user`` wrote the item (one does not flag one's own words, nor see flags about them)."""
    return is_signed_in(user) and target.author is not None and target.author.id == user.id


def can_flag(user: User | None, target_type: str, item: Any) -> bool:
    """Any signed-in person who may see an item flags it while readers see it, unless they wrote it (for the
    flag link on the pages of any domain)."""
    kind = targets.kind(target_type)
    if kind is None or not is_signed_in(user) or not kind.can_see(user, item):
        return False
    target = kind.describe(item)
    return target.status == "visible" and not is_own(user, target)


def languages_of(user: User) -> tuple[str, ...]:
    """The languages a moderator declared they read (none declared: both)."""
    declared = tuple(code for code in LOCALES if code in (user.moderation_languages or "").split(","))
    return declared or LOCALES


def can_follow_queue(user: User | None, topic: str, platform: Platform | None) -> bool:
    """``moderation:all`` is for global moderators; ``moderation:<slug>`` for the platform's moderators."""
    if not is_signed_in(user):
        return False
    if topic == ALL_TOPIC:
        return is_global_moderator(user)
    return platform is not None and can_moderate_platform(user, platform)
