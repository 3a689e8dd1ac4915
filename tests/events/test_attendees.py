"""The organisers' pages for running an event, as organisers use them without JavaScript, in both languages: the
attendee list (filters, pages, answers, counts; never gender or age), its CSV export (same columns, formulas
neutralised, not cached), accepting and declining registrations, messages to the registrants in their language,
check-in by code (as typed or scanned) and by search with undo, and the figures that hide small groups. Nobody
but the organisers reaches any of it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import select

from forum.accounts.choices import AGE_RANGES, GENDERS
from forum.core.db import commit, utcnow
from forum.events import registrations, services
from forum.events.models import Registration
from forum.extensions import db
from tests.conftest import browser, saved
from tests.conftest import spanish_page as _es

ORGANISER = "organiser@sre.gob.mx"


def text(response) -> str:
    """The page's HTML."""
    return response.get_data(as_text=True)


def rows_of(response) -> list[list[str]]:
    """The rows of a CSV download (after its byte order mark)."""
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def status_of(registration) -> str:
    return saved(registration).status


@pytest.fixture
def desk(app, organiser):
    """The organiser's browser (Spanish, their language)."""
    return browser(app, ORGANISER)


@pytest.fixture
def event(organiser, make_event):
    """A published event with 3 seats and a question of each kind that lists answers."""
    event = make_event(organiser, capacity=3, interpretation=True)
    services.add_question(organiser, event, kind="single_choice", label_es="¿Necesita hospedaje?",
                          label_en="Do you need lodging?", options="Sí | Yes\nNo | No")
    services.add_question(organiser, event, kind="short_text", label_es="Tema de interés",
                          label_en="Topic of interest")
    commit()
    return event


@pytest.fixture
def people(make_user, register, event):
    """Three people with a seat (Rosa, Claire in English, Tomás) and Ana on the waiting list; each declared a
    gender and age range (private: figures only)."""
    rosa = make_user("rosa@example.org", display_name="Rosa López", gender="woman", age_range="30_44")
    claire = make_user("claire@eu.example", display_name="Claire Dubois", locale="en", gender="woman",
                       age_range="45_64", sector="international_cooperation")
    tomas = make_user("tomas@example.org", display_name="Tomás Pérez", gender="man", age_range="18_29",
                      sector="federal_government")
    ana = make_user("ana@example.org", display_name="Ana Waiting", gender="non_binary", age_range="65_plus")
    registered = {
        "rosa": register(rosa, event, organisation_name="Red Oaxaqueña", position="Coordinadora",
                         accessibility_needs="Rampa de acceso", interpretation_needed=True,
                         answers={str(event.questions[0].id): "0", str(event.questions[1].id): "Empleo juvenil"}),
        "claire": register(claire, event, organisation_name="EU Delegation", sector="international_cooperation"),
        "tomas": register(tomas, event, organisation_name="SEGOB", sector="federal_government"),
        "ana": register(ana, event, organisation_name="Colectivo"),
    }
    assert [r.status for r in registered.values()] == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    return registered


def private_labels() -> list[str]:
    """Every gender and age range label, in both languages."""
    labels = []
    for language in ("es", "en"):
        with force_locale(language):
            labels += [str(label) for label in (*GENDERS.values(), *AGE_RANGES.values())]
    return labels


def test_the_attendee_list_shows_registrations_answers_and_counts_but_never_gender_or_age(desk, event, people):
    """Every column, an answer per question in the reader's language, the counts per status, and filters by
    status, sector, attendance and search; gender and age range appear nowhere."""
    page = text(desk.get(f"/events/{event.id}/attendees"))
    assert '<html lang="es">' in page
    for heading in ("Name", "Organisation", "Sector", "Position", "Registered at", "Check-in code",
                    "Accessibility needs", "Interpretation"):
        assert _es(heading) in page, heading
    assert "¿Necesita hospedaje?" in page and "Tema de interés" in page
    assert "Rosa López" in page and "Red Oaxaqueña" in page and "Coordinadora" in page
    assert "Rampa de acceso" in page and "Empleo juvenil" in page and people["rosa"].code in page
    assert '<strong id="count-confirmed">3</strong>' in page and '<strong id="count-waitlisted">1</strong>' in page
    for label in private_labels():
        assert f">{label}<" not in page and label not in page.split("<main", 1)[1], label

    waiting = text(desk.get(f"/events/{event.id}/attendees?status=waitlisted"))
    assert "Ana Waiting" in waiting and "Rosa López" not in waiting
    officials = text(desk.get(f"/events/{event.id}/attendees?sector=federal_government"))
    assert "Tomás Pérez" in officials and "Rosa López" not in officials
    found = text(desk.get(f"/events/{event.id}/attendees?q=red+oaxa"))
    assert "Rosa López" in found and "Claire Dubois" not in found
    registrations.check_in(saved(people["rosa"]).event.organiser, saved(people["rosa"]))
    commit()
    present = text(desk.get(f"/events/{event.id}/attendees?attended=yes"))
    assert "Rosa López" in present and "Tomás Pérez" not in present
    absent = text(desk.get(f"/events/{event.id}/attendees?attended=no&status=confirmed"))
    assert "Rosa López" not in absent and "Tomás Pérez" in absent
    # nonsense filters are ignored, not errors
    assert desk.get(f"/events/{event.id}/attendees?status=zzz&sector=<b>&attended=maybe&page=x").status_code == 200


def test_the_attendee_list_in_english_with_answers_in_english(app, organiser, event, people, add_member):
    """A co-organiser reading in English gets English headings, statuses and answers."""
    from forum.accounts.models import User

    events_organisation = organiser.memberships[0].organisation
    event.organisations.append(events_organisation)
    commit()
    helper = db.session.scalar(select(User).where(User.email == "claire@eu.example"))
    add_member(helper, events_organisation, representative=True)
    page = text(browser(app, "claire@eu.example").get(f"/events/{event.id}/attendees"))
    assert '<html lang="en">' in page and "Check-in code" in page and "Do you need lodging?" in page
    assert "On the waiting list" in page and ">Yes<" in page and "Civil-society organisation" in page


def test_the_attendee_list_has_pages_of_fifty(desk, event):
    """55 registrations: 50 on the first page, 5 on the second, no third."""
    db.session.add_all(Registration(event_id=event.id, status="waitlisted", name=f"Persona {n:03d}",
                                    email=f"p{n}@example.org", sector="academia", code=f"C{n:05d}")
                       for n in range(1, 56))
    commit()
    first = text(desk.get(f"/events/{event.id}/attendees"))
    assert "Persona 050" in first and "Persona 051" not in first and "?page=2" in first
    second = text(desk.get(f"/events/{event.id}/attendees?page=2"))
    assert "Persona 051" in second and "Persona 055" in second and "Persona 050" not in second
    assert desk.get(f"/events/{event.id}/attendees?page=3").status_code == 404


def test_the_csv_has_the_same_columns_and_filters_and_neutralises_formulas(app, desk, event, make_user,
                                                                           register):
    """UTF-8 with a byte order mark, headings in the reader's language, a download that no cache keeps, and
    every cell that a spreadsheet would run as a formula prefixed with an apostrophe."""
    attacker = make_user("x@example.org", display_name="@SUM(A1)", gender="woman", age_range="30_44")
    hostile = register(attacker, event, organisation_name='=HYPERLINK("http://x")', position="+1",
                       answers={str(event.questions[1].id): "=1+1"})
    hostile.accessibility_needs = "\t=cmd"  # as an import or an older version might have stored it
    commit()
    for n, position in enumerate(("-2", "@SUM(A1)")):
        register(make_user(display_name=f"Persona {n}"), event, position=position)
    plain = make_user("plain@example.org", display_name="Lucía Ñandú", gender="man", age_range="18_29")
    register(plain, event, organisation_name="Asociación Cívica", position="Directora")

    response = desk.get(f"/events/{event.id}/attendees.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "private, no-store"
    header, *rows = rows_of(response)
    with force_locale("es"):
        assert header[:3] == [_("Name"), _("Organisation"), _("Sector")]
    assert header[-2:] == ["¿Necesita hospedaje?", "Tema de interés"]
    by_name = {row[0]: row for row in rows}
    assert by_name["Lucía Ñandú"][1] == "Asociación Cívica"
    hostile = by_name["'@SUM(A1)"]
    assert hostile[1] == "'=HYPERLINK(\"http://x\")" and hostile[4] == "'+1" and hostile[9] == "'\t=cmd"
    assert hostile[-1] == "'=1+1"
    assert by_name["Persona 0"][4] == "'-2" and by_name["Persona 1"][4] == "'@SUM(A1)"
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    for label in private_labels():
        assert label not in response.get_data(as_text=True), label

    english = browser(app, ORGANISER)
    from forum.accounts.models import User
    db.session.scalar(select(User).where(User.email == ORGANISER)).locale = "en"
    commit()
    filtered = rows_of(english.get(f"/events/{event.id}/attendees.csv?q=lucía"))
    assert filtered[0][:2] == ["Name", "Organisation"] and [row[0] for row in filtered[1:]] == ["Lucía Ñandú"]


def test_attendees_and_csv_are_for_the_organisers_only(app, organiser, event, people, make_event, make_user,
                                                       make_organisation, add_member):
    """A confirmed registrant, another official and visitors do not get the list or the file; another
    organiser's draft is hidden (404)."""
    other_official = make_user("segob@example.org")
    add_member(other_official, make_organisation(acronym="SEGOB"))
    draft = make_event(other_official, publish=False)
    for email in ("rosa@example.org", "segob@example.org"):
        other = browser(app, email)
        for path in ("attendees", "attendees.csv"):
            response = other.get(f"/events/{event.id}/{path}")
            assert response.status_code == 403 and "Rampa de acceso" not in text(response), (email, path)
    assert browser(app, ORGANISER).get(f"/events/{draft.id}/attendees.csv").status_code == 404
    visitor = browser(app).get(f"/events/{event.id}/attendees.csv")
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"]


def test_organisers_accept_and_decline_registrations(app, desk, organiser, make_event, make_user, register,
                                                     outbox):
    """With approval by the organisers, registrations wait; accepting gives a seat (or the waiting list when
    full) and tells the person; declining a request is immediate, declining a seat asks first and frees it for
    the waiting list; another event's registration and other people answer 404/403."""
    event = make_event(organiser, capacity=1, approval="organiser")
    first, second, third = (make_user(display_name=name) for name in ("Primera", "Segunda", "Tercera"))
    pending = [register(person, event) for person in (first, second, third)]
    assert {r.status for r in pending} == {"pending"}
    page = text(desk.get(f"/events/{event.id}/attendees?status=pending"))
    assert page.count(f'action="/events/{event.id}/registrations/') == 6  # accept and decline, three times

    accepted = desk.post(f"/events/{event.id}/registrations/{pending[0].id}/approve", data={"status": "pending"})
    assert accepted.status_code == 303
    assert accepted.headers["Location"] == f"/events/{event.id}/attendees?status=pending"
    assert status_of(pending[0]) == "confirmed"
    with force_locale("es"):
        assert outbox(first.email)[-1].subject == _("Registration confirmed: %(title)s", title=event.title_es)
    full = desk.post(f"/events/{event.id}/registrations/{pending[1].id}/approve", data={}, follow_redirects=True)
    assert status_of(pending[1]) == "waitlisted" and "Segunda" in text(full)
    assert desk.post(f"/events/{event.id}/registrations/{pending[1].id}/approve", data={}).status_code == 409

    assert desk.post(f"/events/{event.id}/registrations/{pending[2].id}/decline", data={}).status_code == 303
    assert status_of(pending[2]) == "declined"
    with force_locale("es"):
        assert outbox(third.email)[-1].subject == _("Registration declined: %(title)s", title=event.title_es)

    asked = desk.post(f"/events/{event.id}/registrations/{pending[0].id}/decline", data={"q": "Primera"})
    assert asked.status_code == 200 and status_of(pending[0]) == "confirmed"
    assert "Primera" in text(asked) and 'name="confirm" value="1"' in text(asked)
    assert '<input type="hidden" name="q" value="Primera">' in text(asked)
    declined = desk.post(f"/events/{event.id}/registrations/{pending[0].id}/decline",
                         data={"confirm": "1", "q": "Primera"})
    assert declined.headers["Location"] == f"/events/{event.id}/attendees?q=Primera"
    assert status_of(pending[0]) == "declined" and status_of(pending[1]) == "confirmed"

    other_event = make_event(organiser, title_es="Otro")
    stranger = register(make_user(), other_event)
    assert desk.post(f"/events/{event.id}/registrations/{stranger.id}/decline",
                     data={"confirm": "1"}).status_code == 404
    assert desk.post(f"/events/{event.id}/registrations/99999/approve", data={}).status_code == 404
    assert status_of(stranger) == "confirmed"
    participant = browser(app, first.email)
    assert participant.post(f"/events/{other_event.id}/registrations/{stranger.id}/decline",
                            data={"confirm": "1"}).status_code == 403
    assert status_of(stranger) == "confirmed"


def test_a_message_reaches_its_audience_each_in_their_language(desk, event, people, outbox):
    """Written to confirmed attendees in both languages: the three with a seat receive it, Claire in English,
    the others in Spanish; the waiting list does not. An empty message is refused and what was typed kept."""
    page = text(desk.get(f"/events/{event.id}/message"))
    assert '<html lang="es">' in page and "(3 " in page and "(1 " in page  # the audiences with their sizes
    before = {name: len(outbox(r.email)) for name, r in people.items()}
    sent = desk.post(f"/events/{event.id}/message", data={
        "audience": "confirmed", "subject_es": "Cambio de sala", "body_es": "Nos vemos en la sala 2.",
        "subject_en": "Room change", "body_en": "See you in room 2."}, follow_redirects=True)
    with force_locale("es"):
        assert str(escape(ngettext("Message sent to %(num)d person.", "Message sent to %(num)d people.", 3))) \
            in text(sent)
    assert len(outbox("ana@example.org")) == before["ana"]
    assert outbox("rosa@example.org")[-1].subject == "Cambio de sala"
    assert "Nos vemos en la sala 2." in outbox("rosa@example.org")[-1].body
    assert outbox("claire@eu.example")[-1].subject == "Room change"
    assert "See you in room 2." in outbox("claire@eu.example")[-1].body

    spanish_only = desk.post(f"/events/{event.id}/message", data={
        "audience": "waitlisted", "subject_es": "Lista de espera", "body_es": "Seguimos atentos."})
    assert spanish_only.status_code == 303 and outbox("ana@example.org")[-1].subject == "Lista de espera"

    empty = desk.post(f"/events/{event.id}/message", data={"audience": "confirmed", "subject_en": "Only a subject"})
    assert empty.status_code == 422
    assert _es("Write a subject and a message in at least one language.") in text(empty)
    assert 'value="Only a subject"' in text(empty)
    assert desk.post(f"/events/{event.id}/message", data={"audience": "everyone", "subject_es": "x",
                                                          "body_es": "y"}).status_code == 422


def test_check_in_by_code_as_typed_or_scanned_by_search_and_undo(app, desk, event, people, make_event, register,
                                                                 make_user):
    """The QR code's address shows the person with a button (nothing marked on opening it); a code typed in
    lower case with dashes or spaces marks them present; search by name lists confirmed attendees with buttons;
    undo clears it; unknown codes, waiting-list codes and another event's registrations are refused."""
    rosa, tomas, ana = people["rosa"], people["tomas"], people["ana"]
    page = text(desk.get(f"/events/{event.id}/check-in"))
    assert "autofocus" in page and _es("%(present)d present of %(confirmed)d confirmed", present=0,
                                       confirmed=3) in page

    code = rosa.code
    scanned = desk.get(f"/events/{event.id}/check-in?code={code}")
    assert scanned.status_code == 200 and "Rosa López" in text(scanned) and f'value="{code}"' in text(scanned)
    assert saved(rosa).attended_at is None  # opening the QR address marks nobody
    typed = f"{code[:3].lower()}-{code[3:].lower()} "
    marked = desk.post(f"/events/{event.id}/check-in", data={"code": typed}, follow_redirects=True)
    assert _es("%(name)s is marked present.", name="Rosa López") in text(marked)
    assert saved(rosa).attended_at is not None and saved(rosa).checked_in_by_id is not None
    assert _es("%(present)d present of %(confirmed)d confirmed", present=1, confirmed=3) in text(marked)
    again = desk.post(f"/events/{event.id}/check-in", data={"code": " ".join(code)}, follow_redirects=True)
    assert _es("%(name)s was already marked present.", name="Rosa López") in text(again)

    found = text(desk.get(f"/events/{event.id}/check-in?q=tomás"))
    assert "Tomás Pérez" in found and "Rosa López" not in found and "Ana Waiting" not in found
    by_search = desk.post(f"/events/{event.id}/check-in", data={"registration": tomas.id, "attended": "1",
                                                                "q": "tomás"})
    assert by_search.status_code == 303 and "q=tom" in by_search.headers["Location"]
    assert saved(tomas).attended_at is not None
    undone = desk.post(f"/events/{event.id}/check-in", data={"registration": tomas.id, "attended": "0"},
                       follow_redirects=True)
    assert _es("%(name)s is no longer marked present.", name="Tomás Pérez") in text(undone)
    assert saved(tomas).attended_at is None

    for unknown in ("ZZZZZZ", ana.code, "<script>alert(1)</script>"):
        refused = desk.get(f"/events/{event.id}/check-in", query_string={"code": unknown})
        assert refused.status_code == 404, unknown
        assert _es("No confirmed registration of this event has this code.") in text(refused)
        assert "<script>alert(1)" not in text(refused)
    posted = desk.post(f"/events/{event.id}/check-in", data={"code": "zz-zz-zz"})
    assert posted.status_code == 404 and 'value="zz-zz-zz"' in text(posted)
    assert desk.post(f"/events/{event.id}/check-in", data={"code": ""}).status_code == 422
    assert desk.post(f"/events/{event.id}/check-in", data={"registration": ana.id}).status_code == 409
    assert saved(ana).attended_at is None
    other = register(make_user(), make_event(saved(event).organiser, title_es="Otro"))
    assert desk.post(f"/events/{event.id}/check-in", data={"registration": other.id}).status_code == 404
    assert desk.post(f"/events/{event.id}/check-in", data={"registration": "abc"}).status_code == 404
    assert desk.get(f"/events/{other.event_id}/check-in", query_string={"code": code}).status_code == 404
    assert browser(app, "rosa@example.org").post(f"/events/{event.id}/check-in",
                                                  data={"code": tomas.code}).status_code == 403


def test_figures_hide_groups_of_fewer_than_five(app, desk, organiser, make_event, make_user, register):
    """Gender and age range wait until check-in has closed (while counts change, one person's answer could be
    worked out). Then six women, two men and three who prefer not to say: the women are counted, the two smaller
    groups are not shown (nor their numbers), and the page says that groups of fewer than five are not shown;
    in English too.
    (With only the two men withheld, the total would give their number away, so the women would be withheld
    too: ``forum.core.figures``.)"""
    event = make_event(organiser, capacity=None)
    for gender, count in (("woman", 6), ("man", 2), ("undisclosed", 3)):
        for _n in range(count):
            register(make_user(gender=gender, age_range="30_44", sector="civil_society"), event)
    page = text(desk.get(f"/events/{event.id}/figures"))
    assert 'id="figures-registered-gender"' not in page and 'id="figures-registered-sector"' in page
    assert "check-in" in page or "control de acceso" in page
    event.starts_at, event.ends_at = utcnow() - timedelta(days=3), utcnow() - timedelta(days=2)
    commit()
    page = text(desk.get(f"/events/{event.id}/figures"))
    gender = page.split('id="figures-registered-gender"', 1)[1].split("</table>", 1)[0]
    with force_locale("es"):
        woman, man = str(GENDERS["woman"]), str(GENDERS["man"])
    assert f'<th scope="row">{woman}</th><td>6</td>' in gender and man not in gender
    assert ">2<" not in gender and ">3<" not in gender and "<td>11</td>" in gender
    assert _es("Groups of fewer than %(num)d people are not shown.", num=5) in page
    attended = page.split('id="figures-attended-gender"', 1)[1].split("</table>", 1)[0]
    assert woman not in attended and "<td>0</td>" in attended

    organiser.locale = "en"
    commit()
    english = text(browser(app, ORGANISER).get(f"/events/{event.id}/figures"))
    assert '<html lang="en">' in english and "Groups of fewer than 5 people are not shown." in english
    assert "<th scope=\"row\">Woman</th><td>6</td>" in english and ">Man<" not in english
    assert "Age range" in english and "<th scope=\"row\">30–44</th><td>11</td>" in english


def test_attended_figures_cannot_single_out_who_did_not_come(app, desk, organiser, make_event, make_user, register):
    """Organisers know who did not come: 14 women and 18 men registered, 12 women and 18 men came. Shown beside
    the registered, either group of those who came would tell that the 2 who stayed away are women: both are
    withheld, the total stays."""
    event = make_event(organiser, capacity=None)
    for gender, count, came in (("woman", 12, True), ("woman", 2, False), ("man", 18, True)):
        for _n in range(count):
            registration = register(make_user(gender=gender, age_range="30_44"), event)
            if came:
                registration.attended_at = utcnow()
    event.starts_at, event.ends_at = utcnow() - timedelta(days=3), utcnow() - timedelta(days=2)
    commit()
    page = text(desk.get(f"/events/{event.id}/figures"))
    with force_locale("es"):
        woman, man = str(GENDERS["woman"]), str(GENDERS["man"])
    registered = page.split('id="figures-registered-gender"', 1)[1].split("</table>", 1)[0]
    attended = page.split('id="figures-attended-gender"', 1)[1].split("</table>", 1)[0]
    assert f'<th scope="row">{woman}</th><td>14</td>' in registered
    assert woman not in attended and man not in attended and "<td>30</td>" in attended
