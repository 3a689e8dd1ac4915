"""The agency officials' pages: creating a consultation (from scratch or from a library document's text) and
editing it while it is a draft, publishing it, publishing new versions of the draft, closing early, extending,
and answering comments. Every action works as a plain form. Consultations the user may not see answer 404;
those they see but do not run answer 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum.consultations import bp, comments, drafts, lifecycle, rules, services
from forum.consultations.choices import ANSWER_STATUSES, COMMENT_KINDS, PHASES
from forum.consultations.manage_forms import (
    AnswerForm,
    CloseEarlyForm,
    ConsultationForm,
    ExtendForm,
    VersionForm,
)
from forum.consultations.models import Comment, Consultation, consultation_documents
from forum.core.db import MAX_ID, commit, whole_number
from forum.core.errors import ActionRefused
from forum.core.forms import choices, save
from forum.documents import links
from forum.documents import queries as document_queries
from forum.documents.forms import LinkedDocumentsForm
from forum.extensions import db
from forum.i18n import localized
from forum.platforms import directory

CONSULTATION = f"/consultations/<int(max={MAX_ID}):consultation_id>"


def managed_consultation(consultation_id: int,
                         allowed: Callable[[Any, Consultation], bool] = rules.can_manage) -> Consultation:
    """The consultation of an officials' page: 404 when the user may not see it, 403 when ``allowed`` (a
    question of ``rules``) says they may not do this to it."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or not rules.can_see(current_user, consultation):
        abort(404)
    if not allowed(current_user, consultation):
        abort(403)
    return consultation


def done(message: str, consultation: Consultation, endpoint: str = "consultations.show") -> Response:
    """Say ``message`` and go (303) to the consultation's page (or ``endpoint``)."""
    flash(message, "success")
    return redirect(url_for(endpoint, consultation_id=consultation.id), 303)


# --- the consultation and its draft ---------------------------------------------------------------------------


def _agency_choices() -> dict[str, str]:
    """The government organisations the user consults for, by name."""
    named = [(str(o.id), localized(o, "name")[0] + (f" ({o.acronym})" if o.acronym else ""))
             for o in rules.agencies(current_user)]
    return dict(sorted(named, key=lambda item: item[1].casefold()))


def _platform_choices(consultation: Consultation | None) -> dict[str, str]:
    """The platforms the user may consult on (and the one the consultation is already on)."""
    offered = [p for p in directory.active_platforms() if rules.may_consult_on(current_user, p)]
    if consultation is not None and consultation.platform not in offered:
        offered.append(consultation.platform)
    return {str(p.id): localized(p, "name")[0] for p in offered}


def _document_text() -> str | None:
    """The Spanish draft to start from, made of the text of the library document ``?document=<id>`` (404 when
    there is no such document the user may see); None when none was asked for."""
    asked = request.args.get("document")
    if asked is None:
        return None
    document = document_queries.visible_document(current_user, whole_number(asked) or 0)
    if document is None:
        abort(404)
    version = document_queries.latest_version(document)
    text = drafts.from_plain_text(version.text or "") if version is not None else ""
    if not text:
        flash(_("This document has no text to start from (yet): write the draft below."), "error")
    return text


def _consultation_form(consultation: Consultation | None) -> ConsultationForm:
    """The form with what was sent (on a POST), else with the consultation as it is (or a new one, its Spanish
    text taken from a library document when asked), and the choices the user may make."""
    if request.method == "POST":
        form = ConsultationForm()
    elif consultation is not None:
        form = ConsultationForm.for_consultation(consultation)
    else:
        form = ConsultationForm(formdata=None, text_es=_document_text() or "")
    form.offer(agencies=_agency_choices(), platforms=_platform_choices(consultation))
    return form


def _edit_page(consultation: Consultation | None, form: ConsultationForm, status: int = 200):
    return render_template("consultations/manage/edit.html", consultation=consultation, form=form,
                           zone=services.ZONE), status


@bp.route("/consultations/new", methods=["GET", "POST"])
@login_required
def create():
    """A new consultation with the first version of its draft, saved as a draft that only the agency's
    officials and administrators see until it is published (officials of government organisations only).
    ``?document=<id>`` starts the Spanish text from a library document's extracted text."""
    if not rules.can_create(current_user):
        abort(403)
    form = _consultation_form(None)
    saved, consultation, status = save(form, lambda: services.create(current_user, **form.fields()))
    if saved:
        return done(_("The consultation has been saved as a draft. Check it, then publish it."), consultation,
                     "consultations.edit")
    return _edit_page(None, form, status)


@bp.route(f"{CONSULTATION}/edit", methods=["GET", "POST"])
@login_required
def edit(consultation_id: int):
    """Edit a consultation that is still a draft, its text included; with the button that publishes it. Once
    published, the draft changes only through new versions."""
    consultation = managed_consultation(consultation_id)
    if consultation.published_at is not None:
        raise ActionRefused(_("Once published, the draft changes only through a new version."), status=409,
                            code="published")
    form = _consultation_form(consultation)
    saved, _consultation, status = save(
        form, lambda: services.update_draft(current_user, consultation, **form.fields()))
    if saved:
        return done(_("Your changes have been saved."), consultation, "consultations.edit")
    return _edit_page(consultation, form, status)


@bp.route(f"{CONSULTATION}/publish", methods=["POST"])
@login_required
def publish(consultation_id: int):
    """Publish a draft: whoever may read its platform sees it, and it takes comments from its opening date."""
    consultation = managed_consultation(consultation_id)
    services.publish(current_user, consultation)
    commit()
    return done(_("The consultation is published."), consultation)


# --- the course of a published consultation -------------------------------------------------------------------


def _course_page(consultation: Consultation, *, version_form: VersionForm | None = None,
                 close_form: CloseEarlyForm | None = None, extend_form: ExtendForm | None = None,
                 status: int = 200):
    """The page of a published consultation's course: a new version of the draft, closing early, extending."""
    return render_template(
        "consultations/manage/version.html", consultation=consultation, phase=lifecycle.phase(consultation),
        phases=PHASES, zone=services.ZONE, changes=services.changes(consultation),
        version=comments.current_version(consultation),
        form=version_form or VersionForm.for_consultation(consultation),
        close_form=close_form or CloseEarlyForm(formdata=None),
        extend_form=extend_form or ExtendForm(formdata=None)), status


@bp.route(f"{CONSULTATION}/versions/new", methods=["GET", "POST"])
@login_required
def new_version(consultation_id: int):
    """A revised draft: the current text in each language with its paragraph markers, to change and publish
    with a note on what changed (paragraphs keep their numbers and comments through their markers). The page
    also closes the consultation early or extends it."""
    consultation = managed_consultation(consultation_id)
    form = VersionForm() if request.method == "POST" else VersionForm.for_consultation(consultation)
    saved, version, status = save(form, lambda: services.new_version(current_user, consultation, **form.version()))
    if saved:
        return done(_("Version %(number)d of the draft is published.", number=version.number), consultation)
    return _course_page(consultation, version_form=form, status=status)


@bp.route(f"{CONSULTATION}/attachments", methods=["GET", "POST"])
@login_required
def attachments(consultation_id: int):
    """The library documents attached to the consultation: those already attached, then the most recent
    documents the official may see, each with a checkbox."""
    consultation = managed_consultation(consultation_id)
    linked = services.attachments(current_user, consultation)
    offered = links.offered(current_user, linked)
    form = LinkedDocumentsForm(documents=[str(document.id) for document in linked])
    form.documents.choices = choices({str(document.id): localized(document, "title")[0] for document in offered})
    saved, _ids, status = save(form, lambda: services.set_attachments(current_user, consultation,
                                                                      form.documents.data or []))
    if saved:
        return done(_("The attachments have been saved."), consultation, "consultations.attachments")
    hidden = len(links.linked_ids(consultation_documents, consultation_documents.c.consultation_id,
                                  consultation.id)) - len(linked)
    return render_template("consultations/manage/attachments.html", consultation=consultation, form=form,
                           documents={str(d.id): d for d in offered}, hidden=hidden), status


@bp.route(f"{CONSULTATION}/close", methods=["POST"])
@login_required
def close_early(consultation_id: int):
    """Close an open consultation before its date, saying why; no comment is taken afterwards."""
    consultation = managed_consultation(consultation_id)
    form = CloseEarlyForm()
    saved, _result, status = save(form, lambda: services.close_early(current_user, consultation,
                                                                      note=form.note.data or ""))
    if saved:
        return done(_("The consultation is closed."), consultation)
    return _course_page(consultation, close_form=form, status=status)


@bp.route(f"{CONSULTATION}/extend", methods=["POST"])
@login_required
def extend(consultation_id: int):
    """Move the closing date later, saying why (a closed consultation opens again until the new date)."""
    consultation = managed_consultation(consultation_id)
    form = ExtendForm()
    saved, _result, status = save(form, lambda: services.extend(
        current_user, consultation, (form.closes_at.data or "").strip(), note=form.note.data or ""))
    if saved:
        return done(_("The closing date has been extended."), consultation)
    return _course_page(consultation, extend_form=form, status=status)


# --- answers --------------------------------------------------------------------------------------------------


def _answered_comment(comment_id: int) -> Comment:
    """The comment to answer: 404 when the user may not see it, 403 when they may not answer for the
    consulting organisation, 409 when it is not answered (a reply, a hidden or withdrawn comment)."""
    item = db.session.get(Comment, comment_id)
    if item is None or not rules.can_see_comment(current_user, item):
        abort(404)
    if not rules.can_answer(current_user, item.consultation):
        abort(403)
    if not rules.needs_answer(item):
        raise ActionRefused(_("Only visible comments (not replies) are answered."), status=409,
                            code="not_answerable")
    return item


def _paragraph(item: Comment):
    """The paragraph the comment is on, as it stood in the version commented on (None: the whole draft)."""
    if item.paragraph_key is None or item.version is None:
        return None
    return next((p for p in item.version.paragraphs if p.key == item.paragraph_key), None)


@bp.route(f"/comments/<int(max={MAX_ID}):comment_id>/answer", methods=["GET", "POST"])
@login_required
def answer(comment_id: int):
    """Answer a comment for the consulting organisation: the comment and its paragraph, a status and an
    explanation in Spanish, English or both. An answer already given comes back to be changed."""
    item = _answered_comment(comment_id)
    form = AnswerForm() if request.method == "POST" else AnswerForm.for_answer(item.answer)
    saved, _answer, status = save(form, lambda: comments.answer(current_user, item, **form.answer()))
    if saved:
        flash(_("Your answer is published."), "success")
        return redirect(url_for("consultations.show", consultation_id=item.consultation_id,
                                _anchor=f"comment-{item.id}"), 303)
    answered, total = comments.progress(item.consultation)
    return render_template("consultations/manage/answer.html", comment=item, consultation=item.consultation,
                           paragraph=_paragraph(item), form=form, kinds=COMMENT_KINDS, statuses=ANSWER_STATUSES,
                           answered=answered, total=total), status
