"""Demo platforms, their members and duties, and bilingual conversations with replies and translations."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts import services as accounts
from forum.extensions import db
from forum.notifications import services as notifications
from forum.platforms import services as platforms
from forum.platforms.models import Platform, PlatformMembership
from forum.threads import queries
from forum.threads import services as threads
from forum.threads.models import Thread

PLATFORMS = [
    dict(slug="justicia", icon="scale", colour="#5b2a86", name_es="Justicia", name_en="Justice",
         description_es="Acceso a la justicia, reforma del sistema penal y derechos de las víctimas.",
         description_en="Access to justice, criminal-justice reform and victims' rights."),
    dict(slug="seguridad", icon="shield", colour="#7a2e1c", name_es="Seguridad", name_en="Security",
         description_es="Seguridad ciudadana, prevención de la violencia y participación comunitaria.",
         description_en="Citizen security, violence prevention and community participation."),
    dict(slug="genero", icon="equality", colour="#8a1f4d", name_es="Género", name_en="Gender",
         description_es="Igualdad de género, participación política de las mujeres y vidas libres de violencia.",
         description_en="Gender equality, women's political participation and lives free of violence."),
    dict(slug="empleo", icon="briefcase", colour="#1f5f3b", name_es="Empleo", name_en="Employment",
         description_es="Trabajo digno, formalización del empleo y juventudes en el mercado laboral.",
         description_en="Decent work, formal employment and young people in the labour market."),
    dict(slug="transparencia", icon="eye", colour="#0b4f6c", name_es="Transparencia", name_en="Transparency",
         description_es="Acceso a la información, datos abiertos y rendición de cuentas.",
         description_en="Access to information, open data and accountability."),
    dict(slug="mesa-tecnica-segob-osc", icon="people", colour="#3d4a5c", visibility="members",
         join_policy="approval", name_es="Mesa técnica SEGOB–OSC", name_en="SEGOB–CSO technical table",
         description_es="Grupo de trabajo cerrado entre SEGOB y organizaciones de la sociedad civil sobre el "
                        "protocolo de consulta.",
         description_en="Closed working group of SEGOB and civil-society organisations on the consultation "
                        "protocol."),
]

#: platform slug → e-mail addresses of its members
MEMBERS = {
    "justicia": ["rmm@foro.example", "oaxaca@foro.example", "eu@foro.example", "ocp@foro.example",
                 "participante@foro.example", "segob@foro.example"],
    "seguridad": ["ocp@foro.example", "slp@foro.example", "segob@foro.example", "eu@foro.example"],
    "genero": ["rmm@foro.example", "sre@foro.example", "jt@foro.example", "eu@foro.example",
               "participante@foro.example"],
    "empleo": ["fed@foro.example", "sedesol@foro.example", "jt@foro.example", "eu@foro.example"],
    "transparencia": ["jt@foro.example", "sedesol@foro.example", "participante@foro.example",
                      "ocp@foro.example"],
    "mesa-tecnica-segob-osc": ["segob@foro.example", "rmm@foro.example", "ocp@foro.example"],
}

#: (platform slug, e-mail, duty)
DUTIES = [
    ("genero", "rmm@foro.example", "moderator"),
    ("mesa-tecnica-segob-osc", "segob@foro.example", "moderator"),
    ("justicia", "participante@foro.example", "translator"),
    ("transparencia", "participante@foro.example", "translator"),
]

#: (platform slug, e-mail): people told of every new thread on a platform (their bell has something at once)
FOLLOWS = [
    ("justicia", "participante@foro.example"),
    ("genero", "participante@foro.example"),
    ("genero", "eu@foro.example"),
]

#: platform, title, kind, tags, then posts: (author e-mail, language, text, optional translation as
#: (translator e-mail, text))
CONVERSATIONS = [
    ("justicia", "Acceso a la justicia para mujeres indígenas en Oaxaca", "discussion", "oaxaca, justicia-indigena", [
        ("rmm@foro.example", "es",
         "En la Mixteca, muchas mujeres no denuncian porque **no hay intérpretes** en las fiscalías. "
         "¿Qué experiencias conocen de defensorías con intérpretes en lenguas indígenas?", None),
        ("oaxaca@foro.example", "es",
         "El Gobierno de Oaxaca abrió en 2026 dos módulos con intérpretes de mixteco y zapoteco en "
         "Tlaxiaco y Huajuapan. Podemos compartir los primeros datos de atención.", None),
        ("eu@foro.example", "en",
         "The EU's justice programme funded similar interpreter networks in Guatemala. We would be glad to "
         "share the evaluation with @rosa.lopez and the Oaxaca team.",
         ("participante@foro.example",
          "El programa de justicia de la UE financió redes similares de intérpretes en Guatemala. Con gusto "
          "compartimos la evaluación con @rosa.lopez y el equipo de Oaxaca.")),
    ]),
    ("seguridad", "Indicadores ciudadanos de seguridad en San Luis Potosí", "question", "indicadores, slp", [
        ("ocp@foro.example", "es",
         "¿Qué indicadores de percepción de seguridad deberíamos publicar cada trimestre para que sean "
         "comparables con los de otras entidades?", None),
        ("slp@foro.example", "es",
         "Proponemos usar los mismos reactivos de la ENVIPE para comparar, más dos preguntas locales sobre "
         "transporte público.", None),
    ]),
    ("genero", "Convocatoria: diálogo UE–México sobre igualdad de género 2027", "announcement", "convocatoria", [
        ("sre@foro.example", "es",
         "La Secretaría de Relaciones Exteriores invita a las organizaciones de la sociedad civil a proponer "
         "temas para el diálogo de alto nivel sobre igualdad de género de 2027.",
         ("sre@foro.example",
          "The Ministry of Foreign Affairs invites civil-society organisations to propose topics for the 2027 "
          "high-level dialogue on gender equality.")),
        ("jt@foro.example", "es",
         "Proponemos incluir la participación política de mujeres jóvenes en los municipios.", None),
    ]),
    ("empleo", "Decent work in the digital platform economy", "discussion", "plataformas-digitales", [
        ("fed@foro.example", "en",
         "Delivery and ride-hailing workers in Monterrey still lack social security. Which of the EU's "
         "platform-work rules could inspire Mexican regulation?", None),
        ("sedesol@foro.example", "es",
         "La reforma de 2025 ya obliga a inscribir a quienes superan el salario mínimo; falta medir cuántas "
         "personas jóvenes quedan fuera.", None),
    ]),
    ("transparencia", "¿Cómo publicar los datos abiertos de los programas sociales?", "question", "datos-abiertos", [
        ("jt@foro.example", "es",
         "¿Qué formato recomiendan para publicar los padrones de beneficiarios sin exponer datos personales?",
         None),
    ]),
    ("mesa-tecnica-segob-osc", "Borrador del protocolo de consulta: comentarios", "discussion", "protocolo", [
        ("segob@foro.example", "es",
         "Compartimos el borrador del protocolo de consulta con pueblos indígenas. Les pedimos comentarios "
         "antes de la sesión del 10 de diciembre.", None),
        ("rmm@foro.example", "es",
         "El plazo de respuesta de 15 días es muy corto para las asambleas comunitarias; sugerimos 45.", None),
        ("ocp@foro.example", "es", "Coincidimos con la Red de Mujeres Mixtecas sobre los plazos.", None),
    ]),
]


def _platforms() -> tuple[dict[str, Platform], int]:
    existing = {p.slug: p for p in db.session.scalars(select(Platform))}
    created = 0
    for fields in PLATFORMS:
        if fields["slug"] not in existing:
            existing[fields["slug"]] = platforms.create_platform(None, **fields)
            created += 1
    return existing, created


def _people(platform_by_slug: dict[str, Platform]) -> int:
    created = 0
    for slug, emails in MEMBERS.items():
        platform = platform_by_slug[slug]
        members = set(db.session.scalars(select(PlatformMembership.user_id)
                                         .where(PlatformMembership.platform_id == platform.id)))
        for email in emails:
            user = accounts.find_user_by_email(email)
            if user.id not in members:
                db.session.add(PlatformMembership(platform=platform, user_id=user.id, status="approved"))
                created += 1
    for slug, email, role in DUTIES:
        platforms.grant_role(None, platform_by_slug[slug], accounts.find_user_by_email(email), role)
    for slug, email in FOLLOWS:
        notifications.follow(accounts.find_user_by_email(email), "platform", platform_by_slug[slug].id)
    db.session.flush()
    return created


def _conversations(platform_by_slug: dict[str, Platform]) -> int:
    # The demo conversations are published at once (``review=False``): the seed plays a programme that has been
    # running for a while, so its authors are past pre-moderation, and no approval is left waiting in the queue.
    created = 0
    titles = set(db.session.scalars(select(Thread.title)))
    for slug, title, kind, tags, posts in CONVERSATIONS:
        if title in titles:
            continue
        (author, language, text, translation), *replies = posts
        thread = threads.start_thread(accounts.find_user_by_email(author), platform_by_slug[slug], title=title,
                                      body=text, kind=kind, language=language, tags=tags,
                                      review=False)
        written = [(queries.opening_post(thread), translation)]
        for author, language, text, translation in replies:
            post = threads.reply(accounts.find_user_by_email(author), thread, body=text, language=language,
                                 review=False)
            written.append((post, translation))
        for post, translation in written:
            if translation:
                threads.translate(accounts.find_user_by_email(translation[0]), post, body=translation[1])
        created += 1
    return created


def seed() -> int:
    """Create the demo platforms, memberships, duties and conversations that are missing."""
    platform_by_slug, created = _platforms()
    created += _people(platform_by_slug)
    created += _conversations(platform_by_slug)
    db.session.flush()
    return created
