"""Who may follow what, and who may be told of what.

A platform may be followed by whoever may read it, a consultation or an event by whoever may see it (each
domain's own rules answer). Whether a person may hear of an item (now, or still when reading an old
notification) is asked of the item's search kind (``findable``), itself built from its domain's rules: held,
hidden and members-only content never reaches outsiders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select

from forum.accounts.models import User
from forum.consultations import rules as consultation_rules
from forum.consultations.models import Consultation
from forum.core.permissions import is_signed_in
from forum.events import rules as event_rules
from forum.events.models import Event
from forum.extensions import db
from forum.platforms import rules as platform_rules
from forum.platforms.models import Platform
from forum.search import kinds


def targets() -> dict[str, tuple[type, Callable[[User | None, Any], bool]]]:
    """What each followable type is, and the rule saying who may see one."""
    return {"platform": (Platform, platform_rules.can_read),
            "consultation": (Consultation, consultation_rules.can_see),
            "event": (Event, event_rules.can_see)}


def followable_target(user: User | None, target_type: str, target_id: int) -> Any | None:
    """The platform, consultation or event ``user`` may follow, or None (unknown type, no such item, or one
    they may not see: the three look alike)."""
    found = targets().get(target_type)
    if found is None or not is_signed_in(user):
        return None
    model, may_see = found
    target = db.session.get(model, target_id)
    return target if target is not None and may_see(user, target) else None


def visible_subjects(user: User | None, subject_type: str, ids: Iterable[int]) -> set[int]:
    """Which of ``ids`` (items of the search kind ``subject_type``) ``user`` may see now: one query."""
    ids = set(ids)
    kind = kinds.get(subject_type)
    if kind is None or not ids:
        return set()
    findable = kind.findable(user, None).subquery()
    column = next(iter(findable.c))
    return set(db.session.scalars(select(column).where(column.in_(ids))))


def may_email(user: User) -> bool:
    """Whether notifications may be e-mailed to ``user``: a confirmed address and no suspension standing."""
    return user.email_confirmed_at is not None and not user.is_suspended
