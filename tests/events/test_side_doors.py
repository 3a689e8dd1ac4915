"""Ways around the rules that were closed: a members-only event's thread, self-declared figures that change one
person at a time, decisions on events that are over or cancelled, and input that once made the server fail."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from werkzeug.datastructures import FileStorage

from forum.core.db import commit, utcnow
from forum.core.errors import ActionRefused
from forum.documents import services as documents
from forum.events import figures, queries, registrations, services
from forum.events.models import Registration, event_documents
from forum.extensions import db
from forum.platforms import rules as platform_rules
from tests.conftest import saved


def test_a_members_only_event_never_opens_its_thread_on_a_public_platform(client, organiser, make_platform,
                                                                          make_event):
    public = make_platform(slug="publica", members=[organiser])
    closed = make_platform(slug="mesa", members=[organiser], visibility="members")
    only_public = make_event(organiser, access="members", platforms=[public.slug], title_es="PRIVADO uno",
                             description_es="SECRETO")
    assert saved(only_public).thread_id is None
    both = make_event(organiser, access="members", platforms=[public.slug, closed.slug], title_es="PRIVADO dos")
    thread = saved(both).thread
    assert thread.platform_id == closed.id
    assert client.get(f"/t/{thread.id}").status_code == 404
    assert "PRIVADO" not in client.get("/p/publica").get_data(as_text=True)


def test_gender_and_age_wait_until_check_in_has_closed(organiser, make_event, make_user, register):
    event = make_event(organiser)
    for _n in range(6):
        register(make_user(gender="woman"), event)
    assert set(figures.figures(event)["registered"]) == {"sector", "organisation_kind", "state"}
    event.starts_at, event.ends_at = utcnow() - timedelta(days=2, hours=3), utcnow() - timedelta(days=2)
    commit()
    assert figures.figures(event)["registered"]["gender"].shown == [("woman", 6)]
    with pytest.raises(ActionRefused) as refused:
        registrations.check_in(organiser, db.session.scalars(db.select(Registration)).first())
    assert refused.value.status == 409


def test_no_seat_is_given_on_a_cancelled_event(organiser, make_event, make_user, register, outbox):
    event = make_event(organiser, approval="organiser", online_url="https://meet.example.org/sala")
    pending = register(make_user("espera@example.org"), event)
    services.cancel(organiser, event)
    commit()
    with pytest.raises(ActionRefused) as refused:
        registrations.approve(organiser, saved(pending))
    assert refused.value.status == 409
    assert all("meet.example.org/sala" not in m.body for m in outbox("espera@example.org"))


def test_line_breaks_in_a_title_never_reach_a_mail_header(app, smtp_server, organiser, make_event, make_user,
                                                         register):
    app.config["FORUM_SMTP_URL"] = smtp_server.url
    event = make_event(organiser, title_es="Diálogo\u2028Bcc: x@evil.example\rY")
    register(make_user("ana@example.org"), event)
    [message] = [m for m in smtp_server.wait_for(1) if m["To"] == "ana@example.org"]
    assert message["Subject"] == "Registro confirmado: Diálogo Bcc: x@evil.example Y"
    assert message["Bcc"] is None


def test_capacity_stays_above_the_seats_kept_and_registration_opens_before_the_start(organiser, make_event):
    event = make_event(organiser, capacity=20)
    services.set_quota(organiser, event, sector="civil_society", reserved=10)
    commit()
    with pytest.raises(ActionRefused) as refused:
        services.update(organiser, event, capacity=8)
    assert refused.value.field == "capacity"
    with pytest.raises(ActionRefused) as refused:
        services.update(organiser, event, registration_opens_at=event.starts_at + timedelta(hours=1))
    assert refused.value.field == "registration_opens_at"


def test_huge_numbers_are_refused_not_a_server_error(client, organiser, make_event, make_user, token):
    event = make_event(organiser, publish=False)
    question = services.add_question(organiser, event, kind="single_choice", label_es="¿Mesa?",
                                     options="Uno | One\nDos | Two")
    services.publish(organiser, event)
    commit()
    headers = token(make_user())
    for answer in ("1" * 5000, ["1" * 5000]):
        response = client.post(f"/api/v1/events/{event.id}/registrations", headers=headers,
                               json={"answers": {str(question.id): answer}})
        assert response.status_code == 400
    assert client.get("/events", query_string={"page": "9" * 5000}).status_code == 404


def test_a_co_organiser_saving_materials_keeps_documents_they_cannot_see(organiser, make_event, make_user,
                                                                        make_organisation, add_member):
    sre = organiser.memberships[0].organisation
    event = make_event(organiser, organisations=[sre.id])
    colleague = make_user("colega@example.org")
    add_member(colleague, sre, representative=True)
    outsider = make_user("ajena@example.org")
    add_member(outsider, make_organisation(kind="cso", name_es="Colectivo"))
    platform_rules.forget_access()
    internal = documents.upload(outsider, file=FileStorage(io.BytesIO(b"Interna"), filename="i.txt"), platform=None,
                                title_es="Minuta interna", kind="minutes", language="es", access="organisation")
    db.session.execute(event_documents.insert().values(event_id=event.id, document_id=internal.id))
    commit()
    services.set_materials(saved(colleague), saved(event), [])
    commit()
    assert queries.material_ids(saved(event)) == [internal.id]
