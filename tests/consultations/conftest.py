"""Consultation factories: ``official`` (of verified SEGOB, a member of the Justicia platform) and
``make_consultation(official, publish=True, **fields)`` (open from an hour ago for two weeks)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.consultations import services
from forum.core.db import commit, utcnow
from forum.extensions import db
from forum.platforms.models import PlatformMembership

DRAFT_ES = "## 1. Objetivo\n\nGarantizar intérpretes.\n\nEn todas las fiscalías.\n\n## 2. Alcance\n\nOaxaca."
DRAFT_EN = "## 1. Aim\n\nGuarantee interpreters.\n\nIn every prosecutor's office.\n\n## 2. Scope\n\nOaxaca."


@pytest.fixture
def justicia(make_platform):
    """The public Justicia platform."""
    return make_platform(slug="justicia", name_es="Justicia", name_en="Justice")


@pytest.fixture
def segob(make_organisation):
    """The verified federal agency that consults."""
    return make_organisation(acronym="SEGOB", name_es="Secretaría de Gobernación")


@pytest.fixture
def official(make_user, add_member, segob, justicia, app):
    """Jorge, an official of SEGOB and a member of Justicia."""
    user = make_user("jorge@segob.gob.mx", display_name="Jorge Ramírez", sector="federal_government")
    add_member(user, segob)
    db.session.add(PlatformMembership(platform=justicia, user=user))
    commit()
    return user


@pytest.fixture
def make_consultation(app, segob, justicia):
    """``make_consultation(official, publish=True, **fields)``."""

    def make(author, *, publish: bool = True, **fields):
        now = utcnow()
        values = {"organisation": segob.id, "platform": justicia.slug, "title_es": "Protocolo de intérpretes",
                  "title_en": "Interpreters' protocol", "question_es": "¿Qué cambiaría?",
                  "opens_at": now - timedelta(hours=1), "closes_at": now + timedelta(days=14),
                  "text_es": DRAFT_ES, "text_en": DRAFT_EN, **fields}
        consultation = services.create(author, **values)
        if publish:
            services.publish(author, consultation)
        commit()
        return consultation

    return make
