"""The records of a copy of a person's data, read from every domain: one function per part of the copy, each a
fixed number of queries whatever the person wrote (rows are read joined to what names them, never one query per
row). Only the person's own data: of other people nothing but the titles of the places where they took part
together (a thread, a consultation, an event), and only while the person may still read them (asked of the owning
domain's rules, in SQL, in the same queries); never their names, addresses or texts, nor who moderated or who read
their account.

Values stay as stored (codes, UTC times); :mod:`forum.personal_data.export_contents` documents them and
:mod:`forum.personal_data.export_files` writes them as JSON and as readable pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, func, inspect, or_, select, true
from werkzeug.utils import secure_filename

from forum.accounts.models import ApiToken, AuditEntry, LoginSession, Membership, Organisation, User
from forum.consultations import rules as consultation_rules
from forum.consultations.models import Answer, Comment, CommentTranslation, Consultation
from forum.core.mail import OutboxMessage, external_url
from forum.documents import rules as document_rules
from forum.documents.models import Document, DocumentVersion
from forum.events import rules as event_rules
from forum.events.models import Event, Question, Registration
from forum.events.registrations import answer_text
from forum.extensions import db
from forum.i18n import localized
from forum.moderation import sanctions as moderation_sanctions
from forum.moderation.models import Flag, ModerationAction, Sanction
from forum.notifications import services as notifications
from forum.notifications.models import Follow, Notification
from forum.personal_data import addresses
from forum.personal_data.models import AccessEntry, DataExport
from forum.platforms.models import Platform, PlatformMembership, PlatformRole
from forum.threads import rules as thread_rules
from forum.threads.models import Post, PostRevision, PostTranslation, Reaction, Thread, ThreadReader

#: the columns of an account that its copy leaves out
ACCOUNT_LEFT_OUT = frozenset({"password_hash"})

#: the role of whoever reads an account in the access log: only the administrators' pages of people log reads of
#: an account (``forum.accounts.admin_routes``)
ACCOUNT_READER = "admin"

#: the rows counted to decide whether a copy is small enough to prepare during the request: (model, the column
#: naming the person); the e-mails and the reads of the account are counted too (:func:`_counted`)
COUNTED = (
    (Post, Post.author_id), (Thread, Thread.author_id), (PostTranslation, PostTranslation.translator_id),
    (PostRevision, PostRevision.editor_id), (Reaction, Reaction.user_id), (Comment, Comment.author_id),
    (CommentTranslation, CommentTranslation.translator_id), (Registration, Registration.user_id),
    (Flag, Flag.user_id), (Notification, Notification.user_id), (DocumentVersion, DocumentVersion.uploader_id),
    (Follow, Follow.user_id), (ThreadReader, ThreadReader.user_id), (Sanction, Sanction.user_id),
    (ModerationAction, ModerationAction.subject_id), (LoginSession, LoginSession.user_id),
)

Records = dict[str, list[dict[str, Any]]]


@dataclass
class Copy:
    """A copy being gathered: whose it is, and the stored files it carries (path in the ZIP, storage key)."""

    person: User
    files: list[tuple[str, str]] = field(default_factory=list)


def _emails_of(person: User) -> ColumnElement[bool]:
    """A SQL condition on :class:`OutboxMessage`: the e-mails the forum keeps for any address ``person`` used (the
    same addresses deleting the account erases)."""
    return func.lower(OutboxMessage.recipient).in_(addresses.used_by(person))


def _reads_of(person: User) -> ColumnElement[bool]:
    """A SQL condition on :class:`AccessEntry`: the logged reads of ``person``'s account."""
    return and_(AccessEntry.subject_kind == "user", AccessEntry.subject_id == person.id)


def _counted(person: User) -> list[tuple[Any, ColumnElement[bool]]]:
    return [(model, column == person.id) for model, column in COUNTED] + [
        (OutboxMessage, _emails_of(person)), (AccessEntry, _reads_of(person))]


def extent(person: User) -> tuple[int, int]:
    """How big ``person``'s copy is: the number of records and the bytes of the files they uploaded (one
    query)."""
    counts = [select(func.count()).select_from(model).where(condition).scalar_subquery()
              for model, condition in _counted(person)]
    size = select(func.coalesce(func.sum(DocumentVersion.size), 0)).where(
        DocumentVersion.uploader_id == person.id).scalar_subquery()
    *numbers, total = db.session.execute(select(*counts, size)).one()
    return sum(numbers), int(total)


def _name(item: Any) -> str | None:
    """A platform's or organisation's name in the reader's language."""
    return localized(item, "name")[0] if item is not None else None


def _title(item: Any) -> str | None:
    """A consultation's, event's or document's title in the reader's language."""
    return localized(item, "title")[0] if item is not None else None


def _shown_title(title: str | None, readable: Any, item_id: int) -> str | None:
    """An item's title as the copy names it: the title while the person may still read the item (``readable``,
    one of the conditions below, read in the same query), else only its number."""
    return title if readable else _("#%(number)d (no longer available)", number=item_id)


def _readable_thread(person: User) -> ColumnElement[bool]:
    """A SQL condition on :class:`Thread`: a thread whose title ``person``'s copy gives: one they may still read
    (``forum.threads.rules``) or opened themselves (its title is theirs)."""
    return or_(thread_rules.readable_threads(person), Thread.author_id == person.id).label("readable")


def _readable_consultation(person: User) -> ColumnElement[bool]:
    """A SQL condition on :class:`Consultation`: one ``person`` may still see (``forum.consultations.rules``)."""
    return consultation_rules.visible_consultations(person).label("readable")


def _readable_event(person: User) -> ColumnElement[bool]:
    """A SQL condition on :class:`Event`: one ``person`` may still see (``forum.events.rules``)."""
    return event_rules.visible_events(person).label("readable")


def _shown_status(status: str, deleted_at: Any) -> str:
    """What became of a post or comment: ``deleted`` once deleted, else its moderation status."""
    return "deleted" if deleted_at is not None else status


def _post_link(post_id: int) -> str:
    return external_url("threads.permalink", post_id=post_id)


def _comment_link(consultation_id: int, comment_id: int) -> str:
    return external_url("consultations.show", consultation_id=consultation_id) + f"#comment-{comment_id}"


# --- profile ----------------------------------------------------------------------------------------------


def profile(copy: Copy) -> Records:
    """The account (every column but the password hash), organisations and platforms, e-mail preferences,
    sessions, API tokens, the administrators' changes to the account and the copies of data asked for."""
    person = copy.person
    account = {attribute.key: getattr(person, attribute.key) for attribute in inspect(User).column_attrs
               if attribute.key not in ACCOUNT_LEFT_OUT}
    memberships = db.session.execute(
        select(Membership, Organisation).join(Organisation, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == person.id).order_by(Membership.requested_at, Membership.id)).all()
    proposed = db.session.scalars(select(Organisation).where(Organisation.created_by_id == person.id)
                                  .order_by(Organisation.id)).all()
    platforms = db.session.execute(
        select(PlatformMembership, Platform).join(Platform, PlatformMembership.platform_id == Platform.id)
        .where(PlatformMembership.user_id == person.id).order_by(PlatformMembership.requested_at)).all()
    duties = db.session.execute(
        select(PlatformRole, Platform).join(Platform, PlatformRole.platform_id == Platform.id)
        .where(PlatformRole.user_id == person.id).order_by(PlatformRole.assigned_at)).all()
    sessions = db.session.scalars(select(LoginSession).where(LoginSession.user_id == person.id)
                                  .order_by(LoginSession.created_at)).all()
    tokens = db.session.scalars(select(ApiToken).where(ApiToken.user_id == person.id)
                                .order_by(ApiToken.created_at, ApiToken.id)).all()
    changes = db.session.execute(
        select(AuditEntry, Organisation).outerjoin(Organisation, AuditEntry.organisation_id == Organisation.id)
        .where(AuditEntry.user_id == person.id).order_by(AuditEntry.created_at, AuditEntry.id)).all()
    copies = db.session.scalars(select(DataExport).where(DataExport.user_id == person.id)
                                .order_by(DataExport.requested_at, DataExport.id)).all()
    return {
        "account": [account],
        "organisations": [
            {"organisation": _name(organisation), "acronym": organisation.acronym, "kind": organisation.kind,
             "status": membership.status, "representative": membership.is_representative,
             "requested_at": membership.requested_at, "decided_at": membership.decided_at}
            for membership, organisation in memberships],
        "proposed_organisations": [
            {"organisation": _name(organisation), "acronym": organisation.acronym, "kind": organisation.kind,
             "verified": organisation.verified, "created_at": organisation.created_at} for organisation in proposed],
        "platforms": [
            {"platform": _name(platform), "link": external_url("threads.platform", slug=platform.slug),
             "status": membership.status, "requested_at": membership.requested_at,
             "decided_at": membership.decided_at} for membership, platform in platforms],
        "platform_duties": [{"platform": _name(platform), "duty": role.role, "assigned_at": role.assigned_at}
                            for role, platform in duties],
        "email_preferences": [{"kind": kind, "delivery": delivery}
                              for kind, delivery in notifications.deliveries_for(person).items()],
        "sessions": [{"started_at": session.created_at, "last_seen_at": session.last_seen_at,
                      "browser": session.user_agent} for session in sessions],
        "api_tokens": [{"name": token.name, "prefix": token.prefix, "created_at": token.created_at,
                        "last_used_at": token.last_used_at, "revoked_at": token.revoked_at} for token in tokens],
        "account_changes": [
            {"action": entry.action, "organisation": _name(organisation), "old_value": entry.old_value,
             "new_value": entry.new_value, "created_at": entry.created_at} for entry, organisation in changes],
        "data_copies": [{"requested_at": export.requested_at, "status": export.status, "ready_at": export.ready_at,
                         "expires_at": export.expires_at, "downloaded_at": export.downloaded_at}
                        for export in copies],
    }


# --- discussions ------------------------------------------------------------------------------------------


def posts(copy: Copy) -> Records:
    """Every post of the person (visible, awaiting review, hidden, rejected or deleted) with its thread and
    platform, the threads they opened, the earlier texts of their posts and their reactions."""
    person = copy.person
    written = db.session.execute(
        select(Post, Thread, Platform, _readable_thread(person)).join(Thread, Post.thread_id == Thread.id)
        .join(Platform, Thread.platform_id == Platform.id)
        .where(Post.author_id == person.id).order_by(Post.id)).all()
    opened = db.session.execute(
        select(Thread, Platform).join(Platform, Thread.platform_id == Platform.id)
        .where(Thread.author_id == person.id).order_by(Thread.id)).all()
    earlier = db.session.scalars(
        select(PostRevision).join(Post, PostRevision.post_id == Post.id)
        .where(PostRevision.editor_id == person.id, PostRevision.is_translation.is_(False),
               Post.author_id == person.id).order_by(PostRevision.id)).all()
    reactions = db.session.execute(
        select(Reaction, Thread.id, Thread.title, _readable_thread(person)).join(Post, Reaction.post_id == Post.id)
        .join(Thread, Post.thread_id == Thread.id).where(Reaction.user_id == person.id).order_by(Reaction.id)).all()
    return {
        "posts": [
            {"id": post.id, "link": _post_link(post.id), "thread_id": thread.id,
             "thread": _shown_title(thread.title, readable, thread.id),
             "platform": _name(platform), "language": post.language, "text": post.body_source,
             "status": _shown_status(post.status, post.deleted_at), "moderation_reason": post.moderation_reason,
             "created_at": post.created_at, "edited_at": post.edited_at, "deleted_at": post.deleted_at,
             "reply_to_post_id": post.reply_to_id, "support_count": post.support_count,
             "thanks_count": post.thanks_count} for post, thread, platform, readable in written],
        "threads": [
            {"id": thread.id, "link": external_url("threads.show", thread_id=thread.id), "title": thread.title,
             "platform": _name(platform), "kind": thread.kind, "language": thread.language, "status": thread.status,
             "moderation_reason": thread.moderation_reason, "created_at": thread.created_at,
             "locked": thread.is_locked, "pinned": thread.is_pinned} for thread, platform in opened],
        "earlier_texts": [
            {"post_id": revision.post_id, "language": revision.language, "text": revision.body_source,
             "written_at": revision.written_at, "replaced_at": revision.replaced_at} for revision in earlier],
        "reactions": [
            {"post_id": reaction.post_id, "link": _post_link(reaction.post_id),
             "thread": _shown_title(title, readable, thread_id), "kind": reaction.kind,
             "created_at": reaction.created_at} for reaction, thread_id, title, readable in reactions],
    }


def post_translations(copy: Copy) -> Records:
    """The translations of posts the person wrote, and their earlier texts."""
    person = copy.person
    written = db.session.execute(
        select(PostTranslation, Thread.id, Thread.title, _readable_thread(person))
        .join(Post, PostTranslation.post_id == Post.id)
        .join(Thread, Post.thread_id == Thread.id)
        .where(PostTranslation.translator_id == person.id).order_by(PostTranslation.id)).all()
    earlier = db.session.scalars(
        select(PostRevision).where(PostRevision.editor_id == person.id, PostRevision.is_translation.is_(True))
        .order_by(PostRevision.id)).all()
    return {
        "translations": [
            {"post_id": translation.post_id, "link": _post_link(translation.post_id),
             "thread": _shown_title(title, readable, thread_id),
             "language": translation.language, "text": translation.body_source,
             "provenance": translation.provenance, "source_revision": translation.source_revision,
             "created_at": translation.created_at, "updated_at": translation.updated_at}
            for translation, thread_id, title, readable in written],
        "earlier_texts": [
            {"post_id": revision.post_id, "language": revision.language, "text": revision.body_source,
             "written_at": revision.written_at, "replaced_at": revision.replaced_at} for revision in earlier],
    }


# --- consultations and events -----------------------------------------------------------------------------


def comments(copy: Copy) -> Records:
    """The person's comments on consultations (with the status of the organisation's answer) and the
    translations of comments they wrote."""
    person = copy.person
    written = db.session.execute(
        select(Comment, Consultation, Platform, Answer.status, Answer.created_at, _readable_consultation(person))
        .join(Consultation, Comment.consultation_id == Consultation.id)
        .join(Platform, Consultation.platform_id == Platform.id)
        .outerjoin(Answer, Answer.comment_id == Comment.id)
        .where(Comment.author_id == person.id).order_by(Comment.id)).all()
    translated = db.session.execute(
        select(CommentTranslation, Consultation, _readable_consultation(person))
        .join(Comment, CommentTranslation.comment_id == Comment.id)
        .join(Consultation, Comment.consultation_id == Consultation.id)
        .where(CommentTranslation.translator_id == person.id).order_by(CommentTranslation.id)).all()
    return {
        "comments": [
            {"id": comment.id, "link": _comment_link(consultation.id, comment.id),
             "consultation_id": consultation.id,
             "consultation": _shown_title(_title(consultation), readable, consultation.id),
             "platform": _name(platform),
             "paragraph": comment.paragraph_key, "kind": comment.kind, "language": comment.language,
             "text": comment.body_source, "proposed_wording": comment.replacement_text,
             "status": _shown_status(comment.status, comment.deleted_at),
             "moderation_reason": comment.moderation_reason, "created_at": comment.created_at,
             "edited_at": comment.edited_at, "deleted_at": comment.deleted_at,
             "reply_to_comment_id": comment.parent_id, "answer": answer_status, "answered_at": answered_at}
            for comment, consultation, platform, answer_status, answered_at, readable in written],
        "translations": [
            {"comment_id": translation.comment_id, "link": _comment_link(consultation.id, translation.comment_id),
             "consultation": _shown_title(_title(consultation), readable, consultation.id),
             "language": translation.language,
             "text": translation.body_source, "provenance": translation.provenance,
             "created_at": translation.created_at, "updated_at": translation.updated_at}
            for translation, consultation, readable in translated],
    }


def registrations(copy: Copy) -> Records:
    """The person's registrations for events, as they filled them in, with their answers to the organisers'
    questions."""
    person = copy.person
    rows = db.session.execute(
        select(Registration, Event, _readable_event(person)).join(Event, Registration.event_id == Event.id)
        .where(Registration.user_id == person.id).order_by(Event.starts_at, Registration.id)).all()
    asked: dict[int, dict[str, Question]] = {}
    if rows:
        for question in db.session.scalars(select(Question).where(
                Question.event_id.in_(select(Registration.event_id).where(Registration.user_id == person.id)))):
            asked.setdefault(question.event_id, {})[str(question.id)] = question
    records = []
    for registration, event, readable in rows:
        questions = asked.get(event.id, {})
        answers = {}
        for key, value in (registration.answers or {}).items():
            question = questions.get(key)
            label = localized(question, "label")[0] if question is not None else ""
            answers[label or f"#{key}"] = answer_text(question, value) if question is not None else str(value)
        records.append({
            "event_id": event.id, "link": external_url("events.show", event_id=event.id),
            "event": _shown_title(_title(event), readable, event.id),
            "starts_at": event.starts_at, "status": registration.status, "code": registration.code,
            "name": registration.name, "email": registration.email, "language": registration.locale,
            "organisation": registration.organisation_name, "organisation_kind": registration.organisation_kind,
            "sector": registration.sector, "state": registration.state, "position": registration.position,
            "gender": registration.gender, "age_range": registration.age_range,
            "accessibility_needs": registration.accessibility_needs,
            "interpretation_needed": registration.interpretation_needed, "listed": registration.listed,
            "answers": answers, "created_at": registration.created_at, "updated_at": registration.updated_at,
            "confirmed_at": registration.confirmed_at, "waitlisted_at": registration.waitlisted_at,
            "cancelled_at": registration.cancelled_at, "attended_at": registration.attended_at,
        })
    return {"registrations": records}


# --- moderation -------------------------------------------------------------------------------------------


def flags(copy: Copy) -> Records:
    """The flags the person filed: their reason and note, and the outcome (not who else flagged, nor who
    decided)."""
    rows = db.session.execute(
        select(Flag, Platform).outerjoin(Platform, Flag.platform_id == Platform.id)
        .where(Flag.user_id == copy.person.id).order_by(Flag.id)).all()
    return {"flags": [
        {"id": flag.id, "target_type": flag.target_type, "target_id": flag.target_id, "platform": _name(platform),
         "reason": flag.reason, "note": flag.note, "outcome": flag.status, "created_at": flag.created_at,
         "decided_at": flag.decided_at} for flag, platform in rows]}


def sanctions(copy: Copy) -> Records:
    """The warnings, suspensions and bans about the person with the reasons they were told and their reply, and
    the moderators' decisions on what they wrote (the decision and its reason, not who took it)."""
    person = copy.person
    issued = db.session.scalars(select(Sanction).where(Sanction.user_id == person.id)
                                .order_by(Sanction.created_at, Sanction.id)).all()
    decisions = db.session.scalars(select(ModerationAction).where(ModerationAction.subject_id == person.id)
                                   .order_by(ModerationAction.created_at, ModerationAction.id)).all()
    return {
        "sanctions": [
            {"id": sanction.id, "kind": sanction.kind, "state": moderation_sanctions.state(sanction),
             "reason": sanction.reason, "created_at": sanction.created_at, "ends_at": sanction.ends_at,
             "lifted_at": sanction.lifted_at, "your_reply": sanction.contest_text,
             "replied_at": sanction.contested_at} for sanction in issued],
        "decisions": [
            {"decision": action.action, "reason": action.reason, "target_type": action.target_type,
             "target_id": action.target_id, "created_at": action.created_at} for action in decisions],
    }


# --- notifications and follows ----------------------------------------------------------------------------


def notifications_of(copy: Copy) -> Records:
    """The person's notifications: their kind, what they are about, and when they were read (not who caused
    them)."""
    rows = db.session.scalars(select(Notification).where(Notification.user_id == copy.person.id)
                              .order_by(Notification.id)).all()
    return {"notifications": [
        {"id": notification.id, "kind": notification.kind, "subject_type": notification.subject_type,
         "subject_id": notification.subject_id, "details": notification.details or {},
         "created_at": notification.created_at, "read_at": notification.read_at,
         "email": notification.email_status} for notification in rows]}


def follows(copy: Copy) -> Records:
    """What the person follows (platforms, consultations, events) and the threads they read or follow."""
    person = copy.person
    rows = db.session.scalars(select(Follow).where(Follow.user_id == person.id).order_by(Follow.id)).all()
    named: dict[tuple[str, int], tuple[str | None, str | None]] = {}
    for target_type, model, readable, describe in (  # every platform's page is public, and so is its name
            ("platform", Platform, true, lambda item: (
                _name(item), external_url("threads.platform", slug=item.slug))),
            ("consultation", Consultation, lambda: _readable_consultation(person), lambda item: (
                _title(item), external_url("consultations.show", consultation_id=item.id))),
            ("event", Event, lambda: _readable_event(person), lambda item: (
                _title(item), external_url("events.show", event_id=item.id)))):
        followed = select(Follow.target_id).where(Follow.user_id == person.id, Follow.target_type == target_type)
        for item, shown in db.session.execute(select(model, readable()).where(model.id.in_(followed))):
            title, link = describe(item)
            named[target_type, item.id] = (_shown_title(title, shown, item.id), link)
    reading = db.session.execute(
        select(ThreadReader, Thread.title, _readable_thread(person)).join(Thread, ThreadReader.thread_id == Thread.id)
        .where(ThreadReader.user_id == person.id).order_by(ThreadReader.id)).all()
    return {
        "follows": [
            {"target_type": row.target_type, "target_id": row.target_id, "title": title, "link": link,
             "created_at": row.created_at}
            for row in rows for title, link in [named.get((row.target_type, row.target_id), (None, None))]],
        "threads": [
            {"thread_id": reader.thread_id, "thread": _shown_title(title, readable, reader.thread_id),
             "link": external_url("threads.show", thread_id=reader.thread_id), "following": reader.following,
             "last_read_post_id": reader.last_read_post_id, "updated_at": reader.updated_at}
            for reader, title, readable in reading],
    }


# --- documents --------------------------------------------------------------------------------------------


def documents(copy: Copy) -> Records:
    """The documents the person added to a library and every file version they uploaded, the files themselves
    included in the copy. Of a document someone else added, where the person uploaded a new version, only its
    titles (its description is the other person's text), and those only while the person may still read it."""
    person = copy.person
    versions = db.session.scalars(select(DocumentVersion).where(DocumentVersion.uploader_id == person.id)
                                  .order_by(DocumentVersion.document_id, DocumentVersion.number)).all()
    rows = db.session.execute(
        select(Document, Platform, Organisation,
               or_(Document.uploader_id == person.id, document_rules.readable_documents(person)).label("readable"))
        .outerjoin(Platform, Document.platform_id == Platform.id)
        .outerjoin(Organisation, Document.organisation_id == Organisation.id)
        .where(or_(Document.uploader_id == person.id,
                   Document.id.in_(select(DocumentVersion.document_id)
                                   .where(DocumentVersion.uploader_id == person.id))))
        .order_by(Document.id)).all()
    records = []
    for version in versions:
        path = f"documents/{version.document_id}/{version.number}/{secure_filename(version.original_name) or 'file'}"
        copy.files.append((path, version.storage_key))
        records.append({
            "document_id": version.document_id, "number": version.number, "file": path,
            "original_name": version.original_name, "file_type": version.file_type,
            "content_type": version.content_type, "size": version.size, "sha256": version.sha256,
            "note": version.note, "created_at": version.created_at})
    return {
        "documents": [
            {"id": document.id, "link": external_url("documents.show", document_id=document.id),
             "title_es": _shown_title(document.title_es, readable, document.id),
             "title_en": _shown_title(document.title_en, readable, document.id),
             "description_es": document.description_es if document.uploader_id == person.id else None,
             "description_en": document.description_en if document.uploader_id == person.id else None,
             "kind": document.kind, "language": document.language, "year": document.year,
             "platform": _name(platform), "organisation": _name(organisation), "access": document.access,
             "added_by_you": document.uploader_id == person.id, "created_at": document.created_at,
             "removed_at": document.removed_at} for document, platform, organisation, readable in rows],
        "versions": records,
    }


# --- e-mails and reads of the account ---------------------------------------------------------------------


def emails(copy: Copy) -> Records:
    """The e-mails the forum keeps for the person's address (until ``FORUM_OUTBOX_RETENTION_DAYS`` after they
    were sent), as they were sent: subject, body, when queued and when delivered."""
    rows = db.session.scalars(select(OutboxMessage).where(_emails_of(copy.person))
                              .order_by(OutboxMessage.created_at, OutboxMessage.id)).all()
    return {"emails": [
        {"subject": message.subject, "queued_at": message.created_at, "sent_at": message.sent_at,
         "body": message.body} for message in rows]}


def reads(copy: Copy) -> Records:
    """The reads of the person's account logged in the access log: when, what was read and in which role (the
    reader's role, not their name)."""
    rows = db.session.scalars(select(AccessEntry).where(_reads_of(copy.person))
                              .order_by(AccessEntry.created_at, AccessEntry.id)).all()
    return {"reads": [{"read_at": entry.created_at, "action": entry.action, "reader": ACCOUNT_READER}
                      for entry in rows]}
