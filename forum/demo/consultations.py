"""A demo consultation: SEGOB consults on Justicia about the protocol for interpreters of Indigenous languages,
open since last week, in both languages, with comments on paragraphs, a reply and two official answers. Added
only when no consultation has its Spanish title yet."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from forum.accounts import services as accounts
from forum.accounts.models import Organisation
from forum.consultations import comments, services
from forum.consultations.models import Consultation
from forum.core.db import utcnow
from forum.extensions import db

TITLE_ES = "Protocolo de intérpretes en lenguas indígenas para fiscalías"

DRAFT_ES = """El presente protocolo establece cómo las fiscalías garantizan la interpretación en lenguas indígenas.

## 1. Objetivo

Garantizar que toda persona indígena que acuda a una fiscalía cuente con intérprete de su lengua desde el
primer contacto.

Las fiscalías llevarán un padrón público de intérpretes certificados por lengua y variante.

## 2. Alcance

El protocolo aplica en las fiscalías del fuero común de Oaxaca y San Luis Potosí.

## 3. Seguimiento

Cada trimestre se publicarán los tiempos de espera para contar con intérprete, por municipio.
"""

DRAFT_EN = """This protocol sets out how prosecutors' offices guarantee interpretation in Indigenous languages.

## 1. Aim

To guarantee that every Indigenous person who comes to a prosecutor's office has an interpreter of their
language from the first contact.

Prosecutors' offices will keep a public register of certified interpreters by language and variant.

## 2. Scope

The protocol applies in the state prosecutors' offices of Oaxaca and San Luis Potosí.

## 3. Follow-up

Waiting times for an interpreter will be published every quarter, by municipality.
"""


def seed() -> int:
    """Add the demo consultation if it is missing; returns how many records were added. The caller commits."""
    if db.session.scalar(select(Consultation.id).where(Consultation.title_es == TITLE_ES)) is not None:
        return 0
    official = accounts.find_user_by_email("segob@foro.example")
    segob = db.session.scalar(select(Organisation).where(Organisation.acronym == "SEGOB"))
    people = {email: accounts.find_user_by_email(email)
              for email in ("rmm@foro.example", "ocp@foro.example", "eu@foro.example", "participante@foro.example")}
    if official is None or segob is None or None in people.values():
        return 0
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    consultation = services.create(
        official, organisation=segob.id, platform="justicia", title_es=TITLE_ES,
        title_en="Protocol for interpreters of Indigenous languages in prosecutors' offices",
        summary_es="SEGOB somete a consulta el borrador del protocolo. **Comente párrafo por párrafo**: "
                   "responderemos cada comentario.",
        summary_en="SEGOB consults on the draft protocol. **Comment paragraph by paragraph**: we will answer "
                   "every comment.",
        question_es="¿Qué haría falta para que el protocolo funcione en su municipio?",
        question_en="What would the protocol need to work in your municipality?",
        opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=21), text_es=DRAFT_ES, text_en=DRAFT_EN)
    services.publish(official, consultation)
    support = comments.comment(people["rmm@foro.example"], consultation, kind="support", paragraph=2,
                               body="El padrón público es indispensable; hoy nadie sabe a quién llamar.")
    proposal = comments.comment(
        people["ocp@foro.example"], consultation, kind="proposal", paragraph=4,
        body="San Luis Potosí tiene comunidades tének y náhuatl en la Huasteca: conviene nombrarlas.",
        replacement="El protocolo aplica en las fiscalías del fuero común de Oaxaca y San Luis Potosí, incluidas "
                    "las sedes regionales de la Huasteca.")
    comments.comment(people["eu@foro.example"], consultation, kind="concern", paragraph=5, language="en",
                     body="Quarterly figures are welcome; please also publish how many requests went unanswered.")
    comments.comment(people["participante@foro.example"], consultation, body="Coincido con esta propuesta.",
                     parent=proposal)
    comments.answer(official, support, status="accepted",
                    explanation_es="El padrón se publicará en el portal de la fiscalía de cada estado.",
                    explanation_en="The register will be published on each state prosecutor's website.")
    comments.answer(official, proposal, status="partly_accepted",
                    explanation_es="Se nombrarán las sedes regionales; la lista de lenguas irá en un anexo.",
                    explanation_en="Regional offices will be named; the list of languages will go in an annex.")
    db.session.flush()
    return 1
