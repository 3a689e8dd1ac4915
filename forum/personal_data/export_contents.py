"""What a copy of a person's data holds: its parts (one JSON file and one readable page each), the sections of
each part, and the documented keys of their records with the vocabularies of their codes. The readable pages and
``docs/personal-data.md`` describe the copy from here; :mod:`forum.personal_data.export_records` reads the
records."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from forum.accounts import choices as account_choices
from forum.accounts.models import User
from forum.consultations import choices as consultation_choices
from forum.documents import choices as document_choices
from forum.events.choices import REGISTRATION_STATUSES
from forum.i18n import LANGUAGE_NAMES
from forum.moderation.choices import REASONS, SANCTIONS
from forum.moderation.sanction_choices import LOG_ACTIONS, STATES
from forum.notifications.choices import DELIVERIES, KINDS
from forum.personal_data import export_records as records
from forum.personal_data.choices import ACCESS_ACTIONS, EXPORT_STATUSES
from forum.platforms.choices import PLATFORM_ROLES
from forum.threads import choices as thread_choices


@dataclass(frozen=True)
class Key:
    """One documented key of the records of a section."""

    meaning: Any
    #: the labels of its codes, shown on the readable pages (None: the value is shown as it is)
    vocabulary: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Section:
    """A list of records of one kind within a part (the JSON file's key of the same name)."""

    name: str
    title: Any
    keys: Mapping[str, Key]


@dataclass(frozen=True)
class Part:
    """One part of the copy: ``<name>.json`` and ``<name>.html``."""

    name: str
    title: Any
    description: Any
    sections: tuple[Section, ...]
    read: Callable[[records.Copy], records.Records]


@dataclass
class Gathered:
    """A person's copy as read now: each part with its records, and the stored files it carries."""

    person: User
    parts: list[tuple[Part, records.Records]]
    files: list[tuple[str, str]]


# --- vocabularies of codes that have no vocabulary of their own elsewhere ---------------------------------------

#: what became of a post or a comment
TEXT_STATUSES = {"visible": _l("Visible"), **thread_choices.THREAD_STATUSES, "deleted": _l("Deleted")}
#: what became of a flag
FLAG_OUTCOMES = {
    "open": _l("Awaiting a moderator's decision"),
    "upheld": _l("Upheld: the moderators acted"),
    "dismissed": _l("Dismissed"),
}
#: whether a notification was e-mailed
NOTIFICATION_EMAILS = {
    "none": _l("Not e-mailed"),
    "queued": _l("Waiting for the daily summary"),
    "sent": _l("E-mailed"),
}
#: the kinds of items records refer to
ITEM_TYPES = {
    "platform": _l("Platform"),
    "thread": _l("Thread"),
    "post": _l("Post"),
    "consultation": _l("Consultation"),
    "comment": _l("Comment"),
    "event": _l("Event"),
    "document": _l("Document"),
    "sanction": _l("Sanction"),
    "data_export": _l("Copy of your data"),
}
NOTIFICATION_KINDS = {kind: spec.label for kind, spec in KINDS.items()}
COMMENT_KINDS = {**consultation_choices.COMMENT_KINDS, consultation_choices.REPLY: _l("Reply")}

# --- keys used in several sections --------------------------------------------------------------------------------

LINK = Key(_l("its address on the forum"))
CREATED = Key(_l("when it was created"))
LANGUAGE = Key(_l("the language it is written in"), LANGUAGE_NAMES)
PLATFORM = Key(_l("the platform, by name"))
TEXT = Key(_l("the text as you wrote it (Markdown)"))
MODERATION_REASON = Key(_l("why the moderators hid it, if they did"), REASONS)
THREAD_TITLE = Key(_l("the thread's title while you may still read the thread, otherwise its number"))
CONSULTATION_TITLE = Key(_l("the consultation's title while you may still see it, otherwise its number"))


def _earlier_texts(title: Any) -> Section:
    return Section("earlier_texts", title, {
        "post_id": Key(_l("the post")), "language": LANGUAGE, "text": TEXT,
        "written_at": Key(_l("when this text was written")), "replaced_at": Key(_l("when it was replaced"))})


PARTS = (
    Part("profile", _l("Profile"), _l("Your account with every detail it holds (except your password, which is "
                                      "never stored, only a hash of it), your organisations and platforms, your "
                                      "e-mail preferences, where you are signed in and your API tokens."), (
        Section("account", _l("Account"), {
            "id": Key(_l("the account's number")), "email": Key(_l("e-mail address")),
            "display_name": Key(_l("name shown to others")), "handle": Key(_l("how others @mention you")),
            "locale": Key(_l("interface language"), LANGUAGE_NAMES), "timezone": Key(_l("time zone")),
            "sector": Key(_l("sector"), account_choices.SECTORS),
            "state": Key(_l("state"), account_choices.STATES), "position": Key(_l("position or job title")),
            "gender": Key(_l("gender (self-declared, private)"), account_choices.GENDERS),
            "gender_description": Key(_l("gender in your own words (private)")),
            "age_range": Key(_l("age range (self-declared, private)"), account_choices.AGE_RANGES),
            "role": Key(_l("role on the forum"), account_choices.ROLES), "created_at": CREATED,
            "email_confirmed_at": Key(_l("when you confirmed your e-mail address")),
            "last_login_at": Key(_l("when you last signed in")),
            "suspended_at": Key(_l("when the account was suspended, if it is")),
            "suspended_until": Key(_l("when the suspension ends")),
            "suspension_reason": Key(_l("the reason given for the suspension")),
            "moderation_languages": Key(_l("the languages you moderate in, if you moderate")),
            "privacy_accepted_at": Key(_l("when you accepted the privacy notice")),
            "privacy_notice_version": Key(_l("the version of the privacy notice you accepted")),
        }),
        Section("organisations", _l("Organisations you belong to or asked to join"), {
            "organisation": Key(_l("the organisation, by name")), "acronym": Key(_l("its acronym")),
            "kind": Key(_l("type of organisation"), account_choices.ORGANISATION_TYPES),
            "status": Key(_l("your membership"), account_choices.MEMBERSHIP_STATUSES),
            "representative": Key(_l("whether you represent it")), "requested_at": Key(_l("when you asked")),
            "decided_at": Key(_l("when your request was decided"))}),
        Section("proposed_organisations", _l("Organisations you proposed"), {
            "organisation": Key(_l("the organisation, by name")), "acronym": Key(_l("its acronym")),
            "kind": Key(_l("type of organisation"), account_choices.ORGANISATION_TYPES),
            "verified": Key(_l("whether the administrators verified it")), "created_at": CREATED}),
        Section("platforms", _l("Platforms you belong to or asked to join"), {
            "platform": PLATFORM, "link": LINK,
            "status": Key(_l("your membership"), account_choices.MEMBERSHIP_STATUSES),
            "requested_at": Key(_l("when you joined or asked")),
            "decided_at": Key(_l("when your request was decided"))}),
        Section("platform_duties", _l("Your duties on platforms"), {
            "platform": PLATFORM, "duty": Key(_l("the duty"), PLATFORM_ROLES),
            "assigned_at": Key(_l("when it was given to you"))}),
        Section("email_preferences", _l("E-mail preferences"), {
            "kind": Key(_l("the kind of notification"), NOTIFICATION_KINDS),
            "delivery": Key(_l("how it reaches you by e-mail"), DELIVERIES)}),
        Section("sessions", _l("Where you are signed in"), {
            "started_at": Key(_l("when you signed in")), "last_seen_at": Key(_l("when it was last used")),
            "browser": Key(_l("the browser, as it describes itself"))}),
        Section("api_tokens", _l("API tokens"), {
            "name": Key(_l("the name you gave it")), "prefix": Key(_l("its first characters (never the whole "
                                                                      "token)")),
            "created_at": CREATED, "last_used_at": Key(_l("when it was last used")),
            "revoked_at": Key(_l("when you revoked it"))}),
        Section("account_changes", _l("Changes the administrators made to your account"), {
            "action": Key(_l("what was done"), account_choices.AUDIT_ACTIONS),
            "organisation": Key(_l("the organisation concerned")), "old_value": Key(_l("the value before")),
            "new_value": Key(_l("the value after")), "created_at": CREATED}),
        Section("data_copies", _l("Copies of your data you asked for"), {
            "requested_at": Key(_l("when you asked")), "status": Key(_l("its status"), EXPORT_STATUSES),
            "ready_at": Key(_l("when it was ready")), "expires_at": Key(_l("when its link stops working")),
            "downloaded_at": Key(_l("when you downloaded it"))}),
    ), records.profile),
    Part("posts", _l("Posts"), _l("Every post you wrote, whatever became of it, with its thread and platform; the "
                                  "threads you opened; the earlier texts of your edited posts; your reactions."), (
        Section("posts", _l("Posts"), {
            "id": Key(_l("the post's number")), "link": LINK, "thread_id": Key(_l("the thread's number")),
            "thread": THREAD_TITLE, "platform": PLATFORM, "language": LANGUAGE, "text": TEXT,
            "status": Key(_l("what became of it"), TEXT_STATUSES), "moderation_reason": MODERATION_REASON,
            "created_at": CREATED, "edited_at": Key(_l("when it was last edited")),
            "deleted_at": Key(_l("when it was deleted")),
            "reply_to_post_id": Key(_l("the post it answers, by number")),
            "support_count": Key(_l("how many people supported it")),
            "thanks_count": Key(_l("how many people thanked you for it"))}),
        Section("threads", _l("Threads you opened"), {
            "id": Key(_l("the thread's number")), "link": LINK, "title": Key(_l("its title")),
            "platform": PLATFORM, "kind": Key(_l("kind of thread"), thread_choices.KINDS), "language": LANGUAGE,
            "status": Key(_l("what became of it"), TEXT_STATUSES), "moderation_reason": MODERATION_REASON,
            "created_at": CREATED, "locked": Key(_l("whether it is locked")),
            "pinned": Key(_l("whether it is pinned"))}),
        _earlier_texts(_l("Earlier texts of your posts")),
        Section("reactions", _l("Your reactions"), {
            "post_id": Key(_l("the post")), "link": LINK, "thread": THREAD_TITLE,
            "kind": Key(_l("the reaction"), thread_choices.REACTIONS), "created_at": CREATED}),
    ), records.posts),
    Part("post_translations", _l("Translations of posts"), _l("The translations of posts you wrote, and their "
                                                              "earlier texts."), (
        Section("translations", _l("Translations"), {
            "post_id": Key(_l("the translated post")), "link": LINK, "thread": THREAD_TITLE,
            "language": LANGUAGE, "text": TEXT,
            "provenance": Key(_l("in which capacity you translated it"), thread_choices.PROVENANCES),
            "source_revision": Key(_l("the version of the post it translates")), "created_at": CREATED,
            "updated_at": Key(_l("when it was last changed"))}),
        _earlier_texts(_l("Earlier texts of your translations")),
    ), records.post_translations),
    Part("comments", _l("Consultation comments"), _l("Your comments on consultations, with the status of the "
                                                     "organisation's answer, and the translations of comments you "
                                                     "wrote."), (
        Section("comments", _l("Comments"), {
            "id": Key(_l("the comment's number")), "link": LINK, "consultation_id": Key(_l("the consultation")),
            "consultation": CONSULTATION_TITLE, "platform": PLATFORM,
            "paragraph": Key(_l("the paragraph commented on (empty: the whole draft)")),
            "kind": Key(_l("kind of comment"), COMMENT_KINDS), "language": LANGUAGE, "text": TEXT,
            "proposed_wording": Key(_l("the wording you proposed for the paragraph")),
            "status": Key(_l("what became of it"), TEXT_STATUSES), "moderation_reason": MODERATION_REASON,
            "created_at": CREATED, "edited_at": Key(_l("when it was last edited")),
            "deleted_at": Key(_l("when you withdrew it")),
            "reply_to_comment_id": Key(_l("the comment it answers, by number")),
            "answer": Key(_l("the organisation's answer"), consultation_choices.ANSWER_STATUSES),
            "answered_at": Key(_l("when it was answered"))}),
        Section("translations", _l("Translations of comments"), {
            "comment_id": Key(_l("the translated comment")), "link": LINK,
            "consultation": CONSULTATION_TITLE, "language": LANGUAGE, "text": TEXT,
            "provenance": Key(_l("in which capacity you translated it"),
                              consultation_choices.TRANSLATION_PROVENANCES),
            "created_at": CREATED, "updated_at": Key(_l("when it was last changed"))}),
    ), records.comments),
    Part("registrations", _l("Event registrations"), _l("Your registrations for events, as you filled them in, "
                                                        "with your answers to the organisers' questions."), (
        Section("registrations", _l("Registrations"), {
            "event_id": Key(_l("the event's number")), "link": LINK,
            "event": Key(_l("the event's title while you may still see it, otherwise its number")),
            "starts_at": Key(_l("when the event starts")),
            "status": Key(_l("your registration"), REGISTRATION_STATUSES),
            "code": Key(_l("your check-in code")), "name": Key(_l("your name as registered")),
            "email": Key(_l("your e-mail address as registered")),
            "language": Key(_l("the language of the messages about it"), LANGUAGE_NAMES),
            "organisation": Key(_l("your organisation as registered")),
            "organisation_kind": Key(_l("type of organisation"), account_choices.ORGANISATION_TYPES),
            "sector": Key(_l("sector"), account_choices.SECTORS), "state": Key(_l("state"), account_choices.STATES),
            "position": Key(_l("position or job title")),
            "gender": Key(_l("gender (for aggregate figures only)"), account_choices.GENDERS),
            "age_range": Key(_l("age range (for aggregate figures only)"), account_choices.AGE_RANGES),
            "accessibility_needs": Key(_l("the accessibility needs you told the organisers")),
            "interpretation_needed": Key(_l("whether you asked for interpretation")),
            "listed": Key(_l("whether you agreed to appear in the list of participants")),
            "answers": Key(_l("your answers, by question")), "created_at": CREATED,
            "updated_at": Key(_l("when it was last changed")), "confirmed_at": Key(_l("when it was confirmed")),
            "waitlisted_at": Key(_l("when you joined the waiting list")),
            "cancelled_at": Key(_l("when it was cancelled")), "attended_at": Key(_l("when you checked in"))}),
    ), records.registrations),
    Part("flags", _l("Flags"), _l("The flags you filed, with your reason and what the moderators decided (not who "
                                  "else flagged, nor who decided)."), (
        Section("flags", _l("Flags"), {
            "id": Key(_l("the flag's number")), "target_type": Key(_l("what you flagged"), ITEM_TYPES),
            "target_id": Key(_l("its number")), "platform": PLATFORM,
            "reason": Key(_l("your reason"), REASONS), "note": Key(_l("your note")),
            "outcome": Key(_l("what the moderators decided"), FLAG_OUTCOMES), "created_at": CREATED,
            "decided_at": Key(_l("when they decided"))}),
    ), records.flags),
    Part("notifications", _l("Notifications"), _l("What the forum told you, and when you read it."), (
        Section("notifications", _l("Notifications"), {
            "id": Key(_l("the notification's number")), "kind": Key(_l("its kind"), NOTIFICATION_KINDS),
            "subject_type": Key(_l("what it is about"), ITEM_TYPES), "subject_id": Key(_l("its number")),
            "details": Key(_l("the facts it told (a decision, a reason, an answer's status)")),
            "created_at": CREATED, "read_at": Key(_l("when you read it")),
            "email": Key(_l("whether it was e-mailed"), NOTIFICATION_EMAILS)}),
    ), records.notifications_of),
    Part("documents", _l("Documents"), _l("The documents you added to the libraries and every file version you "
                                          "uploaded; the files themselves are in the folder “documents”."), (
        Section("documents", _l("Documents"), {
            "id": Key(_l("the document's number")), "link": LINK,
            "title_es": Key(_l("title in Spanish (of a document someone else added: while you may still read it, "
                               "otherwise its number)")),
            "title_en": Key(_l("title in English (likewise)")), "description_es": Key(_l("description in Spanish")),
            "description_en": Key(_l("description in English")),
            "kind": Key(_l("type of document"), document_choices.DOCUMENT_TYPES),
            "language": Key(_l("the language of the file"), document_choices.FILE_LANGUAGES),
            "year": Key(_l("year")), "platform": Key(_l("the platform's library (empty: the general library)")),
            "organisation": Key(_l("the publishing organisation")),
            "access": Key(_l("who may read it"), document_choices.ACCESS_LEVELS),
            "added_by_you": Key(_l("whether you added it (otherwise you uploaded a new version of it)")),
            "created_at": CREATED, "removed_at": Key(_l("when the moderators removed it"))}),
        Section("versions", _l("File versions you uploaded"), {
            "document_id": Key(_l("the document")), "number": Key(_l("the version's number")),
            "file": Key(_l("the file in this copy")), "original_name": Key(_l("the file's name when uploaded")),
            "file_type": Key(_l("the type of file")), "content_type": Key(_l("its media type")),
            "size": Key(_l("its size in bytes")), "sha256": Key(_l("its SHA-256 checksum")),
            "note": Key(_l("your note about the version")), "created_at": CREATED}),
    ), records.documents),
    Part("follows", _l("Follows"), _l("The platforms, consultations and events you follow, and the threads you "
                                      "read or follow."), (
        Section("follows", _l("What you follow"), {
            "target_type": Key(_l("what you follow"), ITEM_TYPES), "target_id": Key(_l("its number")),
            "title": Key(_l("its name, or its title while you may still see it (otherwise its number)")),
            "link": LINK, "created_at": Key(_l("since when"))}),
        Section("threads", _l("Threads you read or follow"), {
            "thread_id": Key(_l("the thread's number")), "thread": THREAD_TITLE, "link": LINK,
            "following": Key(_l("whether you follow it")),
            "last_read_post_id": Key(_l("the last post you saw, by number")),
            "updated_at": Key(_l("when you last read it"))}),
    ), records.follows),
    Part("sanctions", _l("Sanctions and moderation decisions"), _l(
        "The warnings, suspensions and bans about you, with the reasons you were told and your reply, and the "
        "moderators' decisions on what you wrote."), (
        Section("sanctions", _l("Sanctions"), {
            "id": Key(_l("the sanction's number")), "kind": Key(_l("kind of sanction"), SANCTIONS),
            "state": Key(_l("what it is now"), STATES), "reason": Key(_l("the reason you were told")),
            "created_at": CREATED, "ends_at": Key(_l("when a suspension ends")),
            "lifted_at": Key(_l("when it was lifted")), "your_reply": Key(_l("your reply contesting it")),
            "replied_at": Key(_l("when you replied"))}),
        Section("decisions", _l("Moderators' decisions on what you wrote"), {
            "decision": Key(_l("the decision"), LOG_ACTIONS), "reason": Key(_l("its reason"), REASONS),
            "target_type": Key(_l("what it was about"), ITEM_TYPES), "target_id": Key(_l("its number")),
            "created_at": CREATED}),
    ), records.sanctions),
    Part("emails", _l("E-mails"), _l("The e-mails the forum keeps for your address, as they were sent (the forum "
                                     "deletes them some time after sending them)."), (
        Section("emails", _l("E-mails"), {
            "subject": Key(_l("its subject")), "queued_at": Key(_l("when the forum wrote it")),
            "sent_at": Key(_l("when it was sent (empty: not sent yet)")),
            "body": Key(_l("its text, as sent"))}),
    ), records.emails),
    Part("access_log", _l("Reads of your account"), _l(
        "Each time the administrators opened the details of your account (your e-mail address, your history): "
        "when, and what they viewed. The log names the reader's role, not the person."), (
        Section("reads", _l("Reads of your account"), {
            "read_at": Key(_l("when it was read")), "action": Key(_l("what was viewed"), ACCESS_ACTIONS),
            "reader": Key(_l("the reader's role"), account_choices.ROLES)}),
    ), records.reads),
)


def gather(person: User) -> Gathered:
    """Read ``person``'s copy now, part by part (in the current language: names and titles, answers)."""
    copy = records.Copy(person)
    return Gathered(person, [(part, part.read(copy)) for part in PARTS], copy.files)
