"""Predicates shared by every domain's ``rules.py``. They know users only by their attributes."""

from __future__ import annotations

from typing import Any


def is_signed_in(user: Any) -> bool:
    """True for a logged-in, active user."""
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_admin(user: Any) -> bool:
    """True for a platform administrator."""
    return is_signed_in(user) and getattr(user, "role", None) == "admin"


def is_global_moderator(user: Any) -> bool:
    """True for moderators of every platform (admins moderate everywhere too)."""
    return is_signed_in(user) and getattr(user, "role", None) in ("moderator", "admin")
