"""Comments on a consultation's draft and the consulting organisation's answers: writing a comment (on the
whole draft or one paragraph, or a reply), answering it, and the counts shown beside paragraphs and in the
progress figure. Services check permissions (``rules``) and input, write and flush; the caller commits once.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from forum.accounts.models import User
from forum.consultations import lifecycle, live, rules
from forum.consultations.choices import ANSWER_STATUSES, COMMENT_KINDS, PHASES, REPLY
from forum.consultations.models import Answer, Comment, CommentTranslation, Consultation, DraftVersion
from forum.core import validation
from forum.core.db import utcnow
from forum.core.errors import ActionRefused
from forum.core.text import render
from forum.extensions import db
from forum.i18n import LOCALES
from forum.notifications import services as notifications

BODY_MAX = 10_000
EXPLANATION_MAX = 10_000


def _refused(message: str, field: str | None = None, status: int = 400, code: str = "invalid") -> ActionRefused:
    return ActionRefused(message, status=status, code=code, field=field)


def _not_found() -> ActionRefused:
    return ActionRefused(_("Not found."), status=404, code="not_found")


def current_version(consultation: Consultation) -> DraftVersion:
    """The draft as it stands: its latest version."""
    return consultation.versions[-1]


def comment(author: User, consultation: Consultation, *, body: Any, kind: Any = None, paragraph: Any = None,
            replacement: Any = "", language: Any = None, parent: Comment | None = None) -> Comment:
    """Comment on the current draft: on one paragraph (its number) or on the whole draft, as support, a concern
    or a proposal (which may carry replacement wording); or reply to a comment (which keeps its paragraph). The
    commenter follows the consultation from then on (unless they already do)."""
    if not rules.can_see(author, consultation):
        raise _not_found()
    if not rules.can_comment(author, consultation):
        raise _refused(_("This consultation is not taking comments: it is %(phase)s.",
                         phase=str(_phase_label(consultation)).lower()), status=409, code="not_open")
    version = current_version(consultation)
    if parent is not None:
        if parent.consultation_id != consultation.id or parent.status != "visible" \
                or parent.deleted_at is not None or parent.parent_id is not None:
            raise _refused(_("You can only reply to a comment of this consultation."), "parent")
        kind, key = REPLY, parent.paragraph_key
    else:
        if not isinstance(kind, str) or kind not in COMMENT_KINDS:
            raise _refused(_("Please choose one of the options offered."), "kind")
        key = _paragraph(version, paragraph)
    if language is None:
        language = author.locale
    if not isinstance(language, str) or language not in LOCALES:
        raise _refused(_("Please choose one of the options offered."), "language")
    body = validation.text(body, "body", BODY_MAX, missing=_("Please write your comment."))
    proposed = validation.text(replacement, "replacement", BODY_MAX) if kind == "proposal" else ""
    if proposed and key is None:
        raise _refused(_("Replacement wording belongs to one paragraph: choose the paragraph."), "paragraph")
    item = Comment(consultation=consultation, version=version, paragraph_key=key, parent=parent, author=author,
                   kind=kind, language=language, body_source=body, body_html=render(body).html,
                   replacement_text=proposed, replacement_html=render(proposed).html if proposed else "")
    db.session.add(item)
    db.session.flush()
    notifications.follow(author, "consultation", consultation.id)  # following twice changes nothing
    live.comment_created(item)
    return item


def _phase_label(consultation: Consultation) -> str:
    return PHASES[lifecycle.phase(consultation)]


def _paragraph(version: DraftVersion, value: Any) -> int | None:
    """The number of a paragraph of ``version`` (None or empty: the whole draft)."""
    if value is None or value == "":
        return None
    text = str(value).strip().lstrip("§")
    key = int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None
    if key is None or all(p.key != key for p in version.paragraphs):
        raise _refused(_("There is no paragraph %(key)s in the current version of the draft.", key=str(value)[:10]),
                       "paragraph")
    return key


def answer(official: User, item: Comment, *, status: Any, explanation_es: Any = "",
           explanation_en: Any = "") -> Answer:
    """Answer a comment for the consulting organisation (or change the answer): a status and an explanation in
    Spanish, English or both. The commenter is notified (again when the status changes), by e-mail as they
    chose."""
    consultation = item.consultation
    if not rules.can_see_comment(official, item):
        raise _not_found()
    if not rules.can_answer(official, consultation):
        raise _refused(_("Only officials of the consulting organisation answer comments."), status=403,
                       code="forbidden")
    if not rules.needs_answer(item):
        raise _refused(_("Only visible comments (not replies) are answered."), status=409, code="not_answerable")
    if not isinstance(status, str) or status not in ANSWER_STATUSES:
        raise _refused(_("Please choose one of the options offered."), "status")
    texts = {language: validation.text(value, f"explanation_{language}", EXPLANATION_MAX)
             for language, value in (("es", explanation_es), ("en", explanation_en))}
    if not any(texts.values()):
        raise _refused(_("Explain the answer in Spanish, in English or in both."), "explanation_es")
    found = item.answer or Answer(comment=item, created_at=utcnow())
    news = found.id is None or found.status != status
    found.status, found.author, found.updated_at = status, official, utcnow()
    for language, text in texts.items():
        setattr(found, f"explanation_{language}", text)
        setattr(found, f"explanation_html_{language}", render(text).html if text else "")
    db.session.add(found)
    db.session.flush()
    if news:
        _tell_commenter(item, found)
    return found


def _tell_commenter(item: Comment, found: Answer) -> None:
    """Notify the commenter that their comment was answered (or its status changed)."""
    if item.author is None or item.deleted_at is not None:
        return
    notifications.notify([item.author], "comment_answered", subject_type="comment", subject_id=item.id,
                         actor=found.author, details={"status": found.status})


def translate(translator: User, item: Comment, *, body: Any) -> CommentTranslation:
    """Put a comment into the other language (or correct its translation); readers of that language see the
    translation, labelled with who made it, and can open the original."""
    if not rules.can_see_comment(translator, item):
        raise _not_found()
    if not rules.can_translate_comment(translator, item):
        raise _refused(_("Only the author, the consulting organisation and the platform's translators and "
                         "moderators translate comments."), status=403, code="forbidden")
    text = validation.text(body, "body", BODY_MAX, missing=_("Please write the translation."))
    language = "en" if item.language == "es" else "es"
    found = next((t for t in item.translations if t.language == language), None)
    if found is None:
        found = CommentTranslation(comment=item, language=language, created_at=utcnow())
        db.session.add(found)
    found.body_source, found.body_html = text, render(text).html
    found.translator, found.updated_at = translator, utcnow()
    found.provenance = rules.translation_provenance(translator, item)
    db.session.flush()
    return found


def progress_of(consultation_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(answered, to answer) for each consultation, in two queries whatever their number: the visible comments
    that are not replies, and how many of them have an answer."""
    answerable = (Comment.consultation_id.in_(consultation_ids), Comment.parent_id.is_(None),
                  Comment.status == "visible", Comment.deleted_at.is_(None))
    totals = dict(db.session.execute(select(Comment.consultation_id, func.count()).where(*answerable)
                                     .group_by(Comment.consultation_id)).all()) if consultation_ids else {}
    answered = dict(db.session.execute(select(Comment.consultation_id, func.count()).join(Answer)
                                       .where(*answerable).group_by(Comment.consultation_id)).all()) \
        if totals else {}
    return {i: (answered.get(i, 0), totals.get(i, 0)) for i in consultation_ids}


def progress(consultation: Consultation) -> tuple[int, int]:
    """(answered, to answer) for one consultation (see :func:`progress_of`)."""
    return progress_of([consultation.id])[consultation.id]


def paragraph_counts(consultation: Consultation) -> dict[int | None, int]:
    """Visible comments (replies included) by paragraph number; None: on the whole draft."""
    rows = db.session.execute(select(Comment.paragraph_key, func.count()).where(
        Comment.consultation_id == consultation.id, Comment.status == "visible", Comment.deleted_at.is_(None),
        rules.under_a_shown_comment())
        .group_by(Comment.paragraph_key))
    return {key: count for key, count in rows}
