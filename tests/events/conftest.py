"""Event factories: ``make_event(organiser, **fields)`` creates and publishes an event (tomorrow, in Mexico
City, 50 seats unless told otherwise); ``register(user, event, **fields)`` registers through the service."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.core.db import commit, utcnow
from forum.events import registrations, services


@pytest.fixture
def organiser(make_user, make_organisation, add_member):
    """An official of a verified federal agency (officials create events)."""
    user = make_user("organiser@sre.gob.mx", display_name="Organizadora SRE", sector="federal_government")
    add_member(user, make_organisation(acronym="SRE", name_es="Secretaría de Relaciones Exteriores"))
    return user


@pytest.fixture
def make_event(app):
    """``make_event(organiser, publish=True, **fields)``: an event starting tomorrow at 10:00 Mexico City time."""

    def make(organiser, *, publish: bool = True, **fields):
        start = (utcnow() + timedelta(days=1)).replace(hour=16, minute=0, second=0, microsecond=0)
        values = {"title_es": "Diálogo UE–México sobre justicia", "title_en": "EU–Mexico dialogue on justice",
                  "description_es": "Un diálogo.", "description_en": "A dialogue.", "kind": "dialogue",
                  "venue_name": "Casa de la Cultura", "city": "Oaxaca de Juárez", "state": "OAX",
                  "starts_at": start, "ends_at": start + timedelta(hours=3), "capacity": 50,
                  "organisations": [], **fields}
        event = services.create(organiser, **values)
        if publish:
            services.publish(organiser, event)
        commit()
        return event

    return make


@pytest.fixture
def register(app):
    """``register(user, event, **fields)``: the user's registration (sector from their profile)."""

    def make(user, event, **fields):
        registration, _created = registrations.register(user, event, **fields)
        commit()
        return registration

    return make
