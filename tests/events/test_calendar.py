"""Calendar files and feeds as calendar applications read them: times in the event's own zone with its
VTIMEZONE, the meeting link only in a confirmed registrant's file, feeds of public events only (all platforms or
one), cancelled events marked as such, and the file attached to the confirmation e-mail."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from forum.core.db import commit
from forum.events import services
from tests.conftest import browser

LINK = "https://meet.example.org/dialogo-privado"


def read(response) -> Calendar:
    """The calendar a response carries (it must be one)."""
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.data)


def entries(calendar: Calendar) -> dict[str, object]:
    """The calendar's events by title."""
    return {str(entry["summary"]): entry for entry in calendar.walk("VEVENT")}


def unfolded(response) -> str:
    """The file's text with folded lines joined again (RFC 5545 folds long lines)."""
    return response.get_data(as_text=True).replace("\r\n ", "")


def test_an_event_file_is_written_in_the_events_own_time_zone(client, organiser, make_event):
    """DTSTART carries TZID=America/Mexico_City, means the stored UTC time, and the VTIMEZONE comes with it; the
    file is offered for download under the event's name."""
    event = make_event(organiser)
    response = client.get(f"/events/{event.id}/event.ics")
    assert response.headers["Content-Disposition"] == f'attachment; filename="event-{event.id}.ics"'
    calendar = read(response)
    [entry] = calendar.walk("VEVENT")
    start = entry["dtstart"]
    assert start.params["TZID"] == "America/Mexico_City"
    assert start.dt == event.starts_at and start.dt.utcoffset() == timedelta(hours=-6)
    assert entry["dtend"].dt == event.ends_at
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["America/Mexico_City"]
    assert str(entry["status"]) == "CONFIRMED" and str(calendar["method"]) == "PUBLISH"
    assert str(entry["url"]).endswith(f"/events/{event.id}")
    assert "DTSTART;TZID=America/Mexico_City:" in unfolded(response)


def test_an_event_in_brussels_keeps_brussels_time(client, english_client, organiser, make_event):
    """A dialogue held at the EU Delegation in Brussels is written in Europe/Brussels, in the reader's
    language."""
    event = make_event(organiser, timezone="Europe/Brussels", title_es="Diálogo en Bruselas",
                       title_en="Dialogue in Brussels", venue_name="Delegación de la UE", city="Bruselas",
                       state="outside")
    calendar = read(english_client.get(f"/events/{event.id}/event.ics"))
    [entry] = calendar.walk("VEVENT")
    assert entry["dtstart"].params["TZID"] == "Europe/Brussels" and entry["dtstart"].dt == event.starts_at
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]
    assert str(entry["summary"]) == "Dialogue in Brussels"
    assert str(entries(read(client.get(f"/events/{event.id}/event.ics")))["Diálogo en Bruselas"]["location"]) \
        .startswith("Delegación de la UE")


def test_the_meeting_link_goes_only_into_a_confirmed_registrants_file(client, organiser, make_event, make_user,
                                                                      register):
    """The public file and the feeds never carry the link; the file a confirmed registrant downloads does."""
    event = make_event(organiser, online_url=LINK, capacity=1)
    holder, waiting = make_user(), make_user()
    register(holder, event)
    register(waiting, event)
    public = client.get(f"/events/{event.id}/event.ics")
    assert "dialogo-privado" not in unfolded(public)
    assert "dialogo-privado" not in unfolded(client.get("/events/calendar.ics"))
    waiting_file = browser(client.application, waiting.email).get(f"/events/{event.id}/event.ics")
    assert "dialogo-privado" not in unfolded(waiting_file)
    own = browser(client.application, holder.email).get(f"/events/{event.id}/event.ics")
    [entry] = read(own).walk("VEVENT")
    assert LINK in str(entry["location"]) and LINK in str(entry["description"])
    assert own.headers["Cache-Control"] == "private, no-store"


def test_the_feeds_list_public_events_only(client, organiser, make_event, make_platform, make_user):
    """The general feed and a public platform's feed list published (and cancelled) public events; drafts and
    members-only events never appear; a members-only or unknown platform has no feed; a cancelled event says
    STATUS:CANCELLED."""
    member = make_user()
    justice = make_platform(slug="justicia", name_es="Justicia", name_en="Justice", members=[organiser])
    closed = make_platform(slug="mesa", visibility="members", members=[organiser, member])
    make_event(organiser, title_es="Diálogo público", platforms=[justice.id])
    make_event(organiser, title_es="Foro sin plataforma")
    make_event(organiser, title_es="Borrador", publish=False)
    make_event(organiser, title_es="Solo miembros", access="members", platforms=[closed.id])
    cancelled = make_event(organiser, title_es="Taller cancelado", platforms=[justice.id])
    services.cancel(organiser, cancelled)
    commit()

    general = entries(read(client.get("/events/calendar.ics")))
    assert set(general) == {"Diálogo público", "Foro sin plataforma", "Taller cancelado"}
    assert str(general["Taller cancelado"]["status"]) == "CANCELLED"
    assert str(general["Diálogo público"]["status"]) == "CONFIRMED"
    # a member's browser gets the same public feed: feeds are for everyone
    member_feed = entries(read(browser(client.application, member.email).get("/events/calendar.ics")))
    assert "Solo miembros" not in member_feed
    platform_feed = read(client.get("/p/justicia/events.ics"))
    assert set(entries(platform_feed)) == {"Diálogo público", "Taller cancelado"}
    assert "Justicia" in str(platform_feed["x-wr-calname"])
    assert client.get("/p/mesa/events.ics").status_code == 404
    assert client.get("/p/nowhere/events.ics").status_code == 404


def test_a_cancelled_events_own_file_cancels_it_in_calendars(client, organiser, make_event):
    """The file of a cancelled event has METHOD:CANCEL and STATUS:CANCELLED with a higher SEQUENCE."""
    event = make_event(organiser)
    before = read(client.get(f"/events/{event.id}/event.ics")).walk("VEVENT")[0]
    services.cancel(organiser, event)
    commit()
    calendar = read(client.get(f"/events/{event.id}/event.ics"))
    [entry] = calendar.walk("VEVENT")
    assert str(calendar["method"]) == "CANCEL" and str(entry["status"]) == "CANCELLED"
    assert str(entry["uid"]) == str(before["uid"]) and int(entry["sequence"]) > int(before["sequence"])


def test_the_confirmation_e_mails_calendar_file_parses(organiser, make_event, make_user, register, outbox):
    """The file attached to the confirmation is a valid calendar in the event's zone, with the meeting link."""
    event = make_event(organiser, online_url=LINK)
    person = make_user(locale="en")
    register(person, event)
    [attachment] = [a for a in outbox(person.email)[-1].attachments if a.filename.endswith(".ics")]
    assert attachment.content_type == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(attachment.data)
    [entry] = calendar.walk("VEVENT")
    assert entry["dtstart"].params["TZID"] == "America/Mexico_City" and entry["dtstart"].dt == event.starts_at
    assert str(entry["summary"]) == "EU–Mexico dialogue on justice" and LINK in str(entry["location"])
    assert calendar.walk("VTIMEZONE")
