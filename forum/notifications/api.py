"""API endpoints of notifications: the caller's notifications (with the unread count) and marking them read.
Each says what it is about in the caller's language; an item the caller may no longer see is named by nothing
(``title`` and ``url`` null)."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _

from forum.api import bp, caller, json_body, login_required, operation, page_arguments, paginated, refuse
from forum.api.openapi import PAGE_PARAMETERS, TIMESTAMP, list_of, schema
from forum.core.db import MAX_ID, commit
from forum.extensions import db
from forum.notifications import live, queries, services
from forum.notifications.choices import KINDS
from forum.notifications.wording import Shown, show

NOTIFICATION = schema("Notification", {
    "type": "object",
    "required": ["id", "kind", "text", "subject_type", "subject_id", "url", "actor", "created_at", "read"],
    "properties": {
        "id": {"type": "integer"}, "kind": {"type": "string", "enum": list(KINDS)},
        "text": {"type": "string", "description": "what happened, in the caller's language"},
        "subject_type": {"type": "string", "description": "post, thread, comment, consultation, event…"},
        "subject_id": {"type": "integer"},
        "url": {"type": ["string", "null"], "format": "uri",
                "description": "the item's page; null when the caller may no longer see it"},
        "actor": {"type": ["object", "null"], "required": ["id"], "properties": {"id": {"type": "integer"}},
                  "description": "who caused it (null: the platform itself, or an account since deleted)"},
        "created_at": TIMESTAMP, "read": {"type": "boolean"},
    },
})
NOTIFICATIONS = {**list_of(NOTIFICATION)}
NOTIFICATIONS["required"] = [*NOTIFICATIONS["required"], "unread"]
NOTIFICATIONS["properties"] = {**NOTIFICATIONS["properties"], "unread": {
    "type": "integer", "description": "how many of the caller's notifications are unread"}}
READ = {"type": "object", "properties": {"ids": {
    "type": "array", "items": {"type": "integer"}, "maxItems": 100,
    "description": "the notifications to mark read; without it, all of them"}}}
READ_ANSWER = {"type": "object", "required": ["marked", "unread"],
               "properties": {"marked": {"type": "integer"}, "unread": {"type": "integer"}}}


def notification_json(shown: Shown) -> dict:
    """One notification as the API shows it."""
    notification = shown.notification
    return {"id": notification.id, "kind": notification.kind, "text": shown.text,
            "subject_type": notification.subject_type, "subject_id": notification.subject_id,
            "url": shown.absolute_url if shown.url else None,
            "actor": {"id": notification.actor_id} if notification.actor_id else None,
            "created_at": notification.created_at.isoformat(), "read": notification.read_at is not None}


@bp.route("/notifications")
@operation("/notifications", "GET", summary="My notifications", response=NOTIFICATIONS, tag="notifications",
           parameters=PAGE_PARAMETERS, errors=(400,))
@login_required
def list_notifications():
    """The caller's notifications, newest first, with how many are unread."""
    page, per_page = page_arguments()
    user = caller()
    pagination = db.paginate(queries.notifications_of(user), page=page, per_page=per_page, error_out=False)
    body = paginated(pagination, [notification_json(s) for s in show(user, pagination.items)])
    return jsonify({**body, "unread": live.unread_count(user.id)})


@bp.route("/notifications/read", methods=["POST"])
@operation("/notifications/read", "POST", summary="Mark notifications read", response=READ_ANSWER,
           request_body=READ, tag="notifications", errors=(400,))
@login_required
def read_notifications():
    """Mark the caller's notifications ``ids`` read, or all of them when no ids are sent (ids of others'
    notifications are ignored)."""
    body = json_body()
    body = {} if body is None else body
    if not isinstance(body, dict) or set(body) - {"ids"}:
        raise refuse(_ids_message(), field="ids")
    ids = body.get("ids")
    if ids is not None and (not isinstance(ids, list) or len(ids) > 100 or not all(
            isinstance(i, int) and not isinstance(i, bool) and 0 < i <= MAX_ID for i in ids)):
        raise refuse(_ids_message(), field="ids")
    user = caller()
    marked = services.mark_read(user, ids)
    commit()
    return jsonify({"marked": marked, "unread": live.unread_count(user.id)})


def _ids_message() -> str:
    return _("Send {\"ids\": [...]} with up to 100 notification ids, or nothing to mark them all.")

