"""Who sees which indicators, and which content they count. The only place these questions are answered.

The public page counts what a visitor may read, whoever looks at it, so it is the same for everyone and the same
as the open data. The fuller page, for administrators and officials, counts what its reader may read (members-only
platforms included where they may read them) and adds the detailed breakdowns."""

from __future__ import annotations

from forum.accounts import rules as account_rules
from forum.accounts.models import User
from forum.core.permissions import is_admin, is_signed_in


def can_see_full(user: User | None) -> bool:
    """Administrators and officials (approved members of a verified government organisation), while no
    suspension stands (asked of accounts named on the command line too, which no sign-in has checked)."""
    return is_signed_in(user) and user.is_active and (is_admin(user) or account_rules.is_official(user))


def can_set_targets(user: User | None) -> bool:
    """Administrators set the targets participation is measured against."""
    return is_admin(user)


def counted_for(user: User | None, level: str) -> User | None:
    """Whose view of the content a page at ``level`` counts: a visitor's for the public page and the open data,
    the reader's own for the fuller page."""
    return user if level == "full" and can_see_full(user) else None
