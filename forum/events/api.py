"""API endpoints of events: the listing with its filters, one event in detail, creating an event (with its agenda
and registration questions, published at once if asked), registering and cancelling one's registration.
Permissions, validation and seats are those of the pages (the same ``rules``, services and waiting list); an event
the caller may not see answers 404. No answer carries anyone else's registration: the meeting link only for
confirmed registrants and the organisers, the caller's own registration only to the caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from forum.accounts.choices import ORGANISATION_TYPES, SECTORS, STATES
from forum.accounts.models import User
from forum.api import (
    bp,
    caller,
    json_body,
    login_required,
    naming_fields,
    not_found,
    operation,
    page_arguments,
    page_url,
    paginated,
    read_object,
    refuse,
)
from forum.api.openapi import _PATHS, BILINGUAL, OPTIONAL_TIMESTAMP, PAGE_PARAMETERS, TIMESTAMP, list_of, schema
from forum.core.db import MAX_ID, commit
from forum.events import queries, registrations, rules, services
from forum.events.choices import (
    ACCESS_LEVELS,
    APPROVAL,
    EVENT_TYPES,
    MODES,
    QUESTION_TYPES,
    REGISTRATION_STATUSES,
    STATUSES,
    WHEN,
)
from forum.events.models import AgendaItem, Event, Question, Registration
from forum.extensions import db
from forum.platforms import directory
from forum.threads import rules as thread_rules

EVENT_ID = f"<int(max={MAX_ID}):event_id>"
#: the fields of an agenda item and of a registration question, as ``services.add_agenda_item`` and
#: ``services.add_question`` take them
AGENDA_FIELDS = ("starts_at", "ends_at", "title_es", "title_en", "speakers")
QUESTION_FIELDS = ("kind", "label_es", "label_en", "options", "required")
#: what creating an event takes besides ``services.FIELDS``
CREATION_EXTRAS = ("publish", "agenda", "questions")
#: the fields of a registration, as ``registrations.register`` takes them
REGISTRATION_FIELDS = ("organisation_name", "organisation_kind", "sector", "state", "position",
                       "accessibility_needs", "interpretation_needed", "listed", "answers")

# --- schemas ------------------------------------------------------------------------------------------------

LOCAL_TIME = {"type": "string", "description": "ISO 8601; without an offset it is read in the event's timezone",
              "examples": ["2026-12-01T10:00", "2026-12-01T16:00:00Z"]}
AGENDA_ITEM = {
    "type": "object", "required": ["id", "starts_at", "ends_at", "title", "speakers"],
    "properties": {"id": {"type": "integer"}, "starts_at": TIMESTAMP, "ends_at": OPTIONAL_TIMESTAMP,
                   "title": BILINGUAL, "speakers": {"type": "string"}},
}
QUESTION = {
    "type": "object", "required": ["id", "kind", "label", "options", "required"],
    "properties": {"id": {"type": "integer"}, "kind": {"type": "string", "enum": list(QUESTION_TYPES)},
                   "label": BILINGUAL, "options": {"type": "array", "items": BILINGUAL,
                                                   "description": "choice questions; answers give the index"},
                   "required": {"type": "boolean"}},
}
REGISTRATION = schema("EventRegistration", {
    "type": "object",
    "required": ["id", "event_id", "status", "code", "waitlist_position", "organisation_name", "organisation_kind",
                 "sector", "state", "position", "accessibility_needs", "interpretation_needed", "listed", "answers",
                 "created_at", "confirmed_at", "cancelled_at"],
    "description": "the caller's own registration (nobody else's is ever shown)",
    "properties": {
        "id": {"type": "integer"}, "event_id": {"type": "integer"},
        "status": {"type": "string", "enum": list(REGISTRATION_STATUSES)},
        "code": {"type": ["string", "null"], "description": "the check-in code (confirmed registrations only)"},
        "waitlist_position": {"type": ["integer", "null"], "description": "1: next in line (waiting list only)"},
        "organisation_name": {"type": "string"},
        "organisation_kind": {"type": ["string", "null"], "enum": [*ORGANISATION_TYPES, None]},
        "sector": {"type": "string", "enum": list(SECTORS)},
        "state": {"type": ["string", "null"], "enum": [*STATES, None]},
        "position": {"type": "string"}, "accessibility_needs": {"type": "string"},
        "interpretation_needed": {"type": "boolean"},
        "listed": {"type": "boolean", "description": "agreed to appear in the event's list of participants"},
        "answers": {"type": "object", "description": "question id → answer"},
        "created_at": TIMESTAMP, "confirmed_at": OPTIONAL_TIMESTAMP, "cancelled_at": OPTIONAL_TIMESTAMP,
    },
})
EVENT = schema("Event", {
    "type": "object",
    "required": ["id", "title", "description", "description_html", "kind", "status", "access", "mode",
                 "organisations", "platforms", "venue", "city", "state", "online_url", "starts_at", "ends_at",
                 "timezone", "capacity", "seats_left", "waiting", "registration_opens_at", "registration_closes_at",
                 "registration_open", "registration_closed_reason", "approval", "interpretation", "my_registration",
                 "url", "ics_url"],
    "properties": {
        "id": {"type": "integer"}, "title": BILINGUAL,
        "description": {**BILINGUAL, "description": "Markdown source"},
        "description_html": {**BILINGUAL, "description": "rendered from the Markdown and sanitised"},
        "kind": {"type": "string", "enum": list(EVENT_TYPES)},
        "status": {"type": "string", "enum": list(STATUSES), "description": "drafts: their organisers only"},
        "access": {"type": "string", "enum": list(ACCESS_LEVELS)},
        "mode": {"type": "string", "enum": list(MODES)},
        "organisations": {"type": "array", "items": {
            "type": "object", "properties": {"id": {"type": "integer"}, "name": BILINGUAL,
                                             "acronym": {"type": "string"}}}},
        "platforms": {"type": "array", "items": {
            "type": "object", "properties": {"id": {"type": "integer"}, "slug": {"type": "string"},
                                             "name": BILINGUAL}}},
        "venue": {"type": "object", "properties": {"name": {"type": "string"}, "address": {"type": "string"}}},
        "city": {"type": "string"}, "state": {"type": ["string", "null"], "enum": [*STATES, None]},
        "online_url": {"type": ["string", "null"],
                       "description": "the meeting link: confirmed registrants and the organisers only; else null"},
        "starts_at": TIMESTAMP, "ends_at": TIMESTAMP,
        "timezone": {"type": "string", "description": "where it is held (IANA), e.g. America/Mexico_City"},
        "capacity": {"type": ["integer", "null"], "description": "null: unlimited"},
        "seats_left": {"type": ["integer", "null"], "description": "null: unlimited"},
        "waiting": {"type": "integer", "description": "people on the waiting list"},
        "registration_opens_at": OPTIONAL_TIMESTAMP, "registration_closes_at": OPTIONAL_TIMESTAMP,
        "registration_open": {"type": "boolean"},
        "registration_closed_reason": {"type": ["string", "null"], "description": "in the caller's language"},
        "approval": {"type": "string", "enum": list(APPROVAL)},
        "interpretation": {"type": "boolean", "description": "Spanish–English interpretation is offered"},
        "my_registration": {"anyOf": [REGISTRATION, {"type": "null"}]},
        "url": {"type": "string", "format": "uri", "description": "the event's page"},
        "ics_url": {"type": "string", "format": "uri", "description": "its calendar file"},
        "agenda": {"type": "array", "items": AGENDA_ITEM, "description": "detail only"},
        "questions": {"type": "array", "items": QUESTION, "description": "the registration form's (detail only)"},
        "materials": {"type": "array", "description": "linked documents the caller may read (detail only)",
                      "items": {"type": "object", "properties": {"id": {"type": "integer"}, "title": BILINGUAL,
                                                                 "url": {"type": "string", "format": "uri"}}}},
        "thread": {"type": ["object", "null"], "description": "its discussion thread, when the caller may read it "
                                                              "(detail only)",
                   "properties": {"id": {"type": "integer"}, "url": {"type": "string", "format": "uri"}}},
    },
})
_TEXT = {"type": "string"}
EVENT_INPUT = schema("EventInput", {
    "type": "object", "additionalProperties": False, "required": ["kind", "starts_at", "ends_at"],
    "description": "a title in at least one language; a venue (name or city), an online_url, or both",
    "properties": {
        "title_es": {**_TEXT, "maxLength": services.TITLE_MAX},
        "title_en": {**_TEXT, "maxLength": services.TITLE_MAX},
        "description_es": {**_TEXT, "maxLength": services.DESCRIPTION_MAX, "description": "Markdown"},
        "description_en": {**_TEXT, "maxLength": services.DESCRIPTION_MAX, "description": "Markdown"},
        "kind": {"type": "string", "enum": list(EVENT_TYPES)},
        "access": {"type": "string", "enum": list(ACCESS_LEVELS), "default": "public",
                   "description": "members: at least one platform"},
        "platforms": {"type": "array", "items": {"type": ["string", "integer"]},
                      "description": "slugs or ids of platforms where the caller may post"},
        "organisations": {"type": "array", "items": {"type": "integer"},
                          "description": "ids of verified organisations; representatives name their own"},
        "venue_name": {**_TEXT, "maxLength": 200}, "venue_address": {**_TEXT, "maxLength": 300},
        "city": {**_TEXT, "maxLength": 100}, "state": {"type": ["string", "null"], "enum": [*STATES, None]},
        "online_url": {**_TEXT, "format": "uri", "maxLength": 500},
        "starts_at": LOCAL_TIME, "ends_at": LOCAL_TIME,
        "timezone": {"type": "string", "default": "America/Mexico_City"},
        "capacity": {"type": ["integer", "null"], "minimum": 1, "maximum": services.MAX_CAPACITY},
        "registration_opens_at": {**LOCAL_TIME, "type": ["string", "null"]},
        "registration_closes_at": {**LOCAL_TIME, "type": ["string", "null"]},
        "approval": {"type": "string", "enum": list(APPROVAL), "default": "automatic"},
        "interpretation": {"type": "boolean", "default": False},
        "retention_months": {"type": "integer", "minimum": 1, "maximum": services.MAX_RETENTION_MONTHS,
                             "default": services.DEFAULT_RETENTION_MONTHS},
        "publish": {"type": "boolean", "default": False, "description": "true: publish at once (else a draft)"},
        "agenda": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["starts_at"],
            "properties": {"starts_at": LOCAL_TIME, "ends_at": LOCAL_TIME, "title_es": _TEXT, "title_en": _TEXT,
                           "speakers": _TEXT}}},
        "questions": {"type": "array", "maxItems": services.MAX_QUESTIONS, "items": {
            "type": "object", "additionalProperties": False, "required": ["kind"],
            "properties": {"kind": {"type": "string", "enum": list(QUESTION_TYPES)}, "label_es": _TEXT,
                           "label_en": _TEXT, "required": {"type": "boolean"},
                           "options": {"type": "array", "items": {"oneOf": [BILINGUAL, _TEXT]},
                                       "description": "choice questions: 2 or more"}}}},
    },
})
REGISTRATION_INPUT = schema("RegistrationInput", {
    "type": "object", "additionalProperties": False,
    "description": "fields left out are taken from the caller's profile",
    "properties": {
        "organisation_name": {**_TEXT, "maxLength": 200},
        "organisation_kind": {"type": ["string", "null"], "enum": [*ORGANISATION_TYPES, None]},
        "sector": {"type": "string", "enum": list(SECTORS)},
        "state": {"type": ["string", "null"], "enum": [*STATES, None]},
        "position": {**_TEXT, "maxLength": 120}, "accessibility_needs": {**_TEXT, "maxLength": 1000},
        "interpretation_needed": {"type": "boolean"}, "listed": {"type": "boolean"},
        "answers": {"type": "object", "description": "question id → text, an option index, a list of indexes "
                                                     "(multiple choice) or true/false (yes or no)"},
    },
})


def _path(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


LIST_PARAMETERS = [
    {"name": "when", "in": "query", "schema": {"type": "string", "enum": list(WHEN), "default": "upcoming"},
     "description": "upcoming: soonest first; past: latest first"},
    {"name": "platform", "in": "query", "schema": {"type": "string"}, "description": "a platform's slug"},
    {"name": "kind", "in": "query", "schema": {"type": "string", "enum": list(EVENT_TYPES)}},
    {"name": "state", "in": "query", "schema": {"type": "string", "enum": list(STATES)}},
    {"name": "mode", "in": "query", "schema": {"type": "string", "enum": list(MODES)}},
    *PAGE_PARAMETERS,
]

# --- answers ------------------------------------------------------------------------------------------------


def _time(value) -> str | None:
    return value.isoformat() if value else None


@dataclass
class SeatCounts:
    """What an event's answer needs besides the event, read for a whole page of events at once."""

    #: confirmed seats of each sector, by event id
    taken: dict[int, dict[str, int]] = field(default_factory=dict)
    #: people on the waiting list, by event id
    waiting: dict[int, int] = field(default_factory=dict)
    #: the caller's registrations, by event id
    mine: dict[int, Registration] = field(default_factory=dict)


def seat_counts(user: User | None, events: list[Event]) -> SeatCounts:
    """Seat counts and the caller's registrations of ``events``, in two queries whatever their number."""
    ids = [event.id for event in events]
    found = SeatCounts(*registrations.counts_of(ids))
    if not ids:
        return found
    if user is not None:
        found.mine = {r.event_id: r for r in db.session.scalars(select(Registration).where(
            Registration.user_id == user.id, Registration.event_id.in_(ids)))}
    return found


def registration_json(registration: Registration) -> dict:
    """The caller's own registration as the API shows it (to the caller only)."""
    return {
        "id": registration.id, "event_id": registration.event_id, "status": registration.status,
        "code": registration.code if rules.holds_seat(registration) else None,
        "waitlist_position": registrations.waitlist_position(registration),
        "organisation_name": registration.organisation_name, "organisation_kind": registration.organisation_kind,
        "sector": registration.sector, "state": registration.state, "position": registration.position,
        "accessibility_needs": registration.accessibility_needs,
        "interpretation_needed": registration.interpretation_needed, "listed": registration.listed,
        "answers": registration.answers or {}, "created_at": _time(registration.created_at),
        "confirmed_at": _time(registration.confirmed_at), "cancelled_at": _time(registration.cancelled_at),
    }


def _agenda_item_json(item: AgendaItem) -> dict:
    return {"id": item.id, "starts_at": _time(item.starts_at), "ends_at": _time(item.ends_at),
            "title": {"es": item.title_es, "en": item.title_en}, "speakers": item.speakers}


def _question_json(question: Question) -> dict:
    return {"id": question.id, "kind": question.kind, "label": {"es": question.label_es, "en": question.label_en},
            "options": [{"es": o.get("es", ""), "en": o.get("en", "")} for o in question.options or []],
            "required": question.required}


def _details(user: User | None, event: Event) -> dict:
    """The parts of an event only its own answer carries: agenda, questions, materials and thread."""
    thread = event.thread
    return {
        "agenda": [_agenda_item_json(item) for item in event.agenda],
        "questions": [_question_json(question) for question in event.questions],
        "materials": [{"id": d.id, "title": {"es": d.title_es, "en": d.title_en},
                       "url": page_url("documents.show", document_id=d.id)}
                      for d in queries.materials(user, event)],
        "thread": {"id": thread.id, "url": page_url("threads.show", thread_id=thread.id)}
        if thread is not None and thread_rules.can_read_thread(user, thread) else None,
    }


def event_json(user: User | None, event: Event, seats: SeatCounts, *, detail: bool = False) -> dict:
    """An event as ``user`` sees it through the API (they may see it): the meeting link only if they may."""
    mine = seats.mine.get(event.id)
    reason = registrations.closed_reason(event)
    answer = {
        "id": event.id, "title": {"es": event.title_es, "en": event.title_en},
        "description": {"es": event.description_es, "en": event.description_en},
        "description_html": {"es": event.description_html_es, "en": event.description_html_en},
        "kind": event.kind, "status": event.status, "access": event.access, "mode": event.mode,
        "organisations": [{"id": o.id, "name": {"es": o.name_es, "en": o.name_en}, "acronym": o.acronym}
                          for o in event.organisations],
        "platforms": [{"id": p.id, "slug": p.slug, "name": {"es": p.name_es, "en": p.name_en}}
                      for p in event.platforms],
        "venue": {"name": event.venue_name, "address": event.venue_address}, "city": event.city,
        "state": event.state,
        "online_url": (event.online_url or None) if rules.can_see_online_link(user, event, mine) else None,
        "starts_at": _time(event.starts_at), "ends_at": _time(event.ends_at), "timezone": event.timezone,
        "capacity": event.capacity, "seats_left": registrations.seats_left(event, seats.taken.get(event.id, {})),
        "waiting": seats.waiting.get(event.id, 0),
        "registration_opens_at": _time(event.registration_opens_at),
        "registration_closes_at": _time(event.registration_closes_at),
        "registration_open": reason is None, "registration_closed_reason": reason,
        "approval": event.approval, "interpretation": event.interpretation,
        "my_registration": registration_json(mine) if mine is not None else None,
        "url": url_for("events.show", event_id=event.id, _external=True),
        "ics_url": page_url("events.ics", event_id=event.id),
    }
    if detail:
        answer.update(_details(user, event))
    return answer


def _one_event(user: User | None, event: Event) -> dict:
    """The whole answer about one event."""
    return event_json(user, event, seat_counts(user, [event]), detail=True)


# --- reading the request ------------------------------------------------------------------------------------


def _visible_event(event_id: int) -> Event:
    event = queries.visible_event(caller(), event_id)
    if event is None:
        raise not_found()
    return event


def _list_of_objects(value: Any, name: str, allowed: tuple[str, ...], required: tuple[str, ...]) -> list[dict]:
    if not isinstance(value, list):
        raise refuse(_("The field %(field)s must be a list.", field=name), field=name)
    return [read_object(item, allowed, required=required, name=f"{name}[{i}]") for i, item in enumerate(value)]


def _organisation_ids(value: Any) -> list[int]:
    if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) and 0 < v <= MAX_ID for v in value):
        raise refuse(_("The field %(field)s must be a list of organisation ids (whole numbers).",
                        field="organisations"), field="organisations")
    return value


# --- endpoints ----------------------------------------------------------------------------------------------


@bp.route("/events")
@operation("/events", "GET", summary="Events", response=list_of(EVENT), tag="events", auth=False,
           parameters=LIST_PARAMETERS, errors=(400,))
def list_events():
    """The events the caller may see, ``upcoming`` (soonest first, the default) or ``past`` (latest first),
    filtered by ``platform`` (slug), ``kind``, ``state`` and ``mode`` as on the page; values outside their
    vocabularies are ignored, and a platform that does not exist lists nothing."""
    page, per_page = page_arguments()
    user = caller()
    arguments = request.args

    def known(name: str, vocabulary: dict) -> str | None:
        value = arguments.get(name)
        return value if value in vocabulary else None

    platform = None
    if arguments.get("platform"):
        platform = directory.platform_by_slug(arguments["platform"])
        if platform is None:
            return jsonify({"items": [], "page": page, "per_page": per_page, "total": 0})
    query = queries.event_list(user, when=known("when", WHEN) or "upcoming", platform=platform,
                               kind=known("kind", EVENT_TYPES), state=known("state", STATES),
                               mode=known("mode", MODES))
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    seats = seat_counts(user, pagination.items)
    return jsonify(paginated(pagination, [event_json(user, e, seats) for e in pagination.items]))


@bp.route("/events", methods=["POST"])
@operation("/events", "POST", summary="Create an event", response=EVENT, status=201, request_body=EVENT_INPUT,
           tag="events", errors=(400, 403, 409))
@login_required
def create_event():
    """Create an event (officials, moderators and representatives of verified organisations) as a draft, or
    published at once with ``"publish": true`` (which opens its discussion thread); its ``agenda`` and
    registration ``questions`` may come in the same request. Times without an offset are read in the event's
    ``timezone``. Nothing is saved unless everything is valid."""
    user = caller()
    fields = read_object(json_body(), (*services.FIELDS, *CREATION_EXTRAS),
                         required=("kind", "starts_at", "ends_at"))
    publish = fields.pop("publish", False)
    if not isinstance(publish, bool):
        raise refuse(_("The field %(field)s must be true or false.", field="publish"), field="publish")
    agenda = _list_of_objects(fields.pop("agenda", []), "agenda", AGENDA_FIELDS, ("starts_at",))
    questions = _list_of_objects(fields.pop("questions", []), "questions", QUESTION_FIELDS, ("kind",))
    if "organisations" in fields:
        fields["organisations"] = _organisation_ids(fields["organisations"])
    with naming_fields():
        event = services.create(user, **fields)
    for number, item in enumerate(agenda):
        with naming_fields(f"agenda[{number}]"):
            services.add_agenda_item(user, event, **item)
    for number, question in enumerate(questions):
        with naming_fields(f"questions[{number}]"):
            services.add_question(user, event, **question)
    if publish:
        services.publish(user, event)
    commit()
    response = jsonify(_one_event(user, event))
    response.headers["Location"] = url_for("api.get_event", event_id=event.id)
    return response, 201


@bp.route(f"/events/{EVENT_ID}")
@operation("/events/{event_id}", "GET", summary="An event in detail", response=EVENT, tag="events", auth=False,
           parameters=[_path("event_id")], errors=(404,))
def get_event(event_id: int):
    """The event with its agenda, registration questions, the materials and discussion thread the caller may
    read, whether registration is open (and if not, why), and the caller's own registration. Drafts answer 404
    except to their organisers, events for members only except to the members of their platforms."""
    return jsonify(_one_event(caller(), _visible_event(event_id)))


@bp.route(f"/events/{EVENT_ID}/registrations", methods=["POST"])
@operation("/events/{event_id}/registrations", "POST", summary="Register for an event", response=REGISTRATION,
           status=201, request_body=REGISTRATION_INPUT, tag="events", parameters=[_path("event_id")],
           errors=(400, 403, 404, 409))
@login_required
def register_for_event(event_id: int):
    """Register the caller: a seat while there are seats (status ``confirmed``), else a place on the waiting
    list (``waitlisted``); ``pending`` when the organisers approve each registration. Fields left out are taken
    from the caller's profile. Registering again answers 200 with the same registration. 409 with the reason
    when registration is closed, 403 when the event is for members of its platforms only."""
    user = caller()
    event = _visible_event(event_id)
    given = read_object(json_body(), REGISTRATION_FIELDS)
    with naming_fields():
        registration, created = registrations.register(user, event,
                                                       **{**registrations.profile_defaults(user), **given})
    commit()
    response = jsonify(registration_json(registration))
    response.headers["Location"] = url_for("api.get_event", event_id=event.id)
    return response, 201 if created else 200


_PATHS["/events/{event_id}/registrations"]["post"]["responses"]["200"] = {
    "description": "Already registered: the same registration",
    "content": {"application/json": {"schema": REGISTRATION}}}


@bp.route(f"/events/{EVENT_ID}/registrations/me", methods=["DELETE"])
@operation("/events/{event_id}/registrations/me", "DELETE", summary="Cancel one's registration", response=None,
           status=204, tag="events", parameters=[_path("event_id")], errors=(404, 409))
@login_required
def cancel_my_registration(event_id: int):
    """Cancel the caller's active registration; a freed seat goes to the first on the waiting list who fits.
    404 when the caller has no active registration, 409 once the event is over."""
    user = caller()
    registration = registrations.registration_of(user, _visible_event(event_id))
    if registration is None or registration.status not in registrations.ACTIVE:
        raise not_found()
    registrations.cancel(registration, by=user)
    commit()
    return "", 204
