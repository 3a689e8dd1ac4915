"""Sanctions on people: a warning, a suspension for a period, a ban (administrators only), lifting one, and the
person's single reply contesting it, which enters the moderation queue.

Every sanction is written to the moderation log and told to the person by e-mail in their own language, with
its reason, its end and a link to reply (suspended people cannot sign in, so the link works without). A
suspension ends the person's sessions and cuts their open live connections at once, and lifts itself when its
period is over (``User.suspended_until``). Contested sanctions are moderated through the ``sanction`` target.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from babel import Locale
from babel.dates import format_date, format_time, get_timezone, get_timezone_name
from flask import current_app, has_request_context, url_for
from flask_babel import format_date as format_reader_date
from flask_babel import gettext as _
from sqlalchemy import select, update

from forum.accounts import services as account_services
from forum.accounts.models import User
from forum.core.db import utcnow
from forum.core.errors import ActionRefused
from forum.core.mail import external_url, queue_mail
from forum.core.tokens import InvalidToken, make_token, read_token
from forum.extensions import db
from forum.moderation import log, queue, rules, targets
from forum.moderation.choices import SANCTIONS
from forum.moderation.models import QueueItem, ReasonTemplate, Sanction
from forum.moderation.reasons import text_in
from forum.moderation.sanction_choices import SANCTION_DECISIONS
from forum.moderation.targets import Described

#: the longest suspension for a period, in days (longer: a ban)
MAX_DAYS = 365
#: the longest free-text explanation and contesting reply
TEXT_MAX = 2000
#: how long the reply link of a sanction e-mail works
CONTEST_LINK_MAX_AGE = 90 * 24 * 3600
_LINK_PURPOSE = "sanction"


# --- reading --------------------------------------------------------------------------------------------


def state(sanction: Sanction, now: datetime | None = None) -> str:
    """What the sanction is now: a key of ``sanction_choices.STATES``."""
    now = now or utcnow()
    if sanction.kind == "warning":
        return "withdrawn" if sanction.lifted_at else "issued"
    if sanction.lifted_at is not None:
        return "lifted"
    if sanction.ends_at is not None and sanction.ends_at <= now:
        return "ended"
    return "in_force" if sanction.user.is_suspended else "lifted"


def history(person: User) -> list[Sanction]:
    """The person's sanctions, newest first."""
    return list(db.session.scalars(select(Sanction).where(Sanction.user_id == person.id)
                                   .order_by(Sanction.created_at.desc(), Sanction.id.desc())))


def in_force(person: User) -> list[Sanction]:
    """The person's suspensions and bans that neither ended nor were lifted."""
    now = utcnow()
    return [s for s in history(person) if s.kind != "warning" and s.lifted_at is None
            and (s.ends_at is None or s.ends_at > now)]


def moment(when: datetime, person: User, locale: str | None = None) -> str:
    """``when`` in ``person``'s time zone and language (or ``locale``), whoever is asking: e.g.
    "26 de noviembre de 2026, 10:05 (hora central)"."""
    zone = get_timezone(person.timezone or current_app.config["BABEL_DEFAULT_TIMEZONE"])
    locale = locale or person.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    local = when.astimezone(zone)
    pattern = str(Locale.parse(locale).datetime_formats["long"])
    text = pattern.format(format_time(local, "short", tzinfo=zone, locale=locale),
                          format_date(local, "long", locale=locale))
    return f"{text} ({get_timezone_name(zone, locale=locale)})"


def compose_reason(template: ReasonTemplate | None, text: str, locale: str) -> str:
    """The explanation the person reads: the template's text in their language, then the moderator's words."""
    parts = [text_in(template, locale) if template else "", (text or "").strip()]
    return "\n\n".join(part for part in parts if part)


# --- the person's link ----------------------------------------------------------------------------------


def contest_link(sanction: Sanction) -> str:
    """The absolute address, sent to the person, where they read the sanction and may reply once."""
    token = make_token(_LINK_PURPOSE, {"sid": sanction.id, "uid": sanction.user_id})
    return external_url("moderation.sanction_by_link", token=token)


def sanction_for_link(token: str) -> Sanction:
    """The sanction a reply link was made for; raises InvalidToken when altered, expired or no longer there."""
    payload = read_token(_LINK_PURPOSE, token, CONTEST_LINK_MAX_AGE)
    sanction_id, user_id = payload.get("sid"), payload.get("uid")
    sanction = db.session.get(Sanction, sanction_id) if isinstance(sanction_id, int) else None
    if sanction is None or sanction.user_id != user_id:
        raise InvalidToken
    return sanction


# --- issuing --------------------------------------------------------------------------------------------


def _refused_to_sanction() -> ActionRefused:
    return ActionRefused(_("You cannot sanction this person."), status=403, code="forbidden")


def _reason(person: User, template: ReasonTemplate | None, text: str) -> str:
    text = (text or "").strip()
    if len(text) > TEXT_MAX:
        raise ActionRefused(_("Please write at most %(count)s characters.", count=TEXT_MAX), field="reason")
    reason = compose_reason(template, text, person.locale)
    if not reason:
        raise ActionRefused(_("Please pick a reason template or explain the reason; the person will read it."),
                            field="reason")
    return reason


def _issue(actor: User, person: User, kind: str, reason: str, template: ReasonTemplate | None,
           ends_at: datetime | None = None) -> Sanction:
    sanction = Sanction(user=person, kind=kind, reason=reason, issued_by=actor, ends_at=ends_at)
    db.session.add(sanction)
    db.session.flush()
    log.record(actor, kind, target=describe(sanction), subject=person,
               reason=template.reason if template else None, note=reason)
    return sanction


def _tell(sanction: Sanction, template: str, **context: Any) -> None:
    """E-mail the sanctioned person, in their language."""
    person = sanction.user
    queue_mail(person.email, template, person.locale, user=person, sanction=sanction,
               kind=SANCTIONS[sanction.kind], reason=sanction.reason, issued=moment(sanction.created_at, person),
               until=moment(sanction.ends_at, person) if sanction.ends_at else None, **context)


def warn(actor: User, person: User, *, template: ReasonTemplate | None = None, text: str = "") -> Sanction:
    """Send the person a warning: a private message with the reason. Nothing else changes for them."""
    if not rules.can_sanction(actor, person):
        raise _refused_to_sanction()
    sanction = _issue(actor, person, "warning", _reason(person, template, text), template)
    _tell(sanction, "sanction_warning", contest_url=contest_link(sanction))
    return sanction


def suspend_for(actor: User, person: User, *, days: int | None = None, until: datetime | None = None,
                template: ReasonTemplate | None = None, text: str = "") -> Sanction:
    """Suspend the person for ``days`` days (or until ``until``): they cannot sign in or post, their open
    connections are cut, and the suspension lifts itself when the period ends."""
    if not rules.can_sanction(actor, person):
        raise _refused_to_sanction()
    now = utcnow()
    if until is None:
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
            raise ActionRefused(_("Please give a number of days between 1 and %(max)s.", max=MAX_DAYS),
                                field="days")
        until = now + timedelta(days=days)
    elif until.tzinfo is None or not now < until <= now + timedelta(days=MAX_DAYS):
        raise ActionRefused(_("The end of the suspension must be in the next %(max)s days.", max=MAX_DAYS),
                            field="days")
    reason = _reason(person, template, text)
    if person.is_suspended:
        raise ActionRefused(_("This account is already suspended."), status=409, code="conflict")
    sanction = _issue(actor, person, "suspension", reason, template, ends_at=until)
    account_services.restrict_access(actor, person, reason, until=until)
    _tell(sanction, "sanction_suspension", contest_url=contest_link(sanction))
    return sanction


def ban(actor: User, person: User, *, template: ReasonTemplate | None = None, text: str = "") -> Sanction:
    """Ban the person until an administrator lifts it (administrators only)."""
    if not rules.can_ban(actor, person):
        raise ActionRefused(_("Only administrators can ban people, and not other administrators."), status=403,
                            code="forbidden")
    reason = _reason(person, template, text)
    if person.is_suspended and person.suspended_until is None:
        raise ActionRefused(_("This account is already suspended until further notice."), status=409,
                            code="conflict")
    sanction = _issue(actor, person, "ban", reason, template)
    account_services.restrict_access(actor, person, reason)
    _tell(sanction, "sanction_ban", contest_url=contest_link(sanction))
    return sanction


# --- lifting and upholding ------------------------------------------------------------------------------


def lift(actor: User, sanction: Sanction, *, note: str = "", record: bool = True) -> None:
    """Lift a suspension or ban (or withdraw a warning) before its end, and tell the person. The account is
    given back when no other suspension or ban stands. ``record`` False: the caller logs the decision (the
    moderation queue does, when it decides about a contested sanction)."""
    if sanction.lifted_at is not None:
        raise ActionRefused(_("This sanction has already been lifted."), status=409, code="conflict")
    if not rules.can_lift(actor, sanction):
        raise ActionRefused(_("You cannot lift this sanction."), status=403, code="forbidden")
    if state(sanction) == "ended":
        raise ActionRefused(_("This suspension has already ended."), status=409, code="conflict")
    person = sanction.user
    sanction.lifted_at = utcnow()
    restored = False
    if sanction.kind != "warning" and person.suspended_at is not None:
        remaining = [s for s in in_force(person) if s.id != sanction.id]
        if not remaining:
            account_services.restore_access(actor, person)
            restored = True
        elif all(s.kind == "suspension" for s in remaining):  # a ban lifted over a running suspension
            longest = max(remaining, key=lambda s: s.ends_at)
            person.suspended_until, person.suspension_reason = longest.ends_at, longest.reason
    if record:
        log.record(actor, "lift", target=describe(sanction), subject=person, note=(note or "").strip())
    _tell(sanction, "sanction_lifted", restored=restored, login_url=external_url("accounts.login"))


def uphold(actor: User, sanction: Sanction) -> None:
    """Keep a contested sanction as it is and tell the person their reply was read."""
    if not rules.can_view_sanctions(actor):
        raise ActionRefused(_("Only moderators decide about a contested sanction."), status=403, code="forbidden")
    _tell(sanction, "sanction_upheld")


# --- contesting -----------------------------------------------------------------------------------------


def contest(person: User, sanction: Sanction, text: str) -> QueueItem:
    """The person's one reply contesting ``sanction``; it enters the moderation queue as ``contested``."""
    if sanction.user_id != person.id:
        raise ActionRefused(_("You can only reply to your own sanctions."), status=403, code="forbidden")
    if sanction.contested_at is not None:
        raise ActionRefused(_("You have already replied to this sanction; a moderator will review your reply."),
                            status=409, code="conflict")
    if sanction.lifted_at is not None:
        raise ActionRefused(_("This sanction has been lifted; there is nothing to contest."), status=409,
                            code="conflict")
    text = (text or "").strip()
    if not text:
        raise ActionRefused(_("Please write your reply."), field="text")
    if len(text) > TEXT_MAX:
        raise ActionRefused(_("Please write at most %(count)s characters.", count=TEXT_MAX), field="text")
    now = utcnow()
    changed = db.session.execute(
        update(Sanction).where(Sanction.id == sanction.id, Sanction.contested_at.is_(None))
        .values(contest_text=text, contested_at=now).execution_options(synchronize_session=False)).rowcount
    if not changed:  # another request replied first
        raise ActionRefused(_("You have already replied to this sanction; a moderator will review your reply."),
                            status=409, code="conflict")
    sanction.contest_text, sanction.contested_at = text, now
    return queue.open_item(describe(sanction), "contested")


# --- the ``sanction`` target of the moderation queue ----------------------------------------------------


def _sanction_url(sanction: Sanction) -> str:
    values = {"user_id": sanction.user_id, "_anchor": f"sanction-{sanction.id}"}
    if has_request_context():
        return url_for("moderation.person_sanctions", **values)
    return external_url("moderation.person_sanctions", **values)


def describe(sanction: Sanction) -> Described:
    """What the queue and the log know of a sanction: outside any platform, in the person's language, by the
    person, with their reply as its text and the person's sanctions page as its address."""
    title = _("%(kind)s of %(date)s", kind=SANCTIONS[sanction.kind],
              date=format_reader_date(sanction.created_at or utcnow(), "medium"))
    return Described(type="sanction", id=sanction.id, platform=None, language=sanction.user.locale,
                     author=sanction.user, title=title, text=sanction.contest_text or "",
                     url=_sanction_url(sanction), status="visible")


class SanctionKind:
    """How moderation reaches sanctions: only moderators know of them; a contest is upheld or lifted."""

    decisions = tuple(SANCTION_DECISIONS)

    def load(self, target_id: int) -> Sanction | None:
        """The sanction, or None."""
        return db.session.get(Sanction, target_id)

    def describe(self, item: Sanction) -> Described:
        """See :func:`describe`."""
        return describe(item)

    def can_see(self, user: User | None, item: Sanction) -> bool:
        """Moderators only."""
        return rules.can_view_sanctions(user)

    def apply(self, moderator: User | None, item: Sanction, decision: str, *, reason: str | None,
              **params: Any) -> tuple[str | None, str | None]:
        """``uphold`` keeps the sanction and tells the person; ``lift`` lifts it (the queue logs the decision)."""
        if moderator is None:
            raise ActionRefused(_("Only moderators decide about a contested sanction."), status=403,
                                code="forbidden")
        if decision == "uphold":
            uphold(moderator, item)
        elif decision == "lift":
            lift(moderator, item, record=False)
        else:
            raise ActionRefused(_("This decision does not apply to a sanction."), field="decision")
        return None, None


targets.register("sanction", SanctionKind())
