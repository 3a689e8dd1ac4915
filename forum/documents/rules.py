"""Who may see, download, upload, edit, version and remove documents. The only place these questions are
answered: listings, document pages, downloads, the API and search all ask here."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_

from forum.accounts.models import User
from forum.accounts.rules import approved_memberships, is_official
from forum.core.permissions import is_admin, is_global_moderator, is_signed_in
from forum.documents.models import Document
from forum.platforms import rules as platform_rules
from forum.platforms.models import Platform


def _moderates(user: User | None, platform: Platform | None) -> bool:
    """Moderators of the document's platform; global moderators and administrators for the general library."""
    if platform is None:
        return is_global_moderator(user)
    return platform_rules.is_moderator_of(user, platform)


def can_read(user: User | None, document: Document) -> bool:
    """Whether ``user`` may know the document exists and download it (everyone else gets 404)."""
    if document.removed_at is not None:
        return False
    if is_signed_in(user) and (document.uploader_id == user.id or is_admin(user)
                               or _moderates(user, document.platform)):
        return True
    if document.access == "public":
        return True
    if not is_signed_in(user):
        return False
    if document.access == "registered":
        return True
    if document.access == "members":
        return document.platform is not None and platform_rules.is_member(user, document.platform)
    if document.access == "organisation":
        return any(m.organisation_id == document.access_organisation_id for m in approved_memberships(user))
    return False


def may_upload(user: User | None) -> bool:
    """Officials, moderators, administrators and approved members of verified organisations upload documents."""
    if not is_signed_in(user):
        return False
    if is_global_moderator(user) or is_official(user) or platform_rules.access(user).moderates:
        return True
    return any(m.organisation.verified for m in approved_memberships(user))


def can_upload_to(user: User | None, platform: Platform | None) -> bool:
    """Uploading to a platform's library needs the right to post there; the general library needs none."""
    if not may_upload(user):
        return False
    return platform is None or platform_rules.can_post(user, platform) or _moderates(user, platform)


def can_edit(user: User | None, document: Document) -> bool:
    """The uploader and the moderators of its platform edit the metadata and add versions."""
    if not is_signed_in(user) or document.removed_at is not None:
        return False
    return document.uploader_id == user.id or _moderates(user, document.platform)


def can_remove(user: User | None, document: Document) -> bool:
    """Administrators and the moderators of its platform remove a document (recorded in the moderation log)."""
    return is_signed_in(user) and document.removed_at is None and (is_admin(user) or
                                                                   _moderates(user, document.platform))


def readable_documents(user: User | None) -> ColumnElement[bool]:
    """A SQL condition on :class:`Document` true for the documents ``user`` may see (for lists, search, API)."""
    present = Document.removed_at.is_(None)
    if is_admin(user) or is_global_moderator(user):
        return present
    if not is_signed_in(user):
        return and_(present, Document.access == "public")
    held = platform_rules.access(user)
    organisations = [m.organisation_id for m in approved_memberships(user)]
    return and_(present, or_(
        Document.access.in_(("public", "registered")),
        Document.uploader_id == user.id,
        and_(Document.access == "members", Document.platform_id.in_(held.approved)) if held.approved else false(),
        Document.platform_id.in_(held.moderates) if held.moderates else false(),
        and_(Document.access == "organisation", Document.access_organisation_id.in_(organisations))
        if organisations else false(),
    ))


