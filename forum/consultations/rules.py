"""Who may see, run, comment on and answer consultations. The only place these questions are answered: pages,
the API, search, live updates, exports and reports all ask here."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, select, true
from sqlalchemy.orm import aliased

from forum.accounts.models import Organisation, User
from forum.accounts.rules import official_organisations
from forum.consultations import lifecycle
from forum.consultations.models import Comment, Consultation
from forum.core.permissions import is_admin, is_signed_in
from forum.platforms import rules as platform_rules
from forum.platforms.models import Platform


def agencies(user: User | None) -> list[Organisation]:
    """The government organisations ``user`` may consult for: those they are an official of."""
    return official_organisations(user)


def can_create(user: User | None) -> bool:
    """Officials create consultations for their own government organisation."""
    return bool(agencies(user))


def may_consult_on(user: User | None, platform: Platform) -> bool:
    """A consultation is placed on a platform its author may post on (or moderates)."""
    return platform_rules.can_post(user, platform) or platform_rules.is_moderator_of(user, platform)


def is_agency_official(user: User | None, consultation: Consultation) -> bool:
    """An official of the organisation that consults."""
    return any(o.id == consultation.organisation_id for o in agencies(user))


def can_manage(user: User | None, consultation: Consultation) -> bool:
    """The agency's officials edit the draft, publish versions, close early, extend and publish the report."""
    return is_agency_official(user, consultation)


def can_answer(user: User | None, consultation: Consultation) -> bool:
    """Only the agency's officials answer comments, once the consultation has been published."""
    return is_agency_official(user, consultation) and consultation.published_at is not None


def can_see(user: User | None, consultation: Consultation) -> bool:
    """A draft: the agency's officials and administrators only. Afterwards: whoever may read its platform."""
    if consultation.published_at is None:
        return is_agency_official(user, consultation) or is_admin(user)
    return platform_rules.can_read(user, consultation.platform) or is_agency_official(user, consultation)


def can_comment(user: User | None, consultation: Consultation) -> bool:
    """Signed-in people who may see an open consultation comment on it (no platform membership needed: a
    consultation asks everyone concerned)."""
    return is_signed_in(user) and can_see(user, consultation) and lifecycle.accepts_comments(consultation)


def visible_consultations(user: User | None) -> ColumnElement[bool]:
    """A SQL condition on :class:`Consultation` true for those ``user`` may see (lists, search, API)."""
    if is_admin(user):
        return true()
    mine = [o.id for o in agencies(user)]
    readable = select(Platform.id).where(platform_rules.readable_platforms(user))
    published = and_(Consultation.published_at.is_not(None), Consultation.platform_id.in_(readable))
    return or_(published, Consultation.organisation_id.in_(mine)) if mine else published


def can_see_comment(user: User | None, comment: Comment) -> bool:
    """Visible comments for whoever sees the consultation; a held, hidden or rejected one only for its author
    and the platform's moderators."""
    if not can_see(user, comment.consultation):
        return False
    if comment.status == "visible":
        return True
    return is_signed_in(user) and (comment.author_id == user.id
                                   or platform_rules.is_moderator_of(user, comment.consultation.platform))


def needs_answer(comment: Comment) -> bool:
    """Every visible comment that is not a reply and was not withdrawn gets an answer."""
    return comment.parent_id is None and comment.status == "visible" and comment.deleted_at is None


def can_translate_comment(user: User | None, comment: Comment) -> bool:
    """Its author, the consulting organisation's officials, and the platform's translators and moderators put a
    visible comment into the other language."""
    if not is_signed_in(user) or comment.status != "visible" or comment.deleted_at is not None:
        return False
    if not can_see_comment(user, comment):
        return False
    return (comment.author_id == user.id or is_agency_official(user, comment.consultation)
            or platform_rules.can_translate_on(user, comment.consultation.platform))


def translation_provenance(translator: User, comment: Comment) -> str:
    """How a translation by ``translator`` is labelled (a key of ``choices.TRANSLATION_PROVENANCES``)."""
    if comment.author_id == translator.id:
        return "author"
    if is_agency_official(translator, comment.consultation):
        return "agency"
    if platform_rules.is_moderator_of(translator, comment.consultation.platform):
        return "moderator"
    return "community"


def under_a_shown_comment() -> ColumnElement[bool]:
    """A SQL condition on :class:`Comment`: not a reply, or a reply to a comment readers still see. Replies to a
    comment the moderators hid (or removed) leave every list, count and export with it, as on the page."""
    parent = aliased(Comment)
    shown = select(parent.id).where(parent.status == "visible", parent.deleted_at.is_(None))
    return or_(Comment.parent_id.is_(None), Comment.parent_id.in_(shown))


def findable_comments(user: User | None) -> ColumnElement[bool]:
    """A SQL condition on :class:`Comment`: the comments ``user`` may find by searching: visible and not
    withdrawn, under a comment readers still see, on a consultation they may see. Comments awaiting review,
    hidden or rejected are never searched, not even by those who may read them (moderators find them in their
    queue)."""
    seen = select(Consultation.id).where(visible_consultations(user))
    return and_(Comment.status == "visible", Comment.deleted_at.is_(None), under_a_shown_comment(),
                Comment.consultation_id.in_(seen))
