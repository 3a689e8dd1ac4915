"""Deleting one's account (the right to erasure): the person's account and everything personal about them goes,
while the conversations they took part in stay readable.

What they wrote stays where others answered it, signed "former participant", with their e-mail address, name and
@handle taken out of its text (posts also go, where the platform's moderators allow leavers to take them and the
person asks to); other people's @mentions of them no longer name them; records about them (audit, moderation,
flags, mail) keep what happened without saying who. Registrations for events still to come are cancelled, so the
waiting list moves up; those of past events are anonymised as retention anonymises them, after the event's
figures are frozen so the organisers' counts do not change. Documents they uploaded, flags they made and decisions
they took stay without their name. The closed months of the participation indicators are counts already and are
left alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, Text, cast, delete, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from forum.accounts.models import AuditEntry, User
from forum.accounts.passwords import verify_password
from forum.accounts.sessions import end_sessions
from forum.consultations.models import Answer, Comment, CommentTranslation, LifecycleChange
from forum.core.db import on_commit, utcnow
from forum.core.errors import ActionRefused
from forum.core.mail import OutboxMessage
from forum.core.realtime import disconnect_user, publish, user_topic
from forum.core.storage import storage
from forum.core.text import render
from forum.documents.models import Document, DocumentVersion
from forum.events import figures, registrations, retention
from forum.events.models import Event, Registration
from forum.extensions import db
from forum.i18n import current_locale
from forum.moderation import queue as moderation_queue
from forum.moderation.models import Flag, ModerationAction, Sanction
from forum.notifications.models import Notification
from forum.personal_data import addresses, rules
from forum.personal_data.models import DataExport
from forum.platforms.models import Platform
from forum.threads import services as thread_services
from forum.threads.models import Post, PostRevision, PostTranslation, Thread
from forum.threads.moderating import recount

#: what takes the place of the person's name or @handle in a text, in the text's language
NAME_REMOVED = _l("former participant")
#: what takes the place of the person's e-mail address in a text
EMAIL_REMOVED = _l("(e-mail address removed)")
#: what the person may do with their posts: keep them (anonymised) or delete them where the platform allows it
POST_CHOICES = ("keep", "delete")


class Traces:
    """How the person is named in text: their e-mail addresses (the account's and any they used before), their name
    and their @handle (each matched as a whole, whatever the capitals: "ana@example.org" is not found inside
    "juliana@example.org")."""

    def __init__(self, user: User, addresses: Iterable[str]) -> None:
        self.addresses, self.name, self.handle = sorted(set(addresses)), user.display_name, user.handle
        edge = r"(?![a-z0-9]|[._-][a-z0-9])"  # where an @handle ends (``forum.core.text.MENTION``)
        self._email = re.compile(r"(?<![\w.+-])(?:" + "|".join(map(re.escape, self.addresses)) + r")(?![\w-]|\.\w)",
                                 re.IGNORECASE)
        self._mention = re.compile(rf"(?<![\w@/])@{re.escape(user.handle)}{edge}", re.IGNORECASE)
        self._handle = re.compile(rf"(?<![\w@/.-])@?{re.escape(user.handle)}{edge}", re.IGNORECASE)
        self._name = re.compile(rf"(?<!\w){re.escape(user.display_name)}(?!\w)", re.IGNORECASE)
        #: a name of several words is theirs wherever it is written; a single word ("Paz", "Rosa") may be an
        #: ordinary word, and is taken out only of what they wrote and of the records about them
        self.full_name = len(user.display_name.split()) > 1
        #: a name of one or two letters ("A", "Li") would take every such word out of their own texts too
        self.name_matters = self.full_name or len(user.display_name) >= 3

    def mention_terms(self) -> list[str]:
        """What a SQL search looks for in other people's text: the @handle and the e-mail addresses."""
        return [f"@{self.handle}".lower(), *self.addresses]

    def terms(self) -> list[str]:
        """What a SQL search looks for in records: the e-mail addresses, the name and the handle."""
        return [*self.addresses, self.name.lower(), self.handle.lower()]

    def out_of_others_text(self, text: str | None, language: str) -> str | None:
        """Someone else's ``text`` without the e-mail addresses and the @mentions of the person."""
        if not text:
            return text
        email, name = _removed(language)
        return self._mention.sub(name, self._email.sub(email, text))

    def out_of_records(self, text: str | None, language: str) -> str | None:
        """A record about someone else without the person's e-mail addresses, @mentions and full name."""
        text = self.out_of_others_text(text, language)
        return self._name.sub(_removed(language)[1], text) if text and self.full_name else text

    def out_of(self, text: str | None, language: str) -> str | None:
        """``text`` without the e-mail addresses, the name or the handle of the person."""
        if not text:
            return text
        email, name = _removed(language)
        text = self._handle.sub(name, self._email.sub(email, text))
        return self._name.sub(name, text) if self.name_matters else text


def _removed(language: str) -> tuple[str, str]:
    with force_locale(language if language in ("es", "en") else current_locale()):
        return str(EMAIL_REMOVED), str(NAME_REMOVED)


def _fit(row: object, field: str, value: str | None) -> None:
    """Set a text column, cut to the column's length (a replacement may be longer than what it replaces)."""
    length = getattr(type(row).__table__.c[field].type, "length", None)
    setattr(row, field, value[:length] if value is not None and length else value)


def _post_html(source: str) -> str:
    return render(source, thread_services.mention_link).html


def _comment_html(source: str) -> str:
    return render(source).html if source else ""


@dataclass(frozen=True)
class _Text:
    """A text column of a model, the column holding its HTML (rendered again after a change) and its language
    (None: the row's own ``language``)."""

    source: str
    html: str | None = None
    to_html: Callable[[str], str] | None = None
    language: str | None = None


#: the texts people write, by model
WRITTEN = {
    Thread: (_Text("title"),),
    Post: (_Text("body_source", "body_html", _post_html),),
    PostTranslation: (_Text("body_source", "body_html", _post_html),),
    PostRevision: (_Text("body_source"),),
    Comment: (_Text("body_source", "body_html", _comment_html),
              _Text("replacement_text", "replacement_html", _comment_html)),
    CommentTranslation: (_Text("body_source", "body_html", _comment_html),),
    Answer: (_Text("explanation_es", "explanation_html_es", _comment_html, "es"),
             _Text("explanation_en", "explanation_html_en", _comment_html, "en")),
}
#: the records about people that may name them: account audit, moderation, flags, sanctions, consultations'
#: course; with their columns of text, and the columns that say whom a row is about or who acted
RECORDS = {
    AuditEntry: (("old_value", "new_value", "note"), ("user_id", "actor_id")),
    ModerationAction: (("note", "before_text", "after_text"), ("subject_id", "moderator_id")),
    Flag: (("note",), ("user_id",)),
    Sanction: (("reason", "contest_text"), ("user_id", "issued_by_id")),
    LifecycleChange: (("note",), ("actor_id",)),
    OutboxMessage: (("subject", "body", "last_error"), ()),
}


def _rewrite(row: object, scrub: Callable[[str | None, str], str | None]) -> None:
    """Take the person out of a written row's texts, rendering its HTML again where the text changed."""
    for text in WRITTEN[type(row)]:
        before = getattr(row, text.source)
        after = scrub(before, text.language or row.language)
        if after != before:
            _fit(row, text.source, after)
            if text.html:
                setattr(row, text.html, text.to_html(after))


def _mentioning(model: type, columns: Iterable[str], terms: list[str]) -> list:
    """The rows of ``model`` whose ``columns`` contain any of ``terms`` (lower-case), whatever the capitals."""
    found = [func.lower(getattr(model, column)).contains(term, autoescape=True)
             for column in columns for term in terms]
    return list(db.session.scalars(select(model).where(or_(*found))))


@dataclass(frozen=True)
class Leaving:
    """What deleting the account would do to what the person wrote and signed up for, to explain it first."""

    #: the platforms where they have posts, each with how many and whether they may take them away
    platforms: list[tuple[Platform, int, bool]]
    comments: int
    #: registrations for events still to come (cancelled: the waiting list moves up)
    upcoming: int
    documents: int


def leaving(user: User) -> Leaving:
    """What deleting ``user``'s account would do (the page that asks for confirmation shows it)."""
    rows = db.session.execute(select(Platform, func.count(Post.id)).join(Thread, Thread.platform_id == Platform.id)
                              .join(Post, Post.thread_id == Thread.id)
                              .where(Post.author_id == user.id, Post.deleted_at.is_(None))
                              .group_by(Platform.id).order_by(Platform.position, Platform.id)).all()
    return Leaving(
        platforms=[(platform, n, platform.leavers_may_delete_posts) for platform, n in rows],
        comments=_count(select(Comment.id).where(Comment.author_id == user.id, Comment.deleted_at.is_(None))),
        upcoming=_count(select(Registration.id).join(Event, Event.id == Registration.event_id).where(
            Registration.user_id == user.id, Registration.status.in_(registrations.ACTIVE), Event.ends_at > utcnow())),
        documents=_count(select(Document.id).where(Document.uploader_id == user.id, Document.removed_at.is_(None))),
    )


def _count(query: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _refused(message: str, *, status: int = 400, code: str = "invalid", field: str | None = None) -> ActionRefused:
    return ActionRefused(message, status=status, code=code, field=field)


def delete_account(user: User, *, password: str, posts: str = "keep") -> None:
    """Delete ``user``'s account after checking their password: ``posts`` is ``keep`` (their posts stay, signed
    "former participant") or ``delete`` (their posts go where the platform allows it, and stay anonymised
    elsewhere). Afterwards nothing in the database names them; they are signed out everywhere. Flushes only."""
    if not rules.can_delete_account(user):
        raise _refused(_("You are the only administrator. Make someone else an administrator first, then delete "
                         "your account."), status=403, code="forbidden")
    if not verify_password(user.password_hash, password or ""):
        raise _refused(_("Your password is not correct."), field="password")
    if posts not in POST_CHOICES:
        raise _refused(_("Please choose one of the options offered."), field="posts")
    traces = Traces(user, addresses.used_by(user))
    _registrations(user)
    _their_writing(user, traces, take_posts=posts == "delete")
    _others_writing(traces)
    # mail to the person goes (what was just queued about cancelled registrations too); mail about them is a record
    db.session.execute(delete(OutboxMessage).where(func.lower(OutboxMessage.recipient).in_(traces.addresses)))
    _records(user, traces)
    _library(user, traces)
    _sign_out(user)
    db.session.delete(user)
    db.session.flush()


def _registrations(user: User) -> None:
    """Registrations for events not started yet are cancelled (the waiting list moves up) and stripped as retention
    strips them. At an event under way or in its check-in day, status and attendance stay and only what names the
    person goes now; what the organisers' figures count goes once the check-in has closed
    (``retention.erase_departed``, daily), so the figures stay right. At an event whose check-in has closed, the
    figures are frozen first, then everything goes."""
    now = utcnow()
    for registration in db.session.scalars(select(Registration).where(Registration.user_id == user.id)
                                           .options(joinedload(Registration.event))).all():
        event = registration.event
        if event.starts_at > now:
            if registration.status in registrations.ACTIVE:
                registrations.cancel(registration, by=user)
            stripped = retention.ANONYMOUS
        elif registrations.check_in_closes(event) > now:
            stripped = retention.IDENTITY
        else:
            if event.figures is None:
                event.figures = figures.counts(event)
            stripped = retention.ANONYMOUS
        for name, value in stripped.items():
            setattr(registration, name, value)
    db.session.flush()


def _their_writing(user: User, traces: Traces, *, take_posts: bool) -> None:
    """Threads, posts, translations and comments the person wrote, without their author and without the person
    named in them; their posts go where the platform allows leavers to take them and they asked to."""
    for thread in db.session.scalars(select(Thread).where(Thread.author_id == user.id)).all():
        thread.author_id = None
        _rewrite(thread, traces.out_of)
    posts = db.session.scalars(select(Post).where(Post.author_id == user.id)
                               .options(selectinload(Post.translations), joinedload(Post.thread))).all()
    allowed = set(db.session.scalars(select(Platform.id).where(Platform.leavers_may_delete_posts.is_(True))))
    emptied = set()
    for post in posts:
        post.author_id = None
        if not post.is_deleted and take_posts and post.thread.platform_id in allowed:
            emptied.add(post.thread)
            _take_away(post)
        elif post.is_deleted:
            _take_away(post)
        else:
            for row in (post, *post.translations):
                _rewrite(row, traces.out_of)
    db.session.execute(delete(PostRevision).where(PostRevision.post_id.in_([post.id for post in posts])))
    for comment in db.session.scalars(select(Comment).where(Comment.author_id == user.id)
                                      .options(selectinload(Comment.translations))).all():
        comment.author_id = None
        for row in (comment, *comment.translations):
            _rewrite(row, traces.out_of)
    for model, column in ((PostTranslation, PostTranslation.translator_id), (PostRevision, PostRevision.editor_id),
                          (CommentTranslation, CommentTranslation.translator_id), (Answer, Answer.author_id)):
        for row in db.session.scalars(select(model).where(column == user.id)).all():
            setattr(row, column.key, None)
            _rewrite(row, traces.out_of)
    db.session.flush()
    for thread in emptied:
        recount(thread)


def _take_away(post: Post) -> None:
    """Delete a post with its text and translations (its place stays: "deleted by its author")."""
    if not post.is_deleted:
        post.deleted_at, post.deleted_by_id = utcnow(), None
        if post.status == "held":
            moderation_queue.withdraw("post", post.id)
    post.body_source = post.body_html = ""
    for translation in list(post.translations):
        db.session.delete(translation)


def _others_writing(traces: Traces) -> None:
    """Other people's texts that @mention the person or give their e-mail address, without them."""
    for model, texts in WRITTEN.items():
        for row in _mentioning(model, [text.source for text in texts], traces.mention_terms()):
            _rewrite(row, traces.out_of_others_text)


def _records(user: User, traces: Traces) -> None:
    """Records that name the person (audit, moderation, flags, sanctions, consultations' course, mail to others,
    the small facts of notifications): those about the person or by them without their e-mail address, name or
    handle; the others (about someone else) without their addresses, @mentions and full name."""
    language = current_locale()
    for model, (columns, links) in RECORDS.items():
        for row in _mentioning(model, columns, traces.terms()):
            scrub = traces.out_of if any(getattr(row, link) == user.id for link in links) else traces.out_of_records
            for column in columns:
                _fit(row, column, scrub(getattr(row, column), language))
    escaped = [json.dumps(term)[1:-1] for term in traces.terms()]  # as JSON keeps them (non-ASCII as \u…)
    found = [func.lower(cast(Notification.details, Text)).contains(term, autoescape=True) for term in escaped]
    for notification in db.session.scalars(select(Notification).where(or_(*found))).all():
        notification.details = _out_of_json(notification.details, lambda text: traces.out_of_records(text, language))


def _out_of_json(value: object, scrub: Callable[[str], str]) -> object:
    """Every text inside a JSON value passed through ``scrub``."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [_out_of_json(item, scrub) for item in value]
    if isinstance(value, dict):
        return {key: _out_of_json(item, scrub) for key, item in value.items()}
    return value


def _library(user: User, traces: Traces) -> None:
    """Documents the person uploaded stay in the library, without their name."""
    language = current_locale()
    for document in db.session.scalars(select(Document).where(Document.uploader_id == user.id)).all():
        document.uploader_id = None
        for column in ("title_es", "title_en", "description_es", "description_en"):
            _fit(document, column, traces.out_of(getattr(document, column), column[-2:]))
    for version in db.session.scalars(select(DocumentVersion).where(DocumentVersion.uploader_id == user.id)).all():
        version.uploader_id = None
        for column in ("original_name", "note", "text"):
            _fit(version, column, traces.out_of(getattr(version, column), language))


def _sign_out(user: User) -> None:
    """End every session and live connection of the person, and remove the copies of their data."""
    end_sessions(user)
    for key in db.session.scalars(select(DataExport.storage_key).where(DataExport.user_id == user.id,
                                                                       DataExport.storage_key.is_not(None))):
        on_commit(lambda key=key: storage().delete(key))
    db.session.execute(delete(DataExport).where(DataExport.user_id == user.id))
    publish(user_topic(user.id), "session.ended", {"reason": "deleted"})
    disconnect_user(user.id)
