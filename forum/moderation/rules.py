"""Who may flag, see the moderation queue, decide on items, follow the queue live, sanction people, manage reason
templates and read the moderation log. The only place these questions are answered for moderation; "is a
moderator of this platform" is asked of ``forum.platforms.rules``.

Moderated items belong to other domains: whether someone may see one at all is the owning domain's answer
(``TargetKind.can_see``); moderation adds who may *act* on it.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true

from forum.accounts import rules as account_rules
from forum.accounts.models import User
from forum.core.permissions import is_admin, is_global_moderator, is_signed_in
from forum.extensions import db
from forum.i18n import LOCALES
from forum.moderation import targets
from forum.moderation.models import ModerationAction, QueueItem, Sanction
from forum.moderation.targets import Described
from forum.platforms import rules as platform_rules
from forum.platforms.models import Platform, PlatformRole

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


# Sanctions, reason templates and the moderation log

def is_moderator(user: User | None) -> bool:
    """A signed-in moderator of any platform, a global moderator or an administrator (as for the queue)."""
    return can_use_queue(user)


def _holds_moderation_duty(person: User) -> bool:
    """Whether ``person`` moderates anywhere, read from the stored roles (so it holds while they are
    suspended, when they count as signed out)."""
    if person.role in ("moderator", "admin"):
        return True
    return db.session.scalar(select(PlatformRole.id).where(
        PlatformRole.user_id == person.id, PlatformRole.role == "moderator").limit(1)) is not None


def can_sanction(actor: User | None, person: User) -> bool:
    """Moderators warn and suspend people for a period; never themselves or an administrator, and only
    administrators sanction someone who moderates."""
    if not is_moderator(actor) or actor.id == person.id or person.role == "admin":
        return False
    return is_admin(actor) or not _holds_moderation_duty(person)


def can_ban(actor: User | None, person: User) -> bool:
    """Bans are for administrators, on anyone but themselves and other administrators."""
    return account_rules.can_suspend(actor, person)


def can_lift(actor: User | None, sanction: Sanction) -> bool:
    """Administrators lift any sanction; moderators lift warnings and suspensions of people they may
    sanction. A sanction already lifted stays lifted."""
    if sanction.lifted_at is not None:
        return False
    if sanction.kind == "ban":
        return is_admin(actor)
    return is_admin(actor) or can_sanction(actor, sanction.user)


def can_contest(person: User | None, sanction: Sanction) -> bool:
    """The sanctioned person replies once, while the sanction has not been lifted. (Suspended people are
    signed out: they reach the form through the link in the message that told them.)"""
    return (person is not None and sanction.user_id == person.id and sanction.contested_at is None
            and sanction.lifted_at is None)


def can_view_sanctions(user: User | None) -> bool:
    """Moderators see people's sanction histories and contested sanctions."""
    return is_moderator(user)


def can_manage_reasons(user: User | None) -> bool:
    """Moderators list, add and edit reason templates."""
    return is_moderator(user)


def can_read_log(user: User | None) -> bool:
    """Moderators (of any platform) and administrators browse the moderation log."""
    return is_moderator(user)


def readable_log(user: User | None) -> ColumnElement[bool]:
    """A SQL condition on :class:`ModerationAction` true for the entries ``user`` may read: every entry for
    global moderators and administrators; for a platform's moderators, that platform's entries and sanctions."""
    if is_global_moderator(user):
        return true()
    ids = platform_rules.access(user).moderates if is_signed_in(user) else frozenset()
    return or_(ModerationAction.platform_id.in_(sorted(ids)), ModerationAction.target_type == "sanction")
