"""Events in search: found by their title, description, venue and city, dated by when they start; who finds them
is :func:`forum.events.rules.visible_events` (drafts only for their organisers, members-only events for the
members of their platforms)."""

from __future__ import annotations

from collections.abc import Sequence

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from forum.accounts.models import User
from forum.core.text import plain_text
from forum.events import rules
from forum.events.models import Event, event_platforms
from forum.extensions import db
from forum.i18n import localized
from forum.platforms.models import Platform
from forum.search.kinds import Described, Entry, Kind, Watch, register

LANGUAGES = ("es", "en")


def _texts(event: Event) -> dict[str, str]:
    """Title and body in each language the event is written in; the place goes with each of them."""
    place = "\n".join(part for part in (event.venue_name, event.city) if part)
    texts = {}
    for language in LANGUAGES:
        title = getattr(event, f"title_{language}")
        description = plain_text(getattr(event, f"description_html_{language}"))
        if title or description:
            texts[f"title_{language}"] = title
            texts[f"body_{language}"] = "\n\n".join(part for part in (description, place) if part)
    return texts


def event_entries(ids: Sequence[int]) -> list[Entry]:
    """Events as found, dated by their start."""
    events = db.session.scalars(select(Event).where(Event.id.in_(ids))).all()
    return [Entry(kind="event", object_id=event.id, dated_at=event.starts_at, **_texts(event)) for event in events]


def findable_events(user: User | None, platform: Platform | None) -> Select:
    """Ids of the events ``user`` may see (held on ``platform``)."""
    query = select(Event.id).where(rules.visible_events(user))
    if platform is not None:
        query = query.where(Event.id.in_(select(event_platforms.c.event_id)
                                         .where(event_platforms.c.platform_id == platform.id)))
    return query


def _where(event: Event) -> str:
    """The city it is held in, else its venue, else "Online"."""
    if event.city or event.venue_name:
        return event.city or event.venue_name
    return _("Online") if event.online_url else ""


def describe_events(ids: Sequence[int]) -> dict[int, Described]:
    """Events as results: their title, where they are held, when they start."""
    described = {}
    for event in db.session.scalars(select(Event).where(Event.id.in_(ids))):
        title, language, _fallback = localized(event, "title")
        described[event.id] = Described(title=title, language=language,
                                        url=url_for("events.show", event_id=event.id), context=_where(event),
                                        when=event.starts_at)
    return described


register(Kind(
    name="event", label=_l("Events"), one=_l("Event"), entries=event_entries, every_id=lambda: select(Event.id),
    findable=findable_events, describe=describe_events,
    watches=(Watch(Event, ("title_es", "title_en", "description_html_es", "description_html_en", "venue_name",
                           "city", "starts_at"),
                   lambda event: [("event", event.id)]),)))
