"""Password hashing (Argon2id) and the password policy: 8 to 256 characters, not a common password."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 8
MAX_LENGTH = 256

_STRONG = PasswordHasher()
#: argon2's cheapest profile, for test suites only (``FORUM_FAST_PASSWORD_HASHING``)
_CHEAP = PasswordHasher.from_parameters(profiles.CHEAPEST)
#: verified against when no account matches, so a missing account takes as long as a wrong password
_DUMMY_HASHES = {id(hasher): hasher.hash("not-a-real-password") for hasher in (_STRONG, _CHEAP)}


def _hasher() -> PasswordHasher:
    return _CHEAP if current_app.config.get("FORUM_FAST_PASSWORD_HASHING") else _STRONG


def hash_password(password: str) -> str:
    """Hash a password with Argon2id."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check ``password`` against ``password_hash`` (or a dummy hash, in the same time, when None)."""
    hasher = _hasher()
    try:
        return hasher.verify(password_hash or _DUMMY_HASHES[id(hasher)], password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher().check_needs_rehash(password_hash)


@cache
def common_passwords() -> frozenset[str]:
    """The list of passwords too common to accept (lower-cased)."""
    text = files("forum.accounts").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problem(password: str, email: str = "") -> str | None:
    """Say what is wrong with a new password, or None when it is acceptable. No composition rules."""
    if len(password) < MIN_LENGTH:
        return str(_l("Use at least %(count)d characters.", count=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("Use at most %(count)d characters.", count=MAX_LENGTH))
    lowered = password.lower()
    if lowered in common_passwords() or (email and lowered in (email.lower(), email.split("@")[0].lower())):
        return str(_l("This password is too common or too easy to guess. Please choose another."))
    return None
