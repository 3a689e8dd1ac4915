"""The targets participation is measured against: read them, and let administrators set them. Services check
permissions (``rules``) and input, write and flush; the caller commits once."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from forum.accounts.models import User
from forum.core.db import utcnow
from forum.core.errors import ActionRefused
from forum.extensions import db
from forum.indicators import rules
from forum.indicators.choices import DEFAULT_TARGETS, MEASURES
from forum.indicators.models import Target


def current() -> dict[str, int]:
    """Each measure's target in per cent: the one an administrator set, or the default."""
    found = dict(DEFAULT_TARGETS)
    found.update({target.measure: target.percent for target in db.session.scalars(db.select(Target))})
    return found


def set_target(user: User, measure: str, percent: Any) -> Target:
    """Set the share of participants the programme aims for in one group (a whole number from 0 to 100)."""
    if not rules.can_set_targets(user):
        raise ActionRefused(_("Only administrators may set the targets."), status=403, code="forbidden")
    if measure not in MEASURES:
        raise ActionRefused(_("There is no such target."), status=404, code="not_found")
    text = str(percent).strip() if percent is not None else ""
    if not (text.isascii() and text.isdigit() and len(text) <= 3 and 0 <= int(text) <= 100):
        raise ActionRefused(_("Enter a whole number from 0 to 100."), field=measure)
    target = db.session.get(Target, measure) or Target(measure=measure)
    target.percent, target.updated_at, target.updated_by_id = int(text), utcnow(), user.id
    db.session.add(target)
    db.session.flush()
    return target
