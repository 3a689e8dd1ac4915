"""What consultations announce over the live connection: topic ``consultation:<id>``, event ``comment.created``
after a visible comment is committed, with ``consultation_id``, ``comment_id``, ``parent_id``, ``paragraph`` (its
number, None for the whole draft), ``count`` (the visible comments on that paragraph now), ``count_text`` and
``html`` (the comment as the page draws it, once per interface language, without any reader's own controls).
Nothing is announced about a comment awaiting review or hidden, or about a draft consultation."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale, ngettext

from forum.consultations import comments, rules
from forum.consultations.choices import ANSWER_STATUSES, COMMENT_KINDS
from forum.consultations.models import Comment
from forum.core.realtime import publish
from forum.i18n import LOCALES


def consultation_topic(consultation_id: int) -> str:
    """The topic of one consultation's comments."""
    return f"consultation:{consultation_id}"


class _NoReplies:
    """A fresh comment has no replies yet."""

    replies: dict = {}


def _payload(comment: Comment) -> dict:
    consultation = comment.consultation
    current = comments.current_version(consultation)
    count = comments.paragraph_counts(consultation).get(comment.paragraph_key, 0)
    html, count_text = {}, {}
    for locale in LOCALES:
        with force_locale(locale):
            html[locale] = render_template(
                "consultations/_comment.html", comment=comment, consultation=consultation, discussion=_NoReplies,
                kinds=COMMENT_KINDS, statuses=ANSWER_STATUSES, version=current, current=current,
                version_numbers={}, can_answer=False, needs_answer=rules.needs_answer, form=None)
            count_text[locale] = ngettext("%(num)s comment", "%(num)s comments", count)
    return {"consultation_id": consultation.id, "comment_id": comment.id, "parent_id": comment.parent_id,
            "paragraph": comment.paragraph_key, "count": count, "count_text": count_text, "html": html}


def comment_created(comment: Comment) -> None:
    """Announce a visible comment to the consultation's readers once it is committed."""
    if comment.status != "visible" or comment.consultation.published_at is None:
        return
    publish(consultation_topic(comment.consultation_id), "comment.created", lambda: _payload(comment))
