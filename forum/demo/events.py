"""Demo events: an in-person dialogue in Oaxaca with interpretation, seat quotas, agenda and registrations; an
online webinar on youth employment; and a past transparency forum with attendance, for the figures. Dates are
set relative to the day the demo is loaded; an event is only added when none has its Spanish title yet."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from forum.accounts import services as accounts
from forum.accounts.models import Organisation
from forum.core.db import utcnow
from forum.events import registrations, services
from forum.events.models import Event, Registration
from forum.extensions import db


def _day(days: int, hour_utc: int) -> object:
    return (utcnow() + timedelta(days=days)).replace(hour=hour_utc, minute=0, second=0, microsecond=0)


def _organisations(*acronyms: str) -> list[int]:
    return list(db.session.scalars(select(Organisation.id).where(Organisation.acronym.in_(acronyms))))


def _dialogue() -> dict:
    start = _day(21, 15)
    return dict(
        organiser="segob@foro.example", attendees=["rmm@foro.example", "ocp@foro.example",
                                                   "participante@foro.example", "oaxaca@foro.example"],
        fields=dict(
            title_es="Diálogo UE–México: acceso a la justicia para pueblos indígenas en Oaxaca",
            title_en="EU–Mexico dialogue: access to justice for Indigenous peoples in Oaxaca",
            description_es="Encuentro entre fiscalías, defensorías, organizaciones de la sociedad civil y la "
                           "Delegación de la UE para revisar el **protocolo de intérpretes** y acordar los "
                           "siguientes pasos.",
            description_en="A meeting of prosecutors' offices, public defenders, civil-society organisations and "
                           "the EU Delegation to review the **interpreters' protocol** and agree next steps.",
            kind="dialogue", platforms=["justicia"], organisations=_organisations("SEGOB", "UE"),
            venue_name="Centro Cultural San Pablo", venue_address="Hidalgo 907, Centro", city="Oaxaca de Juárez",
            state="OAX", starts_at=start, ends_at=start + timedelta(hours=5), timezone="America/Mexico_City",
            capacity=40, interpretation=True, registration_closes_at=start - timedelta(days=2)),
        agenda=[(0, "Bienvenida e inauguración", "Welcome and opening", "SEGOB; Delegación de la UE en México"),
                (30, "Presentación del protocolo de intérpretes", "Presenting the interpreters' protocol",
                 "Red de Mujeres por la Justicia"),
                (120, "Mesas de trabajo", "Working groups", ""),
                (270, "Acuerdos y cierre", "Agreements and closing", "")],
        questions=[dict(kind="single_choice", label_es="¿En qué mesa de trabajo quiere participar?",
                        label_en="Which working group would you like to join?", required=True,
                        options="Fiscalías | Prosecutors' offices\nDefensorías | Public defenders\n"
                                "Intérpretes comunitarios | Community interpreters")],
        quotas=[dict(sector="federal_government", maximum=10),
                dict(sector="civil_society", reserved=20, reserved_until=start - timedelta(days=7))],
    )


def _webinar() -> dict:
    start = _day(9, 17)
    return dict(
        organiser="sedesol@foro.example", attendees=["jt@foro.example", "fed@foro.example"],
        fields=dict(
            title_es="Webinario: empleo juvenil y economía social",
            title_en="Webinar: youth employment and the social economy",
            description_es="Experiencias europeas y mexicanas de cooperativas juveniles.",
            description_en="European and Mexican experiences of youth cooperatives.",
            kind="webinar", platforms=["empleo"], organisations=_organisations("SEDESOL"),
            online_url="https://meet.example.org/empleo-juvenil", starts_at=start,
            ends_at=start + timedelta(hours=2), timezone="America/Mexico_City", capacity=100, interpretation=True),
        agenda=[(0, "Cooperativas juveniles en la UE", "Youth cooperatives in the EU", "Claire Dubois (UE)"),
                (45, "Economía social en San Luis Potosí", "Social economy in San Luis Potosí", "")],
        questions=[dict(kind="yes_no", label_es="¿Su organización trabaja con jóvenes?",
                        label_en="Does your organisation work with young people?")],
        quotas=[],
    )


def _add(spec: dict) -> Event | None:
    organiser = accounts.find_user_by_email(spec["organiser"])
    if organiser is None:
        return None
    event = services.create(organiser, **spec["fields"])
    for minutes, title_es, title_en, speakers in spec["agenda"]:
        services.add_agenda_item(organiser, event, starts_at=event.starts_at + timedelta(minutes=minutes),
                                 title_es=title_es, title_en=title_en, speakers=speakers)
    for question in spec["questions"]:
        services.add_question(organiser, event, **question)
    services.publish(organiser, event)
    for quota in spec["quotas"]:
        services.set_quota(organiser, event, **quota)
    for email in spec["attendees"]:
        person = accounts.find_user_by_email(email)
        if person is not None:
            answers = {str(q.id): 0 if q.kind == "single_choice" else True for q in event.questions}
            registrations.register(person, event, answers=answers, listed=True,
                                   **registrations.profile_defaults(person))
    return event


#: the people registered for the past forum (three in four attended)
PAST_ATTENDEES = ("jt@foro.example", "ocp@foro.example", "slp@foro.example", "rmm@foro.example",
                  "participante@foro.example", "sedesol@foro.example", "eu@foro.example", "fed@foro.example")


def _past_forum() -> Event | None:
    """A forum held last month, with registrations and attendance (published directly: services only publish upcoming
    events)."""
    organiser = accounts.find_user_by_email("jt@foro.example")
    if organiser is None:
        return None
    start = _day(-30, 16)
    event = Event(organiser=organiser, status="published", published_at=start - timedelta(days=20),
                  title_es="Foro de transparencia y datos abiertos 2026",
                  title_en="Transparency and open data forum 2026", kind="forum", venue_name="Casa de la Cultura",
                  city="San Luis Potosí", state="SLP", starts_at=start, ends_at=start + timedelta(hours=4),
                  capacity=60, description_es="Balance de las solicitudes de información en los estados.",
                  description_html_es="<p>Balance de las solicitudes de información en los estados.</p>",
                  description_en="Review of information requests in the states.",
                  description_html_en="<p>Review of information requests in the states.</p>")
    db.session.add(event)
    db.session.flush()
    for number, email in enumerate(PAST_ATTENDEES):
        person = accounts.find_user_by_email(email)
        if person is None:
            continue
        defaults = registrations.profile_defaults(person)
        db.session.add(Registration(
            event=event, user_id=person.id, status="confirmed", code=f"DEMO{number:02d}", name=person.display_name,
            email=person.email, locale=person.locale, gender=person.gender, age_range=person.age_range,
            confirmed_at=start - timedelta(days=10), attended_at=start if number % 4 else None, **defaults))
    return event


def seed() -> int:
    """Add the demo events that are missing; returns how many were added. The caller commits."""
    created = 0
    for spec in (_dialogue(), _webinar()):
        if db.session.scalar(select(Event.id).where(Event.title_es == spec["fields"]["title_es"])) is None:
            created += _add(spec) is not None
    if db.session.scalar(select(Event.id).where(Event.title_es == "Foro de transparencia y datos abiertos 2026")) \
            is None:
        created += _past_forum() is not None
    db.session.flush()
    return created
