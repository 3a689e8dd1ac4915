"""The events API as a program meets it: the listing and its filters, one event, creating events, registering
and cancelling (with the waiting list, under a hundred simultaneous requests), who sees the meeting link, that
no answer carries anyone else's registration, the OpenAPI description and the caller's language."""

from __future__ import annotations

import io
import json
import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from forum.core.db import commit, utcnow
from forum.events import services
from forum.events.models import Event, Registration
from forum.extensions import db
from tests.conftest import api_error as error
from tests.conftest import saved, spanish

API = "/api/v1"
LINK = "https://meet.example.org/dialogo-ue-mexico"


def titles(response) -> list[str]:
    """The Spanish titles of the events of a list answer."""
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["title"]["es"] for item in response.json["items"]]


@pytest.fixture
def ana(make_user):
    """Ana, a participant from civil society in Oaxaca."""
    return make_user("ana@example.org", display_name="Ana Ruiz")


@pytest.fixture
def ben(make_user):
    """Ben, a participant whose account is in English."""
    return make_user("ben@example.org", display_name="Ben Smith", locale="en")


@pytest.fixture
def justice(make_platform, organiser, ana):
    """A public platform where the organiser and Ana are members."""
    return make_platform(slug="justicia", members=[organiser, ana])


@pytest.fixture
def security(make_platform, organiser, ana):
    """A members-only platform where the organiser and Ana are members (Ben is not)."""
    return make_platform(slug="seguridad", visibility="members", members=[organiser, ana])


@pytest.fixture
def online(organiser, make_event):
    """A published online event with a meeting link and one seat."""
    return make_event(organiser, title_es="Webinario en línea", kind="webinar", venue_name="", city="", state=None,
                      online_url=LINK, capacity=1)


def _in_the_past(event: Event) -> Event:
    """Move a published event to last month (the services only publish events that are still to come)."""
    event.starts_at = utcnow() - timedelta(days=30)
    event.ends_at = event.starts_at + timedelta(hours=2)
    commit()
    return event


# --- the listing --------------------------------------------------------------------------------------------


@pytest.fixture
def assorted(organiser, make_event, justice, security):
    """A public event, a draft, an event for members of the members-only platform, and a past event."""
    make_event(organiser, title_es="Diálogo público", platforms=["justicia"])
    make_event(organiser, title_es="Borrador", publish=False)
    make_event(organiser, title_es="Solo miembros", access="members", platforms=["seguridad"])
    _in_the_past(make_event(organiser, title_es="Foro pasado", kind="forum"))


def test_visitors_list_public_published_events_only(client, assorted, token, ana, ben, organiser):
    """Visitors and outsiders see the public published events; members see their platforms' too; the organiser
    also sees the draft. Past events wait for ``when=past``."""
    assert titles(client.get(f"{API}/events")) == ["Diálogo público"]
    assert titles(client.get(f"{API}/events", headers=token(ben))) == ["Diálogo público"]
    assert sorted(titles(client.get(f"{API}/events", headers=token(ana)))) == ["Diálogo público", "Solo miembros"]
    assert sorted(titles(client.get(f"{API}/events", headers=token(organiser)))) == [
        "Borrador", "Diálogo público", "Solo miembros"]
    assert titles(client.get(f"{API}/events?when=past")) == ["Foro pasado"]
    assert client.get(f"{API}/events").json["total"] == 1


def test_the_list_filters_like_the_page(client, organiser, make_event, justice, online):
    """platform, kind, state and mode narrow the list; unknown values are ignored; an unknown platform lists
    nothing; page and per_page slice it."""
    make_event(organiser, title_es="Taller en CDMX", kind="workshop", city="Ciudad de México", state="CMX",
               platforms=["justicia"])
    make_event(organiser, title_es="Foro híbrido", kind="forum", online_url=LINK)

    def listed(**query) -> list[str]:
        return sorted(titles(client.get(f"{API}/events", query_string=query)))

    assert listed(platform="justicia") == ["Taller en CDMX"]
    assert listed(platform="no-existe") == []
    assert listed(kind="workshop") == ["Taller en CDMX"]
    assert listed(state="CMX") == ["Taller en CDMX"]
    assert listed(mode="online") == ["Foro híbrido", "Webinario en línea"]
    assert listed(mode="hybrid") == ["Foro híbrido"]
    assert listed(mode="in_person") == ["Foro híbrido", "Taller en CDMX"]
    assert listed(kind="nonsense", mode="<script>", when="someday") == listed()
    assert len(listed()) == 3
    second = client.get(f"{API}/events", query_string={"per_page": 2, "page": 2}).json
    assert (len(second["items"]), second["total"], second["page"], second["per_page"]) == (1, 3, 2, 2)


@pytest.mark.parametrize("query", [{"page": "0"}, {"per_page": "101"}, {"page": "x"}])
def test_bad_page_values_are_a_400(client, query):
    """Pagination values out of range answer 400 invalid_query."""
    assert error(client.get(f"{API}/events", query_string=query), 400)["code"] == "invalid_query"


def test_the_list_costs_the_same_queries_for_one_event_or_many(client, organiser, make_event, make_user, register,
                                                               token, count_queries):
    """Seats, waiting lists and the caller's registrations are read for the whole page at once."""
    headers = token(make_user())
    register(make_user(), make_event(organiser, capacity=1))
    client.get(f"{API}/events", headers=headers)  # the token's first use is recorded once
    with count_queries() as one:
        assert client.get(f"{API}/events", headers=headers).json["total"] == 1
    for _ in range(4):
        register(make_user(), make_event(organiser))
    with count_queries() as five:
        assert client.get(f"{API}/events", headers=headers).json["total"] == 5
    assert len(five) == len(one)


# --- one event ----------------------------------------------------------------------------------------------


def test_an_event_in_detail(client, organiser, make_event, justice, ana, token):
    """The event with both languages, place, times, seats, registration state, agenda, questions and thread."""
    event = make_event(organiser, platforms=["justicia"], description_es="Un **diálogo** <script>x</script>",
                       interpretation=True, approval="automatic")
    services.add_agenda_item(organiser, event, starts_at=event.starts_at, title_es="Apertura",
                             speakers="Mtra. Ana Ruiz (SEGOB)")
    services.add_question(organiser, event, kind="single_choice", label_es="¿Cómo participa?",
                          label_en="How do you take part?", options=["Ponente | Speaker", "Público | Audience"])
    commit()
    body = client.get(f"{API}/events/{event.id}").json
    assert body["title"] == {"es": "Diálogo UE–México sobre justicia", "en": "EU–Mexico dialogue on justice"}
    description = body["description_html"]["es"]
    assert "<strong>diálogo</strong>" in description and "<script" not in description
    assert (body["kind"], body["status"], body["access"], body["mode"]) == ("dialogue", "published", "public",
                                                                            "in_person")
    assert (body["venue"]["name"], body["city"], body["state"]) == ("Casa de la Cultura", "Oaxaca de Juárez", "OAX")
    assert body["starts_at"] == event.starts_at.isoformat() and body["starts_at"].endswith("+00:00")
    assert body["timezone"] == "America/Mexico_City"
    assert (body["capacity"], body["seats_left"], body["waiting"]) == (50, 50, 0)
    assert (body["registration_open"], body["registration_closed_reason"]) == (True, None)
    assert body["interpretation"] is True and body["approval"] == "automatic"
    assert [p["slug"] for p in body["platforms"]] == ["justicia"]
    assert [item["title"]["es"] for item in body["agenda"]] == ["Apertura"]
    [question] = body["questions"]
    assert question["options"] == [{"es": "Ponente", "en": "Speaker"}, {"es": "Público", "en": "Audience"}]
    assert body["thread"]["id"] == event.thread_id and body["thread"]["url"].endswith(f"/t/{event.thread_id}")
    assert body["url"].endswith(f"/events/{event.id}") and body["ics_url"].endswith(f"/events/{event.id}/event.ics")
    assert body["online_url"] is None and body["my_registration"] is None and body["materials"] == []


def test_registration_closed_is_explained_in_the_callers_language(client, english_client, organiser, make_event):
    """Closed registration says why, in the reader's language."""
    event = make_event(organiser)
    services.set_registration_closed(organiser, event, True)
    commit()
    body = english_client.get(f"{API}/events/{event.id}").json
    assert body["registration_open"] is False
    assert body["registration_closed_reason"] == "The organisers have closed registration."


def test_drafts_and_members_only_events_are_404_for_outsiders(client, organiser, make_event, security, ana, ben,
                                                              token):
    """A draft answers 404 to everyone but its organisers; an event for members only to everyone but the
    members of its platforms, whatever the method."""
    draft = make_event(organiser, publish=False)
    reserved = make_event(organiser, access="members", platforms=["seguridad"])
    for event, insiders, outsiders in ((draft, [organiser], [ana, ben]), (reserved, [ana, organiser], [ben])):
        path = f"{API}/events/{event.id}"
        assert error(client.get(path), 404)["code"] == "not_found"
        for person in outsiders:
            headers = token(person)
            assert error(client.get(path, headers=headers), 404)["code"] == "not_found"
            assert error(client.post(f"{path}/registrations", json={}, headers=headers), 404)
            assert error(client.delete(f"{path}/registrations/me", headers=headers), 404)
        for person in insiders:
            assert client.get(path, headers=token(person)).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    for number in ("2147483647", "2147483648", "99999999999999999999999"):
        assert error(client.get(f"{API}/events/{number}"), 404)["code"] == "not_found"


def test_materials_are_only_the_documents_the_caller_may_read(client, app, tmp_path, organiser, make_event, ana,
                                                             token):
    """A linked document for registered users only is left out for visitors."""
    from forum.documents import services as documents

    app.config["FORUM_UPLOAD_DIR"] = str(tmp_path)

    def upload(title: str, data: bytes, access: str):
        return documents.upload(organiser, file=FileStorage(io.BytesIO(data), "datos.csv"), platform=None,
                                title_es=title, kind="report", language="es", access=access)

    public = upload("Informe abierto", b"municipio,poblacion\nOaxaca,1\n", "public")
    registered = upload("Informe para personas registradas", b"municipio,poblacion\nOaxaca,2\n", "registered")
    event = make_event(organiser)
    services.set_materials(organiser, event, [public.id, registered.id])
    commit()

    def materials(headers=None) -> list[str]:
        return [m["title"]["es"] for m in client.get(f"{API}/events/{event.id}", headers=headers).json["materials"]]

    assert materials() == ["Informe abierto"]
    assert materials(token(ana)) == ["Informe abierto", "Informe para personas registradas"]


# --- the meeting link and attendee data ---------------------------------------------------------------------


def _online_url(client, event, headers=None) -> str | None:
    detail = client.get(f"{API}/events/{event.id}", headers=headers).json["online_url"]
    [listed] = [e for e in client.get(f"{API}/events", headers=headers).json["items"] if e["id"] == event.id]
    assert listed["online_url"] == detail
    return detail


def test_the_meeting_link_is_for_confirmed_registrants_and_organisers(client, online, organiser, ana, ben,
                                                                      make_user, register, token):
    """Visitors, other users and people on the waiting list get null; the confirmed registrant and the
    organiser get the link, in the list and the detail alike. Cancelling takes it away again."""
    register(ana, online)
    waiting = make_user()
    assert register(waiting, online).status == "waitlisted"
    assert _online_url(client, online) is None
    assert _online_url(client, online, token(ben)) is None
    assert _online_url(client, online, token(waiting)) is None
    assert _online_url(client, online, token(ana)) == LINK
    assert _online_url(client, online, token(organiser)) == LINK
    assert client.delete(f"{API}/events/{online.id}/registrations/me", headers=token(ana)).status_code == 204
    assert _online_url(client, online, token(ana)) is None
    assert _online_url(client, online, token(waiting)) == LINK


def test_no_answer_carries_another_registrants_data(client, online, organiser, ana, ben, register, token):
    """Ana's name, e-mail, organisation, answers and code appear in no answer to anyone else: not to visitors,
    not to Ben (registered too), not to the organiser through the API, not in the OpenAPI document."""
    question = services.add_question(organiser, online, kind="short_text", label_es="¿Qué espera?")
    commit()
    mine = register(ana, online, organisation_name="Red de Mujeres Oaxaqueñas", position="Coordinadora",
                    accessibility_needs="Rampa de acceso", answers={str(question.id): "Respuesta privada de Ana"},
                    listed=True)
    secrets_of_ana = ["ana@example.org", "Ana Ruiz", "Red de Mujeres", "Coordinadora", "Rampa de acceso",
                      "Respuesta privada", mine.code]
    answers = []
    for headers in (None, token(ben), token(organiser)):
        answers.append(client.get(f"{API}/events", headers=headers))
        answers.append(client.get(f"{API}/events/{online.id}", headers=headers))
    answers.append(client.post(f"{API}/events/{online.id}/registrations", json={}, headers=token(ben)))
    answers.append(client.get(f"{API}/events/{online.id}", headers=token(ben)))
    answers.append(client.get(f"{API}/openapi.json"))
    for response in answers:
        assert response.status_code in (200, 201)
        text = response.get_data(as_text=True)
        for secret in secrets_of_ana:
            assert secret not in text and json.dumps(secret)[1:-1] not in text, (secret, response.request.path)
    # Ana herself sees her own registration
    own = client.get(f"{API}/events/{online.id}", headers=token(ana)).json["my_registration"]
    assert (own["organisation_name"], own["code"], own["answers"]) == (
        "Red de Mujeres Oaxaqueñas", mine.code, {str(question.id): "Respuesta privada de Ana"})


# --- creating events ----------------------------------------------------------------------------------------


def _new_event(**fields) -> dict:
    """A valid body for POST /events (tomorrow week, in Madrid), changed by ``fields``."""
    day = (utcnow() + timedelta(days=8)).date().isoformat()
    return {"title_es": "Foro UE–México sobre empleo", "title_en": "EU–Mexico forum on employment",
            "description_es": "Un **foro**.", "kind": "forum", "venue_name": "Casa de América", "city": "Madrid",
            "starts_at": f"{day}T10:00", "ends_at": f"{day}T13:30", "timezone": "Europe/Madrid",
            "capacity": 80, **fields}


def test_an_official_creates_and_publishes_an_event(client, organiser, justice, token):
    """201 with the event as GET shows it, and a Location header pointing there; naive times are read in the
    event's zone; platforms by slug or id; agenda and questions come along; published at once, visitors see it."""
    body = _new_event(platforms=["justicia", justice.id], organisations=[organiser.memberships[0].organisation_id],
                      online_url=LINK, publish=True, interpretation=True,
                      agenda=[{"starts_at": _new_event()["starts_at"], "title_es": "Apertura", "title_en": "Opening",
                               "speakers": "Jan Novak (Delegación UE)"}],
                      questions=[{"kind": "multiple_choice", "label_es": "Temas", "label_en": "Topics",
                                  "options": [{"es": "Empleo juvenil", "en": "Youth employment"}, "Género | Gender"],
                                  "required": True}])
    response = client.post(f"{API}/events", json=body, headers=token(organiser))
    assert response.status_code == 201, response.get_data(as_text=True)
    event = response.json
    assert response.headers["Location"].endswith(f"{API}/events/{event['id']}")
    assert (event["status"], event["mode"], event["timezone"], event["capacity"]) == (
        "published", "hybrid", "Europe/Madrid", 80)
    starts = saved(db.session.get(Event, event["id"])).starts_at
    assert starts.hour in (8, 9) and event["starts_at"] == starts.isoformat()  # 10:00 in Madrid is 8:00 or 9:00 UTC
    assert [p["slug"] for p in event["platforms"]] == ["justicia"]
    assert [o["acronym"] for o in event["organisations"]] == ["SRE"]
    assert event["agenda"][0]["speakers"] == "Jan Novak (Delegación UE)"
    assert event["questions"][0]["options"][1] == {"es": "Género", "en": "Gender"}
    assert event["thread"] is not None and event["online_url"] == LINK
    assert client.get(response.headers["Location"]).json["id"] == event["id"]
    assert titles(client.get(f"{API}/events")) == ["Foro UE–México sobre empleo"]


def test_an_event_created_without_publish_is_a_draft(client, organiser, token):
    """Without ``publish`` the event is a draft: its organiser reads it, visitors get 404."""
    response = client.post(f"{API}/events", json=_new_event(), headers=token(organiser))
    assert response.status_code == 201 and response.json["status"] == "draft"
    assert response.json["registration_open"] is False
    assert error(client.get(f"{API}/events/{response.json['id']}"), 404)


def test_participants_and_visitors_cannot_create_events(client, ana, token):
    """A participant gets 403, a visitor 401; nothing is saved."""
    assert error(client.post(f"{API}/events", json=_new_event(), headers=token(ana)), 403)["code"] == "forbidden"
    assert error(client.post(f"{API}/events", json=_new_event()), 401)["code"] == "unauthorized"
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


TOMORROW = (utcnow() + timedelta(days=1)).date().isoformat()


@pytest.mark.parametrize(("changes", "words"), [
    ({"kind": None}, "kind"),
    ({"colour": "red"}, "unknown field: colour"),
    ({"title_es": ["Foro"]}, "title_es: please write text"),
    ({"title_es": "", "title_en": ""}, "title_es: give a title"),
    ({"title_es": "x" * 201}, "title_es: please keep this under 200"),
    ({"title_es": "Foro\x00"}, "title_es contains a character"),
    ({"kind": ["forum"]}, "kind: please choose"),
    ({"kind": "rave"}, "kind: please choose"),
    ({"state": "XX"}, "state: please choose"),
    ({"capacity": 10**30}, "capacity: please give a whole number"),
    ({"capacity": 1e400}, "capacity: please give a whole number"),
    ({"capacity": "lots"}, "capacity: please give a whole number"),
    ({"capacity": 2.5}, "capacity: please give a whole number"),
    ({"capacity": True}, "capacity: please give a whole number"),
    ({"capacity": -3}, "capacity: please give a whole number"),
    ({"retention_months": 10**6}, "retention_months: please give a whole number"),
    ({"starts_at": "tomorrow"}, "starts_at: please give a date and time"),
    ({"starts_at": f"{TOMORROW}T25:00"}, "starts_at: please give a date and time"),
    ({"starts_at": "2026-02-30T10:00"}, "starts_at: please give a date and time"),
    ({"starts_at": "9999-01-01T10:00"}, "starts_at: please give a date and time"),
    ({"starts_at": 1767225600}, "starts_at: please give a date and time"),
    ({"starts_at": ["2026-12-01T10:00"]}, "starts_at: please give a date and time"),
    ({"ends_at": f"{TOMORROW}T09:00", "starts_at": f"{TOMORROW}T10:00"}, "ends_at: the event must end after"),
    ({"registration_closes_at": "2200-01-01T00:00"}, "registration_closes_at: registration must close before"),
    ({"timezone": "Mars/Olympus_Mons"}, "timezone: please choose"),
    ({"timezone": {"name": "UTC"}}, "timezone: please choose"),
    ({"platforms": ["no-existe"]}, "platforms: you can only place"),
    ({"platforms": [[1]]}, "platforms: you can only place"),
    ({"platforms": [99999999999999999999]}, "platforms: you can only place"),
    ({"platforms": {"slug": "justicia"}}, "platforms: send a list"),
    ({"organisations": [10**20]}, "organisations must be a list of organisation ids"),
    ({"organisations": "1"}, "organisations must be a list of organisation ids"),
    ({"organisations": [True]}, "organisations must be a list of organisation ids"),
    ({"organisations": [2147483647]}, "organisations: you can only name"),
    ({"online_url": "javascript:alert(1)"}, "online_url: give the full address"),
    ({"online_url": ["https://x.org"]}, "online_url: please write text"),
    ({"venue_name": "", "city": ""}, "venue_name: give a venue"),
    ({"access": "members"}, "platforms: an event for members only"),
    ({"publish": "yes"}, "publish must be true or false"),
    ({"agenda": "Apertura a las 10"}, "agenda must be a list"),
    ({"agenda": ["Apertura"]}, "each item of agenda[0] must be an object"),
    ({"agenda": [{"title_es": "Apertura"}]}, "agenda[0].starts_at is required"),
    ({"agenda": [{"starts_at": "pronto", "title_es": "Apertura"}]}, "agenda[0].starts_at: please give a date"),
    ({"agenda": [{"starts_at": f"{TOMORROW}T10:00", "room": "A"}]}, "unknown field: agenda[0].room"),
    ({"agenda": [{"starts_at": f"{TOMORROW}T10:00"}]}, "agenda[0].title_es: give a title"),
    ({"questions": [{"kind": "single_choice", "label_es": "¿?", "options": ["solo una"]}]},
     "questions[0].options: a choice question needs between 2"),
    ({"questions": [{"kind": "poll", "label_es": "¿?"}]}, "questions[0].kind: please choose"),
    ({"questions": [{"label_es": "¿?"}]}, "questions[0].kind is required"),
    ({"questions": {"kind": "yes_no"}}, "questions must be a list"),
])
def test_bad_event_input_is_a_clear_400(client, organiser, token, justice, changes, words):
    """Wrong types, lists for texts, huge numbers, bad dates and unknown fields answer 400 with a message naming
    the field (in the caller's language: English here); nothing is saved."""
    organiser.locale = "en"
    commit()
    body = {name: value for name, value in _new_event(**changes).items() if value is not None}
    response = client.post(f"{API}/events", json=body, headers=token(organiser))
    assert words in error(response, 400)["message"].lower()
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_a_malformed_meeting_link_is_a_400(client, organiser, token):
    """A link whose host cannot be parsed is refused like any other bad address."""
    response = client.post(f"{API}/events", json=_new_event(online_url="https://[meet"), headers=token(organiser))
    assert "online_url" in error(response, 400)["message"]


@pytest.mark.parametrize(("data", "content_type"), [
    ("{not json", "application/json"), ("title_es=Foro", "application/x-www-form-urlencoded"), ("", None),
    ("[]", "application/json"), ('"Foro"', "application/json"), ("[" * 100_000, "application/json")])
def test_a_body_that_is_not_a_json_object_is_a_400(client, organiser, token, data, content_type):
    """Broken JSON, a form, nothing, a list, a text or nesting too deep to read: 400 asking for a JSON object."""
    response = client.post(f"{API}/events", data=data, content_type=content_type,
                           headers=token(organiser, **{"Accept-Language": "en"}))
    assert spanish("Send a JSON object with some of: %(fields)s.").split("%")[0] in error(response, 400)["message"]


def test_a_late_refusal_saves_nothing(client, organiser, token):
    """When a question fails after the event was written, the whole request is undone."""
    body = _new_event(publish=True, questions=[{"kind": "yes_no", "label_es": "¿Viene?"}, {"kind": "yes_no"}])
    assert "questions[1].label_es" in error(client.post(f"{API}/events", json=body, headers=token(organiser)),
                                            400)["message"]
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


# --- registering and cancelling -----------------------------------------------------------------------------


def test_registering_twice_gives_the_same_registration(client, organiser, make_event, ana, token):
    """201 with the registration, then 200 with the same one; the event shows it as the caller's; fields left
    out come from the profile and answers are kept."""
    event = make_event(organiser, interpretation=True)
    question = services.add_question(organiser, event, kind="yes_no", label_es="¿Requiere constancia?",
                                     required=True)
    commit()
    headers = token(ana)
    path = f"{API}/events/{event.id}/registrations"
    body = {"position": "Coordinadora", "interpretation_needed": True, "listed": True,
            "organisation_name": "<script>alert(1)</script>", "answers": {str(question.id): True}}
    first = client.post(path, json=body, headers=headers)
    assert first.status_code == 201, first.get_data(as_text=True)
    assert first.headers["Location"].endswith(f"{API}/events/{event.id}")
    registration = first.json
    assert (registration["status"], registration["sector"], registration["state"]) == (
        "confirmed", "civil_society", "OAX")
    assert registration["organisation_name"] == "<script>alert(1)</script>"
    assert registration["answers"] == {str(question.id): True} and registration["interpretation_needed"] is True
    assert len(registration["code"]) == 6 and registration["waitlist_position"] is None
    second = client.post(path, json=body, headers=headers)
    assert second.status_code == 200 and second.json["id"] == registration["id"]
    detail = client.get(f"{API}/events/{event.id}", headers=headers).json
    assert detail["my_registration"]["id"] == registration["id"] and detail["seats_left"] == 49
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 1


def test_registration_awaiting_approval(client, organiser, make_event, ana, token):
    """With approval by the organisers the answer is 201 with status pending and no code."""
    event = make_event(organiser, approval="organiser")
    response = client.post(f"{API}/events/{event.id}/registrations", json={}, headers=token(ana))
    assert response.status_code == 201 and (response.json["status"], response.json["code"]) == ("pending", None)


@pytest.mark.parametrize(("body", "words"), [
    ({"sector": "martians"}, "sector: please choose"),
    ({"state": ["OAX"]}, "state: please choose"),
    ({"position": 7}, "position: please write text"),
    ({"accessibility_needs": "x" * 1_001}, "accessibility_needs: please keep this under 1000"),
    ({"answers": ["sí"]}, "answers: send the answers as an object"),
    ({"answers": {"999999": "x"}}, "answers: there is no question 999999"),
    ({"answers": {}}, "question_"),
    ({"email": "otra@example.org"}, "unknown field: email"),
    ({"user_id": 1}, "unknown field: user_id"),
    ({"position": "Jefa\x00"}, "position contains a character"),
])
def test_bad_registration_input_is_a_clear_400(client, organiser, make_event, ben, token, body, words):
    """Wrong values, unknown fields (no registering in someone else's name) and missing answers to required
    questions answer 400 naming the field; nothing is saved."""
    event = make_event(organiser)
    services.add_question(organiser, event, kind="short_text", label_es="¿Qué espera?", required=True)
    commit()
    response = client.post(f"{API}/events/{event.id}/registrations", json=body, headers=token(ben))
    assert words in error(response, 400)["message"].lower()
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_registration_closed_is_a_409_with_the_reason(client, organiser, make_event, ben, token):
    """Closed by hand, not yet open or cancelled: 409 explaining why, and no registration."""
    closed = make_event(organiser)
    services.set_registration_closed(organiser, closed, True)
    early = make_event(organiser, registration_opens_at=utcnow() + timedelta(hours=6))
    cancelled = make_event(organiser)
    services.cancel(organiser, cancelled)
    commit()
    headers = token(ben)
    for event, words in ((closed, "The organisers have closed registration."), (early, "Registration opens on"),
                         (cancelled, "This event has been cancelled.")):
        refusal = error(client.post(f"{API}/events/{event.id}/registrations", json={}, headers=headers), 409)
        assert refusal["code"] == "registration_closed" and words in refusal["message"]
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_registering_needs_a_token(client, organiser, make_event):
    """A visitor gets 401."""
    event = make_event(organiser)
    assert error(client.post(f"{API}/events/{event.id}/registrations", json={}), 401)["code"] == "unauthorized"


def test_cancelling_promotes_the_first_waiting_person(client, organiser, make_event, make_user, token):
    """With one seat: the holder cancels (204), the first on the waiting list now holds the seat and the second
    moves up to first; cancelling again is a 404, and so is cancelling without a registration."""
    event = make_event(organiser, capacity=1)
    holder, first, second = (make_user() for _ in range(3))
    headers = {person.id: token(person) for person in (holder, first, second)}
    path = f"{API}/events/{event.id}"
    statuses = [client.post(f"{path}/registrations", json={}, headers=headers[p.id]).json
                for p in (holder, first, second)]
    assert [(r["status"], r["waitlist_position"]) for r in statuses] == [
        ("confirmed", None), ("waitlisted", 1), ("waitlisted", 2)]
    assert client.get(path).json["waiting"] == 2
    assert client.delete(f"{path}/registrations/me", headers=headers[holder.id]).status_code == 204

    def mine(person) -> dict:
        return client.get(path, headers=headers[person.id]).json["my_registration"]

    assert (mine(first)["status"], mine(first)["code"] is not None) == ("confirmed", True)
    assert (mine(second)["status"], mine(second)["waitlist_position"]) == ("waitlisted", 1)
    assert mine(holder)["status"] == "cancelled"
    assert error(client.delete(f"{path}/registrations/me", headers=headers[holder.id]), 404)["code"] == "not_found"
    assert error(client.delete(f"{path}/registrations/me", headers=token(make_user())), 404)
    assert client.get(path).json["waiting"] == 1


def test_hundred_simultaneous_api_registrations_for_fifty_seats(app, organiser, make_event, make_user, token):
    """A hundred people with their own tokens post at the same moment: exactly 50 confirmed, 50 on the waiting
    list, every answer a 201."""
    event = make_event(organiser, capacity=50)
    people = [token(make_user()) for _ in range(100)]
    path = f"{API}/events/{event.id}/registrations"
    start = threading.Barrier(len(people))
    answers: list[int] = []

    def post(headers: dict) -> None:
        browser = app.test_client()
        start.wait()
        answers.append(browser.post(path, json={}, headers=headers)
                       .status_code)

    threads = [threading.Thread(target=post, args=(headers,)) for headers in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert Counter(answers) == {201: 100}
    db.session.expire_all()
    statuses = Counter(db.session.scalars(select(Registration.status).where(Registration.event_id == event.id)))
    assert statuses == {"confirmed": 50, "waitlisted": 50}


# --- the OpenAPI document and languages ---------------------------------------------------------------------


def test_the_openapi_document_describes_the_event_endpoints(client):
    """The five operations are listed with their schemas, bodies and answers."""
    spec = client.get(f"{API}/openapi.json").json
    paths = spec["paths"]
    assert set(paths["/events"]) == {"get", "post"}
    assert set(paths["/events/{event_id}"]) == {"get"}
    assert set(paths["/events/{event_id}/registrations"]) == {"post"}
    assert set(paths["/events/{event_id}/registrations/me"]) == {"delete"}
    schemas = spec["components"]["schemas"]
    assert {"Event", "EventRegistration", "EventInput", "RegistrationInput"} <= set(schemas)
    event_ref = "#/components/schemas/Event"
    assert paths["/events"]["get"]["responses"]["200"]["content"]["application/json"]["schema"][
        "properties"]["items"]["items"]["$ref"] == event_ref
    create = paths["/events"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/EventInput")
    assert create["responses"]["201"]["content"]["application/json"]["schema"]["$ref"] == event_ref
    register = paths["/events/{event_id}/registrations"]["post"]
    assert register["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/RegistrationInput")
    assert {"200", "201", "400", "401", "404", "409"} <= set(register["responses"])
    assert "204" in paths["/events/{event_id}/registrations/me"]["delete"]["responses"]
    assert set(schemas["EventInput"]["properties"]) >= {*services.FIELDS, "publish", "agenda", "questions"}
    assert "online_url" in schemas["Event"]["required"] and "attendees" not in schemas["Event"]["properties"]


def test_errors_follow_the_callers_language(client, organiser, make_event, make_user, token):
    """Accept-Language: en gives English to visitors; Spanish is the default; a signed-in person's own language
    wins over the browser's."""
    draft = make_event(organiser, publish=False)
    path = f"{API}/events/{draft.id}"
    assert error(client.get(path, headers={"Accept-Language": "en"}), 404)["message"] == "Not found."
    assert error(client.get(path), 404)["message"] == spanish("Not found.")
    event = make_event(organiser)
    body = {"sector": "martians"}
    choose = "Please choose one of the options offered."
    english = make_user(locale="en")
    in_spanish = make_user(locale="es")
    path = f"{API}/events/{event.id}/registrations"
    assert error(client.post(path, json=body, headers=token(english)), 400)["message"] == f"sector: {choose}"
    answer = error(client.post(path, json=body, headers=token(in_spanish, **{"Accept-Language": "en"})), 400)
    assert answer["message"].endswith(spanish(choose)) and spanish(choose) != choose
    assert error(client.post(path, json=[], headers=token(in_spanish)), 400)["message"].startswith(
        "Envíe un objeto JSON")
