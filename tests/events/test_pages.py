"""Event pages as people use them, without JavaScript, in both languages: the listing with its tabs, filters and
pages; the event page; drafts and members-only events kept from others; the registration form (seat, waiting
list, approval, questions, refusals that keep what was typed, closed registration, sending twice); the meeting
link shown only to those who hold a seat; cancelling with the button and with the single-use link of the e-mail;
and strange text shown escaped."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from markupsafe import escape
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from forum.accounts.models import Organisation
from forum.core.db import commit, utcnow
from forum.documents import services as document_services
from forum.events import services
from forum.events.models import Registration
from forum.extensions import db
from tests.conftest import Auth, browser, saved
from tests.conftest import spanish_page as _es

SECRET_LINK = "https://meet.example.org/sala-secreta-7731"
CANCEL_LINK = re.compile(r"https?://\S+(/events/cancel/\S+)")


def text(response) -> str:
    """The page's HTML."""
    return response.get_data(as_text=True)


def row(page: str, event) -> str:
    """The listing's row of ``event`` (empty when it is not listed)."""
    found = re.search(rf'<li[^>]*id="event-{event.id}">.*?</li>', page, re.S)
    return found.group(0) if found else ""


def form(**fields) -> dict:
    """A complete registration form as a browser sends it (``None`` leaves a field out, like an unticked box)."""
    data = {"organisation_name": "Red de Mujeres de Oaxaca", "organisation_kind": "cso", "sector": "civil_society",
            "state": "OAX", "position": "Coordinadora", "accessibility_needs": "", "listed": "y"}
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def registration_of(user, event) -> Registration | None:
    """The person's registration as the database has it now."""
    db.session.expire_all()
    return db.session.scalar(select(Registration).where(Registration.event_id == event.id,
                                                        Registration.user_id == user.id))


def move(event, *, days: float) -> None:
    """Shift a published event in time (``days`` < 0: into the past), as if the calendar had moved on."""
    event.starts_at += timedelta(days=days)
    event.ends_at += timedelta(days=days)
    commit()


@pytest.fixture
def rosa(make_user, make_organisation, add_member):
    """Rosa, of a verified civil-society network in Oaxaca (Spanish)."""
    person = make_user("rosa@example.org", display_name="Rosa López", sector="civil_society", state="OAX",
                       position="Coordinadora")
    network = make_organisation(kind="cso", name_es="Red de Mujeres de Oaxaca", name_en="Oaxaca Women's Network",
                                acronym="RMO", state="OAX")
    add_member(person, network)
    return person


@pytest.fixture
def claire(make_user):
    """Claire, of the EU Delegation, reading in English from Brussels."""
    return make_user("claire@eu.example", display_name="Claire Dubois", sector="international_cooperation",
                     state="outside", locale="en", timezone="Europe/Brussels")


def test_the_listing_has_tabs_filters_and_seats_in_both_languages(client, english_client, organiser, make_event,
                                                                   make_user, register, make_platform):
    """Upcoming and past tabs; filters by platform, type, state and mode as a plain GET form; each row with its
    time in the event's zone, place or "Online", platforms and seats; a title in one language only is marked."""
    platform = make_platform(slug="justicia", name_es="Justicia", name_en="Justice", members=[organiser])
    oaxaca = make_event(organiser, title_es="Diálogo en Oaxaca", title_en="Dialogue in Oaxaca",
                        platforms=[platform.id], capacity=1)
    webinar = make_event(organiser, title_es="Seminario web sobre empleo", title_en="", kind="webinar",
                         venue_name="", city="", state=None, online_url="https://meet.example.org/empleo",
                         capacity=None)
    san_luis = make_event(organiser, title_es="Foro en San Luis", title_en="Forum in San Luis", kind="forum",
                          state="SLP", city="San Luis Potosí")
    cancelled = make_event(organiser, title_es="Taller suspendido", title_en="Called-off workshop", kind="workshop")
    services.cancel(organiser, cancelled)
    commit()
    move(make_event(organiser, title_es="Diálogo de 2024", title_en="2024 dialogue"), days=-30)
    full = make_event(organiser, title_es="Lleno", title_en="Full dialogue", capacity=1)
    register(make_user(), full)

    page = text(english_client.get("/events"))
    assert '<html lang="en">' in page and "2024 dialogue" not in page
    assert "Dialogue in Oaxaca" in row(page, oaxaca) and "Justice" in row(page, oaxaca)
    assert "1 seat left" in row(page, oaxaca) and "Casa de la Cultura" in row(page, oaxaca)
    # the event's own zone: 16:00 UTC is 10:00 in Mexico City
    assert "10:00" in row(page, oaxaca) and "(America/Mexico City)" in row(page, oaxaca)
    assert 'lang="es">Seminario web sobre empleo</a>' in row(page, webinar)
    assert "only in Español" in row(page, webinar) and "Webinar" in row(page, webinar)
    assert "· Online" in row(page, webinar) and "Unlimited seats" in row(page, webinar)
    assert "50 seats left" in row(page, san_luis) and "San Luis Potosí" in row(page, san_luis)
    assert "Full — waiting list" in row(page, full)
    assert '<span class="badge warning">Cancelled</span>' in row(page, cancelled)
    assert "seats left" not in row(page, cancelled)
    assert 'href="/events/calendar.ics"' in page
    assert f'<code>{english_client.application.config["FORUM_BASE_URL"]}/events/calendar.ics</code>' in page
    assert 'href="/events/new"' not in page  # visitors do not create events
    spanish = text(client.get("/events"))
    assert '<html lang="es">' in spanish and "Diálogo en Oaxaca" in row(spanish, oaxaca)
    assert "Seminario web sobre empleo" in row(spanish, webinar) and "only in" not in row(spanish, webinar)
    assert "10:00" in row(spanish, oaxaca)

    past = text(english_client.get("/events?when=past"))
    assert "2024 dialogue" in past and "Dialogue in Oaxaca" not in past
    assert 'aria-current="page">Past</a>' in past and '<input type="hidden" name="when" value="past">' in past
    webinars = text(english_client.get("/events?kind=webinar"))
    assert "Seminario web sobre empleo" in webinars and "Forum in San Luis" not in webinars
    online = text(english_client.get("/events?mode=online"))
    assert "Seminario web sobre empleo" in online and "Dialogue in Oaxaca" not in online
    in_person = text(english_client.get("/events?mode=in_person"))
    assert "Seminario web sobre empleo" not in in_person and "Dialogue in Oaxaca" in in_person
    in_san_luis = text(english_client.get("/events?state=SLP"))
    assert "Forum in San Luis" in in_san_luis and "Dialogue in Oaxaca" not in in_san_luis
    justice = text(english_client.get("/events?platform=justicia"))
    assert "Dialogue in Oaxaca" in justice and "Forum in San Luis" not in justice
    assert '<option value="justicia" lang="en" selected>Justice</option>' in justice
    # nonsense in the filters is ignored, never an error
    nonsense = english_client.get("/events?when=later&kind=party&state=XX&mode=teleport&platform=nada&page=x")
    assert nonsense.status_code == 200 and "Forum in San Luis" in text(nonsense)
    assert english_client.get("/events?page=2").status_code == 404
    assert client.get("/events?page=99999999999").status_code == 404

    Auth(client).login(organiser.email)
    assert 'href="/events/new"' in text(client.get("/events"))
    # the navigation and the platform page lead to events and the platform's calendar
    assert 'href="/events"' in spanish
    platform_page = text(client.get("/p/justicia"))
    assert 'href="/events?platform=justicia"' in platform_page and 'href="/p/justicia/events.ics"' in platform_page


def test_the_listing_has_pages_of_twenty(client, organiser, make_event):
    """Twenty events a page; the page after the last answers 404, like the library."""
    for n in range(21):
        make_event(organiser, title_es=f"Evento {n:02d}", title_en=f"Event {n:02d}")
    first, second = text(client.get("/events")), text(client.get("/events?page=2"))
    assert "Evento 00" in first and "Evento 19" in first and "Evento 20" not in first
    assert "Evento 20" in second and 'rel="prev"' in second
    assert client.get("/events?page=3").status_code == 404


def test_the_listing_costs_the_same_queries_for_one_event_or_six(english_client, organiser, make_event, make_user,
                                                                  register, make_platform, count_queries):
    """Seats, platforms and places of every row come from a fixed number of queries."""
    platform = make_platform(members=[organiser])
    register(make_user(), make_event(organiser, platforms=[platform.id]))
    english_client.get("/events")
    with count_queries() as one:
        english_client.get("/events")
    for _n in range(5):
        register(make_user(), make_event(organiser, platforms=[platform.id], capacity=3))
    with count_queries() as six:
        page = text(english_client.get("/events"))
    assert page.count("2 seats left") == 5 and len(six) == len(one)


def test_the_event_page_in_both_languages_and_zones(client, english_client, organiser, make_event, claire,
                                                    make_platform):
    """Title, type, organisers, platforms, time in the event's zone (and the reader's when it differs), venue,
    seats, interpretation, agenda, materials, the description as stored HTML, the calendar file and the
    discussion."""
    platform = make_platform(slug="justicia", name_es="Justicia", name_en="Justice", members=[organiser])
    sre = db.session.scalar(select(Organisation).where(Organisation.acronym == "SRE"))
    event = make_event(organiser, platforms=[platform.id], interpretation=True, capacity=30,
                       description_es="Un **diálogo** abierto.", description_en="An **open** dialogue.",
                       organisations=[sre.id])
    services.add_agenda_item(organiser, event, starts_at=event.starts_at + timedelta(minutes=30),
                             title_es="Apertura", title_en="Opening", speakers="Mtra. Ana Ruiz (SEGOB)")
    document = document_services.upload(organiser, file=FileStorage(io.BytesIO(b"Orden del dia"), "orden.txt"),
                                         platform=None, title_es="Orden del día", title_en="Order of business",
                                         kind="report", language="es")
    services.set_materials(organiser, event, [document.id])
    commit()

    spanish = text(client.get(f"/events/{event.id}"))
    assert '<html lang="es">' in spanish and "Diálogo UE–México sobre justicia" in spanish
    assert "<strong>diálogo</strong>" in spanish
    in_mexico = event.starts_at.astimezone(ZoneInfo("America/Mexico_City"))
    assert format_date(in_mexico, "full", locale="es") in spanish and "10:00" in spanish
    assert "Casa de la Cultura" in spanish and "Apertura" in spanish
    assert f'href="/documents/{document.id}"' in spanish and "Orden del día" in spanish
    assert 'href="/p/justicia"' in spanish and f'href="/events/{event.id}/event.ics"' in spanish
    assert "Secretaría de Relaciones Exteriores" in spanish

    page = text(english_client.get(f"/events/{event.id}"))
    assert "EU–Mexico dialogue on justice" in page and "An <strong>open</strong> dialogue." in page
    assert "Spanish–English interpretation is offered." in page and "Opening" in page and "Ana Ruiz" in page
    assert "30 seats left" in page and "0 people on the waiting list" in page
    assert "In your time zone" not in page  # a visitor reads in the site's zone, Mexico City
    assert "Sign in to register" in page and f"/events/{event.id}/register" in page
    assert "Sign in to see the participants" in page
    assert event.thread is not None and f'href="/t/{event.thread_id}"' in page

    brussels = browser(client.application, claire.email)
    from_brussels = text(brussels.get(f"/events/{event.id}"))
    assert "In your time zone (Europe/Brussels)" in from_brussels
    in_brussels = event.starts_at.astimezone(ZoneInfo("Europe/Brussels"))
    assert in_brussels.strftime("%-I:%M") in from_brussels.split("In your time zone", 1)[1]
    assert "Register for this event" in from_brussels
    assert client.get("/events/999999").status_code == 404
    assert client.get("/events/99999999999").status_code == 404


def test_drafts_are_seen_by_their_organisers_only(client, organiser, make_event, rosa):
    """A draft answers 404 to visitors and other people (page, calendar file, form) and is absent from their
    list; its organiser sees it marked as a draft."""
    draft = make_event(organiser, publish=False, title_es="Borrador reservado", title_en="Reserved draft")
    assert client.get(f"/events/{draft.id}").status_code == 404
    assert client.get(f"/events/{draft.id}/event.ics").status_code == 404
    assert "Borrador reservado" not in text(client.get("/events"))
    assert "Borrador reservado" not in text(client.get("/events/calendar.ics"))
    auth = Auth(client)
    auth.login(rosa.email)
    for path in (f"/events/{draft.id}", f"/events/{draft.id}/event.ics", f"/events/{draft.id}/register"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/events/{draft.id}/register", data=form()).status_code == 404
    assert "Borrador reservado" not in text(client.get("/events"))
    auth.logout()
    organiser_browser = browser(client.application, organiser.email)
    page = text(organiser_browser.get(f"/events/{draft.id}"))
    assert _es("Draft: only the organisers see this event.") in page
    assert f'href="/events/{draft.id}/edit"' in page and f'href="/events/{draft.id}/attendees"' in page
    assert _es("This event is not published yet.") in page
    assert "Borrador reservado" in text(organiser_browser.get("/events"))


def test_members_only_events_stay_with_the_members(client, organiser, make_event, make_platform, make_user):
    """An event for the members of its platforms is invisible (404, absent from lists and feeds) to others."""
    member, outsider = make_user(), make_user()
    closed = make_platform(slug="mesa", name_es="Mesa", name_en="Table", visibility="members",
                           members=[organiser, member])
    event = make_event(organiser, title_es="Mesa cerrada", title_en="Closed table", access="members",
                       platforms=[closed.id])
    assert client.get(f"/events/{event.id}").status_code == 404
    assert "Mesa cerrada" not in text(client.get("/events"))
    assert "Mesa cerrada" not in text(client.get("/events/calendar.ics"))
    assert client.get("/p/mesa/events.ics").status_code == 404
    outsider_browser = browser(client.application, outsider.email)
    assert outsider_browser.get(f"/events/{event.id}").status_code == 404
    assert outsider_browser.get(f"/events/{event.id}/event.ics").status_code == 404
    assert outsider_browser.post(f"/events/{event.id}/register", data=form()).status_code == 404
    assert "Mesa cerrada" not in text(outsider_browser.get("/events?platform=mesa"))
    member_browser = browser(client.application, member.email)
    assert "Mesa cerrada" in text(member_browser.get("/events"))
    assert member_browser.post(f"/events/{event.id}/register", data=form()).status_code == 303
    assert registration_of(member, event).status == "confirmed"


def test_registering_through_the_form_gives_a_seat_and_a_code(client, organiser, make_event, rosa, outbox):
    """The form starts with the profile; sending it gives a seat, the page shows the status, the check-in code and
    its QR code, and the e-mail goes out with the calendar file."""
    event = make_event(organiser, capacity=2)
    auth = Auth(client)
    assert client.get(f"/events/{event.id}/register").status_code == 302  # visitors sign in first
    auth.login(rosa.email)
    page = text(client.get(f"/events/{event.id}/register"))
    assert 'value="Red de Mujeres de Oaxaca"' in page and 'value="Coordinadora"' in page
    assert '<option selected value="civil_society">' in page and '<option selected value="cso">' in page
    assert 'name="interpretation_needed"' not in page  # not offered at this event

    response = client.post(f"/events/{event.id}/register", data=form(position="Directora", listed=None))
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/events/{event.id}")
    registration = registration_of(rosa, event)
    assert registration.status == "confirmed" and registration.position == "Directora" and not registration.listed
    page = text(client.get(f"/events/{event.id}"))
    assert registration.code in page and f'src="/events/{event.id}/registration/qr.svg"' in page
    assert _es("Confirmed") in page
    qr = client.get(f"/events/{event.id}/registration/qr.svg")
    assert qr.status_code == 200 and qr.content_type.startswith("image/svg+xml") and b"<svg" in qr.data
    assert "no-store" in qr.headers["Cache-Control"]
    assert outbox(rosa.email)[-1].attachments[0].filename == f"event-{event.id}.ics"

    auth.logout()
    assert client.get(f"/events/{event.id}/registration/qr.svg").status_code == 404


def test_a_full_event_puts_people_on_the_waiting_list_in_order(client, organiser, make_event, make_user, register):
    """When the seats are taken the form puts people on the waiting list, and each sees their position."""
    event = make_event(organiser, capacity=1)
    register(make_user(), event)
    first, second = make_user(locale="en"), make_user(locale="en")
    for person in (first, second):
        person_browser = browser(client.application, person.email)
        response = person_browser.post(f"/events/{event.id}/register", data=form(), follow_redirects=True)
        assert "you are on the waiting list" in text(response)
        assert registration_of(person, event).status == "waitlisted"
    page = text(browser(client.application, second.email).get(f"/events/{event.id}"))
    assert "You are number 2 on the waiting list" in page and "Full — waiting list" in page
    assert "2 people on the waiting list" in page
    assert "registration/qr.svg" not in page
    assert browser(client.application, first.email).get(f"/events/{event.id}/registration/qr.svg").status_code == 404


def test_approval_by_the_organisers_leaves_the_registration_pending(client, organiser, make_event, rosa):
    """With approval by the organisers the registration waits, and the page says so."""
    event = make_event(organiser, approval="organiser")
    rosa_browser = browser(client.application, rosa.email)
    response = rosa_browser.post(f"/events/{event.id}/register", data=form(), follow_redirects=True)
    assert _es("Your registration is awaiting the organisers' approval. We will tell you by e-mail.") in text(response)
    assert registration_of(rosa, event).status == "pending"
    page = text(rosa_browser.get(f"/events/{event.id}"))
    assert _es("The organisers will accept or decline your registration; we will tell you by e-mail.") in page


@pytest.fixture
def questions(organiser):
    """Adds one question of every kind to an event; returns them by kind."""
    def add(event) -> dict:
        made = {
            "short_text": services.add_question(organiser, event, kind="short_text", label_es="¿Qué institución?",
                                                label_en="Which institution?", required=True),
            "long_text": services.add_question(organiser, event, kind="long_text", label_es="Expectativas",
                                               label_en="Expectations"),
            "single_choice": services.add_question(organiser, event, kind="single_choice",
                                                   label_es="Mesa de trabajo", label_en="Working group",
                                                   options="Justicia | Justice\nSeguridad | Security", required=True),
            "multiple_choice": services.add_question(
                organiser, event, kind="multiple_choice", label_es="", label_en="Topics",
                options="Género | Gender\nEmpleo | Employment\nTransparencia | Transparency"),
            "yes_no": services.add_question(organiser, event, kind="yes_no", label_es="¿Primera vez?",
                                            label_en="First time?", required=True),
        }
        commit()
        return made

    return add


def test_questions_are_asked_checked_and_kept(client, organiser, make_event, rosa, questions):
    """Every kind of question appears in the reader's language; a missing required answer comes back with 422,
    its message next to it and everything typed still there; complete answers are stored."""
    event = make_event(organiser)
    asked = questions(event)
    field = {kind: f"question_{question.id}" for kind, question in asked.items()}
    rosa_browser = browser(client.application, rosa.email)
    page = text(rosa_browser.get(f"/events/{event.id}/register"))
    assert "¿Qué institución?" in page and "Mesa de trabajo" in page and "Seguridad" in page
    assert 'lang="en">Topics' in page and "Transparencia" in page
    assert f'<input id="{field["yes_no"]}-0" name="{field["yes_no"]}" required type="radio" value="yes">' in page

    typed = form(organisation_name="Fiscalía de Oaxaca", **{field["short_text"]: "", field["long_text"]:
                 "Aprender de otras fiscalías", field["single_choice"]: "1", field["yes_no"]: "no"})
    response = rosa_browser.post(f"/events/{event.id}/register", data=typed)
    assert response.status_code == 422
    page = text(response)
    assert f'<p class="error" id="{field["short_text"]}-error">{_es("Please answer this question.")}</p>' in page
    assert 'value="Fiscalía de Oaxaca"' in page and "Aprender de otras fiscalías" in page
    assert f'<input checked id="{field["single_choice"]}-1"' in page
    assert f'<input checked id="{field["yes_no"]}-1"' in page
    assert registration_of(rosa, event) is None

    bad_option = rosa_browser.post(f"/events/{event.id}/register", data={**typed, field["short_text"]: "Fiscalía",
                                                                         field["single_choice"]: "7"})
    assert bad_option.status_code == 422 and _es("Please choose one of the options offered.") in text(bad_option)

    complete = {**typed, field["short_text"]: "Fiscalía General", field["multiple_choice"]: ["0", "2"]}
    assert rosa_browser.post(f"/events/{event.id}/register", data=complete).status_code == 303
    answers = registration_of(rosa, event).answers
    assert answers == {str(asked["short_text"].id): "Fiscalía General",
                       str(asked["long_text"].id): "Aprender de otras fiscalías",
                       str(asked["single_choice"].id): 1, str(asked["multiple_choice"].id): [0, 2],
                       str(asked["yes_no"].id): False}


@pytest.mark.parametrize("situation, reason", [
    ("closed", "The organisers have closed registration."),
    ("started", "This event has already started; registration is closed."),
    ("cancelled", "This event has been cancelled."),
    ("not_yet", "Registration opens on"),
])
def test_closed_registration_says_why(client, organiser, make_event, claire, situation, reason):
    """The event page and the form explain why nobody may register; sending the form anyway gives 409."""
    event = make_event(organiser)
    if situation == "closed":
        services.set_registration_closed(organiser, event, True)
    elif situation == "started":
        event.starts_at = utcnow() - timedelta(minutes=5)
    elif situation == "cancelled":
        services.cancel(organiser, event)
    else:
        services.update(organiser, event, registration_opens_at=utcnow() + timedelta(hours=3))
    commit()
    claire_browser = browser(client.application, claire.email)
    assert reason in text(claire_browser.get(f"/events/{event.id}"))
    page = claire_browser.get(f"/events/{event.id}/register")
    assert page.status_code == 200 and reason in text(page) and 'name="sector"' not in text(page)
    refused = claire_browser.post(f"/events/{event.id}/register", data=form())
    assert refused.status_code == 409 and reason in text(refused)
    assert registration_of(claire, event) is None


def test_sending_the_form_twice_gives_one_registration(client, organiser, make_event, rosa):
    """A double click (or the back button and send again) keeps one registration and says so."""
    event = make_event(organiser)
    rosa_browser = browser(client.application, rosa.email)
    assert rosa_browser.post(f"/events/{event.id}/register", data=form()).status_code == 303
    again = rosa_browser.post(f"/events/{event.id}/register", data=form(), follow_redirects=True)
    assert _es("You are already registered for this event.") in text(again)
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1


def test_the_meeting_link_is_for_confirmed_registrants_and_organisers_only(client, organiser, make_event, make_user,
                                                                           register):
    """The link appears on the page and in the calendar file of the confirmed registrant and the organiser;
    never for someone on the waiting list, another person or a visitor."""
    event = make_event(organiser, capacity=1, online_url=SECRET_LINK)
    holder, waiting, other = make_user(), make_user(), make_user()
    register(holder, event)
    register(waiting, event)
    app = client.application
    for person, sees in ((holder, True), (organiser, True), (waiting, False), (other, False), (None, False)):
        person_browser = browser(app, person.email if person else None)
        page = text(person_browser.get(f"/events/{event.id}"))
        calendar_file = person_browser.get(f"/events/{event.id}/event.ics")
        assert (SECRET_LINK in page) is sees, person
        assert ("sala-secreta-7731" in calendar_file.get_data(as_text=True).replace("\r\n ", "")) is sees, person
        assert ("no-store" in calendar_file.headers.get("Cache-Control", "")) is sees
    assert "sala-secreta" not in text(client.get("/events/calendar.ics"))


def test_cancelling_with_the_button_frees_the_seat(client, organiser, make_event, make_user, register, outbox):
    """The person's own cancel button cancels and the first on the waiting list gets the seat; nobody cancels
    someone else's registration; visitors are sent to sign in."""
    event = make_event(organiser, capacity=1)
    holder, waiting, other = make_user(locale="en"), make_user(), make_user()
    register(holder, event)
    register(waiting, event)
    assert client.post(f"/events/{event.id}/cancel-registration", data={}).status_code == 302
    other_browser = browser(client.application, other.email)
    assert other_browser.post(f"/events/{event.id}/cancel-registration", data={}).status_code == 404
    holder_browser = browser(client.application, holder.email)
    page = text(holder_browser.get(f"/events/{event.id}"))
    assert f'action="/events/{event.id}/cancel-registration"' in page
    response = holder_browser.post(f"/events/{event.id}/cancel-registration", data={}, follow_redirects=True)
    assert "Your registration has been cancelled." in text(response)
    assert "Register for this event" in text(response) and "You cancelled your registration" in text(response)
    assert registration_of(holder, event).status == "cancelled"
    assert registration_of(waiting, event).status == "confirmed"
    assert holder_browser.post(f"/events/{event.id}/cancel-registration", data={}).status_code == 404
    assert len(outbox(waiting.email)) == 2  # on the waiting list, then the seat


def test_the_cancellation_link_asks_first_and_works_once(client, english_client, organiser, make_event, claire,
                                                         register, outbox):
    """The link of the e-mail shows a page with a button (opening it cancels nothing); the button cancels without
    signing in; the link then, or altered, is refused with 400 and a clear message."""
    event = make_event(organiser)
    registration = register(claire, event)
    [path] = CANCEL_LINK.findall(outbox(claire.email)[-1].body)
    page = english_client.get(path)
    assert page.status_code == 200
    assert "EU–Mexico dialogue on justice" in text(page) and "Claire Dubois" in text(page)
    assert saved(registration).status == "confirmed"
    done = english_client.post(path, data={})
    assert done.status_code == 200 and "has been cancelled" in text(done)
    assert saved(registration).status == "cancelled"
    for used in (english_client.get(path), english_client.post(path, data={})):
        assert used.status_code == 400 and "already been used" in text(used)
    register(claire, event)  # registering again makes a new link; the old one stays dead
    assert english_client.post(path, data={}).status_code == 400
    [new_path] = CANCEL_LINK.findall(outbox(claire.email)[-1].body)
    altered = new_path[:-3] + ("aaa" if not new_path.endswith("aaa") else "bbb")
    refused = english_client.post(altered, data={})
    assert refused.status_code == 400 and "invalid or has expired" in text(refused)
    assert saved(registration).status == "confirmed"
    assert english_client.get("/events/cancel/nonsense").status_code == 400


def test_strange_text_is_shown_escaped(client, organiser, make_event, make_user, questions):
    """A script in an organisation name, a name or an answer is shown as text, never run."""
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    event = make_event(organiser)
    asked = questions(event)
    person = make_user(display_name='Ana "<b>" Díaz')
    person_browser = browser(client.application, person.email)
    typed = form(organisation_name=payload, **{f"question_{asked['short_text'].id}": "",
                                               f"question_{asked['long_text'].id}": payload})
    refused = text(person_browser.post(f"/events/{event.id}/register", data=typed))
    assert f'value="{escape(payload)}"' in refused and f"{escape(payload)}</textarea>" in refused
    assert "<script>alert" not in refused and "<img src=x" not in refused
    complete = {**typed, f"question_{asked['short_text'].id}": payload,
                f"question_{asked['single_choice'].id}": "0", f"question_{asked['yes_no'].id}": "yes"}
    assert person_browser.post(f"/events/{event.id}/register", data=complete).status_code == 303
    listed = text(browser(client.application, organiser.email).get(f"/events/{event.id}"))
    assert "&lt;script&gt;alert" in listed and payload not in listed
    assert str(escape('Ana "<b>" Díaz')) in listed and "<b>" not in listed


def test_participants_are_listed_only_with_consent_and_only_to_signed_in_readers(client, organiser, make_event,
                                                                                  make_user, register):
    """Name and organisation of those who agreed; nothing about the others; visitors see no names."""
    event = make_event(organiser)
    register(make_user(display_name="Lucía Pública"), event, listed=True, organisation_name="Colectivo Norte")
    register(make_user(display_name="Pedro Reservado"), event, listed=False)
    assert "Lucía Pública" not in text(client.get(f"/events/{event.id}"))
    page = text(browser(client.application, make_user().email).get(f"/events/{event.id}"))
    assert "Lucía Pública" in page and "Colectivo Norte" in page and "Pedro Reservado" not in page
