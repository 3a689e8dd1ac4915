"""The e-mail addresses a person used: what a copy of their data gathers mail for, and what deleting their account
erases everywhere."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.core.mail import OutboxMessage
from forum.events.models import Registration
from forum.extensions import db


def used_by(user: User) -> set[str]:
    """Every e-mail address ``user`` used, lower-case: their account's, those on their registrations, and the old
    ones that the notice of a change of address went to (the mail that gives their present address)."""
    found = {user.email.lower()}
    found |= {email.lower() for email in db.session.scalars(
        select(Registration.email).where(Registration.user_id == user.id, Registration.email != ""))}
    subjects = set()
    for language in ("es", "en"):
        with force_locale(language):
            subjects.add(_("Your e-mail address is about to change"))
    found |= {recipient.lower() for recipient in db.session.scalars(select(OutboxMessage.recipient).where(
        OutboxMessage.subject.in_(subjects), func.lower(OutboxMessage.body).contains(user.email.lower(),
                                                                                     autoescape=True)))}
    return found
