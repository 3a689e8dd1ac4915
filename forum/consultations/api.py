"""API endpoints of consultations: the listing with its filters, one consultation with its versions, the current
draft's paragraphs and the record of its course, creating one (published at once if asked), its comments with
the agency's answers, commenting, and answering a comment. Permissions and validation are those of the pages
(the same ``rules``, ``services`` and ``comments``); a consultation the caller may not see (a draft, for everyone
but the agency's officials and administrators) answers 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from forum.accounts.models import Organisation
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
from forum.api.openapi import BILINGUAL, OPTIONAL_TIMESTAMP, PAGE_PARAMETERS, TIMESTAMP, list_of, schema
from forum.consultations import comments, lifecycle, rules, services
from forum.consultations.choices import ANSWER_STATUSES, CHANGES, COMMENT_KINDS, PHASES, REPLY
from forum.consultations.models import Answer, Comment, Consultation, DraftVersion
from forum.core.db import MAX_ID, commit, utcnow, whole_number
from forum.core.errors import ActionRefused
from forum.extensions import db
from forum.i18n import LOCALES
from forum.platforms import directory

CONSULTATION_ID = f"<int(max={MAX_ID}):consultation_id>"
COMMENT_ID = f"<int(max={MAX_ID}):comment_id>"
#: what creating a consultation takes besides ``services.FIELDS``
CREATION_EXTRAS = ("publish",)
#: the fields of a comment, as ``comments.comment`` takes them (``parent``: the id of the comment replied to)
COMMENT_FIELDS = ("body", "kind", "paragraph", "replacement", "language", "parent")
#: the fields of an answer, as ``comments.answer`` takes them
ANSWER_FIELDS = ("status", "explanation_es", "explanation_en")

# --- schemas ------------------------------------------------------------------------------------------------

_TEXT = {"type": "string"}
PROGRESS = {"type": "object", "required": ["answered", "total"],
            "description": "visible comments that are not replies (total) and how many have an answer",
            "properties": {"answered": {"type": "integer"}, "total": {"type": "integer"}}}
PARAGRAPH = {
    "type": "object", "required": ["key", "section", "heading", "text", "html", "comment_count"],
    "properties": {
        "key": {"type": "integer", "description": "the paragraph's stable number (§), kept across versions"},
        "section": {"type": "integer", "description": "0: before the first heading"},
        "heading": {**BILINGUAL, "description": "its section's heading"},
        "text": {**BILINGUAL, "description": "Markdown source (either language may be empty)"},
        "html": {**BILINGUAL, "description": "rendered from the Markdown and sanitised"},
        "comment_count": {"type": "integer", "description": "visible comments on it, replies included"},
    },
}
COMMENT_ANSWER = schema("CommentAnswer", {
    "type": "object", "required": ["status", "explanation", "explanation_html", "updated_at"],
    "description": "the consulting organisation's public answer to a comment",
    "properties": {
        "status": {"type": "string", "enum": list(ANSWER_STATUSES)},
        "explanation": {**BILINGUAL, "description": "Markdown source"},
        "explanation_html": {**BILINGUAL, "description": "rendered from the Markdown and sanitised"},
        "updated_at": TIMESTAMP,
    },
})
CONSULTATION = schema("Consultation", {
    "type": "object",
    "required": ["id", "title", "summary", "summary_html", "question", "phase", "opens_at", "closes_at",
                 "published_at", "closed_early_at", "report_published_at", "organisation", "platform", "progress",
                 "url"],
    "properties": {
        "id": {"type": "integer"}, "title": BILINGUAL,
        "summary": {**BILINGUAL, "description": "Markdown source"},
        "summary_html": {**BILINGUAL, "description": "rendered from the Markdown and sanitised"},
        "question": {**BILINGUAL, "description": "what the agency asks the participants"},
        "phase": {"type": "string", "enum": list(PHASES),
                  "description": "drafts: the agency's officials and administrators only"},
        "opens_at": TIMESTAMP, "closes_at": TIMESTAMP, "published_at": OPTIONAL_TIMESTAMP,
        "closed_early_at": OPTIONAL_TIMESTAMP, "report_published_at": OPTIONAL_TIMESTAMP,
        "organisation": {"type": "object", "required": ["id", "acronym", "name_es", "name_en"],
                         "description": "the agency that consults",
                         "properties": {"id": {"type": "integer"}, "acronym": _TEXT, "name_es": _TEXT,
                                        "name_en": _TEXT}},
        "platform": {"type": "string", "description": "the slug of its platform"},
        "progress": PROGRESS,
        "url": {"type": "string", "format": "uri", "description": "the consultation's page"},
        "versions": {"type": "array", "description": "the versions of the draft, oldest first (detail only)",
                     "items": {"type": "object", "required": ["number", "created_at", "notes"],
                               "properties": {"number": {"type": "integer"}, "created_at": TIMESTAMP,
                                              "notes": {**BILINGUAL, "description": "what changed"}}}},
        "sections": {"type": "array", "description": "the current version's sections (detail only)",
                     "items": {"type": "object", "required": ["section", "heading", "paragraphs"],
                               "properties": {"section": {"type": "integer"}, "heading": BILINGUAL,
                                              "paragraphs": {"type": "array", "items": {"type": "integer"},
                                                             "description": "the keys of its paragraphs"}}}},
        "paragraphs": {"type": "array", "items": PARAGRAPH,
                       "description": "the current version's paragraphs, in order (detail only)"},
        "general_comment_count": {"type": "integer",
                                  "description": "visible comments on the whole draft (detail only)"},
        "attachments": {"type": "array", "description": "attached library documents the caller may read (detail only)",
                        "items": {"type": "object", "properties": {"id": {"type": "integer"}, "title": BILINGUAL,
                                                                   "url": {"type": "string", "format": "uri"}}}},
        "changes": {"type": "array", "description": "the record of its course, oldest first (detail only)",
                    "items": {"type": "object", "required": ["action", "label", "created_at", "old_value",
                                                             "new_value", "note"],
                              "properties": {"action": {"type": "string", "enum": list(CHANGES)},
                                             "label": {"type": "string", "description": "in the caller's language"},
                                             "created_at": TIMESTAMP, "old_value": OPTIONAL_TIMESTAMP,
                                             "new_value": OPTIONAL_TIMESTAMP,
                                             "note": {"type": "string", "description": "the official's words"}}}},
    },
})
CONSULTATION_COMMENT = schema("ConsultationComment", {
    "type": "object",
    "required": ["id", "consultation_id", "paragraph", "version", "kind", "language", "status", "withdrawn",
                 "body_html", "replacement_html", "parent_id", "author", "created_at", "answer"],
    "properties": {
        "id": {"type": "integer"}, "consultation_id": {"type": "integer"},
        "paragraph": {"type": ["integer", "null"], "description": "the paragraph's key; null: the whole draft"},
        "version": {"type": ["integer", "null"], "description": "the number of the version commented on"},
        "kind": {"type": "string", "enum": [*COMMENT_KINDS, REPLY]},
        "language": {"type": "string", "enum": list(LOCALES), "description": "the language it was written in"},
        "status": {"type": "string", "enum": ["visible", "held"],
                   "description": "held: awaiting review (shown to its author only)"},
        "withdrawn": {"type": "boolean", "description": "withdrawn by its author: its text is no longer shown"},
        "body_html": {"type": "string", "description": "rendered from the Markdown and sanitised"},
        "replacement_html": {"type": "string", "description": "a proposal's suggested wording, if any"},
        "parent_id": {"type": ["integer", "null"], "description": "the comment this one replies to"},
        "author": {"type": ["object", "null"], "properties": {"id": {"type": "integer"},
                                                              "display_name": {"type": "string"}}},
        "created_at": TIMESTAMP,
        "answer": {"anyOf": [COMMENT_ANSWER, {"type": "null"}]},
    },
})
CONSULTATION_INPUT = schema("ConsultationInput", {
    "type": "object", "additionalProperties": False, "required": ["organisation", "platform", "opens_at",
                                                                  "closes_at"],
    "description": "a title in at least one language; the draft texts must have the same sections and, in "
                   "each, the same number of paragraphs (blocks between blank lines; ``#`` headings open sections)",
    "properties": {
        "organisation": {"type": "integer", "description": "the id of a government organisation the caller is "
                                                           "an official of"},
        "platform": {"type": ["string", "integer"], "description": "the slug or id of a platform where the caller "
                                                                   "may post"},
        "title_es": {**_TEXT, "maxLength": services.TITLE_MAX},
        "title_en": {**_TEXT, "maxLength": services.TITLE_MAX},
        "summary_es": {**_TEXT, "maxLength": services.SUMMARY_MAX, "description": "Markdown"},
        "summary_en": {**_TEXT, "maxLength": services.SUMMARY_MAX, "description": "Markdown"},
        "question_es": {**_TEXT, "maxLength": services.QUESTION_MAX},
        "question_en": {**_TEXT, "maxLength": services.QUESTION_MAX},
        "opens_at": {**_TEXT, "description": "ISO 8601; without an offset it is read in America/Mexico_City"},
        "closes_at": {**_TEXT, "description": "ISO 8601, after opens_at"},
        "text_es": {**_TEXT, "description": "the draft in Spanish (Markdown)"},
        "text_en": {**_TEXT, "description": "the draft in English (Markdown)"},
        "publish": {"type": "boolean", "default": False, "description": "true: publish at once (else a draft)"},
    },
})
COMMENT_INPUT = schema("CommentInput", {
    "type": "object", "additionalProperties": False, "required": ["body"],
    "properties": {
        "body": {**_TEXT, "maxLength": comments.BODY_MAX, "description": "Markdown"},
        "kind": {"type": "string", "enum": list(COMMENT_KINDS), "description": "required unless replying"},
        "paragraph": {"type": ["integer", "null"], "description": "a paragraph key of the current version; "
                                                                  "left out: the whole draft"},
        "replacement": {**_TEXT, "maxLength": comments.BODY_MAX,
                        "description": "proposals on a paragraph: the suggested wording (Markdown)"},
        "language": {"type": "string", "enum": list(LOCALES), "description": "default: the caller's language"},
        "parent": {"type": "integer", "description": "the id of the comment replied to (its paragraph is kept)"},
    },
})
ANSWER_INPUT = schema("AnswerInput", {
    "type": "object", "additionalProperties": False, "required": ["status"],
    "description": "an explanation in Spanish, English or both",
    "properties": {
        "status": {"type": "string", "enum": list(ANSWER_STATUSES)},
        "explanation_es": {**_TEXT, "maxLength": comments.EXPLANATION_MAX, "description": "Markdown"},
        "explanation_en": {**_TEXT, "maxLength": comments.EXPLANATION_MAX, "description": "Markdown"},
    },
})


def _path(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


LIST_PARAMETERS = [
    {"name": "phase", "in": "query", "schema": {"type": "string", "enum": list(PHASES)}},
    {"name": "platform", "in": "query", "schema": {"type": "string"}, "description": "a platform's slug"},
    {"name": "organisation", "in": "query", "schema": {"type": "integer"}, "description": "the agency's id"},
    *PAGE_PARAMETERS,
]
COMMENT_PARAMETERS = [
    _path("consultation_id"),
    {"name": "paragraph", "in": "query", "schema": {"type": "integer"},
     "description": "a paragraph's key: only the comments on it"},
    *PAGE_PARAMETERS,
]

# --- answers ------------------------------------------------------------------------------------------------


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _both(item: Any, name: str) -> dict:
    return {"es": getattr(item, f"{name}_es"), "en": getattr(item, f"{name}_en")}


def consultation_json(consultation: Consultation, *, detail: bool = False,
                      progress: tuple[int, int] | None = None) -> dict:
    """A consultation as the API shows it (to someone who may see it); ``progress`` when already counted."""
    organisation: Organisation = consultation.organisation
    answered, total = progress or comments.progress(consultation)
    answer = {
        "id": consultation.id, "title": _both(consultation, "title"), "summary": _both(consultation, "summary"),
        "summary_html": _both(consultation, "summary_html"), "question": _both(consultation, "question"),
        "phase": lifecycle.phase(consultation), "opens_at": _time(consultation.opens_at),
        "closes_at": _time(consultation.closes_at), "published_at": _time(consultation.published_at),
        "closed_early_at": _time(consultation.closed_early_at),
        "report_published_at": _time(consultation.report_published_at),
        "organisation": {"id": organisation.id, "acronym": organisation.acronym, "name_es": organisation.name_es,
                         "name_en": organisation.name_en},
        "platform": consultation.platform.slug, "progress": {"answered": answered, "total": total},
        "url": page_url("consultations.show", consultation_id=consultation.id),
    }
    if detail:
        answer.update(_details(consultation))
    return answer


def _details(consultation: Consultation) -> dict:
    """What only a consultation's own answer carries: versions, the current draft and the record of changes."""
    counts = comments.paragraph_counts(consultation)
    paragraphs = comments.current_version(consultation).paragraphs
    sections: list[dict] = []
    for paragraph in paragraphs:
        if not sections or sections[-1]["section"] != paragraph.section:
            sections.append({"section": paragraph.section, "heading": _both(paragraph, "heading"),
                             "paragraphs": []})
        sections[-1]["paragraphs"].append(paragraph.key)
    return {
        "versions": [{"number": v.number, "created_at": _time(v.created_at), "notes": _both(v, "note")}
                     for v in consultation.versions],
        "sections": sections,
        "paragraphs": [{"key": p.key, "section": p.section, "heading": _both(p, "heading"), "text": _both(p, "text"),
                        "html": _both(p, "html"), "comment_count": counts.get(p.key, 0)} for p in paragraphs],
        "general_comment_count": counts.get(None, 0),
        "changes": [{"action": c.action, "label": str(CHANGES.get(c.action, c.action)),
                     "created_at": _time(c.created_at), "old_value": c.old_value, "new_value": c.new_value,
                     "note": c.note} for c in services.changes(consultation)],
        "attachments": [{"id": d.id, "title": _both(d, "title"), "url": page_url("documents.show", document_id=d.id)}
                        for d in services.attachments(caller(), consultation)],
    }


def answer_json(found: Answer) -> dict:
    """The agency's answer to a comment."""
    return {"status": found.status, "explanation": _both(found, "explanation"),
            "explanation_html": _both(found, "explanation_html"), "updated_at": _time(found.updated_at)}


def comment_json(item: Comment) -> dict:
    """A comment as the API shows it (to someone who may see it); a withdrawn one without its text."""
    withdrawn = item.deleted_at is not None
    author = item.author
    return {
        "id": item.id, "consultation_id": item.consultation_id, "paragraph": item.paragraph_key,
        "version": item.version.number if item.version is not None else None, "kind": item.kind,
        "language": item.language, "status": item.status, "withdrawn": withdrawn,
        "body_html": "" if withdrawn else item.body_html,
        "replacement_html": "" if withdrawn else item.replacement_html, "parent_id": item.parent_id,
        "author": {"id": author.id, "display_name": author.display_name} if author is not None else None,
        "created_at": _time(item.created_at),
        "answer": answer_json(item.answer) if item.answer is not None else None,
    }


# --- reading the request ------------------------------------------------------------------------------------


def _visible_consultation(consultation_id: int) -> Consultation:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or not rules.can_see(caller(), consultation):
        raise not_found()
    return consultation


def _parent(consultation: Consultation, value: Any) -> Comment:
    """The comment of ``consultation`` a reply answers, from its id (``comments.comment`` checks the rest)."""
    parent = None
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID:
        parent = db.session.get(Comment, value)
    if parent is None or parent.consultation_id != consultation.id:
        raise refuse(_("You can only reply to a comment of this consultation."), field="parent")
    return parent


# --- endpoints ----------------------------------------------------------------------------------------------


@bp.route("/consultations")
@operation("/consultations", "GET", summary="Consultations", response=list_of(CONSULTATION), tag="consultations",
           auth=False, parameters=LIST_PARAMETERS, errors=(400,))
def list_consultations():
    """The consultations the caller may see, newest first, filtered by ``phase``, ``platform`` (slug) and
    ``organisation`` (id) as on the page; a phase outside the vocabulary is ignored, and a platform or
    organisation that does not exist lists nothing."""
    page, per_page = page_arguments()
    arguments = request.args
    query = select(Consultation).where(rules.visible_consultations(caller())).options(
        selectinload(Consultation.organisation), selectinload(Consultation.platform))
    if arguments.get("phase") in PHASES:
        query = query.where(lifecycle.in_phase(arguments["phase"], utcnow()))
    nothing = {"items": [], "page": page, "per_page": per_page, "total": 0}
    if arguments.get("platform"):
        platform = directory.platform_by_slug(arguments["platform"])
        if platform is None:
            return jsonify(nothing)
        query = query.where(Consultation.platform_id == platform.id)
    if arguments.get("organisation"):
        organisation_id = whole_number(arguments["organisation"])
        if organisation_id is None:
            return jsonify(nothing)
        query = query.where(Consultation.organisation_id == organisation_id)
    query = query.order_by(Consultation.created_at.desc(), Consultation.id.desc())
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    counted = comments.progress_of([c.id for c in pagination.items])
    return jsonify(paginated(pagination, [consultation_json(c, progress=counted[c.id]) for c in pagination.items]))


@bp.route("/consultations", methods=["POST"])
@operation("/consultations", "POST", summary="Create a consultation", response=CONSULTATION, status=201,
           request_body=CONSULTATION_INPUT, tag="consultations", errors=(400, 403, 409))
@login_required
def create_consultation():
    """Create a consultation (officials of government organisations, for their own organisation) with the first
    version of its bilingual draft, as a draft seen only by the agency's officials and administrators, or
    published at once with ``"publish": true``. Nothing is saved unless everything is valid."""
    user = caller()
    fields = read_object(json_body(), (*services.FIELDS, *CREATION_EXTRAS))
    publish = fields.pop("publish", False)
    if not isinstance(publish, bool):
        raise refuse(_("The field %(field)s must be true or false.", field="publish"), field="publish")
    with naming_fields():
        consultation = services.create(user, **fields)
        if publish:
            services.publish(user, consultation)
    commit()
    response = jsonify(consultation_json(consultation, detail=True))
    response.headers["Location"] = url_for("api.get_consultation", consultation_id=consultation.id)
    return response, 201


@bp.route(f"/consultations/{CONSULTATION_ID}")
@operation("/consultations/{consultation_id}", "GET", summary="A consultation in detail", response=CONSULTATION,
           tag="consultations", auth=False, parameters=[_path("consultation_id")], errors=(404,))
def get_consultation(consultation_id: int):
    """The consultation with the versions of its draft, the current version's sections and paragraphs (with
    the number of comments on each), the record of its course and the progress of the answers. Drafts answer
    404 except to the agency's officials and administrators."""
    return jsonify(consultation_json(_visible_consultation(consultation_id), detail=True))


@bp.route(f"/consultations/{CONSULTATION_ID}/comments")
@operation("/consultations/{consultation_id}/comments", "GET", summary="Comments on a consultation",
           response=list_of(CONSULTATION_COMMENT), tag="consultations", auth=False,
           parameters=COMMENT_PARAMETERS, errors=(400, 404))
def list_comments(consultation_id: int):
    """The visible comments on the consultation (and the caller's own comments awaiting review), oldest first,
    each with the agency's answer if there is one; ``paragraph`` keeps those on one paragraph."""
    page, per_page = page_arguments()
    user = caller()
    consultation = _visible_consultation(consultation_id)
    shown = Comment.status == "visible"
    if user is not None:
        shown = or_(shown, and_(Comment.status == "held", Comment.author_id == user.id))
    query = select(Comment).where(Comment.consultation_id == consultation.id, shown,
                                  rules.under_a_shown_comment()).options(
        selectinload(Comment.author), selectinload(Comment.answer),
        selectinload(Comment.version).load_only(DraftVersion.number))
    if "paragraph" in request.args:
        key = whole_number(request.args["paragraph"].lstrip("§"), 999_999)
        if key is None:
            raise ActionRefused(_("There is no paragraph %(key)s in the current version of the draft.",
                                  key=request.args["paragraph"][:10]), code="invalid_query")
        query = query.where(Comment.paragraph_key == key)
    pagination = db.paginate(query.order_by(Comment.created_at, Comment.id), page=page, per_page=per_page,
                             error_out=False)
    return jsonify(paginated(pagination, [comment_json(c) for c in pagination.items]))


@bp.route(f"/consultations/{CONSULTATION_ID}/comments", methods=["POST"])
@operation("/consultations/{consultation_id}/comments", "POST", summary="Comment on a consultation",
           response=CONSULTATION_COMMENT, status=201, request_body=COMMENT_INPUT, tag="consultations",
           parameters=[_path("consultation_id")], errors=(400, 404, 409))
@login_required
def add_comment(consultation_id: int):
    """Comment on the current draft while the consultation is open: on one ``paragraph`` (its key) or on the
    whole draft, as support, a concern or a proposal (which may carry ``replacement`` wording); or reply to a
    comment (``parent``). 409 with the phase when it is not open."""
    user = caller()
    consultation = _visible_consultation(consultation_id)
    fields = read_object(json_body(), COMMENT_FIELDS, required=("body",))
    with naming_fields():
        if "parent" in fields:
            fields["parent"] = _parent(consultation, fields["parent"])
        item = comments.comment(user, consultation, **fields)
    commit()
    response = jsonify(comment_json(item))
    response.headers["Location"] = url_for("api.list_comments", consultation_id=consultation.id)
    return response, 201


@bp.route(f"/comments/{COMMENT_ID}/answer", methods=["POST"])
@operation("/comments/{comment_id}/answer", "POST", summary="Answer a comment", response=COMMENT_ANSWER,
           request_body=ANSWER_INPUT, tag="consultations", parameters=[_path("comment_id")],
           errors=(400, 403, 404, 409))
@login_required
def answer_comment(comment_id: int):
    """Answer a comment for the consulting organisation, or change its answer (the agency's officials only:
    403 for anyone else who may see it): a status and an explanation in Spanish, English or both. Replies are
    not answered (409)."""
    user = caller()
    item = db.session.get(Comment, comment_id)
    if item is None or not rules.can_see_comment(user, item):
        raise not_found()
    fields = read_object(json_body(), ANSWER_FIELDS, required=("status",))
    with naming_fields():
        found = comments.answer(user, item, **fields)
    commit()
    return jsonify(answer_json(found))
