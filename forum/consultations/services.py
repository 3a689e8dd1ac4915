"""Every change to consultations themselves: creating one with its first draft, editing it while it is a draft,
publishing it, publishing revised versions of the draft, closing early and extending. Services check
permissions (``rules``) and input, write and flush; the caller commits once. Each change to the consultation's
course is recorded (``LifecycleChange``) and shown on its page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from forum.accounts.models import Organisation, User
from forum.consultations import announcements, drafts, lifecycle, rules
from forum.consultations.models import (
    Consultation,
    DraftVersion,
    LifecycleChange,
    VersionParagraph,
    consultation_documents,
)
from forum.core import validation
from forum.core.db import MAX_ID, utcnow, whole_number
from forum.core.errors import ActionRefused
from forum.core.text import render
from forum.core.times import moment
from forum.documents import links
from forum.extensions import db
from forum.platforms import directory
from forum.platforms.models import Platform

TITLE_MAX = 200
SUMMARY_MAX = 10_000
QUESTION_MAX = 500
NOTE_MAX = 2_000
#: the fields :func:`create` and :func:`update_draft` take
FIELDS = ("organisation", "platform", "title_es", "title_en", "summary_es", "summary_en", "question_es",
          "question_en", "opens_at", "closes_at", "text_es", "text_en")
#: the time zone naive times are read in
ZONE = "America/Mexico_City"


def _refused(message: str, field: str | None = None, status: int = 400) -> ActionRefused:
    return ActionRefused(message, status=status, code="invalid" if status == 400 else "forbidden", field=field)


def _not_found() -> ActionRefused:
    return ActionRefused(_("Not found."), status=404, code="not_found")


def _organisation(user: User, value: Any) -> Organisation:
    number = value.id if isinstance(value, Organisation) else whole_number(str(value or ""))
    organisation = next((o for o in rules.agencies(user) if o.id == number), None)
    if organisation is None:
        raise _refused(_("You can only consult for a government organisation you are an official of."),
                       "organisation")
    return organisation


def _platform(user: User, value: Any) -> Platform:
    if isinstance(value, Platform):
        platform = value
    else:
        number = whole_number(str(value or ""))
        platform = db.session.get(Platform, number) if number and number <= MAX_ID else \
            directory.platform_by_slug(str(value or ""))
    if platform is None or platform.is_archived or not rules.may_consult_on(user, platform):
        raise _refused(_("You can only consult on a platform where you may post."), "platform")
    return platform


def _dates(opens: Any, closes: Any) -> tuple[datetime, datetime]:
    opens_at = moment(opens, ZONE, "opens_at")
    closes_at = moment(closes, ZONE, "closes_at")
    if closes_at <= opens_at:
        raise _refused(_("The consultation must close after it opens."), "closes_at")
    return opens_at, closes_at


def _render(source: str) -> str:
    return render(source).html if source else ""


def _version(consultation: Consultation, author: User, paragraphs: list[drafts.Paragraph], *, note_es: str = "",
             note_en: str = "") -> DraftVersion:
    """Add a version holding ``paragraphs`` (already numbered)."""
    version = DraftVersion(number=len(consultation.versions) + 1, author=author, note_es=note_es, note_en=note_en,
                           paragraphs=[VersionParagraph(
                               key=p.key, position=n, section=p.section, heading_es=p.heading_es[:300],
                               heading_en=p.heading_en[:300], text_es=p.text_es, text_en=p.text_en,
                               html_es=_render(p.text_es), html_en=_render(p.text_en))
                               for n, p in enumerate(paragraphs, start=1)])
    consultation.versions.append(version)
    consultation.last_paragraph = max([consultation.last_paragraph, *(p.key for p in paragraphs)])
    return version


def record_change(consultation: Consultation, actor: User, action: str, *, old: datetime | None = None,
                  new: datetime | None = None, note: str = "") -> None:
    """Record a change to the consultation's course (a key of ``choices.CHANGES``), shown on its page."""
    db.session.add(LifecycleChange(consultation_id=consultation.id, action=action, actor=actor, note=note,
                                   old_value=old.isoformat() if old else None,
                                   new_value=new.isoformat() if new else None))


def known_paragraphs(consultation: Consultation) -> set[int]:
    """Every paragraph number the draft has used: numbers of removed paragraphs may come back, never new ones."""
    return set(range(1, consultation.last_paragraph + 1))


def _values(user: User, given: dict, consultation: Consultation | None) -> dict:
    unknown = set(given) - set(FIELDS)
    if unknown:
        raise _refused(_("Unknown field: %(field)s.", field=sorted(unknown)[0]))

    def current(name: str, default: Any = "") -> Any:
        if name in given or consultation is None:
            return given.get(name, default)
        return getattr(consultation, name)

    values = {
        "title_es": validation.text(current("title_es"), "title_es", TITLE_MAX),
        "title_en": validation.text(current("title_en"), "title_en", TITLE_MAX),
        "summary_es": validation.text(current("summary_es"), "summary_es", SUMMARY_MAX),
        "summary_en": validation.text(current("summary_en"), "summary_en", SUMMARY_MAX),
        "question_es": validation.text(current("question_es"), "question_es", QUESTION_MAX),
        "question_en": validation.text(current("question_en"), "question_en", QUESTION_MAX),
    }
    if not values["title_es"] and not values["title_en"]:
        raise _refused(_("Give a title in Spanish, in English or in both."), "title_es")
    values["organisation"] = _organisation(user, current("organisation", None))
    values["platform"] = _platform(user, current("platform", None))
    values["opens_at"], values["closes_at"] = _dates(current("opens_at", None), current("closes_at", None))
    return values


def _apply(consultation: Consultation, values: dict) -> None:
    for name, value in values.items():
        setattr(consultation, name, value)
    consultation.summary_html_es = _render(consultation.summary_es)
    consultation.summary_html_en = _render(consultation.summary_en)
    consultation.updated_at = utcnow()


def create(user: User, **given: Any) -> Consultation:
    """Create a consultation as a draft (seen by the agency's officials and administrators only), with the
    first version of its draft text."""
    if not rules.can_create(user):
        raise _refused(_("Only officials of government organisations open consultations."), status=403)
    text_es, text_en = validation.text(given.pop("text_es", ""), "text_es", drafts.MAX_LENGTH), \
        validation.text(given.pop("text_en", ""), "text_en", drafts.MAX_LENGTH)
    values = _values(user, given, None)
    paragraphs = drafts.align(text_es, text_en)
    consultation = Consultation(author=user, last_paragraph=0)
    _apply(consultation, values)
    db.session.add(consultation)
    _version(consultation, user, paragraphs)
    db.session.flush()
    return consultation


def _managed(user: User, consultation: Consultation) -> None:
    if not rules.can_see(user, consultation):
        raise _not_found()
    if not rules.can_manage(user, consultation):
        raise _refused(_("Only officials of the consulting organisation may do this."), status=403)


def update_draft(user: User, consultation: Consultation, **given: Any) -> Consultation:
    """Change a consultation that is still a draft, its text included (the first version is rewritten: nobody
    has commented yet)."""
    _managed(user, consultation)
    if consultation.published_at is not None:
        raise _refused(_("Once published, the draft changes only through a new version."), status=409)
    text_es, text_en = given.pop("text_es", None), given.pop("text_en", None)
    _apply(consultation, _values(user, given, consultation))
    if text_es is not None or text_en is not None:
        current = consultation.versions[-1]
        old = [drafts.Paragraph(p.key, p.section, p.heading_es, p.heading_en, p.text_es, p.text_en)
               for p in current.paragraphs]
        paragraphs = drafts.align(
            validation.text(text_es if text_es is not None else drafts.source(old, "es"), "text_es", drafts.MAX_LENGTH),
            validation.text(text_en if text_en is not None else drafts.source(old, "en"), "text_en", drafts.MAX_LENGTH),
            known_paragraphs(consultation))
        consultation.versions.remove(current)
        db.session.flush()
        _version(consultation, user, paragraphs)
    db.session.flush()
    return consultation


def publish(user: User, consultation: Consultation) -> Consultation:
    """Make a draft public: it is scheduled until it opens, then open until it closes. Published already open,
    it is announced to the people following its platform at once (else ``announcements`` does it when it
    opens)."""
    _managed(user, consultation)
    if consultation.published_at is not None:
        raise _refused(_("This consultation is already published."), status=409)
    if consultation.closes_at <= utcnow():
        raise _refused(_("Its closing date has passed: set new dates before publishing."), "closes_at", status=409)
    consultation.published_at = utcnow()
    record_change(consultation, user, "published")
    if lifecycle.phase(consultation) == "open":
        announcements.opened(consultation, user)
    return consultation


def new_version(user: User, consultation: Consultation, *, text_es: str = "", text_en: str = "",
                note_es: str = "", note_en: str = "") -> DraftVersion:
    """Publish a revised draft. Paragraphs keep their numbers (and their comments) through their markers; new
    ones get new numbers; those left out are removed (their comments stay, marked as on a removed paragraph)."""
    _managed(user, consultation)
    if lifecycle.phase(consultation) in ("draft", "answered"):
        raise _refused(_("A new version can be published while the consultation is scheduled, open or closed."),
                       status=409)
    paragraphs = drafts.align(validation.text(text_es, "text_es", drafts.MAX_LENGTH),
                              validation.text(text_en, "text_en", drafts.MAX_LENGTH), known_paragraphs(consultation))
    version = _version(consultation, user, paragraphs, note_es=validation.text(note_es, "note_es", NOTE_MAX),
                       note_en=validation.text(note_en, "note_en", NOTE_MAX))
    db.session.flush()
    record_change(consultation, user, "version", note=version.note_es or version.note_en)
    return version


def close_early(user: User, consultation: Consultation, note: str = "") -> None:
    """Close an open consultation before its date; no comment is taken afterwards."""
    _managed(user, consultation)
    if lifecycle.phase(consultation) != "open":
        raise _refused(_("Only an open consultation can be closed early."), status=409)
    consultation.closed_early_at = utcnow()
    record_change(consultation, user, "closed_early", old=consultation.closes_at, new=consultation.closed_early_at,
            note=validation.text(note, "note", NOTE_MAX))


def extend(user: User, consultation: Consultation, closes_at: Any, note: str = "") -> None:
    """Move the closing date later (which reopens a consultation closed early or by its date, until the new
    date), as long as its report is not published."""
    _managed(user, consultation)
    if lifecycle.phase(consultation) in ("draft", "answered"):
        raise _refused(_("Only a published consultation without a report can be extended."), status=409)
    new = moment(closes_at, ZONE, "closes_at")
    if new <= max(consultation.closes_at, utcnow()):
        raise _refused(_("The new closing date must be later than the current one and in the future."),
                       "closes_at")
    old = consultation.closes_at
    consultation.closes_at, consultation.closed_early_at = new, None
    record_change(consultation, user, "extended", old=old, new=new, note=validation.text(note, "note", NOTE_MAX))


def changes(consultation: Consultation) -> list[LifecycleChange]:
    """The record of the consultation's course, oldest first."""
    return list(db.session.scalars(select(LifecycleChange).where(
        LifecycleChange.consultation_id == consultation.id).order_by(LifecycleChange.id)))


def set_attachments(user: User, consultation: Consultation, document_ids: Any) -> list[int]:
    """Attach documents of the library to the consultation (the agency's officials; only documents they may
    see). Readers see those of them that they may see themselves."""
    _managed(user, consultation)
    return links.replace(user, consultation_documents, consultation_documents.c.consultation_id, consultation.id,
                         document_ids)


def attachments(user: User | None, consultation: Consultation) -> list:
    """The attached documents ``user`` may see."""
    return links.readable(user, consultation_documents, consultation_documents.c.consultation_id, consultation.id)
