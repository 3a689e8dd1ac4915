"""Demo organisations and one account for each role. Idempotent."""

from __future__ import annotations

from sqlalchemy import select

from forum.accounts import services
from forum.accounts.models import Membership, Organisation
from forum.accounts.organisations import create_organisation
from forum.demo.common import PASSWORD
from forum.extensions import db
from forum.personal_data import consent

ORGANISATIONS = [
    dict(acronym="SRE", kind="federal_agency", state="CMX", website="https://www.gob.mx/sre",
         name_es="Secretaría de Relaciones Exteriores", name_en="Ministry of Foreign Affairs",
         description_es="Conduce la política exterior de México y coordina el diálogo con la Unión Europea.",
         description_en="Conducts Mexico's foreign policy and coordinates the dialogue with the European Union."),
    dict(acronym="SEGOB", kind="federal_agency", state="CMX", website="https://www.gob.mx/segob",
         name_es="Secretaría de Gobernación", name_en="Ministry of the Interior",
         description_es="Responsable de la política interior, los derechos humanos y la participación ciudadana.",
         description_en="Responsible for internal policy, human rights and citizen participation."),
    dict(acronym="SEDESOL", kind="federal_agency", state="CMX", website="https://www.gob.mx/bienestar",
         name_es="Secretaría de Desarrollo Social", name_en="Ministry of Social Development",
         description_es="Diseña programas sociales para reducir la pobreza y la desigualdad.",
         description_en="Designs social programmes to reduce poverty and inequality."),
    dict(acronym="GEO", kind="state_agency", state="OAX", website="https://www.oaxaca.gob.mx",
         name_es="Gobierno del Estado de Oaxaca", name_en="Government of the State of Oaxaca",
         description_es="Gobierno estatal de Oaxaca, socio territorial del programa.",
         description_en="State government of Oaxaca, a territorial partner of the programme."),
    dict(acronym="GESLP", kind="state_agency", state="SLP", website="https://www.slp.gob.mx",
         name_es="Gobierno del Estado de San Luis Potosí", name_en="Government of the State of San Luis Potosí",
         description_es="Gobierno estatal de San Luis Potosí, socio territorial del programa.",
         description_en="State government of San Luis Potosí, a territorial partner of the programme."),
    dict(acronym="UE", kind="international", state="CMX", website="https://www.eeas.europa.eu/delegations/mexico",
         name_es="Delegación de la Unión Europea en México", name_en="Delegation of the European Union to Mexico",
         description_es="Representa a la Unión Europea en México y acompaña el diálogo de cohesión social.",
         description_en="Represents the European Union in Mexico and accompanies the social cohesion dialogue."),
    dict(acronym="RMM", kind="cso", state="OAX",
         name_es="Red de Mujeres Mixtecas", name_en="Mixtec Women's Network",
         description_es="Colectivo de mujeres indígenas que promueve la participación política en la Mixteca.",
         description_en="Indigenous women's collective promoting political participation in the Mixteca region."),
    dict(acronym="OCP", kind="cso", state="SLP",
         name_es="Observatorio Ciudadano Potosino", name_en="Potosí Citizen Observatory",
         description_es="Da seguimiento ciudadano a la seguridad y la justicia en San Luis Potosí.",
         description_en="Citizen monitoring of security and justice in San Luis Potosí."),
    dict(acronym="JT", kind="cso", state="CMX",
         name_es="Jóvenes por la Transparencia", name_en="Youth for Transparency",
         description_es="Organización juvenil que impulsa el acceso a la información pública.",
         description_en="Youth organisation promoting access to public information."),
    dict(acronym="FED", kind="cso", state="NLE",
         name_es="Fundación Empleo Digno", name_en="Decent Work Foundation",
         description_es="Promueve el empleo formal y digno en el norte de México.",
         description_en="Promotes formal, decent employment in northern Mexico."),
]

# (e-mail, name, role, sector, state, organisation acronym, representative, locale, gender, age range)
USERS = [
    ("admin@foro.example", "Ana Admin", "admin", "international_cooperation", "CMX", None, False, "es",
     "woman", "30_44"),
    ("moderacion@foro.example", "Mateo Moderador", "moderator", "civil_society", "CMX", None, False, "es",
     "man", "30_44"),
    ("sre@foro.example", "Lucía Hernández", "participant", "federal_government", "CMX", "SRE", True, "es",
     "woman", "45_64"),
    ("segob@foro.example", "Jorge Ramírez", "participant", "federal_government", "CMX", "SEGOB", True, "es",
     "man", "45_64"),
    ("sedesol@foro.example", "Patricia Gómez", "participant", "federal_government", "CMX", "SEDESOL", True,
     "es", "woman", "30_44"),
    ("oaxaca@foro.example", "Eduardo Santiago", "participant", "state_government", "OAX", "GEO", True, "es",
     "man", "30_44"),
    ("slp@foro.example", "Mariana Torres", "participant", "state_government", "SLP", "GESLP", True, "es",
     "woman", "18_29"),
    ("eu@foro.example", "Claire Dubois", "participant", "international_cooperation", "outside", "UE", True,
     "en", "woman", "45_64"),
    ("rmm@foro.example", "Rosa López", "participant", "civil_society", "OAX", "RMM", True, "es", "woman",
     "18_29"),
    ("ocp@foro.example", "Daniel Martínez", "participant", "civil_society", "SLP", "OCP", True, "es",
     "non_binary", "18_29"),
    ("jt@foro.example", "Sofía Castillo", "participant", "civil_society", "CMX", "JT", True, "es", "woman",
     "18_29"),
    ("fed@foro.example", "Miguel Treviño", "participant", "civil_society", "NLE", "FED", True, "en", None, None),
    ("participante@foro.example", "Valeria Cruz", "participant", "academia", "PUE", None, False, "es",
     "woman", "18_29"),
]

#: an account whose membership request waits for a decision, so the approval flow can be tried at once
PENDING = ("solicitud@foro.example", "Tomás Reyes", "civil_society", "OAX", "RMM")


def _organisations() -> tuple[dict[str, Organisation], int]:
    existing = {o.acronym: o for o in db.session.scalars(select(Organisation))}
    created = 0
    for fields in ORGANISATIONS:
        if fields["acronym"] not in existing:
            existing[fields["acronym"]] = create_organisation(verified=True, **fields)
            created += 1
    return existing, created


def seed() -> int:
    """Create the demo organisations and accounts that are missing; returns how many were created."""
    organisations, created = _organisations()
    for email, name, role, sector, state, acronym, representative, locale, gender, age in USERS:
        if services.find_user_by_email(email):
            continue
        user = services.create_user(email=email, password=PASSWORD, display_name=name, role=role, sector=sector,
                                    state=state, locale=locale, gender=gender, age_range=age, confirmed=True)
        consent.accept(user)  # as everyone who opens an account does
        if acronym:
            db.session.add(Membership(user=user, organisation=organisations[acronym], status="approved",
                                      is_representative=representative))
        created += 1
    email, name, sector, state, acronym = PENDING
    if not services.find_user_by_email(email):
        user = services.create_user(email=email, password=PASSWORD, display_name=name, sector=sector,
                                    state=state, confirmed=True)
        consent.accept(user)
        db.session.add(Membership(user=user, organisation=organisations[acronym], status="pending"))
        created += 1
    db.session.flush()
    return created
