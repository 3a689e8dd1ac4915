"""Flags: anyone signed in reports an item they can see (a post, a thread, and whatever other domains register
as moderation targets), once while their flag is open. Flags put the item in its platform's queue; flags from
``FORUM_FLAG_HIDE_THRESHOLD`` different people hide it until a moderator reviews it, and its author is notified
why. Services check, write and flush; the caller commits once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, distinct, func, select
from sqlalchemy.exc import IntegrityError

from forum.accounts.models import User
from forum.core.db import rollback
from forum.core.errors import ActionRefused
from forum.extensions import db
from forum.moderation import live, log, queue, rules, targets
from forum.moderation.choices import REASONS
from forum.moderation.models import Flag, QueueItem
from forum.moderation.targets import Described, TargetKind
from forum.notifications import services as notifications
from forum.search import kinds as search_kinds

#: the longest note a flag may carry
NOTE_MAX = 1000


def _not_found() -> ActionRefused:
    return ActionRefused(_("Not found."), status=404, code="not_found")


def visible_target(user: User | None, target_type: Any, target_id: Any) -> tuple[TargetKind, Any, Described]:
    """(kind, item, description) of an item ``user`` may see; 404 for unknown types and ids, and for items
    that are not theirs to see."""
    found = targets.load(target_type, target_id)
    if found is None or not found[0].can_see(user, found[1]):
        raise _not_found()
    kind, item = found
    return kind, item, kind.describe(item)


def open_flag(user: User, target_type: str, target_id: int) -> Flag | None:
    """The open flag of ``user`` on an item, if any."""
    return db.session.scalar(select(Flag).where(
        Flag.user_id == user.id, Flag.target_type == target_type, Flag.target_id == target_id,
        Flag.status == "open"))


def _already_flagged() -> ActionRefused:
    return ActionRefused(_("You have already flagged this. The moderators will review it."), status=409,
                         code="already_flagged")


def check_may_flag(user: User, target: Described) -> None:
    """Refuse flagging one's own words (403), flagging twice while the first flag is open (409), and flagging
    what readers no longer see (hidden, deleted…: 409)."""
    if rules.is_own(user, target):
        raise ActionRefused(_("You cannot flag what you wrote yourself."), status=403, code="forbidden")
    if open_flag(user, target.type, target.id) is not None:
        raise _already_flagged()
    if target.status != "visible":
        raise ActionRefused(_("This is no longer shown to readers, so there is nothing to flag."), status=409,
                            code="not_shown")


def flag(user: User, target_type: Any, target_id: Any, *, reason: str | None, note: str | None = "") -> Flag:
    """File a flag with a reason (a key of ``choices.REASONS``) and an optional note; the item enters its
    platform's queue, and is hidden pending review once enough different people flagged it."""
    kind, item, target = visible_target(user, target_type, target_id)
    check_may_flag(user, target)
    if reason not in REASONS:
        raise ActionRefused(_("Please choose one of the options offered."), field="reason")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ActionRefused(_("A note can have at most %(max)d characters.", max=NOTE_MAX), field="note")
    entry = Flag(target_type=target.type, target_id=target.id, user_id=user.id, reason=reason, note=note,
                 platform_id=target.platform.id if target.platform else None)
    db.session.add(entry)
    try:
        db.session.flush()
    except IntegrityError as error:  # the same person flagging twice at once: the database refuses the second
        rollback()  # (no savepoint: on SQLite, releasing one would commit what came before)
        raise _already_flagged() from error
    was_queued = queue.open_item_of(target.type, target.id) is not None
    common = most_common_reason(target.type, target.id)
    item_in_queue = queue.open_item(target, "flagged", common)
    item_in_queue.reason = common
    db.session.expire(item)  # what other people's flags did meanwhile (a hide) is seen below
    _hide_when_flagged_enough(kind, item, item_in_queue, common)
    db.session.flush()
    if was_queued:  # a new item was announced by open_item; an existing one changed (flags, reason, hidden)
        live.item_changed(item_in_queue)
    return entry


def most_common_reason(target_type: str, target_id: int) -> str | None:
    """The reason given most often by the open flags of an item (the earliest given wins a tie)."""
    reasons = db.session.scalars(select(Flag.reason).where(
        Flag.target_type == target_type, Flag.target_id == target_id, Flag.status == "open").order_by(Flag.id))
    counted = Counter(reasons)
    return max(counted, key=counted.get) if counted else None


def open_flaggers(target_type: str, target_id: int) -> int:
    """How many different people have an open flag on an item."""
    return db.session.scalar(select(func.count(distinct(Flag.user_id))).where(
        Flag.target_type == target_type, Flag.target_id == target_id, Flag.status == "open",
        Flag.user_id.is_not(None))) or 0


def _hide_when_flagged_enough(kind: TargetKind, item: Any, queued: QueueItem, reason: str) -> None:
    """Hide a visible item once flags from ``FORUM_FLAG_HIDE_THRESHOLD`` different people are open on it (done
    by the system, recorded in the log), and notify its author why."""
    target = kind.describe(item)
    if "hide" not in kind.decisions or target.status != "visible":
        return
    if open_flaggers(target.type, target.id) < current_app.config["FORUM_FLAG_HIDE_THRESHOLD"]:
        return
    before, after = kind.apply(None, item, "hide", reason=reason)
    log.record(None, "hide", target=target, item=queued, reason=reason, before=before, after=after)
    tell_author(target, "hide", reason)


#: the decisions on an item that its author is notified of
TOLD_TO_AUTHOR = frozenset({"hide", "restore", "delete", "reject", "approve"})


def tell_author(target: Described, decision: str, reason: str | None, moderator: User | None = None) -> None:
    """Notify the author of an item that it was hidden, restored, deleted, rejected or approved (by ``moderator``,
    or by the system when None), with the reason; the notification centre names the item only while they may
    still see it."""
    author = target.author
    if decision not in TOLD_TO_AUTHOR or author is None or search_kinds.get(target.type) is None \
            or (moderator is not None and author.id == moderator.id):
        return
    notifications.notify([author], "moderated", subject_type=target.type, subject_id=target.id,
                         details={"decision": decision, "reason": reason})


# --- the flagger's view ---------------------------------------------------------------------------------------


def flags_of(user: User) -> Select:
    """The flags ``user`` filed, newest first."""
    return select(Flag).where(Flag.user_id == user.id).order_by(Flag.created_at.desc(), Flag.id.desc())


@dataclass
class FlagView:
    """A flag as its author sees it: what it was about (while they may still see it) and what came of it."""

    flag: Flag
    #: the item's title and address, or None when it is gone or no longer visible to the flagger
    title: str | None
    url: str | None
    #: the moderators' decision (a key of ``queue.DECISION_LABELS``)
    decision: str | None

    @property
    def outcome(self) -> str:
        """``waiting``, ``upheld`` (action taken) or ``dismissed`` (no action needed)."""
        return {"open": "waiting"}.get(self.flag.status, self.flag.status)

    @property
    def decision_label(self) -> str | None:
        """The decision in the reader's language."""
        return str(queue.DECISION_LABELS.get(self.decision, self.decision)) if self.decision else None


def views(user: User, flags: list[Flag]) -> list[FlagView]:
    """Describe ``user``'s flags with their outcome (the decision that closed them)."""
    closed = [f for f in flags if f.status != "open"]
    decided: dict[tuple, str | None] = {}
    if closed:
        items = db.session.execute(select(QueueItem.target_type, QueueItem.target_id, QueueItem.decided_at,
                                          QueueItem.decision).where(
            QueueItem.status == "closed", QueueItem.target_id.in_(sorted({f.target_id for f in closed})),
            QueueItem.target_type.in_(sorted({f.target_type for f in closed}))))
        decided = {(t, i, when): decision for t, i, when, decision in items}
    result = []
    for entry in flags:
        loaded = targets.load(entry.target_type, entry.target_id)
        target = loaded[0].describe(loaded[1]) if loaded and loaded[0].can_see(user, loaded[1]) else None
        result.append(FlagView(flag=entry, title=target.title if target else None, url=target.url if target else None,
                               decision=decided.get((entry.target_type, entry.target_id, entry.decided_at))))
    return result


def tell_outcome(entry: Flag, target: Described, decision: str) -> None:
    """Notify the person who filed ``entry`` what the moderators decided (the notification centre names the item
    only while they may still see it)."""
    if entry.user is None or search_kinds.get(target.type) is None:
        return
    notifications.notify([entry.user], "flag_outcome", subject_type=target.type, subject_id=target.id,
                         details={"upheld": entry.status == "upheld", "decision": decision})
