"""Consultation pages: the listing with its filters, the consultation with its draft paragraph by paragraph and
the comments beside each paragraph (in the reader's language, or both side by side, in any version), the
comparison of two versions, and the comment form. Every action works as a plain form; consultations the reader
may not see (drafts, for everyone but the agency's officials and administrators) answer 404."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.accounts.models import Organisation
from forum.consultations import bp, comments, drafts, lifecycle, rules, services
from forum.consultations.choices import ANSWER_STATUSES, CHANGES, COMMENT_KINDS, PHASES
from forum.consultations.forms import CommentForm, TranslationForm
from forum.consultations.models import Comment, Consultation, DraftVersion, VersionParagraph
from forum.core.db import MAX_ID, commit, whole_number
from forum.core.errors import ActionRefused
from forum.core.forms import INVALID, refusal_status, save, show_refusal
from forum.extensions import db
from forum.i18n import current_locale, select_timezone
from forum.notifications import services as notifications
from forum.platforms import directory

CONSULTATIONS_PER_PAGE = 20
CONSULTATION = f"/consultations/<int(max={MAX_ID}):consultation_id>"


def consultation_or_404(consultation_id: int) -> Consultation:
    """The consultation, when it exists and the reader may see it; 404 otherwise."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or not rules.can_see(current_user, consultation):
        abort(404)
    return consultation


@bp.route("/consultations")
def index():
    """The consultations the reader may see, newest first, filtered by phase, platform and organisation; each
    with its agency, platform, phase, dates and how many comments have been answered."""
    args = request.args
    platform = directory.platform_by_slug(args["platform"].strip()) if args.get("platform") else None
    visible = rules.visible_consultations(current_user)
    organisations = list(db.session.scalars(select(Organisation).where(Organisation.id.in_(
        select(Consultation.organisation_id).where(visible))).order_by(Organisation.name_es, Organisation.id)))
    organisation_id = whole_number(args.get("organisation", ""))
    organisation = next((o for o in organisations if o.id == organisation_id), None)
    filters = {
        "phase": args.get("phase") if args.get("phase") in PHASES else None,
        "platform": platform.slug if platform is not None else None,
        "organisation": organisation.id if organisation is not None else None,
    }
    query = select(Consultation).where(visible).options(
        selectinload(Consultation.organisation), selectinload(Consultation.platform))
    if filters["phase"]:
        query = query.where(lifecycle.in_phase(filters["phase"]))
    if platform is not None:
        query = query.where(Consultation.platform_id == platform.id)
    if organisation is not None:
        query = query.where(Consultation.organisation_id == organisation.id)
    page = db.paginate(query.order_by(Consultation.created_at.desc(), Consultation.id.desc()),
                       per_page=CONSULTATIONS_PER_PAGE, error_out=False)
    if page.page > max(page.pages, 1):
        abort(404)
    return render_template(
        "consultations/index.html", consultations=page, filters=filters, phases=PHASES,
        phase_of={c.id: lifecycle.phase(c) for c in page.items},
        progress=comments.progress_of([c.id for c in page.items]),
        platforms=directory.active_platforms(), organisations=organisations,
        can_create=rules.can_create(current_user))


@dataclass
class Section:
    """A section of the shown version: its number, headings and paragraphs."""

    number: int
    heading_es: str
    heading_en: str
    paragraphs: list[VersionParagraph] = field(default_factory=list)


def _sections(version: DraftVersion) -> list[Section]:
    sections: list[Section] = []
    for paragraph in version.paragraphs:
        if not sections or sections[-1].number != paragraph.section:
            sections.append(Section(paragraph.section, paragraph.heading_es, paragraph.heading_en))
        sections[-1].paragraphs.append(paragraph)
    return sections


@dataclass
class Discussion:
    """The comments the reader may see, by paragraph number (None: the whole draft), with their replies."""

    by_paragraph: dict[int | None, list[Comment]]
    replies: dict[int, list[Comment]]


def _discussion(consultation: Consultation) -> Discussion:
    """Every comment of the consultation the reader may see, read at once (authors, answers and translations
    too: the page's queries do not grow with the comments)."""
    found = db.session.scalars(select(Comment).where(Comment.consultation_id == consultation.id).options(
        selectinload(Comment.author), selectinload(Comment.answer), selectinload(Comment.translations))
        .order_by(Comment.created_at, Comment.id))
    # the reader sees the consultation, so visible comments need no further question
    seen = [item for item in found if item.status == "visible" or rules.can_see_comment(current_user, item)]
    discussion = Discussion({}, {})
    for item in seen:
        if item.parent_id is None:
            discussion.by_paragraph.setdefault(item.paragraph_key, []).append(item)
        else:
            discussion.replies.setdefault(item.parent_id, []).append(item)
    return discussion


def _version_shown(consultation: Consultation) -> DraftVersion:
    value = request.args.get("version")
    if value is None:
        return comments.current_version(consultation)
    number = whole_number(value)
    if number is None or number > len(consultation.versions):
        abort(404)
    return consultation.versions[number - 1]


def _show(consultation: Consultation, form: CommentForm | None = None, status: int = 200, typed: str = ""):
    """The consultation's page, with ``form`` (a new one unless given) and ``typed`` (a comment refused because
    the consultation stopped taking comments, shown so it is not lost)."""
    version = _version_shown(consultation)
    current = comments.current_version(consultation)
    discussion = _discussion(consultation)
    keys = {p.key for p in version.paragraphs}
    removed = {key: items for key, items in discussion.by_paragraph.items() if key is not None and key not in keys}
    phase = lifecycle.phase(consultation)
    may_comment = rules.can_comment(current_user, consultation)
    if form is None and may_comment:
        form = CommentForm(formdata=None, language=current_locale(), paragraph=request.args.get("paragraph", ""),
                           parent=request.args.get("parent", ""))
    if form is not None:
        form.offer([p.key for p in current.paragraphs])
    parent = discussion_comment(discussion, form.parent.data) if form is not None else None
    return render_template(
        "consultations/show.html", consultation=consultation, version=version, current=current,
        sections=_sections(version), discussion=discussion, removed=sorted(removed.items()),
        counts=comments.paragraph_counts(consultation), progress=comments.progress(consultation),
        changes=services.changes(consultation), phase=phase, phases=PHASES, change_labels=CHANGES,
        kinds=COMMENT_KINDS, statuses=ANSWER_STATUSES, both=request.args.get("lang") == "both",
        version_numbers={v.id: v.number for v in consultation.versions}, form=form if may_comment else None,
        replying_to=parent, typed=typed, can_manage=rules.can_manage(current_user, consultation),
        can_answer=rules.can_answer(current_user, consultation), needs_answer=rules.needs_answer,
        may_translate=lambda item: rules.can_translate_comment(current_user, item),
        attachments=services.attachments(current_user, consultation),
        following=notifications.is_following(current_user, "consultation", consultation.id),
        reader_zone=select_timezone()), status


def discussion_comment(discussion: Discussion, value: object) -> Comment | None:
    """The top-level comment numbered ``value`` among those shown (the one a reply form answers)."""
    number = whole_number(value if isinstance(value, str) else "")
    return next((item for items in discussion.by_paragraph.values() for item in items if item.id == number), None)


@bp.route(CONSULTATION)
def show(consultation_id: int):
    """A consultation: agency, platform, phase and dates, summary and question, the record of its course, the
    answered comments so far, the draft paragraph by paragraph with the comments beside each, and the comment
    form. ``?version=N`` shows an earlier version; ``?lang=both`` shows Spanish and English side by side."""
    return _show(consultation_or_404(consultation_id))


@bp.route(f"{CONSULTATION}/compare")
def compare(consultation_id: int):
    """Two versions of the draft compared paragraph by paragraph, in the reader's language: paragraphs added,
    removed, changed (words taken out and put in) and unchanged. By default, the current version against the one
    before it."""
    consultation = consultation_or_404(consultation_id)
    count = len(consultation.versions)
    newer = whole_number(request.args.get("to", str(count)))
    older = whole_number(request.args.get("from", str(max(count - 1, 1))))
    if newer is None or older is None or newer > count or older > count:
        abort(404)
    before, after = consultation.versions[older - 1], consultation.versions[newer - 1]
    old, new = _paragraphs(before), _paragraphs(after)
    language = current_locale()
    if not any(p.text(language) for p in old + new):
        language = "en" if language == "es" else "es"
    return render_template("consultations/compare.html", consultation=consultation, before=before, after=after,
                           changes=drafts.compare(old, new, language), language=language,
                           versions=consultation.versions)


def _paragraphs(version: DraftVersion) -> list[drafts.Paragraph]:
    return [drafts.Paragraph(p.key, p.section, p.heading_es, p.heading_en, p.text_es, p.text_en)
            for p in version.paragraphs]


@bp.route(f"{CONSULTATION}/comments", methods=["POST"])
@login_required
def add_comment(consultation_id: int):
    """Comment on a paragraph or the whole draft, or reply to a comment; then back to the comment on the page.
    Refused comments come back on the page with the reasons and what was typed."""
    consultation = consultation_or_404(consultation_id)
    form = CommentForm()
    form.offer([p.key for p in comments.current_version(consultation).paragraphs])
    if form.validate_on_submit():
        try:
            parent = None
            if form.parent.data:
                number = whole_number(form.parent.data)
                parent = db.session.get(Comment, number) if number else None
                if parent is None:
                    raise ActionRefused(_("You can only reply to a comment of this consultation."), field="parent")
            item = comments.comment(current_user, consultation, parent=parent, **form.comment())
            commit()
        except ActionRefused as error:
            db.session.rollback()
            if error.status == 404:
                abort(404)
            show_refusal(form, error)
            status = refusal_status(error)
        else:
            return redirect(url_for("consultations.show", consultation_id=consultation.id,
                                    _anchor=f"comment-{item.id}"), 303)
    else:
        status = INVALID
    return _show(consultation, form, status, typed=(form.body.data or "") if status == 409 else "")


@bp.route(f"/comments/<int(max={MAX_ID}):comment_id>/translate", methods=["GET", "POST"])
@login_required
def translate_comment(comment_id: int):
    """Put a comment into the other language (its author, the consulting organisation, the platform's
    translators and moderators); the page shows the original beside the form."""
    item = db.session.get(Comment, comment_id)
    if item is None or not rules.can_see_comment(current_user, item):
        abort(404)
    if not rules.can_translate_comment(current_user, item):
        abort(403)
    language = "en" if item.language == "es" else "es"
    existing = next((t for t in item.translations if t.language == language), None)
    form = TranslationForm(data={"body": existing.body_source} if existing and request.method == "GET" else None)
    saved, _translation, status = save(form, lambda: comments.translate(current_user, item, body=form.body.data))
    if saved:
        flash(_("The translation is published."), "success")
        return redirect(url_for("consultations.show", consultation_id=item.consultation_id,
                                _anchor=f"comment-{item.id}"), 303)
    return render_template("consultations/translate.html", comment=item, consultation=item.consultation,
                           form=form, language=language), status
