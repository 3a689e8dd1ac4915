"""The organisers' pages for setting an event up, as organisers use them without JavaScript, in both languages:
creating (officials; representatives for their own organisation only; others refused), refusals that keep what
was typed (times, links, time zones, capacities, titles), escaping, editing (capacity against confirmed seats,
promotion from the waiting list, registrants told of a new time), publishing (the discussion thread opens),
cancelling (with confirmation; registrants told), closing registration, the agenda, questions, seat quotas and
materials, and other people's events and ids answering 404 or 403."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from forum.core.db import commit
from forum.core.times import local_input
from forum.documents import services as document_services
from forum.events import registrations, services
from forum.events.models import Event, Registration
from forum.extensions import db
from forum.platforms import rules as platform_rules
from forum.threads.models import Thread
from tests.conftest import Auth, browser, saved
from tests.conftest import spanish_page as _es

MEXICO = ZoneInfo("America/Mexico_City")
ORGANISER = "organiser@sre.gob.mx"


def _es_plural(singular: str, plural: str, num: int, **values) -> str:
    with force_locale("es"):
        return str(escape(ngettext(singular, plural, num, **values)))


def text(response) -> str:
    """The page's HTML."""
    return response.get_data(as_text=True)


def local(days: int = 2, hour: int = 10, minute: int = 0) -> str:
    """A time in Mexico City as a ``datetime-local`` field holds it."""
    moment = (datetime.now(MEXICO) + timedelta(days=days)).replace(hour=hour, minute=minute)
    return moment.strftime("%Y-%m-%dT%H:%M")


def new_event(**fields) -> dict:
    """A complete new-event form as a browser sends it (``None`` leaves a field out, like an unticked box)."""
    data = {"title_es": "Diálogo sobre empleo juvenil", "title_en": "Dialogue on youth employment",
            "description_es": "Un **diálogo** abierto.", "description_en": "", "kind": "dialogue",
            "access": "public", "venue_name": "Casa de la Cultura", "venue_address": "Calle Macedonio Alcalá 1",
            "city": "Oaxaca de Juárez", "state": "OAX", "online_url": "", "starts_at": local(hour=10),
            "ends_at": local(hour=13), "timezone": "America/Mexico_City", "capacity": "40",
            "registration_opens_at": "", "registration_closes_at": "", "approval": "automatic",
            "retention_months": "12", "platforms": [], "organisations": []}
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def form_of(event: Event, **changes) -> dict:
    """The edit form of ``event`` as the page fills it in, with ``changes``."""
    event = saved(event)
    zone = event.timezone
    data = {name: getattr(event, name) or "" for name in (
        "title_es", "title_en", "description_es", "description_en", "kind", "access", "venue_name",
        "venue_address", "city", "state", "online_url", "timezone", "approval")}
    data.update({name: local_input(getattr(event, name), zone) for name in (
        "starts_at", "ends_at", "registration_opens_at", "registration_closes_at")})
    data.update(capacity=str(event.capacity or ""), retention_months=str(event.retention_months),
                platforms=[str(p.id) for p in event.platforms],
                organisations=[str(o.id) for o in event.organisations])
    if event.interpretation:
        data["interpretation"] = "y"
    data.update(changes)
    return data


def sre(organiser):
    """The organiser's own agency."""
    return organiser.memberships[0].organisation


@pytest.fixture
def platform(make_platform, organiser):
    """A public platform the organiser belongs to."""
    return make_platform(slug="empleo", name_es="Empleo", name_en="Employment", members=[organiser])


@pytest.fixture
def signed_in(client, organiser):
    """The organiser's browser (Spanish, their language)."""
    Auth(client).login(ORGANISER)
    return client


def event_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Event))


def test_an_official_creates_a_draft_then_publishes_it_and_its_thread_opens(signed_in, organiser, platform):
    """The form offers the platforms and organisations the official may choose; saving leaves a draft seen only
    by its organisers (times read in the event's zone, description rendered from Markdown); publishing shows it
    and opens its discussion thread on the platform."""
    page = text(signed_in.get("/events/new"))
    assert '<html lang="es">' in page and 'type="datetime-local"' in page
    assert f'value="{platform.id}"' in page and "Empleo" in page
    # the organiser's own agency comes ticked
    assert re.search(rf'<input checked[^>]*value="{sre(organiser).id}"|value="{sre(organiser).id}"[^>]*checked', page)

    start = local(hour=10)
    response = signed_in.post("/events/new", data=new_event(starts_at=start, platforms=[str(platform.id)],
                                                            organisations=[str(sre(organiser).id)]))
    assert response.status_code == 303
    event = db.session.scalar(select(Event))
    assert response.headers["Location"] == f"/events/{event.id}/edit"
    assert event.status == "draft" and event.organiser_id == organiser.id and event.capacity == 40
    assert event.starts_at.astimezone(MEXICO).strftime("%Y-%m-%dT%H:%M") == start
    assert "<strong>diálogo</strong>" in event.description_html_es
    assert [p.slug for p in event.platforms] == ["empleo"] and event.organisations == [sre(organiser)]
    edit_page = text(signed_in.get(f"/events/{event.id}/edit"))
    assert f'value="{start}"' in edit_page and "Diálogo sobre empleo juvenil" in edit_page
    assert f'action="/events/{event.id}/publish"' in edit_page
    assert browser(signed_in.application).get(f"/events/{event.id}").status_code == 404

    published = signed_in.post(f"/events/{event.id}/publish", data={})
    assert published.status_code == 303 and published.headers["Location"] == f"/events/{event.id}"
    event = saved(event)
    assert event.status == "published" and event.thread_id is not None
    thread = db.session.get(Thread, event.thread_id)
    assert thread.platform_id == platform.id and thread.title == "Evento: Diálogo sobre empleo juvenil"
    assert browser(signed_in.application).get(f"/events/{event.id}").status_code == 200
    assert signed_in.post(f"/events/{event.id}/publish", data={}).status_code == 409


def test_representatives_create_events_for_their_own_organisation_only(client, make_user, make_organisation,
                                                                        add_member):
    """A representative of a verified organisation is offered only it and must name it; a plain member, a
    participant and visitors may not create events."""
    network = make_organisation(kind="cso", name_es="Red Juvenil de Oaxaca", name_en="Oaxaca Youth Network",
                                acronym="RJO")
    other = make_organisation(kind="cso", name_es="Colectivo Ajeno", name_en="Other Collective", acronym="CAJ")
    representative = make_user("rep@example.org", display_name="Rita Representante")
    add_member(representative, network, representative=True)
    member = make_user("member@example.org")
    add_member(member, network)
    make_user("nobody@example.org")

    assert client.get("/events/new").status_code == 302  # visitors are sent to sign in
    assert "/login" in client.get("/events/new").headers["Location"]
    Auth(client).login("rep@example.org")
    page = text(client.get("/events/new"))
    assert "Red Juvenil de Oaxaca (RJO)" in page and "Colectivo Ajeno" not in page

    refused = client.post("/events/new", data=new_event(title_es="Foro de la red", organisations=[str(other.id)]))
    assert refused.status_code == 422
    assert _es("You can only name verified organisations you may act for.") in text(refused)
    assert 'value="Foro de la red"' in text(refused)
    unnamed = client.post("/events/new", data=new_event(title_es="Foro de la red"))
    assert unnamed.status_code == 422 and _es("Name your organisation among the organisers.") in text(unnamed)
    assert event_count() == 0

    assert client.post("/events/new", data=new_event(organisations=[str(network.id)])).status_code == 303
    assert db.session.scalar(select(Event)).organisations == [network]

    for email in ("member@example.org", "nobody@example.org"):
        other_browser = browser(client.application, email)
        assert other_browser.get("/events/new").status_code == 403
        assert other_browser.post("/events/new", data=new_event()).status_code == 403
    assert event_count() == 1


@pytest.mark.parametrize(("fields", "message"), [
    ({"ends_at": local(hour=9)}, "The event must end after it starts."),
    ({"online_url": "javascript:alert(1)"}, "Give the full address of the meeting, starting with https://."),
    ({"timezone": "Mars/Olympus_Mons"}, "Please choose one of the options offered."),
    ({"capacity": "0"}, "Please give a whole number between 1 and %(max)d."),
    ({"capacity": "abc"}, "Please give a whole number between 1 and %(max)d."),
    ({"capacity": "99999999999999999999999"}, "Please give a whole number between 1 and %(max)d."),
    ({"starts_at": "mañana a las diez"}, "Please give a date and time such as 2026-12-01 10:00."),
    ({"title_es": "", "title_en": ""}, "Give a title in Spanish, in English or in both."),
    ({"kind": "fiesta"}, "Please choose one of the options offered."),
    ({"venue_name": "", "city": "", "online_url": ""},
     "Give a venue (its name or city), an online meeting link, or both."),
    ({"registration_closes_at": local(days=3)}, "Registration must close before the event starts."),
])
def test_invalid_input_is_refused_and_what_was_typed_is_kept(signed_in, organiser, fields, message):
    """Each mistake is explained next to its field (422) and nothing is saved; every value typed stays."""
    typed = new_event(**{"title_en": "Kept title", "organisations": [str(sre(organiser).id)], **fields})
    response = signed_in.post("/events/new", data=typed)
    page = text(response)
    assert response.status_code == 422
    assert _es(message, max=100_000) in page
    assert 'class="error"' in page and "error-summary" in page
    for name in ("online_url", "capacity", "starts_at", "title_en"):
        if typed.get(name):
            assert f'value="{escape(typed[name])}"' in page
    assert event_count() == 0


def test_titles_are_escaped_everywhere(signed_in, organiser, english_client, make_user):
    """A script in a title is shown as text on the organisers' pages and the event page."""
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = signed_in.post("/events/new", data=new_event(title_es=attack, title_en=attack,
                                                            organisations=[str(sre(organiser).id)]))
    event = db.session.scalar(select(Event))
    assert response.status_code == 303
    signed_in.post(f"/events/{event.id}/publish", data={})
    for path in (f"/events/{event.id}/edit", f"/events/{event.id}/agenda", f"/events/{event.id}/attendees",
                 f"/events/{event.id}"):
        page = text(signed_in.get(path))
        assert "<script>alert" not in page and "<img src=x" not in page, path
        assert "&lt;script&gt;alert(" in page, path


def test_capacity_cannot_go_below_the_confirmed_seats_and_more_seats_promote_the_waiting_list(
        signed_in, organiser, make_event, make_user, register, outbox):
    """Lowering the capacity below the seats held is refused with the number of people; raising it gives the
    new seats to the waiting list at once, and the person promoted is told."""
    event = make_event(organiser, capacity=2)
    first, second, third = make_user(), make_user(), make_user()
    for person in (first, second, third):
        register(person, event)
    assert registrations.waiting_count(event) == 1

    refused = signed_in.post(f"/events/{event.id}/edit", data=form_of(event, capacity="1"))
    assert refused.status_code == 409
    assert _es_plural("%(num)d person already holds a seat: the capacity cannot be lower.",
                      "%(num)d people already hold a seat: the capacity cannot be lower.", 2) in text(refused)
    assert 'value="1"' in text(refused) and saved(event).capacity == 2

    raised = signed_in.post(f"/events/{event.id}/edit", data=form_of(event, capacity="3"))
    assert raised.status_code == 303
    assert saved(event).capacity == 3
    waiting = db.session.scalar(select(Registration).where(Registration.user_id == third.id))
    assert waiting.status == "confirmed"
    with force_locale("es"):
        assert outbox(third.email)[-1].subject == _("A seat is yours: %(title)s", title=event.title_es)


def test_a_new_time_tells_everyone_registered_in_their_language(signed_in, organiser, make_event, make_user,
                                                                register, outbox):
    """Changing the time of a published event e-mails every registrant ("changed", with a new calendar file);
    changing only the title e-mails nobody."""
    event = make_event(organiser)
    start = event.starts_at
    rosa, claire = make_user(locale="es"), make_user(locale="en")
    register(rosa, event)
    register(claire, event)
    before = len(outbox())

    retitled = signed_in.post(f"/events/{event.id}/edit", data=form_of(event, title_en="EU–Mexico justice talks"))
    assert retitled.status_code == 303 and len(outbox()) == before
    later = (event.starts_at + timedelta(hours=1)).astimezone(MEXICO).strftime("%Y-%m-%dT%H:%M")
    ends = (event.ends_at + timedelta(hours=1)).astimezone(MEXICO).strftime("%Y-%m-%dT%H:%M")
    moved = signed_in.post(f"/events/{event.id}/edit", data=form_of(event, starts_at=later, ends_at=ends),
                           follow_redirects=True)
    assert _es("Your changes have been saved and everyone registered has been told.") in text(moved)
    assert saved(event).starts_at == start + timedelta(hours=1) and saved(event).sequence == 1
    with force_locale("es"):
        assert outbox(rosa.email)[-1].subject == _("Event changed: %(title)s", title=event.title_es)
    with force_locale("en"):
        assert outbox(claire.email)[-1].subject == _("Event changed: %(title)s", title="EU–Mexico justice talks")
    assert outbox(claire.email)[-1].attachments[0].filename.endswith(".ics")


def test_cancelling_needs_a_confirmation_and_tells_the_registrants(signed_in, organiser, make_event, make_user,
                                                                   register, outbox):
    """Without the box ticked nothing happens (422, explained); with it the event is cancelled, everyone
    registered is told, and the event can no longer be edited."""
    event = make_event(organiser)
    person = make_user()
    register(person, event)
    unconfirmed = signed_in.post(f"/events/{event.id}/cancel", data={})
    assert unconfirmed.status_code == 422 and _es("Please tick the box to confirm.") in text(unconfirmed)
    assert 'value="Diálogo UE–México sobre justicia"' in text(unconfirmed)  # the edit form shows the event
    assert saved(event).status == "published"

    cancelled = signed_in.post(f"/events/{event.id}/cancel", data={"confirm": "y"}, follow_redirects=True)
    assert cancelled.request.path == f"/events/{event.id}"
    assert _es_plural("The event has been cancelled and %(num)d person registered has been told.",
                      "The event has been cancelled and %(num)d people registered have been told.", 1) \
        in text(cancelled)
    assert saved(event).status == "cancelled"
    with force_locale("es"):
        assert outbox(person.email)[-1].subject == _("Event cancelled: %(title)s", title=event.title_es)
    edit_page = text(signed_in.get(f"/events/{event.id}/edit"))
    assert _es("A cancelled event can no longer be changed.") in edit_page and 'name="title_es"' not in edit_page
    assert signed_in.post(f"/events/{event.id}/edit", data=form_of(event)).status_code == 409
    assert signed_in.post(f"/events/{event.id}/cancel", data={"confirm": "y"}).status_code == 409


def test_registration_is_closed_and_opened_by_hand(signed_in, organiser, make_event, make_user):
    """The organisers close registration (people are told why on the form) and open it again."""
    event = make_event(organiser)
    person = make_user("persona@example.org")
    closed = signed_in.post(f"/events/{event.id}/registration-state", data={"closed": "1"}, follow_redirects=True)
    assert _es("Registration is closed.") in text(closed) and saved(event).registration_closed
    assert _es("Open registration") in text(closed)
    visitor = browser(signed_in.application, person.email)
    assert _es("The organisers have closed registration.") in text(visitor.get(f"/events/{event.id}/register"))
    opened = signed_in.post(f"/events/{event.id}/registration-state", data={"closed": "0"}, follow_redirects=True)
    assert _es("Registration is open again.") in text(opened) and not saved(event).registration_closed


def test_the_agenda_adds_and_removes_items_in_the_event_time_zone(signed_in, organiser, make_event):
    """Items are read in the event's zone and shown on the event page; an item ending before it starts is
    refused (kept); items of other events cannot be removed through this one."""
    event = make_event(organiser)
    other = make_event(organiser, title_es="Otro evento")
    start = event.starts_at.astimezone(MEXICO)
    page = text(signed_in.get(f"/events/{event.id}/agenda"))
    assert f'value="{start:%Y-%m-%dT%H:%M}"' in page and _es("The agenda is empty.") in page

    item = {"starts_at": f"{start:%Y-%m-%d}T10:30", "ends_at": f"{start:%Y-%m-%d}T11:15",
            "title_es": "Mesa sobre intérpretes en fiscalías", "title_en": "Interpreters in prosecutors' offices",
            "speakers": "Mtra. Ana Ruiz (SEGOB)"}
    assert signed_in.post(f"/events/{event.id}/agenda", data=item).status_code == 303
    added = saved(event).agenda[0]
    assert added.starts_at.astimezone(MEXICO).strftime("%H:%M") == "10:30"
    page = text(signed_in.get(f"/events/{event.id}/agenda"))
    assert "Mesa sobre intérpretes en fiscalías" in page and "Mtra. Ana Ruiz (SEGOB)" in page
    assert "Mesa sobre intérpretes en fiscalías" in text(signed_in.get(f"/events/{event.id}"))

    backwards = signed_in.post(f"/events/{event.id}/agenda",
                               data={**item, "title_es": "Al revés", "ends_at": f"{start:%Y-%m-%d}T09:00"})
    assert backwards.status_code == 422 and _es("The item must end after it starts.") in text(backwards)
    assert 'value="Al revés"' in text(backwards)
    untitled = signed_in.post(f"/events/{event.id}/agenda", data={**item, "title_es": "", "title_en": ""})
    assert untitled.status_code == 422

    services.add_agenda_item(organiser, other, starts_at=other.starts_at, title_es="Del otro evento")
    commit()
    foreign = saved(other).agenda[0]
    assert signed_in.post(f"/events/{event.id}/agenda/{foreign.id}/delete", data={}).status_code == 404
    assert signed_in.post(f"/events/{event.id}/agenda/999999/delete", data={}).status_code == 404
    removed = signed_in.post(f"/events/{event.id}/agenda/{added.id}/delete", data={}, follow_redirects=True)
    assert _es("The item has been removed from the agenda.") in text(removed)
    assert saved(event).agenda == [] and len(saved(other).agenda) == 1


def test_registration_questions_are_added_and_removed(signed_in, organiser, make_event, make_user):
    """A choice question with "Spanish | English" options appears on the registration form; one option only is
    refused; removing it takes it off the form; another event's question answers 404."""
    event = make_event(organiser)
    other = make_event(organiser, title_es="Otro evento")
    question = {"kind": "single_choice", "label_es": "¿Necesita hospedaje?", "label_en": "Do you need lodging?",
                "options": "Sí | Yes\nNo | No\n\n", "required": "y"}
    assert signed_in.post(f"/events/{event.id}/questions", data=question).status_code == 303
    added = saved(event).questions[0]
    assert added.options == [{"es": "Sí", "en": "Yes"}, {"es": "No", "en": "No"}] and added.required
    page = text(signed_in.get(f"/events/{event.id}/questions"))
    assert "¿Necesita hospedaje?" in page and "Sí" in page

    person = browser(signed_in.application, make_user(locale="en").email)
    assert "Do you need lodging?" in text(person.get(f"/events/{event.id}/register"))

    one = signed_in.post(f"/events/{event.id}/questions", data={**question, "label_es": "Una sola",
                                                                 "options": "Sí | Yes"})
    assert one.status_code == 422
    assert _es("A choice question needs between 2 and %(max)d options.", max=30) in text(one)
    assert 'value="Una sola"' in text(one) and "Sí | Yes" in text(one)
    assert signed_in.post(f"/events/{event.id}/questions", data={**question, "kind": "poll"}).status_code == 422

    services.add_question(organiser, other, kind="short_text", label_es="Otra")
    commit()
    assert signed_in.post(f"/events/{event.id}/questions/{saved(other).questions[0].id}/delete",
                          data={}).status_code == 404
    assert signed_in.post(f"/events/{event.id}/questions/{added.id}/delete", data={}).status_code == 303
    assert saved(event).questions == []
    assert "Do you need lodging?" not in text(person.get(f"/events/{event.id}/register"))


def test_seat_quotas_are_explained_and_hold_for_registrations(client, organiser, make_event, make_user, register):
    """The page says in plain words what each quota does; a sector's maximum sends its extra people to the
    waiting list; mistakes are refused; removing the quota moves the waiting list up."""
    organiser.locale = "en"
    commit()
    Auth(client).login(ORGANISER)
    event = make_event(organiser, capacity=10)
    assert client.post(f"/events/{event.id}/quotas", data={"sector": "federal_government", "maximum": "1"}
                       ).status_code == 303
    until = local(days=1, hour=9)
    assert client.post(f"/events/{event.id}/quotas", data={"sector": "civil_society", "reserved": "3",
                                                           "reserved_until": until}).status_code == 303
    page = text(client.get(f"/events/{event.id}/quotas"))
    assert '<html lang="en">' in page
    assert "At most 1 seat for Federal government." in page
    assert re.search(r"3 seats kept for Civil-society organisation until [^<]*9:00", page)

    officials = [make_user(sector="federal_government") for _ in range(2)]
    assert [register(p, event).status for p in officials] == ["confirmed", "waitlisted"]
    assert "1 person of this sector holds a seat." in text(client.get(f"/events/{event.id}/quotas"))

    no_sector = client.post(f"/events/{event.id}/quotas", data={"sector": "", "maximum": "2"})
    assert no_sector.status_code == 422 and "Please choose one of the options offered." in text(no_sector)
    nothing = client.post(f"/events/{event.id}/quotas", data={"sector": "academia"})
    assert nothing.status_code == 422 and "Give a maximum, seats to keep, or both." in text(nothing)
    too_many = client.post(f"/events/{event.id}/quotas", data={"sector": "academia", "reserved": "8"})
    assert too_many.status_code == 422 and "More seats would be kept than the event has." in text(too_many)
    unlimited = make_event(organiser, capacity=None)
    refused = client.post(f"/events/{unlimited.id}/quotas", data={"sector": "academia", "reserved": "2"})
    assert refused.status_code == 422
    assert "Seats can only be kept for a sector when the event has a capacity." in text(refused)

    assert client.post(f"/events/{event.id}/quotas/academia/delete", data={}).status_code == 404
    assert client.post(f"/events/{event.id}/quotas/federal_government/delete", data={}).status_code == 303
    assert db.session.scalar(select(Registration.status).where(Registration.user_id == officials[1].id)) \
        == "confirmed"


def test_materials_link_documents_the_organiser_can_see(signed_in, organiser, make_event, make_user,
                                                        make_organisation, add_member):
    """The page offers library documents the organiser may see; ticked ones appear on the event page; a
    document they may not see is refused; unticking all unlinks them."""
    event = make_event(organiser)
    report = document_services.upload(organiser, file=FileStorage(io.BytesIO(b"Informe"), filename="informe.txt"),
                                      platform=None, title_es="Informe sobre empleo juvenil", title_en="",
                                      kind="report", language="es", access="public")
    outsider = make_user("ajena@example.org")
    add_member(outsider, make_organisation(kind="cso", name_es="Colectivo", name_en="Collective"))
    platform_rules.forget_access()
    secret = document_services.upload(outsider, file=FileStorage(io.BytesIO(b"Secreto"), filename="s.txt"),
                                      platform=None, title_es="Minuta interna", title_en="", kind="minutes",
                                      language="es", access="organisation")
    commit()
    page = text(signed_in.get(f"/events/{event.id}/materials"))
    assert "Informe sobre empleo juvenil" in page and "Minuta interna" not in page

    assert signed_in.post(f"/events/{event.id}/materials", data={"documents": [str(report.id)]}).status_code == 303
    assert "Informe sobre empleo juvenil" in text(signed_in.get(f"/events/{event.id}"))
    assert re.search(rf'<input checked[^>]*value="{report.id}"', text(signed_in.get(f"/events/{event.id}/materials")))
    refused = signed_in.post(f"/events/{event.id}/materials", data={"documents": [str(report.id), str(secret.id)]})
    assert refused.status_code == 422
    assert _es("You can only link documents of the library that you can see.") in text(refused)
    assert signed_in.post(f"/events/{event.id}/materials", data={}).status_code == 303
    assert "Informe sobre empleo juvenil" not in text(signed_in.get(f"/events/{event.id}"))


def test_a_co_organiser_edits_without_touching_what_they_may_not_choose(app, organiser, make_event, make_user,
                                                                        add_member, make_platform):
    """A representative of an organising organisation edits an event placed (by the official) on a platform
    where they may not post, in a time zone that is not among the usual ones: both are kept as they are, and an
    empty capacity means unlimited seats."""
    platform = make_platform(slug="seguridad", name_es="Seguridad", name_en="Security", members=[organiser])
    event = make_event(organiser, organisations=[sre(organiser).id], platforms=[platform.id],
                       timezone="America/Bogota")
    claire = make_user("claire@eu.example", locale="en")
    add_member(claire, sre(organiser), representative=True)
    english = browser(app, "claire@eu.example")
    page = text(english.get(f"/events/{event.id}/edit"))
    assert '<option selected value="America/Bogota">America/Bogota</option>' in page
    assert "Security" in page and f'value="{event.starts_at.astimezone(ZoneInfo("America/Bogota")):%Y-%m-%dT%H:%M}"' \
        in page
    saved_page = english.post(f"/events/{event.id}/edit", data=form_of(event, capacity=""), follow_redirects=True)
    assert "Your changes have been saved." in text(saved_page)
    event = saved(event)
    assert event.capacity is None and event.timezone == "America/Bogota"
    assert [p.slug for p in event.platforms] == ["seguridad"] and event.organisations == [sre(organiser)]
    refused = english.post(f"/events/{event.id}/edit", data=form_of(event, platforms=[str(platform.id), "999"]))
    assert refused.status_code == 422 and "You can only place events on platforms where you may post." \
        in text(refused)


ORGANISER_PAGES = ("edit", "agenda", "questions", "quotas", "materials", "attendees", "attendees.csv", "message",
                   "check-in", "figures")


def test_other_peoples_events_answer_403_and_hidden_ones_404(app, organiser, make_event, make_user,
                                                             make_organisation, add_member, register):
    """Another official sees a published event but may not run it (403 on every page and action); a draft is
    hidden from them (404), as are unknown and absurd ids; a confirmed registrant is not an organiser; global
    moderators run every event; visitors are sent to sign in."""
    event = make_event(organiser)
    draft = make_event(organiser, publish=False, title_es="Borrador")
    other_official = make_user("segob@example.org")
    add_member(other_official, make_organisation(acronym="SEGOB"))
    attendee = make_user("asistente@example.org")
    register(attendee, event)
    make_user("mod@example.org", role="moderator")

    for email in ("segob@example.org", "asistente@example.org"):
        other = browser(app, email)
        for page in ORGANISER_PAGES:
            assert other.get(f"/events/{event.id}/{page}").status_code == 403, (email, page)
            assert other.get(f"/events/{draft.id}/{page}").status_code == 404, (email, page)
        for action, data in (("edit", form_of(event, capacity="5")), ("publish", {}), ("cancel", {"confirm": "y"}),
                             ("registration-state", {"closed": "1"}), ("agenda", {"title_es": "x"}),
                             ("quotas", {"sector": "academia", "maximum": "1"}), ("message", {})):
            assert other.post(f"/events/{event.id}/{action}", data=data).status_code == 403, (email, action)
            assert other.post(f"/events/{draft.id}/{action}", data=data).status_code == 404, (email, action)
    assert saved(event).capacity == 50 and saved(event).status == "published" and not saved(event).agenda
    assert saved(draft).status == "draft"

    mine = browser(app, ORGANISER)
    for path in ("/events/999999/edit", "/events/0/edit", f"/events/{10**30}/edit", "/events/abc/edit"):
        assert mine.get(path).status_code == 404, path
    moderator = browser(app, "mod@example.org")
    assert moderator.get(f"/events/{draft.id}/edit").status_code == 200
    assert moderator.get(f"/events/{event.id}/attendees").status_code == 200
    visitor = browser(app)
    for page in ORGANISER_PAGES:
        response = visitor.get(f"/events/{event.id}/{page}")
        assert response.status_code == 302 and "/login" in response.headers["Location"], page


def test_the_organisers_pages_in_english_and_spanish(app, organiser, make_event, make_user, add_member):
    """Every organisers' page answers in the reader's language with the shared navigation (for a representative
    of an organising organisation too)."""
    event = make_event(organiser, organisations=[sre(organiser).id])
    claire = make_user("claire@eu.example", locale="en")
    add_member(claire, sre(organiser), representative=True)
    english = browser(app, "claire@eu.example")
    spanish = browser(app, ORGANISER)
    for page in ORGANISER_PAGES:
        if page == "attendees.csv":
            continue
        in_english = text(english.get(f"/events/{event.id}/{page}"))
        assert '<html lang="en">' in in_english and "Organise this event" in in_english, page
        assert f'href="/events/{event.id}"' in in_english and 'aria-current="page"' in in_english, page
        in_spanish = text(spanish.get(f"/events/{event.id}/{page}"))
        assert '<html lang="es">' in in_spanish and _es("Organise this event") in in_spanish, page
    assert "Edit event" in text(english.get(f"/events/{event.id}/edit"))
    assert "New event" in text(english.get("/events/new"))
