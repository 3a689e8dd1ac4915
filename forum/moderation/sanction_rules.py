"""Who may sanction whom, lift or contest a sanction, manage reason templates and read the moderation log.

They complete :mod:`forum.moderation.rules` (flags, queue, decisions) for this part of moderation and may
be merged into it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select, true

from forum.accounts import rules as account_rules
from forum.accounts.models import User
from forum.core.permissions import is_admin, is_global_moderator, is_signed_in
from forum.extensions import db
from forum.moderation import rules as moderation_rules
from forum.moderation.models import ModerationAction, Sanction
from forum.platforms import rules as platform_rules
from forum.platforms.models import PlatformRole


def is_moderator(user: User | None) -> bool:
    """A signed-in moderator of any platform, a global moderator or an administrator (as for the queue)."""
    return moderation_rules.can_use_queue(user)


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
