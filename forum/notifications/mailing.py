"""Notifications by e-mail: one message at once, in the recipient's language, with the item's address, the link
to the preferences and a one-click unsubscribe link (also sent as ``List-Unsubscribe``).

Unsubscribe links are signed tokens (purpose ``unsubscribe``) naming the person and a kind, or ``digest`` for
the daily summary; they work for a year, without signing in.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from forum.accounts.models import User
from forum.core.errors import ActionRefused
from forum.core.mail import external_url, queue_mail
from forum.core.tokens import ExpiredToken, InvalidToken, make_token, read_token
from forum.extensions import db
from forum.notifications.choices import KINDS
from forum.notifications.models import Notification
from forum.notifications.wording import in_language_of, show

#: how long an unsubscribe link works
UNSUBSCRIBE_MAX_AGE = 365 * 24 * 3600
#: what an unsubscribe link names besides a kind: every kind sent in the daily summary
DIGEST = "digest"


def unsubscribe_url(user: User, subject: str) -> str:
    """The full address that stops e-mails of ``subject`` (a kind, or ``digest``) for ``user``."""
    return external_url("notifications.unsubscribe", token=make_token("unsubscribe", {"user": user.id,
                                                                                       "kind": subject}))


def read_unsubscribe_token(token: str) -> tuple[User, str]:
    """The person and the kind (or ``digest``) an unsubscribe link names; ``ActionRefused`` with 400 when it is
    not a genuine link (or its account is gone) and 410 when it is too old."""
    invalid = ActionRefused(_("This unsubscribe link is not valid. Change your e-mail preferences after signing "
                              "in."), status=400, code="invalid_token")
    try:
        payload = read_token("unsubscribe", token, UNSUBSCRIBE_MAX_AGE)
    except ExpiredToken as error:
        raise ActionRefused(_("This unsubscribe link has expired. Change your e-mail preferences after signing "
                              "in."), status=410, code="expired_token") from error
    except InvalidToken as error:
        raise invalid from error
    user_id, subject = payload.get("user"), payload.get("kind")
    if not isinstance(user_id, int) or not (subject == DIGEST or (subject in KINDS and KINDS[subject].has_preference)):
        raise invalid
    user = db.session.get(User, user_id)
    if user is None:
        raise invalid
    return user, subject


def send_now(deliveries: Sequence[tuple[Notification, User]]) -> None:
    """Queue one e-mail per (notification, recipient), each in the recipient's language."""
    for notification, person in deliveries:
        with in_language_of(person):
            [shown] = show(person, [notification])
            link = unsubscribe_url(person, notification.kind)
            queue_mail(person.email, "notification", person.locale, unsubscribe_url=link, unsubscribe_link=link,
                       person=person, shown=shown, preferences_url=external_url("notifications.preferences"))
