"""Event pages: the listing with its filters, the event page with the reader's own registration, the registration
form, cancellation (signed in, or through the single-use link of a message), calendar files and feeds, and the
QR code of a confirmed seat. Every action works as a plain form; events the reader may not see answer 404."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from forum.accounts.choices import STATES
from forum.core.db import MAX_ID, commit
from forum.core.errors import ActionRefused
from forum.core.forms import INVALID, refusal_status, show_refusal
from forum.core.mail import external_url
from forum.events import bp, calendar, checkin_codes, queries, registrations, rules
from forum.events.choices import EVENT_TYPES, MODES, REGISTRATION_STATUSES, STATUSES, WHEN
from forum.events.models import Event, Registration
from forum.events.registration_forms import registration_form
from forum.extensions import db
from forum.i18n import localized, select_timezone
from forum.notifications import services as notifications
from forum.platforms import directory
from forum.platforms import rules as platform_rules
from forum.threads import rules as thread_rules

EVENTS_PER_PAGE = 20
EVENT = f"/events/<int(max={MAX_ID}):event_id>"
#: the kind of message shown after registering, by the registration's status
REGISTERED = {
    "confirmed": "success",
    "waitlisted": "info",
    "pending": "info",
}


def _event_or_404(event_id: int) -> Event:
    event = queries.visible_event(current_user, event_id)
    if event is None:
        abort(404)
    return event



@bp.app_template_filter("seats_left")
def seats_left_label(seats: int | None) -> str:
    """Seats left as the listing and the event page say it (None: unlimited)."""
    if seats is None:
        return _("Unlimited seats")
    if seats == 0:
        return _("Full — waiting list")
    return ngettext("%(num)s seat left", "%(num)s seats left", seats)


@bp.app_template_filter("waiting_list")
def waiting_label(count: int) -> str:
    """The length of the waiting list."""
    return ngettext("%(num)s person on the waiting list", "%(num)s people on the waiting list", count)


def _seats_left(events: list[Event]) -> dict[int, int | None]:
    """The seats left of each listed event, counted in one query (None: unlimited)."""
    taken, _waiting = registrations.counts_of([event.id for event in events])
    return {event.id: registrations.seats_left(event, taken.get(event.id, {})) for event in events}


@bp.route("/events")
def index():
    """Upcoming (soonest first) or past events the reader may see, filtered by platform, type, state and mode."""
    args = request.args
    platform = directory.platform_by_slug(args["platform"].strip()) if args.get("platform") else None
    filters = {
        "when": args.get("when") if args.get("when") in WHEN else "upcoming",
        "platform": platform.slug if platform is not None else None,
        "kind": args.get("kind") if args.get("kind") in EVENT_TYPES else None,
        "state": args.get("state") if args.get("state") in STATES else None,
        "mode": args.get("mode") if args.get("mode") in MODES else None,
    }
    query = queries.event_list(current_user, when=filters["when"], platform=platform, kind=filters["kind"],
                               state=filters["state"], mode=filters["mode"])
    events = db.paginate(query, per_page=EVENTS_PER_PAGE, error_out=False)
    if events.page > max(events.pages, 1):
        abort(404)
    return render_template(
        "events/index.html", events=events, filters=filters, seats=_seats_left(events.items),
        platforms=directory.active_platforms(), tabs=WHEN, kinds=EVENT_TYPES, states=STATES, modes=MODES,
        statuses=STATUSES, can_create=rules.can_create(current_user), feed_url=external_url("events.feed"))


@bp.route(EVENT)
def show(event_id: int):
    """An event: what, when (in its time zone and the reader's), where, seats, agenda, materials, participants,
    its discussion, the reader's own registration or the way to register, and a button to follow it."""
    event = _event_or_404(event_id)
    registration = registrations.registration_of(current_user, event)
    active = registration is not None and registration.status in registrations.ACTIVE
    thread = event.thread if event.thread is not None and thread_rules.can_read_thread(current_user, event.thread) \
        else None
    return render_template(
        "events/show.html", event=event, registration=registration, active=active,
        position=registrations.waitlist_position(registration) if active else None,
        can_cancel=active and rules.can_cancel(current_user, registration),
        seats_left=registrations.seats_left(event), waiting=registrations.waiting_count(event),
        closed_reason=registrations.closed_reason(event), may_register=rules.may_register(current_user, event),
        can_manage=rules.can_manage(current_user, event),
        show_link=rules.can_see_online_link(current_user, event, registration),
        materials=queries.materials(current_user, event),
        participants=queries.participants(event) if current_user.is_authenticated else [],
        thread=thread, reader_zone=select_timezone(), kinds=EVENT_TYPES, modes=MODES, statuses=STATUSES,
        registration_statuses=REGISTRATION_STATUSES,
        following=notifications.is_following(current_user, "event", event.id))


def _registered_message(registration: Registration, created: bool) -> str:
    """What the person is told once the form went through."""
    if not created:
        return _("You are already registered for this event.")
    if registration.status == "confirmed":
        return _("Your seat is confirmed. We have sent you an e-mail with the details, your check-in code and a "
                 "calendar file.")
    if registration.status == "waitlisted":
        return _("The event is full, so you are on the waiting list. We will tell you by e-mail as soon as a seat "
                 "is free for you.")
    return _("Your registration is awaiting the organisers' approval. We will tell you by e-mail.")


@bp.route(f"{EVENT}/register", methods=["GET", "POST"])
@login_required
def register(event_id: int):
    """The registration form: the person's profile (to confirm or correct), the organisers' questions,
    accessibility needs, interpretation and consent to be listed. Closed registration is explained."""
    event = _event_or_404(event_id)
    registration = registrations.registration_of(current_user, event)
    if registration is not None and registration.status in registrations.ACTIVE:
        flash(_("You are already registered for this event."), "info")
        return redirect(url_for("events.show", event_id=event.id), 303)
    closed_reason = registrations.closed_reason(event)
    allowed = rules.may_register(current_user, event)
    if closed_reason or not allowed:
        status = 403 if not closed_reason else 409 if request.method == "POST" else 200
        return render_template("events/register.html", event=event, closed_reason=closed_reason, form=None), status
    if request.method == "GET":
        form = registration_form(event, formdata=None, **registrations.profile_defaults(current_user))
    else:
        form = registration_form(event)
    status = 200
    if form.validate_on_submit():
        try:
            registration, created = registrations.register(current_user, event, **form.registration())
            commit()
        except ActionRefused as error:
            show_refusal(form, error)
            status = refusal_status(error)
        else:
            flash(_registered_message(registration, created), REGISTERED[registration.status])
            return redirect(url_for("events.show", event_id=event.id), 303)
    elif form.errors:
        status = INVALID
    return render_template("events/register.html", event=event, closed_reason=None, form=form), status


@bp.route(f"{EVENT}/cancel-registration", methods=["POST"])
@login_required
def cancel_registration(event_id: int):
    """Cancel one's own registration; a freed seat goes to the first person on the waiting list who fits."""
    event = _event_or_404(event_id)
    registration = registrations.registration_of(current_user, event)
    if registration is None:
        abort(404)
    registrations.cancel(registration, by=current_user)
    commit()
    flash(_("Your registration has been cancelled."), "success")
    return redirect(url_for("events.show", event_id=event.id), 303)


@bp.route("/events/cancel/<token>", methods=["GET", "POST"])
def cancel_by_link(token: str):
    """Cancel through the single-use link of a message, without signing in: the link shows a page with a button
    (mail scanners open links; only the button cancels). A used, expired or altered link is refused."""
    registration = registrations.registration_for_link(token)
    event = registration.event
    if request.method == "POST":
        registrations.cancel(registration)
        commit()
    return render_template("events/cancel_link.html", registration=registration, event=event,
                           done=request.method == "POST")


def _calendar(content: bytes, filename: str | None = None, *, private: bool = False) -> Response:
    """A calendar file (offered for download under ``filename``, when given); ``private`` when it holds the
    meeting link or describes an event not everyone may see, so no shared cache keeps it."""
    response = Response(content, content_type=calendar.CONTENT_TYPE)
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route(f"{EVENT}/event.ics")
def ics(event_id: int):
    """The event's calendar file, with the meeting link for confirmed registrants and the organisers."""
    event = _event_or_404(event_id)
    with_link = rules.can_see_online_link(current_user, event, registrations.registration_of(current_user, event))
    return _calendar(calendar.event_file(event, with_link=with_link), calendar.filename(event),
                     private=with_link or event.access != "public" or event.status == "draft")


@bp.route("/events/calendar.ics")
def feed():
    """The calendar feed of public events (never with meeting links)."""
    return _calendar(calendar.feed(queries.feed_events(), _("Social Cohesion Forum: events")))


@bp.route("/p/<slug>/events.ics")
def platform_feed(slug: str):
    """The calendar feed of one public platform's public events; a members-only platform has none (404)."""
    platform = directory.platform_by_slug(slug)
    if platform is None or not platform_rules.can_read(None, platform):
        abort(404)
    name = _("Social Cohesion Forum: events of %(platform)s", platform=localized(platform, "name")[0])
    return _calendar(calendar.feed(queries.feed_events(platform), name))


@bp.route(f"{EVENT}/registration/qr.svg")
def qr_code(event_id: int):
    """The check-in QR code of the reader's own confirmed registration (nobody else's, nothing otherwise)."""
    event = _event_or_404(event_id)
    registration = registrations.registration_of(current_user, event)
    if not rules.holds_seat(registration):
        abort(404)
    response = Response(checkin_codes.svg(registration), content_type="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"
    return response
