"""API endpoints of threads: a platform's thread list, starting a thread, reading a thread with its posts, and
replying, editing and deleting posts. Permissions and validation are those of the pages (the same services);
what the caller may not read answers 404. Moderation shows as on the pages: every thread and post has a
``status``; a hidden, held or rejected post's text is null except for those who may read it (the platform's
moderators; the author of a held or rejected post).
"""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.routing import BuildError

from forum.accounts.models import User
from forum.api import bp, caller, json_body, login_required, not_found, operation, page_arguments, paginated, refuse
from forum.api.openapi import PAGE_PARAMETERS, list_of, schema
from forum.core.db import MAX_ID, commit
from forum.extensions import db
from forum.i18n import LOCALES
from forum.moderation.choices import REASONS
from forum.moderation.limits import posting_limit
from forum.platforms import directory
from forum.platforms import rules as platform_rules
from forum.threads import queries, rules, services
from forum.threads.choices import KINDS, PROVENANCES, SORTS, STATUSES
from forum.threads.models import Post, PostTranslation, Thread

#: the largest id a database integer column holds; larger numbers name nothing (and must not reach the database)
THREAD_ID = f"<int(max={MAX_ID}):thread_id>"
POST_ID = f"<int(max={MAX_ID}):post_id>"

# --- schemas ------------------------------------------------------------------------------------------------

AUTHOR = schema("Author", {
    "type": ["object", "null"], "required": ["id", "display_name", "handle"],
    "description": "the author, or null when the account no longer exists",
    "properties": {"id": {"type": "integer"}, "display_name": {"type": "string"}, "handle": {"type": "string"}},
})
TIMESTAMP = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601"}
LANGUAGE = {"type": "string", "enum": list(LOCALES)}
STATUS = {"type": "string", "enum": list(STATUSES),
          "description": "visible; held: awaiting the moderators' review; hidden by the moderators; rejected"}
MODERATION_REASON = {"type": ["string", "null"], "enum": [*REASONS, None],
                     "description": "why the moderators hid (or rejected) it; null otherwise"}
THREAD = schema("Thread", {
    "type": "object",
    "required": ["id", "platform", "title", "kind", "language", "tags", "author", "created_at", "last_activity_at",
                 "reply_count", "is_locked", "is_pinned", "status", "moderation_reason", "url"],
    "properties": {
        "id": {"type": "integer"}, "platform": {"type": "string", "description": "the platform's slug"},
        "title": {"type": "string"}, "kind": {"type": "string", "enum": list(KINDS)},
        "language": {**LANGUAGE, "description": "the language of the opening post"},
        "tags": {"type": "array", "items": {"type": "string"}}, "author": AUTHOR,
        "created_at": TIMESTAMP, "last_activity_at": TIMESTAMP,
        "reply_count": {"type": "integer", "description": "visible replies, not counting the opening post or deleted "
                                                         "posts"},
        "is_locked": {"type": "boolean"}, "is_pinned": {"type": "boolean"},
        "status": {**STATUS, "description": "visible; only the platform's moderators (and the author of a held "
                                            "thread) see the others"},
        "moderation_reason": MODERATION_REASON,
        "url": {"type": "string", "format": "uri", "description": "the thread's page"},
    },
})
TRANSLATION = schema("PostTranslation", {
    "type": "object",
    "required": ["language", "body_markdown", "body_html", "provenance", "outdated", "translator"],
    "properties": {
        "language": LANGUAGE, "body_markdown": {"type": "string"},
        "body_html": {"type": "string", "description": "sanitised HTML rendered from body_markdown"},
        "provenance": {"type": "string", "enum": list(PROVENANCES)},
        "outdated": {"type": "boolean", "description": "the original was edited after this translation"},
        "translator": {"type": ["object", "null"], "required": ["id", "display_name"],
                       "properties": {"id": {"type": "integer"}, "display_name": {"type": "string"}}},
    },
})
POST = schema("Post", {
    "type": "object",
    "required": ["id", "thread_id", "author", "language", "body_markdown", "body_html", "created_at", "edited_at",
                 "deleted", "status", "moderation_reason", "reply_to_id", "reactions", "translations"],
    "properties": {
        "id": {"type": "integer"}, "thread_id": {"type": "integer"}, "author": AUTHOR, "language": LANGUAGE,
        "body_markdown": {"type": ["string", "null"],
                          "description": "the Markdown source; null once deleted, and for a hidden, held or "
                                         "rejected post unless the caller may read it"},
        "body_html": {"type": ["string", "null"], "description": "sanitised HTML; null when body_markdown is"},
        "status": {**STATUS, "description": "hidden posts are listed for everyone (without their text); held posts "
                                            "only for their author and the moderators; rejected ones for their "
                                            "author"},
        "moderation_reason": MODERATION_REASON,
        "created_at": TIMESTAMP, "edited_at": {**TIMESTAMP, "type": ["string", "null"]},
        "deleted": {"type": "boolean"}, "reply_to_id": {"type": ["integer", "null"]},
        "reactions": {"type": "object", "required": ["support", "thanks"],
                      "properties": {"support": {"type": "integer"}, "thanks": {"type": "integer"}}},
        "translations": {"type": "array", "items": TRANSLATION,
                         "description": "empty when body_markdown is null"},
    },
})
THREAD_WITH_POSTS = schema("ThreadWithPosts", {
    "allOf": [THREAD, {"type": "object", "required": ["posts"], "properties": {"posts": list_of(POST)}}],
})
THREAD_CREATE = schema("ThreadCreate", {
    "type": "object", "additionalProperties": False, "required": ["title", "body"],
    "properties": {
        "title": {"type": "string", "minLength": services.TITLE_MIN, "maxLength": services.TITLE_MAX},
        "body": {"type": "string", "maxLength": services.BODY_MAX, "description": "Markdown"},
        "kind": {"type": "string", "enum": list(KINDS), "default": "discussion",
                 "description": "announcements: officials and the platform's moderators only"},
        "language": {**LANGUAGE, "description": "defaults to the caller's language"},
        "tags": {"oneOf": [{"type": "array", "items": {"type": "string"}, "maxItems": services.MAX_TAGS},
                           {"type": "string", "description": "comma-separated"}]},
    },
})
POST_CREATE = schema("PostCreate", {
    "type": "object", "additionalProperties": False, "required": ["body"],
    "properties": {
        "body": {"type": "string", "maxLength": services.BODY_MAX, "description": "Markdown"},
        "language": {**LANGUAGE, "description": "defaults to the caller's language"},
        "reply_to": {"type": "integer", "description": "the id of the post of this thread being answered"},
    },
})
POST_UPDATE = schema("PostUpdate", {
    "type": "object", "additionalProperties": False, "required": ["body"],
    "properties": {"body": {"type": "string", "maxLength": services.BODY_MAX, "description": "Markdown"},
                   "language": {**LANGUAGE, "description": "defaults to the post's language"}},
})


def _path(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string" if name == "slug" else
                                                                     "integer"}}


LIST_PARAMETERS = [
    _path("slug"),
    {"name": "sort", "in": "query", "schema": {"type": "string", "enum": list(SORTS), "default": "activity"}},
    {"name": "kind", "in": "query", "schema": {"type": "string", "enum": list(KINDS)}},
    {"name": "tag", "in": "query", "schema": {"type": "string"}},
    {"name": "language", "in": "query", "schema": LANGUAGE},
    {"name": "unanswered", "in": "query", "schema": {"type": "boolean"}, "description": "1: only threads with no "
                                                                                       "reply"},
    *PAGE_PARAMETERS,
]

# --- answers ------------------------------------------------------------------------------------------------


def author_json(user: User | None) -> dict | None:
    """How an author appears in the API (None when the account is gone)."""
    if user is None:
        return None
    return {"id": user.id, "display_name": user.display_name, "handle": user.handle}


def thread_url(thread: Thread) -> str:
    """The absolute address of the thread's page."""
    try:
        return url_for("threads.show", thread_id=thread.id, _external=True)
    except BuildError:  # the page is not registered (yet): its address is fixed all the same
        return f"{request.host_url}t/{thread.id}"


def thread_json(thread: Thread) -> dict:
    """A thread as the API shows it (the caller may read it)."""
    return {
        "id": thread.id, "platform": thread.platform.slug, "title": thread.title, "kind": thread.kind,
        "language": thread.language, "tags": [tag.name for tag in thread.tags], "author": author_json(thread.author),
        "created_at": thread.created_at.isoformat(), "last_activity_at": thread.last_activity_at.isoformat(),
        "reply_count": thread.reply_count, "is_locked": thread.is_locked, "is_pinned": thread.is_pinned,
        "status": thread.status, "moderation_reason": thread.moderation_reason, "url": thread_url(thread),
    }


def translation_json(translation: PostTranslation) -> dict:
    """A translation of a post, with who made it and whether the original changed since."""
    translator = translation.translator
    return {
        "language": translation.language, "body_markdown": translation.body_source,
        "body_html": translation.body_html, "provenance": translation.provenance,
        "outdated": translation.is_outdated,
        "translator": {"id": translator.id, "display_name": translator.display_name} if translator else None,
    }


def post_json(post: Post, reader: User | None) -> dict:
    """A post as ``reader`` sees it through the API: a deleted post keeps its place but none of its text or
    translations; so does a hidden, held or rejected one, unless ``reader`` may read it."""
    deleted = post.is_deleted
    withheld = deleted or not rules.can_read_post_text(reader, post)
    return {
        "id": post.id, "thread_id": post.thread_id, "author": author_json(post.author), "language": post.language,
        "body_markdown": None if withheld else post.body_source, "body_html": None if withheld else post.body_html,
        "created_at": post.created_at.isoformat(),
        "edited_at": post.edited_at.isoformat() if post.edited_at and not withheld else None,
        "deleted": deleted, "status": post.status, "moderation_reason": post.moderation_reason,
        "reply_to_id": post.reply_to_id,
        "reactions": {"support": 0 if withheld else post.support_count, "thanks": 0 if withheld else post.thanks_count},
        "translations": [] if withheld else [translation_json(t) for t in post.translations],
    }


def _load_translators(posts: list[Post]) -> list[User]:
    """The translators of ``posts``, loaded in one query; while the caller holds the list, reading
    ``translation.translator`` costs no further query."""
    ids = {t.translator_id for post in posts for t in post.translations if t.translator_id is not None}
    return list(db.session.scalars(select(User).where(User.id.in_(ids)))) if ids else []


def thread_with_posts(reader: User | None, thread: Thread, page: int, per_page: int) -> dict:
    """The thread and one page of the posts ``reader`` may see, in a constant number of queries whatever the
    page holds."""
    pagination = queries.posts_page(reader, thread, page, per_page)
    translators = _load_translators(pagination.items)  # held: the session keeps loaded objects only while used
    posts = [post_json(p, reader) for p in pagination.items]
    del translators
    return {**thread_json(thread), "posts": paginated(pagination, posts)}


# --- reading the request ------------------------------------------------------------------------------------


def read_fields(required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    """The request's JSON object, checked: an object, no unknown field, every ``required`` field present, and
    text where text is expected (``null`` counts as absent for optional fields). Other checks are the services'.
    """
    allowed = (*required, *optional)
    data = json_body()
    if not isinstance(data, dict):
        raise refuse(_("Send a JSON object with some of: %(fields)s.", fields=", ".join(allowed)))
    for name in data:
        if name not in allowed:
            raise refuse(_("Unknown field: %(field)s. Send only: %(fields)s.", field=name,
                            fields=", ".join(allowed)), field=name)
    for name in required:
        if name not in data:
            raise refuse(_("The field %(field)s is required.", field=name), field=name)
    fields = {name: value for name, value in data.items() if value is not None or name in required}
    for name, value in fields.items():
        if name == "tags":
            if not (isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))):
                raise refuse(_("The field %(field)s must be a list of texts or a text with commas.", field=name),
                              field=name)
        elif name == "reply_to":
            if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_ID:
                raise refuse(_("The field %(field)s must be the id of a post (a whole number).", field=name),
                              field=name)
        elif not isinstance(value, str):
            raise refuse(_("The field %(field)s must be text.", field=name), field=name)
    return fields


def _visible_thread(thread_id: int) -> Thread:
    thread = queries.visible_thread(caller(), thread_id)
    if thread is None:
        raise not_found()
    return thread


def _visible_post(post_id: int) -> Post:
    post = queries.visible_post(caller(), post_id)
    if post is None:
        raise not_found()
    return post


# --- endpoints ----------------------------------------------------------------------------------------------


@bp.route("/platforms/<slug>/threads")
@operation("/platforms/{slug}/threads", "GET", summary="The threads of a platform", response=list_of(THREAD),
           tag="threads", auth=False, parameters=LIST_PARAMETERS, errors=(400, 404))
def list_platform_threads(slug: str):
    """The platform's threads, pinned first, sorted by ``sort`` (activity, newest, replies) and filtered by
    ``kind``, ``tag``, ``language`` and ``unanswered=1``, as on its page (unknown values are ignored). A
    members-only platform the caller may not read answers 404."""
    page, per_page = page_arguments()
    user = caller()
    platform = directory.platform_by_slug(slug)
    if platform is None or not platform_rules.can_read(user, platform):
        raise not_found()
    arguments = request.args
    query = queries.thread_list(user, platform, sort=arguments.get("sort", "activity"),
                                kind=arguments.get("kind") or None, tag=arguments.get("tag") or None,
                                language=arguments.get("language") or None,
                                unanswered=arguments.get("unanswered", "").lower() in ("1", "true", "yes"))
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    return jsonify(paginated(pagination, [thread_json(t) for t in pagination.items]))


@bp.route("/platforms/<slug>/threads", methods=["POST"])
@operation("/platforms/{slug}/threads", "POST", summary="Start a thread", response=THREAD_WITH_POSTS, status=201,
           request_body=THREAD_CREATE, tag="threads", parameters=[_path("slug")], errors=(400, 403, 404, 413))
@login_required
@posting_limit
def create_thread(slug: str):
    """Open a thread on the platform with its first post; answers the thread as ``GET /threads/<id>`` does.
    Members start discussions and questions; announcements are for officials and the platform's moderators.
    When the opening post must wait for the moderators' review, the thread and its post have status ``held``."""
    user = caller()
    platform = directory.platform_by_slug(slug)
    if platform is None or not platform_rules.can_read(user, platform):
        raise not_found()
    fields = read_fields(("title", "body"), ("kind", "language", "tags"))
    thread = services.start_thread(user, platform, **fields)
    commit()
    response = jsonify(thread_with_posts(user, thread, 1, queries.POSTS_PER_PAGE))
    response.headers["Location"] = url_for("api.get_thread", thread_id=thread.id)
    return response, 201


@bp.route(f"/threads/{THREAD_ID}")
@operation("/threads/{thread_id}", "GET", summary="A thread and a page of its posts", response=THREAD_WITH_POSTS,
           tag="threads", auth=False, parameters=[_path("thread_id"), *PAGE_PARAMETERS], errors=(400, 404))
def get_thread(thread_id: int):
    """The thread with one page of its posts, oldest first. Deleted and hidden posts keep their place without
    their text (the platform's moderators read hidden ones); held posts appear only for their author and the
    moderators."""
    page, per_page = page_arguments()
    return jsonify(thread_with_posts(caller(), _visible_thread(thread_id), page, per_page))


@bp.route(f"/threads/{THREAD_ID}/posts", methods=["POST"])
@operation("/threads/{thread_id}/posts", "POST", summary="Reply to a thread", response=POST, status=201,
           request_body=POST_CREATE, tag="threads", parameters=[_path("thread_id")], errors=(400, 403, 404, 413))
@login_required
@posting_limit
def create_post(thread_id: int):
    """Add a post to the thread, optionally answering one of its posts (``reply_to``). Only moderators write in
    a locked thread. A post that must wait for the moderators' review has status ``held``."""
    thread = _visible_thread(thread_id)
    fields = read_fields(("body",), ("language", "reply_to"))
    if "reply_to" in fields:
        answered = queries.visible_post(caller(), fields["reply_to"])
        if answered is None or answered.thread_id != thread.id:
            raise refuse(_("You can only answer a post of the same thread."), field="reply_to")
        fields["reply_to"] = answered
    post = services.reply(caller(), thread, **fields)
    commit()
    response = jsonify(post_json(post, caller()))
    response.headers["Location"] = url_for("api.get_thread", thread_id=thread_id)
    return response, 201


@bp.route(f"/posts/{POST_ID}", methods=["PATCH"])
@operation("/posts/{post_id}", "PATCH", summary="Edit a post", response=POST, request_body=POST_UPDATE,
           tag="threads", parameters=[_path("post_id")], errors=(400, 403, 404, 413))
@login_required
def update_post(post_id: int):
    """Change a post's text (its author, or a moderator of the platform); the old text goes to its history and
    its translations are marked outdated."""
    post = _visible_post(post_id)
    fields = read_fields(("body",), ("language",))
    services.edit_post(caller(), post, **fields)
    commit()
    return jsonify(post_json(post, caller()))


@bp.route(f"/posts/{POST_ID}", methods=["DELETE"])
@operation("/posts/{post_id}", "DELETE", summary="Delete a post", response=None, status=204,
           tag="threads", parameters=[_path("post_id")], errors=(403, 404))
@login_required
def remove_post(post_id: int):
    """Delete a post (its author, or a moderator of the platform); it stays in the thread as "deleted"."""
    services.delete_post(caller(), _visible_post(post_id))
    commit()
    return "", 204
