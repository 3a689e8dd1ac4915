"""A year of demo participation, so the indicators have figures to show: sixty people of many sectors and ages,
most of them in Oaxaca and San Luis Potosí (some leave gender or age range empty), who post on the public
thematic platforms over the last twelve months, reply on the open consultation, and register for (and attend)
the demo events; some of their posts are translated, a few are flagged and the flags dismissed. Groups reach five
people or more on the large values and stay smaller (withheld) on the rare ones.

Past activity is written as records with its own dates (a service would date it today); registrations for
upcoming events go through the events service. Everything is drawn from a seeded random generator, so every load
gives the same people and texts, dated relative to the day it runs. Added only when the demo people are not
there yet."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from forum.accounts import services as accounts
from forum.accounts.models import User
from forum.accounts.passwords import hash_password
from forum.consultations.comments import current_version
from forum.consultations.models import Comment, Consultation
from forum.core.db import utcnow
from forum.core.text import render
from forum.demo import consultations
from forum.demo.common import PASSWORD
from forum.events import registrations
from forum.events.models import Event, Registration
from forum.extensions import db
from forum.moderation.models import Flag, ModerationAction, QueueItem
from forum.platforms.models import Platform, PlatformMembership
from forum.threads.models import Post, PostTranslation, Thread

PEOPLE = 60
EMAIL = "persona{:02d}@foro.example"
#: how many of the demo people have each value (None: left empty)
STATES = {"OAX": 22, "SLP": 16, "CMX": 8, "PUE": 4, "CHP": 3, "NLE": 3, "YUC": 2, "outside": 2}
SECTORS = {"civil_society": 20, "academia": 9, "individual": 9, "state_government": 8, "municipal_government": 7,
           "private_sector": 4, "federal_government": 2, "international_cooperation": 1}
GENDERS = {"woman": 30, "man": 20, "non_binary": 2, "self_described": 1, "undisclosed": 2, None: 5}
AGE_RANGES = {"18_29": 18, "30_44": 20, "45_64": 12, "65_plus": 3, None: 7}

WOMEN = ["Guadalupe", "María José", "Itzel", "Xóchitl", "Fernanda", "Alejandra", "Yareli", "Citlali", "Carmen",
         "Beatriz", "Gabriela", "Natalia", "Leticia", "Ximena", "Adriana", "Elena"]
MEN = ["José Luis", "Juan Carlos", "Emiliano", "Rogelio", "Andrés", "Héctor", "Iván", "Santiago", "Raúl",
       "Alberto", "Ricardo", "Omar"]
SURNAMES = ["Hernández", "García", "Martínez", "López", "Pérez", "Sánchez", "Ramírez", "Cruz", "Mendoza",
            "Vásquez", "Jiménez", "Ruiz", "Morales", "Aguilar", "Ortiz", "Gutiérrez", "Chávez", "Zárate",
            "Bautista", "Méndez", "Castro", "Salinas", "Ríos", "Orozco"]

#: (platform slug, language, title) of the demo threads, oldest first
THREADS = [
    ("justicia", "es", "Defensorías comunitarias en la Mixteca: ¿qué ha funcionado?"),
    ("seguridad", "es", "Prevención de la violencia juvenil en la Huasteca potosina"),
    ("genero", "es", "Paridad en los cabildos de Oaxaca: balance de la última elección"),
    ("empleo", "en", "Apprenticeships for young people: lessons from the EU"),
    ("transparencia", "es", "Presupuestos participativos: ¿cómo publicar el seguimiento?"),
    ("justicia", "es", "Mediación en conflictos agrarios: experiencias en San Luis Potosí"),
    ("genero", "en", "Gender-responsive budgeting in state programmes"),
    ("seguridad", "es", "Policía de proximidad: indicadores que la ciudadanía entiende"),
    ("empleo", "es", "Cooperativas de mujeres artesanas y acceso a mercados"),
    ("transparencia", "es", "Solicitudes de información en lenguas indígenas"),
]
#: sentences the posts are made of, each in both languages (a translation uses the other one)
SENTENCES = [
    ("En nuestro municipio las reuniones se hacen en horario laboral y muchas mujeres no pueden asistir.",
     "In our municipality meetings are held during working hours and many women cannot attend."),
    ("Proponemos que los indicadores se publiquen cada trimestre y por municipio.",
     "We propose publishing the indicators every quarter and by municipality."),
    ("La experiencia de la Unión Europea muestra que la evaluación independiente es indispensable.",
     "The European Union's experience shows that independent evaluation is essential."),
    ("Hace falta contar con intérpretes de lenguas indígenas desde el primer contacto.",
     "Interpreters of Indigenous languages are needed from the first contact."),
    ("Los jóvenes participan más cuando las sesiones se transmiten en línea.",
     "Young people take part more when sessions are streamed online."),
    ("Sugiero invitar a las autoridades comunitarias a la siguiente mesa de trabajo.",
     "I suggest inviting the community authorities to the next working group."),
    ("Compartimos la metodología que usamos en la Costa de Oaxaca; con gusto la adaptamos.",
     "We are sharing the method we used on the Oaxaca coast; we are happy to adapt it."),
    ("¿Alguien tiene datos de cuántas personas quedaron fuera del programa el año pasado?",
     "Does anyone have figures on how many people were left out of the programme last year?"),
    ("Coincido: sin presupuesto etiquetado, los acuerdos se quedan en el papel.",
     "I agree: without an earmarked budget, the agreements stay on paper."),
    ("La universidad puede acompañar el levantamiento de datos con estudiantes de servicio social.",
     "The university can support the data collection with students on social service."),
    ("En San Luis Potosí funcionó combinar asambleas presenciales con un formulario sencillo.",
     "In San Luis Potosí it worked to combine in-person assemblies with a simple form."),
    ("Gracias por la información; la llevaremos a la reunión del consejo consultivo.",
     "Thank you for the information; we will take it to the advisory council meeting."),
]
#: replies on the open consultation, in both languages
REPLIES = [
    ("Estoy de acuerdo; en la Mixteca el padrón evitaría semanas de espera.",
     "I agree; in the Mixteca the register would save weeks of waiting."),
    ("También deberían incluirse las variantes del zapoteco de la Sierra Sur.",
     "The variants of Zapotec of the Sierra Sur should be included too."),
    ("Los tiempos de espera deberían publicarse también por lengua.",
     "Waiting times should also be published by language."),
    ("Desde la academia podemos apoyar la certificación de intérpretes.",
     "Academia can support the certification of interpreters."),
    ("Sin presupuesto para pagar a los intérpretes, el padrón no bastará.",
     "Without a budget to pay the interpreters, the register will not be enough."),
]
#: how many demo posts were flagged (every flag dismissed: the posts stay published), and why
FLAGGED_POSTS = 12
FLAG_REASONS = ("off_topic", "spam", "misinformation", "other")
#: registrations for each demo event: past events by record (with attendance), upcoming ones through the service
PAST_REGISTRATIONS = 36
UPCOMING_REGISTRATIONS = (14, 18)


def _spread(counts: dict, chance: random.Random) -> list:
    """One value per demo person, each as often as ``counts`` says, in a shuffled order."""
    values = [value for value, count in counts.items() for _ in range(count)]
    chance.shuffle(values)
    return values


def _name(chance: random.Random, gender: str | None, taken: set[str]) -> str:
    """A name not given yet, from the first names that go with ``gender`` (any for the others)."""
    firsts = WOMEN if gender == "woman" else MEN if gender == "man" else WOMEN + MEN
    while True:
        name = f"{chance.choice(firsts)} {chance.choice(SURNAMES)} {chance.choice(SURNAMES)}"
        if name not in taken:
            taken.add(name)
            return name


def _people(chance: random.Random, now: datetime) -> list[User]:
    """The sixty demo people, with their accounts dated over the last thirteen months (one password hash for all:
    hashing it sixty times would slow the seed down)."""
    password_hash = hash_password(PASSWORD)
    states, sectors, genders, ages = (_spread(counts, chance) for counts in (STATES, SECTORS, GENDERS, AGE_RANGES))
    names: set[str] = set()
    people = []
    for n in range(PEOPLE):
        name, abroad = _name(chance, genders[n], names), states[n] == "outside"
        # (the first few have been there since before the year the demo covers)
        joined = now - timedelta(days=380 + n if n < 6 else chance.uniform(15, 370))
        person = User(email=EMAIL.format(n + 1), password_hash=password_hash, display_name=name,
                      handle=accounts.handle_for(name), locale="en" if abroad or n % 9 == 0 else "es",
                      timezone="Europe/Madrid" if abroad else "America/Mexico_City", sector=sectors[n],
                      state=states[n], gender=genders[n], age_range=ages[n],
                      gender_description="muxe" if genders[n] == "self_described" else None,
                      created_at=joined, email_confirmed_at=joined)
        db.session.add(person)
        people.append(person)
    db.session.flush()
    return people


def _text(numbers: list[int], language: str, pool: list[tuple[str, str]]) -> str:
    return " ".join(pool[number][0 if language == "es" else 1] for number in numbers)


def _translation(chance: random.Random, post: Post, numbers: list[int], translators: dict[str, User],
                 now: datetime) -> PostTranslation:
    """The post in the other language, by its author, the platform's community translator or a moderator."""
    language = "en" if post.language == "es" else "es"
    provenance = chance.choice(("author", "community" if post.thread.platform.slug in ("justicia", "transparencia")
                                else "moderator", "moderator"))
    body = _text(numbers, language, SENTENCES)
    when = min(post.created_at + timedelta(hours=chance.uniform(1, 120)), now)
    return PostTranslation(post=post, language=language, body_source=body, body_html=render(body).html,
                           translator=post.author if provenance == "author" else translators[provenance],
                           provenance=provenance, source_revision=1, created_at=when, updated_at=when)


def _threads(chance: random.Random, people: list[User], now: datetime) -> list[Post]:
    """The demo threads, one every month or so, each busy for up to three months; their posts (the opening one in
    the thread's language, replies in their authors'), translations, and the authors' platform memberships."""
    platforms = {p.slug: p for p in db.session.scalars(select(Platform).where(
        Platform.slug.in_({slug for slug, _language, _title in THREADS})))}
    translators = {"community": accounts.find_user_by_email("participante@foro.example"),
                   "moderator": accounts.find_user_by_email("moderacion@foro.example")}
    joined: dict[tuple[Platform, int], datetime] = {}
    posts = []
    for number, (slug, language, title) in enumerate(THREADS):
        opened = now - timedelta(days=350 - 34 * number + chance.uniform(-5, 5))
        replies = [min(opened + timedelta(days=chance.uniform(0.1, 90)), now - timedelta(hours=1))
                   for _ in range(chance.randint(14, 28))]
        thread = Thread(platform=platforms[slug], title=title, kind="discussion", language=language,
                        created_at=opened, last_activity_at=max(replies), reply_count=len(replies))
        for position, when in enumerate([opened, *sorted(replies)]):
            author = chance.choice([person for person in people if person.created_at < when])
            joined.setdefault((thread.platform, author.id), when)
            written_in = language if position == 0 else author.locale
            numbers = chance.sample(range(len(SENTENCES)), chance.randint(1, 2))
            body = _text(numbers, written_in, SENTENCES)
            post = Post(thread=thread, author=author, language=written_in, body_source=body,
                        body_html=render(body).html, created_at=when)
            thread.author = thread.author or author
            db.session.add(post)
            posts.append(post)
            if chance.random() < 0.25:
                db.session.add(_translation(chance, post, numbers, translators, now))
    db.session.add_all(PlatformMembership(platform=platform, user_id=person_id, status="approved", requested_at=when,
                                          decided_at=when) for (platform, person_id), when in joined.items())
    db.session.flush()
    for thread, post_id in {post.thread: post.id for post in posts}.items():  # (the last post of each thread)
        thread.last_post_id = post_id
    return posts


def _flags(chance: random.Random, people: list[User], posts: list[Post], now: datetime) -> None:
    """A few posts flagged by another demo person, each queued and dismissed by the moderator within two days
    (so the posts stay published), with the moderation log's entry."""
    moderator = accounts.find_user_by_email("moderacion@foro.example")
    for post in chance.sample([p for p in posts if p.created_at < now - timedelta(days=5)], FLAGGED_POSTS):
        flagged = min(post.created_at + timedelta(hours=chance.uniform(1, 72)), now - timedelta(days=3))
        decided = flagged + timedelta(minutes=chance.randint(20, 2_880))
        reason = chance.choice(FLAG_REASONS)
        flagger = chance.choice([person for person in people if person is not post.author])
        queued = QueueItem(target_type="post", target_id=post.id, platform_id=post.thread.platform_id,
                           language=post.language, cause="flagged", status="closed", reason=reason, opened_at=flagged,
                           decided_by_id=moderator.id, decided_at=decided, decision="dismiss")
        db.session.add_all([queued, Flag(target_type="post", target_id=post.id, platform_id=post.thread.platform_id,
                                         user_id=flagger.id, reason=reason, status="dismissed", created_at=flagged,
                                         decided_at=decided)])
        db.session.flush()
        db.session.add(ModerationAction(
            created_at=decided, moderator_id=moderator.id, item_id=queued.id, target_type="post", target_id=post.id,
            platform_id=post.thread.platform_id, subject_id=post.author_id, action="dismiss", reason=reason,
            minutes_to_decision=int((decided - flagged).total_seconds() // 60)))


def _replies(chance: random.Random, people: list[User], now: datetime) -> int:
    """Replies of demo people to the comments on the open demo consultation, since it opened (only replies: its
    three answerable comments, two of them answered, stay as the consultation demo made them)."""
    consultation = db.session.scalar(select(Consultation).where(Consultation.title_es == consultations.TITLE_ES))
    commented = [] if consultation is None else list(db.session.scalars(select(Comment).where(
        Comment.consultation_id == consultation.id, Comment.parent_id.is_(None)).order_by(Comment.id)))
    if not commented:
        return 0
    local = [person for person in people if person.state in ("OAX", "SLP")]
    authors = chance.sample(local, 18) + chance.sample([p for p in people if p.state not in ("OAX", "SLP")], 4)
    version = current_version(consultation)
    for author in authors:
        parent = chance.choice(commented)
        body = REPLIES[chance.randrange(len(REPLIES))][0 if author.locale == "es" else 1]
        db.session.add(Comment(
            consultation=consultation, version=version, paragraph_key=parent.paragraph_key, parent=parent,
            author=author, kind="reply", language=author.locale, body_source=body, body_html=render(body).html,
            created_at=consultation.opens_at + (now - consultation.opens_at) * chance.uniform(0.05, 0.95)))
    return len(authors)


def _answers(event: Event, number: int) -> dict[str, object]:
    """Answers to the organisers' questions that vary from person to person."""
    return {str(question.id): number % len(question.options) if question.kind == "single_choice"
            else number % 2 == 0 for question in event.questions}


def _past_registrations(chance: random.Random, people: list[User], event: Event) -> int:
    """Registrations made between the event's announcement and its eve; one in nine cancelled, three in four of
    the others checked in."""
    announced = event.published_at or event.starts_at - timedelta(days=20)
    eligible = [person for person in people if person.created_at < announced]
    chosen = chance.sample(eligible, min(PAST_REGISTRATIONS, len(eligible)))
    for number, person in enumerate(chosen):
        registered = announced + (event.starts_at - timedelta(days=1) - announced) * chance.uniform(0, 1)
        cancelled = number % 9 == 8
        db.session.add(Registration(
            event=event, user_id=person.id, status="cancelled" if cancelled else "confirmed", code=f"PART{number:02d}",
            name=person.display_name, email=person.email, locale=person.locale, gender=person.gender,
            age_range=person.age_range, answers=_answers(event, number), created_at=registered,
            updated_at=registered, confirmed_at=registered,
            cancelled_at=registered + (event.starts_at - registered) / 2 if cancelled else None,
            attended_at=event.starts_at + timedelta(minutes=chance.randint(0, 40))
            if not cancelled and number % 4 else None, **registrations.profile_defaults(person)))
    return len(chosen)


def _registrations(chance: random.Random, people: list[User], now: datetime) -> int:
    """The demo people's registrations for every published demo event."""
    created = 0
    upcoming = iter(UPCOMING_REGISTRATIONS)
    for event in db.session.scalars(select(Event).where(Event.status == "published").order_by(Event.starts_at)):
        if event.starts_at < now:
            created += _past_registrations(chance, people, event)
            continue
        for number, person in enumerate(chance.sample(people, next(upcoming, 0))):
            registrations.register(person, event, answers=_answers(event, number),
                                   **registrations.profile_defaults(person))
            created += 1
    return created


def seed() -> int:
    """Add the demo people and their year of participation, unless they are there already; returns how many
    records were added. The caller commits."""
    if accounts.find_user_by_email(EMAIL.format(1)) is not None:
        return 0
    chance, now = random.Random(2026), utcnow().replace(microsecond=0)
    people = _people(chance, now)
    posts = _threads(chance, people, now)
    _flags(chance, people, posts, now)
    created = len(people) + len(posts) + FLAGGED_POSTS + _replies(chance, people, now)
    created += _registrations(chance, people, now)
    db.session.flush()
    return created
