"""What the moderation queue announces over the live connection.

Topics: ``moderation:<slug>`` (one platform's queue, its moderators) and ``moderation:all`` (every queue, global
moderators); items outside platforms go to ``moderation:all`` only. Every change of a queue item (it entered the
queue, was flagged again, claimed, or decided) sends ``queue.item`` after the commit, with ``id``, ``platform``,
``cause``, ``reason``, ``language``, ``status``, ``flags``, ``opened_at``, ``claimed_by``, ``decision`` and
``html``: the queue row once per interface language (``{"es": …, "en": …}``). The row holds moderator-only text;
only moderators may follow these topics (:mod:`forum.moderation.sockets`).
"""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from forum.core.realtime import publish
from forum.extensions import db
from forum.i18n import LOCALES
from forum.moderation import queue
from forum.moderation.models import QueueItem
from forum.moderation.rules import ALL_TOPIC


def platform_topic(slug: str) -> str:
    """The live topic of one platform's queue."""
    return f"moderation:{slug}"


def row_fragment(row: queue.Row) -> dict[str, str]:
    """The queue row of an item, once per interface language."""
    fragments = {}
    for locale in LOCALES:
        with force_locale(locale):
            fragments[locale] = render_template("moderation/_queue_row.html", row=row)
    return fragments


def item_payload(item: QueueItem) -> dict:
    """The data of a ``queue.item`` event."""
    row = queue.rows([item])[0]
    return {
        "id": item.id, "platform": item.platform.slug if item.platform else None, "cause": item.cause,
        "reason": item.reason, "language": item.language, "status": item.status, "flags": row.flags,
        "opened_at": item.opened_at.isoformat(),
        "claimed_by": item.claimed_by.display_name if item.claimed_by else None,
        "decision": item.decision, "html": row_fragment(row),
    }


def item_changed(item: QueueItem) -> None:
    """Announce an item's new state to its platform's queue and to the global queue once committed."""
    item_id = item.id
    topics = [ALL_TOPIC]
    if item.platform_id is not None:
        topics.insert(0, platform_topic(item.platform.slug))

    built: list[dict] = []

    def payload() -> dict:
        if not built:  # drawn once for both topics
            fresh = db.session.get(QueueItem, item_id)
            db.session.refresh(fresh)
            built.append(item_payload(fresh))
        return built[0]

    for topic in topics:
        publish(topic, "queue.item", payload)
