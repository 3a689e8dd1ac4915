"""Live seat counts over Socket.IO ``/live``: following ``event:<id>`` gives the counts now and then after every
registration or cancellation (once committed); drafts and members-only events are refused like missing ones;
malformed payloads get a message; the event page gives the script its words in the reader's language."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, get_translations
from flask_babel import gettext as _

from forum.core.db import commit
from forum.events import registrations
from tests.live import Live

NOT_AVAILABLE = "This topic does not exist or is not available to you."


def refused(message: str, locale: str = "es") -> dict:
    """The refusal a person reading ``locale`` gets."""
    with force_locale(locale):
        return {"ok": False, "error": _(message)}


def test_following_an_event_gives_the_counts_then_every_change(app, organiser, make_event, make_user, register):
    """A visitor on the page gets the counts at once; someone else's registration, a place on the waiting list
    and a cancellation each arrive as ``event.seats`` after the commit."""
    event = make_event(organiser, capacity=2)
    register(make_user(), event)
    live = Live(app)
    assert live.ask("event.subscribe", {"topic": f"event:{event.id}"}) == {"ok": True, "seats_left": 1,
                                                                           "waiting": 0}
    holder = register(make_user(), event)
    assert live.events("event.seats") == [{"event_id": event.id, "seats_left": 0, "waiting": 0}]
    register(make_user(), event)
    assert live.events("event.seats") == [{"event_id": event.id, "seats_left": 0, "waiting": 1}]

    registrations.cancel(holder, by=holder.user)
    assert live.events("event.seats") == []  # nothing before the commit
    commit()
    assert live.events("event.seats") == [{"event_id": event.id, "seats_left": 0, "waiting": 0}]
    assert live.ask("event.unsubscribe", {"topic": f"event:{event.id}"}) == {"ok": True}
    register(make_user(), event)
    assert live.events("event.seats") == []


def test_an_unlimited_event_counts_as_null(app, organiser, make_event):
    """Without a capacity, seats_left is null (the page says "Unlimited seats")."""
    event = make_event(organiser, capacity=None)
    assert Live(app).ask("event.subscribe", {"topic": f"event:{event.id}"}) == {"ok": True, "seats_left": None,
                                                                                "waiting": 0}


def test_drafts_and_members_only_events_are_refused_like_missing_ones(app, organiser, make_event, make_user,
                                                                       make_platform, token_for):
    """The same answer for a draft, a members-only event seen from outside, and an event that does not exist;
    the organiser follows the draft and a member the members-only event."""
    member, outsider = make_user(), make_user(locale="en")
    closed = make_platform(visibility="members", members=[organiser, member])
    draft = make_event(organiser, publish=False)
    members_only = make_event(organiser, access="members", platforms=[closed.id])
    visitor, stranger = Live(app), Live(app, token=token_for(outsider))
    for topic in (f"event:{draft.id}", f"event:{members_only.id}", "event:999999", f"event:{2**31}"):
        assert visitor.ask("event.subscribe", {"topic": topic}) == refused(NOT_AVAILABLE), topic
        assert stranger.ask("event.subscribe", {"topic": topic}) == refused(NOT_AVAILABLE, "en"), topic
    assert Live(app, token=token_for(organiser)).ask("event.subscribe", {"topic": f"event:{draft.id}"})["ok"]
    assert Live(app, token=token_for(member)).ask("event.subscribe", {"topic": f"event:{members_only.id}"})["ok"]


@pytest.mark.parametrize("payload", [
    None, [], "event:1", 5, {}, {"topic": 5}, {"topic": None}, {"topic": "event:abc"}, {"topic": "event:"},
    {"topic": "event:-1"}, {"topic": "event:1 "}, {"topic": "thread:1"}, {"topic": "event:" + "9" * 40},
])
def test_malformed_payloads_get_a_message_and_the_connection_survives(app, organiser, make_event, payload):
    """Each bad payload is answered with ok false and a message; the same connection then works."""
    event = make_event(organiser)
    live = Live(app)
    for name in ("event.subscribe", "event.unsubscribe"):
        answer = live.ask(name, payload)
        assert answer["ok"] is False and answer["error"], (name, answer)
    assert live.connected
    assert live.ask("event.subscribe", {"topic": f"event:{event.id}"})["ok"] is True


def test_the_event_page_gives_the_script_its_words(client, english_client, organiser, make_event):
    """The counts' wording comes from the page, in the reader's language, with ``{n}`` for the number; only a
    published event's page loads the script."""
    event = make_event(organiser)
    page = english_client.get(f"/events/{event.id}").get_data(as_text=True)
    assert 'id="event-seats"' in page and f'data-event-id="{event.id}"' in page and 'data-live="1"' in page
    assert 'data-seats-other="{n} seats left"' in page and 'data-seats-one="1 seat left"' in page
    assert 'data-full="Full — waiting list"' in page and 'data-unlimited="Unlimited seats"' in page
    assert 'data-waiting-other="{n} people on the waiting list"' in page
    assert 'aria-live="polite"' in page and "/static/js/event-seats.js" in page
    with force_locale("es"):
        spanish_words = get_translations().ungettext("%(num)s seat left", "%(num)s seats left", 2) % {"num": "{n}"}
    assert f'data-seats-other="{spanish_words}"' in client.get(f"/events/{event.id}").get_data(as_text=True)
