"""Registration messages reach a real SMTP server with the calendar file and the check-in QR code."""

from __future__ import annotations

from icalendar import Calendar


def test_confirmation_arrives_with_calendar_file_qr_code_and_cancel_link(app, smtp_server, organiser, make_event,
                                                                         make_user, register):
    app.config["FORUM_SMTP_URL"] = smtp_server.url
    event = make_event(organiser, title_en="Dialogue", online_url="https://meet.example.org/dialogo")
    person = make_user("claire@eu.example", locale="en", sector="international_cooperation")
    code = register(person, event).code

    [message] = [m for m in smtp_server.wait_for(1) if m["To"] == "claire@eu.example"]
    assert message["Subject"] == "Registration confirmed: Dialogue"
    body = message.get_body(("plain",)).get_content()
    assert code in body and "https://meet.example.org/dialogo" in body and "/events/cancel/" in body
    parts = {part.get_filename(): part for part in message.iter_attachments()}
    ics = parts[f"event-{event.id}.ics"]
    assert ics.get_content_type() == "text/calendar"
    content = ics.get_content()
    [entry] = Calendar.from_ical(content if isinstance(content, bytes) else content.encode()).walk("VEVENT")
    assert str(entry["summary"]) == "Dialogue" and "meet.example.org" in str(entry["location"])
    qr = parts[f"check-in-{code}.png"]
    assert qr.get_content_type() == "image/png" and qr.get_content().startswith(b"\x89PNG")


def test_waiting_list_message_has_no_meeting_link(app, smtp_server, organiser, make_event, make_user, register):
    app.config["FORUM_SMTP_URL"] = smtp_server.url
    event = make_event(organiser, capacity=1, online_url="https://meet.example.org/secreto")
    register(make_user(), event)
    waiting = make_user("espera@example.org", locale="en")
    register(waiting, event)
    smtp_server.wait_for(2)
    [message] = [m for m in smtp_server.messages if m["To"] == "espera@example.org"]
    assert message["Subject"].startswith("You are on the waiting list")
    assert "meet.example.org/secreto" not in message.get_body(("plain",)).get_content()
    [ics] = message.iter_attachments()
    assert ics.get_filename() == f"event-{event.id}.ics"
    content = ics.get_content()
    assert "secreto" not in (content.decode() if isinstance(content, bytes) else content)
