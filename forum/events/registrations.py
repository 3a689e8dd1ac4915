"""Every change to registrations: registering, the waiting list, approval by the organisers, cancellation (also
through the single-use link in each message), check-in and messages to registrants. Services check permissions
(``rules``) and input, write and flush; the caller commits once.

Seats are never given twice: every change that gives or frees seats first updates the event's row
(:func:`_take_turn`). On PostgreSQL that row lock makes concurrent requests for the same event wait; on SQLite
the update takes the database's write lock before the seats are counted. Either way the count is read after the
previous change was committed, so capacity and sector quotas hold under any number of simultaneous requests.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from flask_babel import format_date, format_time
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select, update

from forum.accounts.choices import ORGANISATION_TYPES, SECTORS, STATES
from forum.accounts.models import User
from forum.accounts.rules import approved_memberships
from forum.core import validation
from forum.core.db import utcnow
from forum.core.errors import ActionRefused
from forum.core.mail import external_url, queue_mail
from forum.core.tokens import InvalidToken, make_token, read_token
from forum.events import calendar, checkin_codes, live, rules
from forum.events.choices import AUDIENCES, CHOICE_TYPES
from forum.events.models import Event, Registration
from forum.extensions import db
from forum.i18n import current_locale, localized
from forum.notifications import services as notifications

ACTIVE = ("pending", "confirmed", "waitlisted")
#: letters and digits that cannot be mistaken for one another when read aloud or typed from paper
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
CANCEL_PURPOSE = "event-registration-cancel"
#: cancellation links work for this long (and only once, and only while the registration is active)
CANCEL_LINK_AGE = 400 * 24 * 3600
TEXT_MAX = 200
LONG_TEXT_MAX = 5_000
MESSAGE_SUBJECT_MAX = 200
MESSAGE_BODY_MAX = 10_000
#: how long after the event ends attendance may still be marked
CHECK_IN_GRACE = timedelta(days=1)
#: the capacity alerts sent to the organisers, in per cent of seats taken
ALERTS = (80, 100)


def _refused(message: str, *, status: int = 400, code: str = "invalid", field: str | None = None) -> ActionRefused:
    return ActionRefused(message, status=status, code=code, field=field)


def _not_found() -> ActionRefused:
    return ActionRefused(_("Not found."), status=404, code="not_found")


# --- seats ----------------------------------------------------------------------------------------------------


def _take_turn(event: Event) -> None:
    """Wait for, then hold, the right to change this event's seats until the transaction ends (see the module
    docstring), and read the event again as the previous change left it."""
    db.session.execute(update(Event).where(Event.id == event.id).values(seats_version=Event.seats_version + 1)
                       .execution_options(synchronize_session=False))
    db.session.refresh(event)


def waitlist_position(registration: Registration) -> int | None:
    """Where a waiting registration stands in line (1: next), in the order seats are given; None otherwise."""
    if registration.status != "waitlisted" or registration.waitlisted_at is None:
        return None
    ahead = db.session.scalar(select(func.count()).where(
        Registration.event_id == registration.event_id, Registration.status == "waitlisted",
        or_(Registration.waitlisted_at < registration.waitlisted_at,
            and_(Registration.waitlisted_at == registration.waitlisted_at, Registration.id < registration.id))))
    return (ahead or 0) + 1


def confirmed_by_sector(event: Event) -> dict[str, int]:
    """Confirmed seats of each sector."""
    rows = db.session.execute(select(Registration.sector, func.count()).where(
        Registration.event_id == event.id, Registration.status == "confirmed").group_by(Registration.sector))
    return {sector: count for sector, count in rows}


def _reservation_holds(quota, now: datetime) -> bool:
    return bool(quota.reserved) and (quota.reserved_until is None or quota.reserved_until > now)


def has_seat_for(event: Event, sector: str, taken: dict[str, int], now: datetime | None = None) -> bool:
    """Whether one more person of ``sector`` fits: within capacity (less the seats still kept for other
    sectors) and within the sector's own maximum."""
    now = now or utcnow()
    quota = next((q for q in event.quotas if q.sector == sector), None)
    if quota is not None and quota.maximum is not None and taken.get(sector, 0) >= quota.maximum:
        return False
    if event.capacity is None:
        return True
    free = event.capacity - sum(taken.values())
    for other in event.quotas:
        if other.sector != sector and _reservation_holds(other, now):
            free -= max(0, other.reserved - taken.get(other.sector, 0))
    return free > 0


def counts_of(event_ids: list[int]) -> tuple[dict[int, dict[str, int]], dict[int, int]]:
    """For a page of events at once (one query): the confirmed seats of each sector, and the people on the
    waiting list, by event id."""
    taken: dict[int, dict[str, int]] = {}
    waiting: dict[int, int] = {}
    if not event_ids:
        return taken, waiting
    rows = db.session.execute(select(Registration.event_id, Registration.status, Registration.sector, func.count())
                              .where(Registration.event_id.in_(event_ids),
                                     Registration.status.in_(("confirmed", "waitlisted")))
                              .group_by(Registration.event_id, Registration.status, Registration.sector))
    for event_id, status, sector, count in rows:
        if status == "confirmed":
            taken.setdefault(event_id, {})[sector] = count
        else:
            waiting[event_id] = waiting.get(event_id, 0) + count
    return taken, waiting


def seats_left(event: Event, taken: dict[str, int] | None = None) -> int | None:
    """Seats not yet confirmed to anyone (None: unlimited)."""
    if event.capacity is None:
        return None
    taken = confirmed_by_sector(event) if taken is None else taken
    return max(0, event.capacity - sum(taken.values()))


def waiting_count(event: Event) -> int:
    """People on the waiting list."""
    return db.session.scalar(select(func.count()).where(Registration.event_id == event.id,
                                                        Registration.status == "waitlisted")) or 0


def _confirm(registration: Registration, now: datetime) -> None:
    registration.status = "confirmed"
    registration.confirmed_at = now
    registration.waitlisted_at = None
    registration.updated_at = now


def _waitlist(registration: Registration, now: datetime) -> None:
    registration.status = "waitlisted"
    registration.waitlisted_at = now
    registration.updated_at = now


def _allocate(registration: Registration, taken: dict[str, int], now: datetime) -> None:
    """Give a seat when one fits, else a place at the end of the waiting list."""
    if has_seat_for(registration.event, registration.sector, taken, now):
        _confirm(registration, now)
        taken[registration.sector] = taken.get(registration.sector, 0) + 1
    else:
        _waitlist(registration, now)


def fill_seats(event: Event) -> list[Registration]:
    """Promote people from the waiting list, first come first served, while seats fit them (someone whose
    sector is at its limit keeps their place while those after them move up). The caller has taken its turn.
    Returns the promoted registrations, each told by e-mail (with the ticket) and in the notification centre."""
    if event.status != "published" or event.starts_at <= utcnow():
        return []
    now = utcnow()
    taken = confirmed_by_sector(event)
    promoted = []
    waiting = db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.status == "waitlisted")
        .order_by(Registration.waitlisted_at, Registration.id))
    for registration in waiting:
        if event.capacity is not None and seats_left(event, taken) == 0:
            break
        if has_seat_for(event, registration.sector, taken, now):
            _confirm(registration, now)
            taken[registration.sector] = taken.get(registration.sector, 0) + 1
            promoted.append(registration)
            _tell(registration, "promoted")
            if registration.user is not None:
                notifications.notify([registration.user], "waitlist_promoted", subject_type="event",
                                     subject_id=event.id, by_email=False)
    return promoted


def release_seats(event: Event) -> list[Registration]:
    """Take a turn and promote whoever now fits: after capacity grew, a quota changed or a reservation lapsed."""
    _take_turn(event)
    promoted = fill_seats(event)
    _after_seats_changed(event)
    return promoted


def _after_seats_changed(event: Event) -> None:
    """Alert the organisers at 80% and 100% of capacity, and send the new counts to the event's live page."""
    taken = confirmed_by_sector(event)
    if event.capacity:
        share = sum(taken.values()) * 100 // event.capacity
        reached = max((level for level in ALERTS if share >= level), default=0)
        if reached > event.capacity_alert:
            organiser = event.organiser
            if organiser is not None and organiser.is_active:
                queue_mail(organiser.email, "event_capacity", organiser.locale, user=organiser, event=event,
                           level=reached, confirmed=sum(taken.values()),
                           url=external_url("events.attendees", event_id=event.id))
        event.capacity_alert = reached
    live.seats_changed(event, seats_left(event, taken), waiting_count(event))


# --- registering ----------------------------------------------------------------------------------------------


def _when(moment: datetime) -> str:
    """A date and time to the minute, in the reader's zone."""
    return f"{format_date(moment, 'medium')}, {format_time(moment, 'short')}"


def closed_reason(event: Event, now: datetime | None = None) -> str | None:
    """Why registration is not possible right now, in the reader's language (None: it is open)."""
    now = now or utcnow()
    if event.status == "cancelled":
        return _("This event has been cancelled.")
    if event.status != "published":
        return _("This event is not published yet.")
    if event.starts_at <= now:
        return _("This event has already started; registration is closed.")
    if event.registration_closed:
        return _("The organisers have closed registration.")
    if event.registration_opens_at is not None and event.registration_opens_at > now:
        return _("Registration opens on %(date)s.", date=_when(event.registration_opens_at))
    if event.registration_closes_at is not None and event.registration_closes_at <= now:
        return _("Registration closed on %(date)s.", date=_when(event.registration_closes_at))
    return None


def registration_of(user: User | None, event: Event) -> Registration | None:
    """The person's registration for the event, whatever its status (None: never registered)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Registration).where(Registration.event_id == event.id,
                                                        Registration.user_id == user.id))


def profile_defaults(user: User) -> dict:
    """What the registration form starts with: the person's profile and first approved organisation."""
    memberships = approved_memberships(user)
    organisation = memberships[0].organisation if memberships else None
    return {
        "organisation_name": localized(organisation, "name")[0] if organisation else "",
        "organisation_kind": organisation.kind if organisation else None,
        "sector": user.sector, "state": user.state, "position": user.position,
    }


def _choice(value: Any, vocabulary: dict, field: str, *, optional: bool = False) -> str | None:
    if optional and value in (None, ""):
        return None
    if not isinstance(value, str) or value not in vocabulary:
        raise _refused(_("Please choose one of the options offered."), field=field)
    return value


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "y", "on")
    return value is True


def _option_index(value: Any, options: list, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _refused(_("Please choose one of the options offered."), field=field)
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 3 or int(text) >= len(options):
        raise _refused(_("Please choose one of the options offered."), field=field)
    return int(text)


def read_answers(event: Event, given: Any) -> dict[str, Any]:
    """Check the answers to the organisers' questions: ``{question id: answer}`` with text for text questions,
    an option index for a single choice, a list of indexes for a multiple choice and true/false for yes/no.
    Required questions must be answered; unknown questions are refused."""
    if given is None:
        given = {}
    if not isinstance(given, dict):
        raise _refused(_("Send the answers as an object: question id → answer."), field="answers")
    known = {str(q.id): q for q in event.questions}
    for key in given:
        if str(key) not in known:
            raise _refused(_("There is no question %(id)s on this form.", id=str(key)[:20]), field="answers")
    answers: dict[str, Any] = {}
    for key, question in known.items():
        field = f"question_{key}"
        value = given.get(key, given.get(int(key)) if key.isdigit() else None)
        empty = value in (None, "", []) or (question.kind == "yes_no" and value in ("",))
        if empty:
            if question.required:
                raise _refused(_("Please answer this question."), field=field)
            continue
        if question.kind == "short_text":
            answers[key] = validation.text(value, field, TEXT_MAX)
        elif question.kind == "long_text":
            answers[key] = validation.text(value, field, LONG_TEXT_MAX)
        elif question.kind == "single_choice":
            answers[key] = _option_index(value, question.options, field)
        elif question.kind == "multiple_choice":
            values = value if isinstance(value, list) else [value]
            answers[key] = sorted({_option_index(v, question.options, field) for v in values})
        else:  # yes_no
            answers[key] = _flag(value)
        if answers[key] in ("", []) and question.required:
            raise _refused(_("Please answer this question."), field=field)
    return answers


def answer_text(question, answer: Any) -> str:
    """An answer as the organisers read it, in their language."""
    if answer is None:
        return ""
    if question.kind in CHOICE_TYPES:
        indexes = answer if isinstance(answer, list) else [answer]
        return "; ".join(localized_option(question, i) for i in indexes)
    if question.kind == "yes_no":
        return _("Yes") if answer else _("No")
    return str(answer)


def localized_option(question, index: int) -> str:
    """The label of option ``index`` of a choice question in the reader's language."""
    if not 0 <= index < len(question.options):
        return ""
    option = question.options[index]
    wanted = current_locale()
    return option.get(wanted) or option.get("en" if wanted == "es" else "es") or ""


def _new_code(event: Event) -> str:
    """A check-in code no other registration of the event has (32^6 possibilities: a clash is rare)."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        taken = db.session.scalar(select(Registration.id).where(Registration.event_id == event.id,
                                                                Registration.code == code))
        if taken is None:
            return code


def register(user: User, event: Event, *, organisation_name: str = "", organisation_kind: str | None = None,
             sector: str | None = None, state: str | None = None, position: str = "",
             accessibility_needs: str = "", interpretation_needed: Any = False, listed: Any = False,
             answers: Any = None) -> tuple[Registration, bool]:
    """Register ``user``: a seat when one fits (or, with approval by the organisers, a request), else a place
    on the waiting list. Registering twice gives the same registration back. Returns (registration, created).
    """
    if not rules.can_see(user, event):
        raise _not_found()
    reason = closed_reason(event)
    if reason:
        raise _refused(reason, status=409, code="registration_closed")
    if not rules.may_register(user, event):
        raise _refused(_("Only members of this event's platforms may register."), status=403, code="forbidden")
    fields = {
        "organisation_name": validation.text(organisation_name, "organisation_name", 200),
        "organisation_kind": _choice(organisation_kind, ORGANISATION_TYPES, "organisation_kind", optional=True),
        "sector": _choice(sector if sector is not None else user.sector, SECTORS, "sector"),
        "state": _choice(state, STATES, "state", optional=True),
        "position": validation.text(position, "position", 120),
        "accessibility_needs": validation.text(accessibility_needs, "accessibility_needs", 1_000),
        "interpretation_needed": _flag(interpretation_needed) and event.interpretation,
        "listed": _flag(listed),
        "answers": read_answers(event, answers),
    }
    _take_turn(event)
    reason = closed_reason(event)  # read again: the organisers may have closed it meanwhile
    if reason:
        raise _refused(reason, status=409, code="registration_closed")
    registration = registration_of(user, event)
    if registration is not None and registration.status in ACTIVE:
        return registration, False
    if registration is not None and registration.status == "declined":
        raise _refused(_("The organisers declined your registration for this event. Contact them if you think "
                         "this is a mistake."), status=409, code="declined")
    now = utcnow()
    if registration is None:
        registration = Registration(event=event, user_id=user.id, created_at=now, status="pending")
        db.session.add(registration)
    for name, value in fields.items():
        setattr(registration, name, value)
    registration.name, registration.email, registration.locale = user.display_name, user.email, user.locale
    registration.gender, registration.age_range = user.gender, user.age_range
    registration.code = _new_code(event)
    registration.token_nonce = secrets.token_hex(8)
    registration.cancelled_at = registration.confirmed_at = registration.attended_at = None
    if event.approval == "organiser":
        registration.status, registration.updated_at = "pending", now
    else:
        _allocate(registration, confirmed_by_sector(event), now)
    db.session.flush()
    _tell(registration, {"pending": "pending", "confirmed": "confirmed", "waitlisted": "waitlisted"}[
        registration.status])
    _after_seats_changed(event)
    return registration, True


# --- cancelling -----------------------------------------------------------------------------------------------


def cancel_link(registration: Registration) -> str:
    """The single-use address that cancels this registration without signing in."""
    token = make_token(CANCEL_PURPOSE, {"r": registration.id, "n": registration.token_nonce})
    return external_url("events.cancel_by_link", token=token)


def registration_for_link(token: str) -> Registration:
    """The active registration a cancellation link names; refused once used, expired or altered."""
    try:
        payload = read_token(CANCEL_PURPOSE, token, CANCEL_LINK_AGE)
    except InvalidToken as error:
        raise _refused(_("This cancellation link is invalid or has expired. Sign in to manage your "
                         "registration."), code="invalid_link") from error
    registration = db.session.get(Registration, payload.get("r")) if isinstance(payload.get("r"), int) else None
    if (registration is None or registration.status not in ACTIVE or not registration.token_nonce
            or not secrets.compare_digest(str(payload.get("n")), registration.token_nonce)):
        raise _refused(_("This cancellation link has already been used, or the registration is no longer "
                         "active."), code="invalid_link")
    return registration


def cancel(registration: Registration, *, by: User | None = None) -> list[Registration]:
    """Cancel a registration (its owner, or anyone holding its single-use link when ``by`` is None) and give a
    freed seat to the first who fits on the waiting list. Returns the people promoted."""
    if by is not None and not rules.can_cancel(by, registration):
        raise _not_found()
    event = registration.event
    _take_turn(event)
    db.session.refresh(registration)
    if registration.status not in ACTIVE:
        raise _refused(_("This registration is no longer active."), status=409, code="not_active")
    if event.ends_at <= utcnow():
        raise _refused(_("This event is over; its registrations can no longer be changed."), status=409,
                       code="event_over")
    held_seat = registration.status == "confirmed"
    now = utcnow()
    registration.status, registration.cancelled_at, registration.updated_at = "cancelled", now, now
    registration.token_nonce = None
    registration.waitlisted_at = None
    _tell(registration, "cancelled")
    promoted = fill_seats(event) if held_seat else []
    _after_seats_changed(event)
    return promoted


# --- the organisers' decisions --------------------------------------------------------------------------------


def _managed(actor: User, registration: Registration) -> Event:
    event = registration.event
    if not rules.can_manage(actor, event):
        raise _not_found()
    return event


def approve(actor: User, registration: Registration) -> Registration:
    """Accept a registration awaiting approval: a seat if one fits, else the waiting list."""
    event = _managed(actor, registration)
    _take_turn(event)
    db.session.refresh(registration)
    if event.status != "published" or event.starts_at <= utcnow():
        raise _refused(_("Registrations can only be accepted for a published event that has not started."),
                       status=409, code="not_open")
    if registration.status != "pending":
        raise _refused(_("Only registrations awaiting approval can be accepted."), status=409, code="not_pending")
    _allocate(registration, confirmed_by_sector(event), utcnow())
    _tell(registration, registration.status)
    _after_seats_changed(event)
    return registration


def decline(actor: User, registration: Registration) -> list[Registration]:
    """Decline an active registration (a freed seat goes to the waiting list). Returns the people promoted."""
    event = _managed(actor, registration)
    _take_turn(event)
    db.session.refresh(registration)
    if registration.status not in ACTIVE:
        raise _refused(_("This registration is no longer active."), status=409, code="not_active")
    if event.ends_at <= utcnow():
        raise _refused(_("This event is over; its registrations can no longer be changed."), status=409,
                       code="event_over")
    held_seat = registration.status == "confirmed"
    now = utcnow()
    registration.status, registration.updated_at, registration.token_nonce = "declined", now, None
    registration.waitlisted_at = None
    _tell(registration, "declined")
    promoted = fill_seats(event) if held_seat else []
    _after_seats_changed(event)
    return promoted


# --- check-in -------------------------------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    """A code as typed or scanned: spaces and dashes dropped, upper case."""
    return "".join(c for c in (code or "").upper() if c.isalnum())[:CODE_LENGTH * 2]


def registration_by_code(event: Event, code: str) -> Registration | None:
    """The confirmed registration with this check-in code."""
    code = normalise_code(code)
    if not code:
        return None
    return db.session.scalar(select(Registration).where(Registration.event_id == event.id,
                                                        Registration.code == code,
                                                        Registration.status == "confirmed"))


def check_in_closes(event: Event) -> datetime:
    """When attendance can no longer be marked or undone: a day after the event ends (for lists kept on paper).
    From then on attendance is final, and the figures of self-declared data are shown (see ``figures``)."""
    return event.ends_at + CHECK_IN_GRACE


def check_in(actor: User, registration: Registration, *, attended: bool = True) -> Registration:
    """Mark a confirmed attendee as present (or undo it), until check-in closes."""
    event = _managed(actor, registration)
    if check_in_closes(event) <= utcnow():
        raise _refused(_("Check-in closed a day after the event ended; attendance can no longer be changed."),
                       status=409, code="check_in_closed")
    if registration.status != "confirmed":
        raise _refused(_("Only confirmed attendees can be checked in."), status=409, code="not_confirmed")
    if attended and registration.attended_at is None:
        registration.attended_at, registration.checked_in_by_id = utcnow(), actor.id
    elif not attended:
        registration.attended_at = registration.checked_in_by_id = None
    return registration


# --- messages -------------------------------------------------------------------------------------------------


def recipients(event: Event, audience: str) -> list[Registration]:
    """The registrations an organiser's message goes to."""
    statuses = {"confirmed": ("confirmed",), "waitlisted": ("waitlisted",), "active": ACTIVE}[audience]
    return list(db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.status.in_(statuses), Registration.email != "")
        .order_by(Registration.id)))


def message_registrants(actor: User, event: Event, *, audience: str, subject_es: str = "", body_es: str = "",
                        subject_en: str = "", body_en: str = "") -> int:
    """E-mail the organisers' message to everyone in ``audience``, each in their language (falling back to the
    other when only one was written). Returns how many messages were queued."""
    if not rules.can_manage(actor, event):
        raise _not_found()
    audience = _choice(audience, AUDIENCES, "audience")
    texts = {
        "es": (validation.text(subject_es, "subject_es", MESSAGE_SUBJECT_MAX),
               validation.text(body_es, "body_es", MESSAGE_BODY_MAX)),
        "en": (validation.text(subject_en, "subject_en", MESSAGE_SUBJECT_MAX),
               validation.text(body_en, "body_en", MESSAGE_BODY_MAX)),
    }
    written = {language: text for language, text in texts.items() if text[0] and text[1]}
    if not written:
        raise _refused(_("Write a subject and a message in at least one language."), field="subject_es")
    people = recipients(event, audience)
    for registration in people:
        language = registration.locale if registration.locale in written else next(iter(written))
        subject, body = written[language]
        queue_mail(registration.email, "event_message", registration.locale, registration=registration,
                   event=event, subject=subject, message=body, sender=actor.display_name,
                   url=external_url("events.show", event_id=event.id), cancel_url=cancel_link(registration))
    return len(people)


# --- messages about one registration --------------------------------------------------------------------------


def attachments(registration: Registration) -> list[tuple[str, str, bytes]]:
    """The calendar file (with the meeting link for a confirmed seat) and, for a seat, the check-in QR code."""
    event = registration.event
    confirmed = registration.status == "confirmed"
    files = [(calendar.filename(event), calendar.CONTENT_TYPE,
              calendar.event_file(event, with_link=confirmed, locale=registration.locale))]
    if confirmed and registration.code:
        files.append((f"check-in-{registration.code}.png", "image/png", checkin_codes.png(registration)))
    return files


def _tell(registration: Registration, what: str) -> None:
    """E-mail the registrant about their registration (``what``: confirmed, waitlisted, pending, promoted,
    declined, cancelled, changed, event_cancelled), in their language, with the calendar file attached."""
    if not registration.email:
        return
    event = registration.event
    active = registration.status in ACTIVE
    queue_mail(registration.email, f"event_{what}", registration.locale, registration=registration, event=event,
               url=external_url("events.show", event_id=event.id),
               cancel_url=cancel_link(registration) if active else None,
               online_url=event.online_url if registration.status == "confirmed" else "",
               attachments=attachments(registration) if what != "declined" else ())


def tell_all(event: Event, what: str) -> int:
    """Tell every active registrant that the event changed (``changed``) or was cancelled
    (``event_cancelled``). Returns how many were told."""
    people = recipients(event, "active")
    for registration in people:
        _tell(registration, what)
    return len(people)

