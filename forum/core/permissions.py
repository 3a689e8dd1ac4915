"""Predicates shared by every domain's ``rules.py``. They know users only by their attributes."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required


def is_signed_in(user: Any) -> bool:
    """True for a logged-in, active user."""
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_admin(user: Any) -> bool:
    """True for a platform administrator."""
    return is_signed_in(user) and getattr(user, "role", None) == "admin"


def is_global_moderator(user: Any) -> bool:
    """True for moderators of every platform (admins moderate everywhere too)."""
    return is_signed_in(user) and getattr(user, "role", None) in ("moderator", "admin")


def allowed_if(rule: Callable[[Any], bool]) -> Callable:
    """View decorator: visitors go to the sign-in page; signed-in people for whom ``rule(user)`` is false get
    403 (``rule`` comes from a domain's ``rules.py``)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if not rule(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate
