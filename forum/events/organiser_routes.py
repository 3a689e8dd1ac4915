"""The organisers' pages for running an event: the attendee list (and its CSV export), accepting and declining
registrations, messages to the registrants, check-in at the door and the aggregate figures. Only the organisers
(``rules.can_see_attendees``) reach them: events the user may not see answer 404, others 403. Gender and age
range are never shown person by person: only the figures count them, in groups of five or more."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from forum.accounts.choices import SECTORS, STATES
from forum.core import spreadsheets
from forum.core.db import MAX_ID, commit, whole_number
from forum.core.figures import SMALLEST_GROUP
from forum.core.forms import INVALID, save
from forum.core.times import local_input
from forum.events import bp, queries, registrations, rules
from forum.events import figures as event_figures
from forum.events.choices import AUDIENCES, REGISTRATION_STATUSES
from forum.events.forms import CheckInForm, MessageForm
from forum.events.manage_routes import EVENT, organised_event
from forum.events.models import Event, Registration
from forum.extensions import db
from forum.i18n import localized
from forum.personal_data import access_log

ATTENDEES_PER_PAGE = 50
#: the most people a check-in search lists
CHECK_IN_MATCHES = 50
#: what the attended filter accepts
ATTENDED = {"yes": True, "no": False}
#: the first characters that make a spreadsheet read a cell as a formula
#: the headings of the figures' dimensions
DIMENSIONS = {
    "sector": _l("Sector"),
    "organisation_kind": _l("Type of organisation"),
    "state": _l("State"),
    "gender": _l("Gender"),
    "age_range": _l("Age range"),
}


def _attendees_event(event_id: int) -> Event:
    return organised_event(event_id, rules.can_see_attendees)


def _registration_of(event: Event, registration_id: int | None) -> Registration:
    """A registration of this event (another event's registration answers 404)."""
    registration = db.session.get(Registration, registration_id) if registration_id else None
    if registration is None or registration.event_id != event.id:
        abort(404)
    return registration


# --- the attendee list and its export -------------------------------------------------------------------------


def _filters(values: MultiDict) -> dict[str, str | None]:
    """The attendee list's filters as given (in the address or the hidden fields of a button), unknown values
    left out."""
    status, sector, attended = values.get("status"), values.get("sector"), values.get("attended")
    return {"status": status if status in REGISTRATION_STATUSES else None,
            "sector": sector if sector in SECTORS else None,
            "attended": attended if attended in ATTENDED else None,
            "q": (values.get("q") or "").strip()[:100] or None}


def _attendee_query(event: Event, filters: dict[str, str | None]):
    return queries.attendee_list(event, status=filters["status"], sector=filters["sector"],
                                 attended=ATTENDED.get(filters["attended"] or ""), search=filters["q"])


def _when(value, event: Event) -> str:
    """A time of a registration, in the event's time zone, as ``2026-12-01 10:00``."""
    return local_input(value, event.timezone).replace("T", " ")


def _columns(event: Event) -> list[str]:
    """The headings of the attendee list (and of its CSV file), in the reader's language: one column per
    question of the registration form at the end. Never gender or age range."""
    return [_("Name"), _("Organisation"), _("Sector"), _("State"), _("Position"), _("Status"),
            _("Registered at"), _("Check-in code"), _("Attended"), _("Accessibility needs"),
            _("Interpretation"), *(localized(question, "label")[0] for question in event.questions)]


def _cells(event: Event, registration: Registration) -> list[str]:
    """One registration as a row of :func:`_columns`."""
    answers = registration.answers or {}
    return [registration.name, registration.organisation_name, str(SECTORS.get(registration.sector, "")),
            str(STATES.get(registration.state, "")) if registration.state else "", registration.position,
            str(REGISTRATION_STATUSES.get(registration.status, registration.status)),
            _when(registration.created_at, event), registration.code or "",
            _when(registration.attended_at, event), registration.accessibility_needs,
            _("Yes") if registration.interpretation_needed else "",
            *(registrations.answer_text(question, answers.get(str(question.id))) for question in event.questions)]


def _others(registrations) -> int:
    """How many of ``registrations`` are other people's (what the access log counts: not the reader's own)."""
    return sum(1 for registration in registrations if registration.user_id != current_user.id)


def _status_counts(event: Event) -> dict[str, int]:
    rows = db.session.execute(select(Registration.status, func.count()).where(Registration.event_id == event.id)
                              .group_by(Registration.status))
    return {status: count for status, count in rows}


@bp.route(f"{EVENT}/attendees")
@login_required
def attendees(event_id: int):
    """Everyone registered, 50 a page, filtered by status, sector, attendance and a search (name, organisation,
    e-mail or code), with their answers, counts per status, and buttons to accept or decline registrations."""
    event = _attendees_event(event_id)
    filters = _filters(request.args)
    page = db.paginate(_attendee_query(event, filters), per_page=ATTENDEES_PER_PAGE, error_out=False)
    if page.page > max(page.pages, 1):
        abort(404)
    shown = render_template(
        "events/manage/attendees.html", event=event, page=page, filters=filters, columns=_columns(event),
        rows=[(registration, _cells(event, registration)) for registration in page.items],
        counts=_status_counts(event), statuses=REGISTRATION_STATUSES, sectors=SECTORS)
    access_log.record(current_user, "attendee_list", "event", event.id, _others(page.items))
    commit()
    return shown


@bp.route(f"{EVENT}/attendees.csv")
@login_required
def attendees_csv(event_id: int):
    """The attendee list with the same filters and columns, as a CSV file for spreadsheets (UTF-8 with a byte
    order mark so Excel reads accents; cells that would run as formulas are neutralised)."""
    event = _attendees_event(event_id)
    people = db.session.scalars(_attendee_query(event, _filters(request.args))).all()
    response = spreadsheets.csv_response(_columns(event), (_cells(event, r) for r in people),
                                         f"attendees-{event.id}.csv")
    access_log.record(current_user, "attendee_export", "event", event.id, _others(people))
    commit()
    return response


# --- accepting and declining ----------------------------------------------------------------------------------


def _back_to_list(event: Event) -> Response:
    """Back to the attendee list with the filters it had (sent as hidden fields of the button)."""
    filters = {name: value for name, value in _filters(request.form).items() if value}
    return redirect(url_for("events.attendees", event_id=event.id, **filters), 303)


@bp.route(f"{EVENT}/registrations/<int(max={MAX_ID}):registration_id>/approve", methods=["POST"])
@login_required
def approve_registration(event_id: int, registration_id: int):
    """Accept a registration awaiting approval: a seat if one fits, else the waiting list (the person is told)."""
    event = _attendees_event(event_id)
    registration = registrations.approve(current_user, _registration_of(event, registration_id))
    commit()
    if registration.status == "confirmed":
        flash(_("%(name)s has a seat. We have told them by e-mail.", name=registration.name), "success")
    else:
        flash(_("%(name)s is accepted but the event is full: they are on the waiting list and have been told.",
                name=registration.name), "info")
    return _back_to_list(event)


@bp.route(f"{EVENT}/registrations/<int(max={MAX_ID}):registration_id>/decline", methods=["POST"])
@login_required
def decline_registration(event_id: int, registration_id: int):
    """Decline a registration (the person is told; a freed seat goes to the waiting list). Someone who holds a
    seat or waits for one is declined only after the organiser confirms it on a second page."""
    event = _attendees_event(event_id)
    registration = _registration_of(event, registration_id)
    if registration.status in ("confirmed", "waitlisted") and request.form.get("confirm") != "1":
        return render_template("events/manage/decline.html", event=event, registration=registration,
                               filters=_filters(request.form), statuses=REGISTRATION_STATUSES)
    registrations.decline(current_user, registration)
    commit()
    flash(_("The registration of %(name)s has been declined and they have been told.", name=registration.name),
          "success")
    return _back_to_list(event)


# --- messages -------------------------------------------------------------------------------------------------


@bp.route(f"{EVENT}/message", methods=["GET", "POST"])
@login_required
def message(event_id: int):
    """Write to the confirmed attendees, the waiting list or everyone registered, in Spanish, in English or in
    both: each person receives their language when it was written, else the other."""
    event = _attendees_event(event_id)
    form = MessageForm(audience="confirmed")
    saved, sent, status = save(form, lambda: registrations.message_registrants(current_user, event,
                                                                                **form.message()))
    if saved:
        flash(ngettext("Message sent to %(num)d person.", "Message sent to %(num)d people.", sent), "success")
        return redirect(url_for("events.message", event_id=event.id), 303)
    reach = {audience: len(registrations.recipients(event, audience)) for audience in AUDIENCES}
    return render_template("events/manage/message.html", event=event, form=form, reach=reach), status


# --- check-in -------------------------------------------------------------------------------------------------


def _check_in_counts(event: Event) -> tuple[int, int]:
    """(present, confirmed)."""
    present, confirmed = db.session.execute(
        select(func.count(Registration.attended_at), func.count()).where(
            Registration.event_id == event.id, Registration.status == "confirmed")).one()
    return present, confirmed


def _mark(event: Event, registration: Registration, attended: bool, search: str | None) -> Response:
    """Mark the person present (or undo it) and show the check-in page again with them on it."""
    already = attended and registration.attended_at is not None
    registrations.check_in(current_user, registration, attended=attended)
    commit()
    if already:
        flash(_("%(name)s was already marked present.", name=registration.name), "info")
    elif attended:
        flash(_("%(name)s is marked present.", name=registration.name), "success")
    else:
        flash(_("%(name)s is no longer marked present.", name=registration.name), "info")
    return redirect(url_for("events.check_in", event_id=event.id, person=registration.id, q=search), 303)


@bp.route(f"{EVENT}/check-in", methods=["GET", "POST"])
@login_required
def check_in(event_id: int):
    """Check people in at the door: type the code of their confirmation (any case, with or without spaces and
    dashes; ``?code=`` comes filled in from the QR code and shows the person with a button, it marks nobody),
    or search confirmed attendees by name or organisation (``?q=``). Buttons mark present and undo it. An
    unknown code answers 404 with the form and a message."""
    event = _attendees_event(event_id)
    search = (request.values.get("q") or "").strip()[:100] or None
    if request.method == "POST" and "registration" in request.form:
        registration = _registration_of(event, whole_number(request.form.get("registration")))
        return _mark(event, registration, request.form.get("attended") != "0", search)
    form = CheckInForm(code=request.args.get("code", ""))
    status, person = 200, None
    if request.method == "POST" and not form.validate_on_submit():
        status = INVALID
    elif form.code.data:
        person = registrations.registration_by_code(event, form.code.data)
        if person is None:
            form.code.errors = [*form.code.errors, _("No confirmed registration of this event has this code.")]
            status = 404
        elif request.method == "POST":
            return _mark(event, person, True, search)
    else:
        shown = whole_number(request.args.get("person"))
        person = db.session.get(Registration, shown) if shown else None
        person = person if person is not None and person.event_id == event.id else None
    matches = list(db.session.scalars(queries.attendee_list(event, status="confirmed", search=search)
                                      .limit(CHECK_IN_MATCHES))) if search else []
    present, confirmed = _check_in_counts(event)
    shown = render_template("events/manage/check_in.html", event=event, form=form, person=person, search=search,
                            matches=matches, present=present, confirmed=confirmed, statuses=REGISTRATION_STATUSES)
    people = {registration.id: registration for registration in matches} | ({person.id: person} if person else {})
    access_log.record(current_user, "check_in_list", "event", event.id, _others(people.values()))
    commit()
    return shown, status


# --- figures --------------------------------------------------------------------------------------------------


@bp.route(f"{EVENT}/figures")
@login_required
def figures(event_id: int):
    """Registered (confirmed) and attending people by sector, type of organisation, state, gender and age range:
    counts only, and groups of fewer than five people are not shown. Gender and age range appear once check-in
    has closed, when the counts no longer change."""
    event = _attendees_event(event_id)
    shown = event_figures.shown_dimensions(event)
    return render_template("events/manage/figures.html", event=event, figures=event_figures.figures(event),
                           dimensions={d: label for d, label in DIMENSIONS.items() if d in shown},
                           waiting=[DIMENSIONS[d] for d in DIMENSIONS if d not in shown],
                           final_at=registrations.check_in_closes(event), group_label=event_figures.group_label,
                           smallest=SMALLEST_GROUP)
