"""The moderation queue: items waiting for a moderator, how they enter it, how moderators claim them, which of
them a moderator sees (with the filters of the queue page and API), and the languages moderators read.

An item leaves the queue through a decision (:mod:`forum.moderation.decisions`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select, update

from forum.accounts.models import User
from forum.core.db import MAX_ID, utcnow, whole_number
from forum.core.errors import ActionRefused
from forum.extensions import db
from forum.i18n import LOCALES
from forum.moderation import live, rules, targets
from forum.moderation.choices import CAUSES, REASONS
from forum.moderation.models import Flag, QueueItem
from forum.moderation.sanction_choices import LOG_ACTIONS, TARGET_LABELS
from forum.moderation.targets import Described
from forum.platforms.models import Platform, PlatformRole

PER_PAGE = 25
STATUSES = ("open", "closed")
#: the longest "older than" filter, in hours (a year)
MAX_AGE_HOURS = 24 * 366
#: what became of a queued item, as moderators read it (``Described.status``)
TARGET_STATUSES = {
    "visible": _l("Visible"),
    "held": _l("Awaiting approval"),
    "hidden": _l("Hidden"),
    "rejected": _l("Rejected"),
    "deleted": _l("Deleted"),
}
#: the decisions as moderators and flaggers read them: on items, and on contested sanctions
DECISION_LABELS = LOG_ACTIONS
#: what each type of item is called (others: their code)
TYPE_LABELS = TARGET_LABELS


def open_item(target: Described, cause: str, reason: str | None = None) -> QueueItem:
    """The open queue item of ``target``, created with ``cause`` (flagged, held, contested) when there is none.
    A new item is announced to the queue's live followers once the transaction commits."""
    item = open_item_of(target.type, target.id)
    if item is None:
        item = QueueItem(target_type=target.type, target_id=target.id, cause=cause, reason=reason,
                         platform_id=target.platform.id if target.platform else None, language=target.language)
        db.session.add(item)
        db.session.flush()
        live.item_changed(item)
    return item


def open_item_of(target_type: str, target_id: int) -> QueueItem | None:
    """The open queue item of one target, if there is one."""
    return db.session.scalar(select(QueueItem).where(
        QueueItem.target_type == target_type, QueueItem.target_id == target_id, QueueItem.status == "open"))


def withdraw(target_type: str, target_id: int) -> None:
    """Its author deleted an item that waited for review: its open queue item closes with no decision to take."""
    item = open_item_of(target_type, target_id)
    if item is not None:
        item.status, item.decided_at = "closed", utcnow()
        db.session.flush()
        live.item_changed(item)


def refile(targets: list[tuple[str, int]], platform_id: int) -> None:
    """Items that moved to another platform (a thread and its posts) go to that platform's queue: their open
    queue items and open flags now belong to it, so only its moderators see and decide them."""
    by_type: dict[str, list[int]] = {}
    for type_name, target_id in targets:
        by_type.setdefault(type_name, []).append(target_id)
    for type_name, ids in by_type.items():
        for model in (QueueItem, Flag):
            db.session.execute(update(model).where(
                model.target_type == type_name, model.target_id.in_(ids), model.status == "open",
            ).values(platform_id=platform_id))


def item_for(user: User, item_id: int) -> QueueItem:
    """The queue item ``user`` may open: refused with 404 when there is none or its item is not theirs to see
    (as if it did not exist), 403 when it belongs to a platform they do not moderate."""
    item = item_by_id(item_id)
    if item is None:
        raise ActionRefused(_("Not found."), status=404, code="not_found")
    if not rules.can_see_item(user, item):
        found = targets.load(item.target_type, item.target_id)
        if found is None or not found[0].can_see(user, found[1]):
            raise ActionRefused(_("Not found."), status=404, code="not_found")
        raise ActionRefused(_("Only the moderators of this platform can do this."), status=403, code="forbidden")
    return item


def handled_by(item: QueueItem) -> str:
    """The name shown in "already handled by …"."""
    return item.decided_by.display_name if item.decided_by else _("another moderator")


def already_handled(item: QueueItem) -> ActionRefused:
    """The refusal of an action on an item another moderator decided first (409)."""
    return ActionRefused(_("This item was already handled by %(name)s.", name=handled_by(item)), status=409,
                         code="already_handled")


# --- reading the queue ----------------------------------------------------------------------------------------


@dataclass
class Filters:
    """What a moderator asked the queue for; unknown values are ignored (as on the thread lists)."""

    reason: str | None = None
    language: str | None = None
    #: a platform's slug
    platform: str | None = None
    status: str = "open"
    cause: str | None = None
    #: only items that entered the queue more than this many hours ago
    age: int | None = None
    #: only items in the languages the moderator declared
    mine: bool = False

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> Filters:
        """Read the filters from a query string."""
        age = str(args.get("age") or "").strip()
        slug = str(args.get("platform") or "").strip().lower()
        return cls(
            reason=args.get("reason") if args.get("reason") in REASONS else None,
            language=args.get("language") if args.get("language") in LOCALES else None,
            platform=slug[:60] or None,
            status=args.get("status") if args.get("status") in STATUSES else "open",
            cause=args.get("cause") if args.get("cause") in CAUSES else None,
            age=whole_number(age, maximum=MAX_AGE_HOURS),
            mine=str(args.get("mine", "")).lower() in ("1", "true", "yes", "on"),
        )

    def query_args(self) -> dict:
        """The filters as query-string values (for the pager), leaving out what is not set."""
        values = {"reason": self.reason, "language": self.language, "platform": self.platform,
                  "status": self.status if self.status != "open" else None, "cause": self.cause,
                  "age": self.age, "mine": "1" if self.mine else None}
        return {name: value for name, value in values.items() if value is not None}

    @property
    def narrowed(self) -> bool:
        """Whether anything but the default (open items of every reason, language, cause and age) is asked."""
        return bool(self.reason or self.language or self.cause or self.age or self.mine or self.status != "open")


def queue_query(user: User, filters: Filters, platform: Platform | None = None) -> Select:
    """The queue items ``user`` may see (of one platform, or of all theirs), filtered, oldest first."""
    query = select(QueueItem).where(rules.visible_items(user), QueueItem.status == filters.status)
    if platform is not None:
        query = query.where(QueueItem.platform_id == platform.id)
    elif filters.platform:
        query = query.join(Platform, Platform.id == QueueItem.platform_id).where(Platform.slug == filters.platform)
    if filters.reason:
        query = query.where(QueueItem.reason == filters.reason)
    if filters.language:
        query = query.where(QueueItem.language == filters.language)
    if filters.cause:
        query = query.where(QueueItem.cause == filters.cause)
    if filters.age:
        query = query.where(QueueItem.opened_at <= utcnow() - timedelta(hours=filters.age))
    if filters.mine:
        query = query.where(or_(QueueItem.language.in_(rules.languages_of(user)), QueueItem.language.is_(None)))
    return query.order_by(QueueItem.opened_at, QueueItem.id)


def queue_page(user: User, filters: Filters, platform: Platform | None = None, page: int = 1,
               per_page: int = PER_PAGE):
    """One page of :func:`queue_query`."""
    return db.paginate(queue_query(user, filters, platform), page=page, per_page=per_page, error_out=False,
                       max_per_page=100)


def item_by_id(item_id: int) -> QueueItem | None:
    """A queue item by id (None for ids no integer column holds)."""
    if not 0 < item_id <= MAX_ID:
        return None
    return db.session.get(QueueItem, item_id)


def platforms_of(user: User) -> list[Platform]:
    """The platforms whose queue ``user`` sees, in navigation order (for the platform filter)."""
    query = select(Platform).order_by(Platform.position, Platform.id)
    ids = rules.moderated_platform_ids(user)
    if ids is not None:
        query = query.where(Platform.id.in_(ids))
    return list(db.session.scalars(query))


@dataclass
class Row:
    """A queue item as the queue shows it."""

    item: QueueItem
    #: the flagged (or held, or contested) item; None when it no longer exists
    target: Described | None
    #: flags still open on it
    flags: int = 0
    #: no moderator of its platform reads its language
    unread_language: bool = False
    reasons: dict[str, int] = field(default_factory=dict)


def rows(items: list[QueueItem]) -> list[Row]:
    """Describe queue items for the queue: their targets, open flags and language marks (a constant number of
    queries besides the targets' own)."""
    if not items:
        return []
    counts: dict[tuple[str, int], dict[str, int]] = {}
    found = db.session.execute(
        select(Flag.target_type, Flag.target_id, Flag.reason, func.count()).where(
            Flag.status == "open", Flag.target_id.in_(sorted({i.target_id for i in items})),
            Flag.target_type.in_(sorted({i.target_type for i in items})))
        .group_by(Flag.target_type, Flag.target_id, Flag.reason))
    for target_type, target_id, reason, count in found:
        counts.setdefault((target_type, target_id), {})[reason] = count
    readers = languages_read({item.platform_id for item in items})
    result = []
    for item in items:
        loaded = targets.load(item.target_type, item.target_id)
        reasons = counts.get((item.target_type, item.target_id), {}) if item.status == "open" else {}
        result.append(Row(item=item, target=loaded[0].describe(loaded[1]) if loaded else None,
                          flags=sum(reasons.values()), reasons=reasons,
                          unread_language=bool(item.language) and item.language not in readers[item.platform_id]))
    return result


def languages_read(platform_ids: set[int | None]) -> dict[int | None, set[str]]:
    """For each platform (None: items outside platforms), the languages read by at least one of its moderators:
    the moderators named for it, global moderators and administrators (suspended people do not count)."""
    everywhere: set[str] = set()
    for person in db.session.scalars(select(User).where(User.role.in_(("moderator", "admin")))):
        if not person.is_suspended:
            everywhere.update(rules.languages_of(person))
    result: dict[int | None, set[str]] = {pid: set(everywhere) for pid in platform_ids}
    named = [pid for pid in platform_ids if pid is not None]
    if named:
        people = db.session.execute(
            select(PlatformRole.platform_id, User).join(User, User.id == PlatformRole.user_id)
            .where(PlatformRole.role == "moderator", PlatformRole.platform_id.in_(sorted(named))))
        for platform_id, person in people:
            if not person.is_suspended:
                result[platform_id].update(rules.languages_of(person))
    return result


# --- claiming and languages -----------------------------------------------------------------------------------


def claim(moderator: User, item: QueueItem, *, release: bool = False) -> None:
    """Take an open item ("I am on it"), or give one's claim back. Claiming an item someone else holds, or one
    already decided, is refused with 409 naming them."""
    if not rules.can_see_item(moderator, item):
        raise ActionRefused(_("Only the moderators of this platform can do this."), status=403, code="forbidden")
    condition = [QueueItem.id == item.id, QueueItem.status == "open"]
    if release:
        values = {"claimed_by_id": None, "claimed_at": None}
        condition.append(QueueItem.claimed_by_id == moderator.id)
    else:
        values = {"claimed_by_id": moderator.id, "claimed_at": utcnow()}
        condition.append(or_(QueueItem.claimed_by_id.is_(None), QueueItem.claimed_by_id == moderator.id))
    changed = db.session.execute(update(QueueItem).where(*condition).values(**values),
                                 execution_options={"synchronize_session": False}).rowcount
    db.session.refresh(item)
    if not changed:
        if item.status != "open":
            raise already_handled(item)
        if not release:
            raise ActionRefused(_("%(name)s has already claimed this item.", name=item.claimed_by.display_name
                                  if item.claimed_by else _("another moderator")), status=409, code="claimed")
        return
    live.item_changed(item)


def set_languages(moderator: User, languages: list[str]) -> None:
    """Declare the languages a moderator reads and moderates (at least one)."""
    if not rules.can_use_queue(moderator):
        raise ActionRefused(_("Only moderators declare the languages they moderate."), status=403,
                            code="forbidden")
    if any(code not in LOCALES for code in languages):
        raise ActionRefused(_("Please choose one of the options offered."), field="languages")
    chosen = [code for code in LOCALES if code in languages]
    if not chosen:
        raise ActionRefused(_("Choose at least one language."), field="languages")
    moderator.moderation_languages = ",".join(chosen)
    db.session.flush()
