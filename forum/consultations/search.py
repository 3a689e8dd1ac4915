"""Consultations and their comments in search. A consultation is found by its title, summary, question and the
text of its current draft (both languages), dated by when it opens: that is when readers meet it, and what "since"
and "until" mean for a consultation. A comment is found by its text and its proposed wording, with its
translations, dated when written. Who finds them is :func:`forum.consultations.rules.visible_consultations` and
:func:`~forum.consultations.rules.findable_comments`.

Paragraphs are written only with a new version of the draft (never edited in place; a draft's text is rewritten
as a replacement version), so watching versions keeps the consultation's entry current."""

from __future__ import annotations

from collections.abc import Sequence

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import joinedload, selectinload

from forum.accounts.models import User
from forum.consultations import rules
from forum.consultations.models import Comment, CommentTranslation, Consultation, DraftVersion
from forum.core.text import plain_text
from forum.extensions import db
from forum.i18n import localized
from forum.platforms.models import Platform
from forum.search.kinds import Described, Entry, Kind, Watch, register

LANGUAGES = ("es", "en")


def _joined(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)


def _current_versions(consultation_ids: Sequence[int]) -> dict[int, DraftVersion]:
    """The latest version of each consultation's draft, with its paragraphs."""
    newest = (select(DraftVersion.consultation_id, func.max(DraftVersion.number).label("number"))
              .where(DraftVersion.consultation_id.in_(consultation_ids)).group_by(DraftVersion.consultation_id)
              .subquery())
    versions = db.session.scalars(
        select(DraftVersion).join(newest, and_(DraftVersion.consultation_id == newest.c.consultation_id,
                                               DraftVersion.number == newest.c.number))
        .options(selectinload(DraftVersion.paragraphs)))
    return {version.consultation_id: version for version in versions}


def _draft_text(version: DraftVersion | None, language: str) -> str:
    """The draft's headings (once per section) and paragraphs in ``language``, as plain text."""
    if version is None:
        return ""
    parts, heading = [], ""
    for paragraph in version.paragraphs:
        if getattr(paragraph, f"heading_{language}") != heading:
            heading = getattr(paragraph, f"heading_{language}")
            parts.append(heading)
        parts.append(plain_text(getattr(paragraph, f"html_{language}")))
    return _joined(*parts)


def consultation_entries(ids: Sequence[int]) -> list[Entry]:
    """Consultations as found: title; summary, question and current draft in each language."""
    consultations = db.session.scalars(select(Consultation).where(Consultation.id.in_(ids))).all()
    current = _current_versions([consultation.id for consultation in consultations])
    entries = []
    for consultation in consultations:
        version = current.get(consultation.id)
        texts = {}
        for language in LANGUAGES:
            texts[f"title_{language}"] = getattr(consultation, f"title_{language}")
            texts[f"body_{language}"] = _joined(plain_text(getattr(consultation, f"summary_html_{language}")),
                                                getattr(consultation, f"question_{language}"),
                                                _draft_text(version, language))
        entries.append(Entry(kind="consultation", object_id=consultation.id, dated_at=consultation.opens_at, **texts))
    return entries


def comment_entries(ids: Sequence[int]) -> list[Entry]:
    """Comments as found: their text and proposed wording in their language, and their translations (withdrawn
    comments leave the index)."""
    comments = db.session.scalars(select(Comment).where(Comment.id.in_(ids), Comment.deleted_at.is_(None))
                                  .options(selectinload(Comment.translations))).all()
    entries = []
    for comment in comments:
        texts = {f"body_{comment.language}": _joined(plain_text(comment.body_html),
                                                     plain_text(comment.replacement_html))}
        for translation in comment.translations:
            texts.setdefault(f"body_{translation.language}", plain_text(translation.body_html))
        entries.append(Entry(kind="comment", object_id=comment.id, dated_at=comment.created_at, **texts))
    return entries


def findable_consultations(user: User | None, platform: Platform | None) -> Select:
    """Ids of the consultations ``user`` may see (on ``platform``): drafts only for the agency's officials."""
    query = select(Consultation.id).where(rules.visible_consultations(user))
    return query.where(Consultation.platform_id == platform.id) if platform is not None else query


def findable_comments(user: User | None, platform: Platform | None) -> Select:
    """Ids of the comments ``user`` may find (on ``platform``)."""
    query = select(Comment.id).where(rules.findable_comments(user))
    if platform is not None:
        query = query.where(Comment.consultation_id.in_(
            select(Consultation.id).where(Consultation.platform_id == platform.id)))
    return query


def describe_consultations(ids: Sequence[int]) -> dict[int, Described]:
    """Consultations as results: their title, on their platform."""
    consultations = db.session.scalars(select(Consultation).where(Consultation.id.in_(ids))
                                       .options(joinedload(Consultation.platform)))
    described = {}
    for consultation in consultations:
        title, language, _fallback = localized(consultation, "title")
        described[consultation.id] = Described(
            title=title, language=language, url=url_for("consultations.show", consultation_id=consultation.id),
            context=localized(consultation.platform, "name")[0], when=consultation.opens_at)
    return described


def describe_comments(ids: Sequence[int]) -> dict[int, Described]:
    """Comments as results: the consultation they comment on, on its platform, pointing at the comment."""
    comments = db.session.scalars(select(Comment).where(Comment.id.in_(ids))
                                  .options(joinedload(Comment.consultation).joinedload(Consultation.platform)))
    described = {}
    for comment in comments:
        consultation = comment.consultation
        title, language, _fallback = localized(consultation, "title")
        described[comment.id] = Described(
            title=title, language=language,
            url=url_for("consultations.show", consultation_id=consultation.id, _anchor=f"comment-{comment.id}"),
            context=localized(consultation.platform, "name")[0], when=comment.created_at)
    return described


register(Kind(
    name="consultation", label=_l("Consultations"), one=_l("Consultation"), entries=consultation_entries,
    every_id=lambda: select(Consultation.id), findable=findable_consultations, describe=describe_consultations,
    watches=(Watch(Consultation, ("title_es", "title_en", "summary_html_es", "summary_html_en", "question_es",
                                  "question_en", "opens_at"),
                   lambda consultation: [("consultation", consultation.id)]),
             Watch(DraftVersion, (), lambda version: [("consultation", version.consultation_id)]))))
register(Kind(
    name="comment", label=_l("Comments"), one=_l("Comment"), entries=comment_entries,
    every_id=lambda: select(Comment.id),
    findable=findable_comments, describe=describe_comments,
    watches=(Watch(Comment, ("body_html", "replacement_html", "language", "deleted_at"),
                   lambda comment: [("comment", comment.id)]),
             Watch(CommentTranslation, ("body_html",), lambda translation: [("comment", translation.comment_id)]))))
