"""Every change to accounts: registration, confirmation, sign-in, passwords, e-mail, profile, roles and
suspension. Services check permissions and input, write and flush; the caller commits once.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime
from enum import Enum

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from forum.accounts import rules
from forum.accounts.audit import record
from forum.accounts.choices import AGE_RANGES, GENDERS, ROLES, SECTORS, STATES, TIMEZONES
from forum.accounts.models import Organisation, User
from forum.accounts.organisations import propose_organisation, request_membership
from forum.accounts.passwords import hash_password, needs_rehash, password_problem, verify_password
from forum.accounts.sessions import end_sessions
from forum.core.db import utcnow
from forum.core.errors import ActionRefused
from forum.core.mail import external_url, queue_mail
from forum.core.realtime import disconnect_user, publish, user_topic
from forum.core.tokens import InvalidToken, make_token, read_token
from forum.extensions import db


class LoginOutcome(Enum):
    """What :func:`authenticate` found."""

    OK = "ok"
    INVALID = "invalid"
    UNCONFIRMED = "unconfirmed"
    SUSPENDED = "suspended"


def normalise_email(email: str) -> str:
    """E-mail addresses are compared and stored trimmed and lower-cased."""
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    """The account registered with ``email``, if any."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _check_choice(value: str | None, vocabulary, field: str, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if value not in vocabulary:
        raise ActionRefused(_("Please choose one of the options offered."), field=field)


def _check_profile(fields: dict) -> None:
    _check_choice(fields.get("sector"), SECTORS, "sector")
    _check_choice(fields.get("state"), STATES, "state")
    _check_choice(fields.get("locale"), ("es", "en"), "locale")
    _check_choice(fields.get("timezone"), TIMEZONES, "timezone")
    _check_choice(fields.get("gender"), GENDERS, "gender", optional=True)
    _check_choice(fields.get("age_range"), AGE_RANGES, "age_range", optional=True)
    if not (fields.get("display_name") or "").strip():
        raise ActionRefused(_("Please enter the name others will see."), field="display_name")


def handle_for(display_name: str) -> str:
    """A free ``@handle`` made from a name: "Rosa López" becomes ``rosa.lopez`` (then ``rosa.lopez2``…)."""
    ascii_name = unicodedata.normalize("NFKD", display_name).encode("ascii", "ignore").decode().lower()
    base = ".".join(re.findall(r"[a-z0-9]+", ascii_name))[:30].strip(".") or "persona"
    base = base if len(base) >= 3 else f"{base}.user"
    taken = set(db.session.scalars(select(User.handle).where(User.handle.like(f"{base}%"))))
    handle, n = base, 1
    while handle in taken:
        n += 1
        handle = f"{base}{n}"
    return handle


def create_user(*, email: str, password: str, display_name: str, sector: str, state: str,
                locale: str = "es", timezone: str | None = None, role: str = "participant",
                position: str = "", gender: str | None = None, gender_description: str | None = None,
                age_range: str | None = None, confirmed: bool = False) -> User:
    """Create an account after checking every field; refuses an e-mail address already registered."""
    email = normalise_email(email)
    timezone = timezone or current_app.config["BABEL_DEFAULT_TIMEZONE"]
    fields = dict(sector=sector, state=state, locale=locale, timezone=timezone, gender=gender,
                  age_range=age_range, display_name=display_name)
    _check_profile(fields)
    _check_choice(role, ROLES, "role")
    problem = password_problem(password, email)
    if problem:
        raise ActionRefused(problem, field="password")
    if find_user_by_email(email):
        raise ActionRefused(_("An account with this e-mail address already exists."), status=409,
                            code="email_taken", field="email")
    user = User(
        email=email, password_hash=hash_password(password), display_name=display_name.strip(),
        handle=handle_for(display_name),
        position=position.strip(), role=role,
        gender_description=(gender_description or "").strip() or None if gender == "self_described" else None,
        email_confirmed_at=utcnow() if confirmed else None, **{k: v for k, v in fields.items()
                                                               if k != "display_name"},
    )
    db.session.add(user)
    db.session.flush()
    return user


def register(*, email: str, password: str, organisation: Organisation | None = None,
             new_organisation: dict | None = None, **profile) -> User | None:
    """Open an account and send the confirmation link. The newcomer has accepted the privacy notice in force
    (the form asks): the account records its version and the moment.

    When the address is already registered nothing is created and its owner is told by e-mail, so the
    answer on screen is the same either way (no account enumeration). Returns the new user or None.
    """
    existing = find_user_by_email(email)
    if existing is not None:
        queue_mail(existing.email, "account_exists", existing.locale, user=existing,
                   login_url=external_url("accounts.login"), reset_url=external_url("accounts.reset_request"))
        return None
    user = create_user(email=email, password=password, **profile)
    from forum.personal_data import consent  # here: the personal-data package builds on this one's models

    consent.accept(user)
    if new_organisation:
        organisation = propose_organisation(user, **new_organisation)
    if organisation is not None:
        request_membership(user, organisation)
    send_confirmation(user)
    return user


def send_confirmation(user: User) -> None:
    """Mail a signed link that confirms the user's address (valid for ``FORUM_CONFIRM_MAX_AGE``)."""
    token = make_token("confirm", {"uid": user.id, "email": user.email})
    queue_mail(user.email, "confirm_email", user.locale, user=user,
               url=external_url("accounts.confirm_email", token=token))


def resend_confirmation(email: str) -> None:
    """Send the confirmation link again to an unconfirmed account; silently nothing otherwise."""
    user = find_user_by_email(email)
    if user is not None and user.email_confirmed_at is None and user.is_active:
        send_confirmation(user)


def confirm_email(token: str) -> User:
    """Confirm the address a confirmation link was sent to. A link works once."""
    payload = read_token("confirm", token, current_app.config["FORUM_CONFIRM_MAX_AGE"])
    user = db.session.get(User, payload.get("uid")) if isinstance(payload.get("uid"), int) else None
    if user is None or user.email != payload.get("email"):
        raise InvalidToken
    if user.email_confirmed_at is not None:
        raise ActionRefused(_("This address is already confirmed. You can sign in."), code="already_confirmed")
    user.email_confirmed_at = utcnow()
    return user


def authenticate(email: str, password: str) -> tuple[LoginOutcome, User | None]:
    """Check credentials. A wrong password and an unknown address give the same outcome, in the same time."""
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return LoginOutcome.INVALID, None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    if user.is_suspended:
        return LoginOutcome.SUSPENDED, user
    if user.email_confirmed_at is None:
        return LoginOutcome.UNCONFIRMED, user
    user.last_login_at = utcnow()
    return LoginOutcome.OK, user


def _credential_fingerprint(user: User) -> str:
    """Changes whenever the password or the e-mail address changes, which voids outstanding links."""
    return hashlib.sha256(f"{user.password_hash}|{user.email}".encode()).hexdigest()[:24]


def request_password_reset(email: str) -> None:
    """Mail a reset link if an active account has this address; do nothing visible otherwise."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    token = make_token("reset", {"uid": user.id, "fp": _credential_fingerprint(user)})
    queue_mail(user.email, "reset_password", user.locale, user=user,
               url=external_url("accounts.reset_password", token=token),
               minutes=current_app.config["FORUM_RESET_MAX_AGE"] // 60)


def user_for_reset_link(token: str) -> User:
    """The user a reset link belongs to; raises InvalidToken once used, or after a password/e-mail change."""
    payload = read_token("reset", token, current_app.config["FORUM_RESET_MAX_AGE"])
    user = db.session.get(User, payload.get("uid")) if isinstance(payload.get("uid"), int) else None
    if user is None or not user.is_active or payload.get("fp") != _credential_fingerprint(user):
        raise InvalidToken
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through a reset link; the link proves the address, so it also confirms it."""
    user = user_for_reset_link(token)
    set_password(user, new_password)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    return user


def set_password(user: User, new_password: str) -> None:
    """Replace the password and end every other session."""
    problem = password_problem(new_password, user.email)
    if problem:
        raise ActionRefused(problem, field="password")
    user.password_hash = hash_password(new_password)
    end_sessions(user, keep_current=True)


def _require_current_password(user: User, password: str) -> None:
    if not verify_password(user.password_hash, password):
        raise ActionRefused(_("Your current password is not correct."), field="current_password")


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password after checking the current one."""
    _require_current_password(user, current_password)
    set_password(user, new_password)


def request_email_change(user: User, current_password: str, new_email: str) -> None:
    """Send a confirmation link to the new address; the change happens when it is followed."""
    _require_current_password(user, current_password)
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise ActionRefused(_("This is already your e-mail address."), field="email")
    if find_user_by_email(new_email) is not None:
        queue_mail(new_email, "email_change_taken", user.locale, user=user)
        return
    token = make_token("email", {"uid": user.id, "new": new_email, "fp": _credential_fingerprint(user)})
    queue_mail(new_email, "email_change", user.locale, user=user,
               url=external_url("accounts.confirm_email_change", token=token))
    queue_mail(user.email, "email_change_notice", user.locale, user=user, new_email=new_email)


def confirm_email_change(token: str) -> User:
    """Apply an e-mail change from its link; a link works once and not after a password change."""
    payload = read_token("email", token, current_app.config["FORUM_EMAIL_CHANGE_MAX_AGE"])
    user = db.session.get(User, payload.get("uid")) if isinstance(payload.get("uid"), int) else None
    if user is None or payload.get("fp") != _credential_fingerprint(user) or not payload.get("new"):
        raise InvalidToken
    if find_user_by_email(payload["new"]) is not None:
        raise ActionRefused(_("Another account now uses this address."), status=409, code="email_taken")
    user.email = payload["new"]
    user.email_confirmed_at = utcnow()
    return user


def update_profile(user: User, **fields) -> None:
    """Save the profile fields of the settings page (self-declared data included, all optional)."""
    _check_profile({**fields, "display_name": fields.get("display_name")})
    for name in ("display_name", "position"):
        setattr(user, name, (fields.get(name) or "").strip())
    for name in ("sector", "state", "locale", "timezone", "gender", "age_range"):
        setattr(user, name, fields.get(name))
    description = (fields.get("gender_description") or "").strip()
    user.gender_description = description or None if user.gender == "self_described" else None


def set_locale(user: User, locale: str) -> None:
    """Remember the interface language the user picked."""
    _check_choice(locale, ("es", "en"), "locale")
    user.locale = locale


def change_role(actor: User, user: User, role: str) -> None:
    """Give ``user`` another role; recorded in the audit log."""
    if not rules.can_change_role(actor, user):
        raise ActionRefused(_("You cannot change this person's role."), status=403, code="forbidden")
    _check_choice(role, ROLES, "role")
    if role == user.role:
        return
    record(actor, "role_changed", user=user, old=user.role, new=role)
    if user.role in ("moderator", "admin") and role not in ("moderator", "admin"):
        disconnect_user(user.id)  # live subscriptions held as a moderator end; pages reconnect with the new role
    user.role = role


def restrict_access(actor: User | None, user: User, reason: str, *, until: datetime | None = None) -> None:
    """Cut an account off until ``until`` (None: until lifted): it cannot sign in, its sessions end and its open
    live connections close once the transaction commits; recorded in the audit log. No permission check and no
    message: callers check their own rule and tell the person (:func:`suspend`, moderation's sanctions)."""
    user.suspended_at = utcnow()
    user.suspended_until = until
    user.suspension_reason = reason
    end_sessions(user)
    record(actor, "suspended", user=user, note=reason)
    publish(user_topic(user.id), "session.ended", {"reason": "suspended"})
    disconnect_user(user.id)


def restore_access(actor: User | None, user: User) -> None:
    """Give a restricted account back (recorded in the audit log). No permission check and no message."""
    user.suspended_at = None
    user.suspended_until = None
    user.suspension_reason = None
    record(actor, "unsuspended", user=user)


def suspend(actor: User, user: User, reason: str) -> None:
    """Suspend an account: it cannot sign in, its sessions and live connections end, the person is told why."""
    if not rules.can_suspend(actor, user):
        raise ActionRefused(_("You cannot suspend this account."), status=403, code="forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Please give the reason; the person will read it."), field="reason")
    if user.is_suspended:
        raise ActionRefused(_("This account is already suspended."), status=409, code="conflict")
    restrict_access(actor, user, reason)
    queue_mail(user.email, "suspended", user.locale, user=user, reason=reason)


def unsuspend(actor: User, user: User) -> None:
    """Lift a suspension and tell the person."""
    if not rules.can_manage_users(actor):
        raise ActionRefused(_("You cannot lift this suspension."), status=403, code="forbidden")
    if not user.is_suspended:
        raise ActionRefused(_("This account is not suspended."), status=409, code="conflict")
    restore_access(actor, user)
    queue_mail(user.email, "unsuspended", user.locale, user=user,
               login_url=external_url("accounts.login"))

