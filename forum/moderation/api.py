"""API endpoints of moderation: flagging an item and reading one's flags (anyone signed in); the moderation
queue, one queue item, claiming it and deciding on it (moderators). The same services and rules as the pages:
participants get 403 from every moderation endpoint, and an item one may not see answers 404.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from forum.accounts.models import User
from forum.api import bp, json_body, login_required, operation, page_arguments, paginated
from forum.api.openapi import PAGE_PARAMETERS, list_of, schema
from forum.core.db import MAX_ID, commit
from forum.core.errors import ActionRefused
from forum.extensions import db
from forum.i18n import LOCALES
from forum.moderation import decisions, flags, queue, rules
from forum.moderation.choices import CAUSES, REASONS
from forum.moderation.limits import flagging_limit
from forum.moderation.models import Flag, ModerationAction, QueueItem

ITEM_ID = f"<int(max={MAX_ID}):item_id>"

# --- schemas --------------------------------------------------------------------------------------------------

TIMESTAMP = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601"}
MAYBE_TIMESTAMP = {**TIMESTAMP, "type": ["string", "null"]}
PERSON = {"type": ["object", "null"], "required": ["id", "display_name"],
          "properties": {"id": {"type": "integer"}, "display_name": {"type": "string"}}}
REASON = {"type": "string", "enum": list(REASONS)}
TARGET_TYPE = {"type": "string", "description": "a moderated type: post, thread (and those other domains add)"}
FLAG_CREATE = schema("FlagCreate", {
    "type": "object", "additionalProperties": False, "required": ["target_type", "target_id", "reason"],
    "properties": {
        "target_type": TARGET_TYPE, "target_id": {"type": "integer", "minimum": 1},
        "reason": REASON,
        "note": {"type": "string", "maxLength": flags.NOTE_MAX, "description": "optional, for the moderators"},
    },
})
FLAG = schema("Flag", {
    "type": "object",
    "required": ["id", "target_type", "target_id", "reason", "note", "status", "decision", "created_at",
                 "decided_at", "target"],
    "properties": {
        "id": {"type": "integer"}, "target_type": TARGET_TYPE, "target_id": {"type": "integer"}, "reason": REASON,
        "note": {"type": "string"},
        "status": {"type": "string", "enum": ["open", "upheld", "dismissed"],
                   "description": "open: waiting for the moderators; upheld: action was taken; dismissed: no "
                                  "action was needed"},
        "decision": {"type": ["string", "null"], "description": "what the moderators decided, once they did"},
        "created_at": TIMESTAMP, "decided_at": MAYBE_TIMESTAMP,
        "target": {"type": ["object", "null"], "required": ["title", "url"],
                   "description": "null when the item is gone or no longer visible to the flagger",
                   "properties": {"title": {"type": "string"}, "url": {"type": "string"}}},
    },
})
QUEUE_ITEM = schema("QueueItem", {
    "type": "object",
    "required": ["id", "target_type", "target_id", "platform", "cause", "reason", "language", "status",
                 "opened_at", "flags", "reasons", "unread_language", "claimed_by", "decided_by", "decision",
                 "decided_at", "target"],
    "properties": {
        "id": {"type": "integer"}, "target_type": TARGET_TYPE, "target_id": {"type": "integer"},
        "platform": {"type": ["string", "null"], "description": "the platform's slug"},
        "cause": {"type": "string", "enum": list(CAUSES)},
        "reason": {"type": ["string", "null"], "description": "the most frequent flag reason"},
        "language": {"type": ["string", "null"], "enum": [*LOCALES, None]},
        "status": {"type": "string", "enum": list(queue.STATUSES)}, "opened_at": TIMESTAMP,
        "flags": {"type": "integer", "description": "open flags"},
        "reasons": {"type": "object", "additionalProperties": {"type": "integer"},
                    "description": "open flags per reason"},
        "unread_language": {"type": "boolean",
                            "description": "no moderator of the platform reads the item's language"},
        "claimed_by": PERSON, "decided_by": PERSON, "decision": {"type": ["string", "null"]},
        "decided_at": MAYBE_TIMESTAMP,
        "target": {"type": ["object", "null"], "required": ["title", "url", "status", "language", "author", "text"],
                   "description": "the item (its text even when hidden); null when it no longer exists",
                   "properties": {"title": {"type": "string"}, "url": {"type": "string"},
                                  "status": {"type": "string"}, "language": {"type": ["string", "null"]},
                                  "author": PERSON, "text": {"type": "string", "description": "Markdown"}}},
    },
})
QUEUE_ITEM_DETAIL = schema("QueueItemDetail", {
    "allOf": [QUEUE_ITEM, {"type": "object", "required": ["flag_list"], "properties": {"flag_list": {
        "type": "array", "items": {"type": "object", "required": ["reason", "note", "created_at", "status", "user"],
                                   "properties": {"reason": REASON, "note": {"type": "string"},
                                                  "created_at": TIMESTAMP, "status": {"type": "string"},
                                                  "user": PERSON}}}}}],
})
DECISION = schema("Decision", {
    "type": "object", "additionalProperties": False, "required": ["decision"],
    "properties": {
        "decision": {"type": "string", "description": "one of the item type's decisions: post: hide, restore, "
                                                      "delete, edit, approve, reject, dismiss; thread: hide, "
                                                      "restore, lock, unlock, pin, unpin, move, dismiss"},
        "reason": REASON, "note": {"type": "string", "maxLength": decisions.NOTE_MAX,
                                   "description": "recorded in the moderation log"},
        "platform": {"type": "string", "description": "move: the slug of the platform to move the thread to"},
        "body": {"type": "string", "description": "edit: the new text (Markdown)"},
    },
})
DECIDED = schema("Decided", {
    "type": "object", "required": ["item", "action"],
    "properties": {
        "item": {"oneOf": [QUEUE_ITEM, {"type": "null"}]},
        "action": {"type": "object", "required": ["id", "action", "reason", "note", "before", "after", "created_at"],
                   "properties": {"id": {"type": "integer"}, "action": {"type": "string"},
                                  "reason": {"type": ["string", "null"]}, "note": {"type": "string"},
                                  "before": {"type": ["string", "null"]}, "after": {"type": ["string", "null"]},
                                  "created_at": TIMESTAMP}},
    },
})
QUEUE_PARAMETERS = [
    {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(queue.STATUSES), "default": "open"}},
    {"name": "reason", "in": "query", "schema": REASON},
    {"name": "language", "in": "query", "schema": {"type": "string", "enum": list(LOCALES)}},
    {"name": "platform", "in": "query", "schema": {"type": "string"}, "description": "a platform's slug"},
    {"name": "cause", "in": "query", "schema": {"type": "string", "enum": list(CAUSES)}},
    {"name": "age", "in": "query", "schema": {"type": "integer", "minimum": 0},
     "description": "only items that entered the queue more than this many hours ago"},
    {"name": "mine", "in": "query", "schema": {"type": "boolean"},
     "description": "1: only items in the languages the caller moderates"},
    *PAGE_PARAMETERS,
]
ITEM_PARAMETER = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}

# --- answers --------------------------------------------------------------------------------------------------


def _person(user: User | None) -> dict | None:
    return {"id": user.id, "display_name": user.display_name} if user is not None else None


def _time(value) -> str | None:
    return value.isoformat() if value is not None else None


def flag_json(view: flags.FlagView) -> dict:
    """A flag as its author sees it in the API."""
    entry = view.flag
    return {"id": entry.id, "target_type": entry.target_type, "target_id": entry.target_id, "reason": entry.reason,
            "note": entry.note, "status": entry.status, "decision": view.decision,
            "created_at": _time(entry.created_at), "decided_at": _time(entry.decided_at),
            "target": {"title": view.title, "url": view.url} if view.title is not None else None}


def item_json(row: queue.Row) -> dict:
    """A queue item as moderators see it in the API."""
    item, target = row.item, row.target
    return {
        "id": item.id, "target_type": item.target_type, "target_id": item.target_id,
        "platform": item.platform.slug if item.platform else None, "cause": item.cause, "reason": item.reason,
        "language": item.language, "status": item.status, "opened_at": _time(item.opened_at), "flags": row.flags,
        "reasons": row.reasons, "unread_language": row.unread_language, "claimed_by": _person(item.claimed_by),
        "decided_by": _person(item.decided_by), "decision": item.decision, "decided_at": _time(item.decided_at),
        "target": {"title": target.title, "url": target.url, "status": target.status, "language": target.language,
                   "author": _person(target.author), "text": target.text} if target is not None else None,
    }


def action_json(action: ModerationAction) -> dict:
    """A moderation log entry as the API shows it to the moderator who made it."""
    return {"id": action.id, "action": action.action, "reason": action.reason, "note": action.note,
            "before": action.before_text, "after": action.after_text, "created_at": _time(action.created_at)}


# --- reading requests -----------------------------------------------------------------------------------------


def _invalid(message: str, field: str | None = None) -> ActionRefused:
    return ActionRefused(message, status=400, code="invalid", field=field)


def read_object(required: tuple[str, ...], optional: tuple[str, ...], numbers: tuple[str, ...] = ()) -> dict:
    """The request's JSON object, checked: an object, no unknown field, the required ones present, whole numbers
    where numbers are expected and text elsewhere (``null`` counts as absent for optional fields)."""
    allowed = (*required, *optional)
    data = json_body()
    if not isinstance(data, dict):
        raise _invalid(_("Send a JSON object with some of: %(fields)s.", fields=", ".join(allowed)))
    for name in data:
        if name not in allowed:
            raise _invalid(_("Unknown field: %(field)s. Send only: %(fields)s.", field=name,
                             fields=", ".join(allowed)), name)
    for name in required:
        if data.get(name) is None:
            raise _invalid(_("The field %(field)s is required.", field=name), name)
    fields = {name: value for name, value in data.items() if value is not None}
    for name, value in fields.items():
        if name in numbers:
            if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_ID:
                raise _invalid(_("The field %(field)s must be a whole number.", field=name), name)
        elif not isinstance(value, str):
            raise _invalid(_("The field %(field)s must be text.", field=name), name)
    return fields


def _moderator() -> User:
    user = current_user._get_current_object()
    if not rules.can_use_queue(user):
        raise ActionRefused(_("Only moderators can use the moderation queue."), status=403, code="forbidden")
    return user


def _item(item_id: int) -> QueueItem:
    """A queue item the caller moderates: 404 when there is none or its item is not theirs to see, 403 when it
    belongs to a platform they do not moderate."""
    return queue.item_for(_moderator(), item_id)


# --- endpoints ------------------------------------------------------------------------------------------------


@bp.route("/flags", methods=["POST"])
@operation("/flags", "POST", summary="Flag an item", response=FLAG, status=201, tag="moderation",
           request_body=FLAG_CREATE, errors=(400, 403, 404, 409, 429))
@login_required
@flagging_limit
def create_flag():
    """Flag a post, a thread or another moderated item with a reason and an optional note. Your own words: 403;
    your earlier flag on it still open: 409; an item you may not see: 404. Once enough different people flag
    an item, it is hidden until a moderator reviews it."""
    fields = read_object(("target_type", "target_id", "reason"), ("note",), numbers=("target_id",))
    user = current_user._get_current_object()
    entry = flags.flag(user, fields["target_type"], fields["target_id"], reason=fields["reason"],
                       note=fields.get("note", ""))
    commit()
    response = jsonify(flag_json(flags.views(user, [entry])[0]))
    response.headers["Location"] = url_for("moderation.my_flags")
    return response, 201


@bp.route("/flags")
@operation("/flags", "GET", summary="Your flags and their outcome", response=list_of(FLAG), tag="moderation",
           parameters=PAGE_PARAMETERS)
@login_required
def list_flags():
    """The flags you filed, newest first, each with its status and, once decided, the moderators' decision."""
    page, per_page = page_arguments()
    user = current_user._get_current_object()
    pagination = db.paginate(flags.flags_of(user), page=page, per_page=per_page, error_out=False)
    return jsonify(paginated(pagination, [flag_json(v) for v in flags.views(user, pagination.items)]))


@bp.route("/moderation/queue")
@operation("/moderation/queue", "GET", summary="The moderation queue", response=list_of(QUEUE_ITEM),
           tag="moderation", parameters=QUEUE_PARAMETERS, errors=(400, 403))
@login_required
def moderation_queue():
    """Items waiting for a moderator on the platforms you moderate (every platform for global moderators),
    oldest first, filtered as on the queue page. Moderators only."""
    user = _moderator()
    page, per_page = page_arguments()
    pagination = queue.queue_page(user, queue.Filters.from_args(request.args), page=page, per_page=per_page)
    return jsonify(paginated(pagination, [item_json(row) for row in queue.rows(pagination.items)]))


@bp.route(f"/moderation/items/{ITEM_ID}")
@operation("/moderation/items/{item_id}", "GET", summary="One queue item with its flags",
           response=QUEUE_ITEM_DETAIL, tag="moderation", parameters=[ITEM_PARAMETER], errors=(403, 404))
@login_required
def moderation_item(item_id: int):
    """A queue item, its item's text (even when hidden) and its flags. Moderators of its platform only."""
    item = _item(item_id)
    query = select(Flag).where(Flag.target_type == item.target_type, Flag.target_id == item.target_id)
    query = query.where(Flag.status == "open") if item.status == "open" else \
        query.where(Flag.decided_at == item.decided_at)
    flag_list = [{"reason": f.reason, "note": f.note, "created_at": _time(f.created_at), "status": f.status,
                  "user": _person(f.user)} for f in db.session.scalars(query.order_by(Flag.id))]
    return jsonify({**item_json(queue.rows([item])[0]), "flag_list": flag_list})


def _claim(item_id: int, release: bool):
    item = _item(item_id)
    queue.claim(current_user._get_current_object(), item, release=release)
    commit()
    return jsonify(item_json(queue.rows([db.session.get(QueueItem, item_id)])[0]))


@bp.route(f"/moderation/items/{ITEM_ID}/claim", methods=["POST"])
@operation("/moderation/items/{item_id}/claim", "POST", summary="Claim a queue item", response=QUEUE_ITEM,
           tag="moderation", parameters=[ITEM_PARAMETER], errors=(403, 404, 409))
@login_required
def claim_item(item_id: int):
    """Claim an open item ("I am on it"). Claimed by someone else, or already decided: 409 naming them."""
    return _claim(item_id, release=False)


@bp.route(f"/moderation/items/{ITEM_ID}/claim", methods=["DELETE"])
@operation("/moderation/items/{item_id}/claim", "DELETE", summary="Give a claimed item back",
           response=QUEUE_ITEM, tag="moderation", parameters=[ITEM_PARAMETER], errors=(403, 404, 409))
@login_required
def release_item(item_id: int):
    """Give your claim on an item back to the queue (nothing changes when you had not claimed it)."""
    return _claim(item_id, release=True)


@bp.route(f"/moderation/items/{ITEM_ID}/decision", methods=["POST"])
@operation("/moderation/items/{item_id}/decision", "POST", summary="Decide on a queue item", response=DECIDED,
           tag="moderation", parameters=[ITEM_PARAMETER], request_body=DECISION, errors=(400, 403, 404, 409))
@login_required
def decide_item(item_id: int):
    """Take a decision on a queue item: dismiss its flags, hide, restore, delete, edit (``body``), lock, unlock,
    pin, unpin, move (``platform``), approve or reject, as its type offers. The first decision wins: a
    decision on an item another moderator already decided answers 409 "already handled by …" and changes
    nothing."""
    item = _item(item_id)
    fields = read_object(("decision",), ("reason", "note", "platform", "body"))
    sent: dict[str, Any] = {name: fields.get(name) for name in ("platform", "body")}
    done = decisions.decide(current_user._get_current_object(), item.target_type, item.target_id,
                            fields["decision"], reason=fields.get("reason"), note=fields.get("note", ""),
                            item_id=item.id, **decisions.parameters_of(fields["decision"], sent))
    commit()
    fresh = db.session.get(QueueItem, item_id)
    action = db.session.get(ModerationAction, done.action.id)
    return jsonify({"item": item_json(queue.rows([fresh])[0]), "action": action_json(action)})
