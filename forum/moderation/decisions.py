"""Moderators' decisions on items: dismiss the flags, hide, restore, delete, edit, lock, pin, move, approve,
reject… whatever the item's type offers (its :class:`~forum.moderation.targets.TargetKind` carries the decision
out). Every decision closes the item's open queue entry, settles its open flags, is written to the moderation
log and is told to each flagger; the item's author is notified when it was hidden, restored, deleted, rejected or
approved.

Two moderators deciding the same item at once: the queue entry is closed with one conditional ``UPDATE …
WHERE status = 'open'``, which only one transaction can win; the other is refused with 409 "already handled by
…" before anything is applied, so nothing happens twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from forum.accounts.models import User
from forum.core.db import utcnow
from forum.core.errors import ActionRefused
from forum.extensions import db
from forum.moderation import flags, live, log, queue, rules
from forum.moderation.choices import REASONS
from forum.moderation.models import Flag, ModerationAction, QueueItem
from forum.moderation.targets import Described

#: the longest note a moderator may add to a decision
NOTE_MAX = 2000
#: decisions that find the flags unfounded (the flags are "dismissed"); every other decision upholds them
DISMISSING = frozenset({"dismiss", "restore", "approve", "unlock", "pin", "unpin", "lift"})
#: the parameters pages and the API pass on with a decision (a thread moves to ``platform``, a slug; an edit
#: writes ``body``, Markdown); other decisions take none from forms
PARAMETERS = {"move": ("platform",), "edit": ("body",)}


@dataclass
class Decided:
    """What a decision did: its log entry, the queue item it closed (if any) and the item as it was."""

    action: ModerationAction
    item: QueueItem | None
    target: Described


def parameters_of(decision: str, sent: dict[str, Any]) -> dict[str, Any]:
    """The parameters of ``decision`` among those a form or request ``sent``."""
    return {name: sent[name] for name in PARAMETERS.get(decision, ()) if sent.get(name) is not None}


def _forbidden() -> ActionRefused:
    return ActionRefused(_("Only the moderators of this platform can do this."), status=403, code="forbidden")


def decide(moderator: User, target_type: Any, target_id: Any, decision: str, *, reason: str | None = None,
           note: str | None = "", item_id: int | None = None, **params: Any) -> Decided:
    """Carry out ``decision`` on an item as ``moderator``. ``item_id`` names the queue item the moderator was
    looking at (a decision on an item someone else already closed is refused); without it, the item's open
    queue entry, if any, is closed. ``params`` go to the item's type (``platform`` to move a thread, ``body`` to
    edit a post)."""
    kind, item, target = flags.visible_target(moderator, target_type, target_id)
    if not rules.can_moderate(moderator, target):
        raise _forbidden()
    if decision not in kind.decisions:
        raise ActionRefused(_("This decision does not apply to this item."), field="decision")
    if reason and reason not in REASONS:
        raise ActionRefused(_("Please choose one of the options offered."), field="reason")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ActionRefused(_("A note can have at most %(max)d characters.", max=NOTE_MAX), field="note")
    queued = _close(moderator, target, decision, item_id)
    reason = reason or (queued.reason if queued else None)
    before, after = kind.apply(moderator, item, decision, reason=reason, **params)
    decided_at = queued.decided_at if queued else utcnow()
    settled = _settle_flags(target, upheld=decision not in DISMISSING, when=decided_at)
    action = log.record(moderator, decision, target=target, item=queued, reason=reason, note=note, before=before,
                        after=after)
    db.session.flush()
    for entry in settled:
        flags.tell_outcome(entry, target, decision)
    if kind.describe(item).status != target.status:  # not when confirming what the system already hid
        flags.tell_author(target, "restore" if decision == "dismiss" else decision, reason, moderator)
    if queued is not None:
        live.item_changed(queued)
    return Decided(action=action, item=queued, target=target)


def _close(moderator: User, target: Described, decision: str, item_id: int | None) -> QueueItem | None:
    """Close the queue item (the one named, or the target's open one) for this decision, or refuse with 409 if
    another moderator closed it first. This conditional update is the decision's first write."""
    if item_id is not None:
        queued = queue.item_by_id(item_id)
        if queued is None or (queued.target_type, queued.target_id) != (target.type, target.id):
            raise ActionRefused(_("Not found."), status=404, code="not_found")
    else:
        queued = queue.open_item_of(target.type, target.id)
        if queued is None:
            return None
    closed = db.session.execute(
        update(QueueItem).where(QueueItem.id == queued.id, QueueItem.status == "open")
        .values(status="closed", decided_by_id=moderator.id, decided_at=utcnow(), decision=decision),
        execution_options={"synchronize_session": False}).rowcount
    db.session.refresh(queued)
    if not closed:
        raise queue.already_handled(queued)
    return queued


def _settle_flags(target: Described, *, upheld: bool, when) -> list[Flag]:
    """Mark the item's open flags upheld or dismissed; the flags settled."""
    settled = list(db.session.scalars(select(Flag).where(
        Flag.target_type == target.type, Flag.target_id == target.id, Flag.status == "open").order_by(Flag.id)))
    for entry in settled:
        entry.status = "upheld" if upheld else "dismissed"
        entry.decided_at = when
    return settled
