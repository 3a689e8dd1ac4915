"""Creating consultations, who sees a draft, the phases that follow the dates, versions that keep paragraph
numbers, closing early and extending, each change recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.consultations import drafts, lifecycle, rules, services
from forum.consultations.models import Consultation
from forum.core.db import commit, utcnow
from forum.core.errors import ActionRefused
from forum.extensions import db


def test_only_officials_consult_and_only_for_their_own_agency(official, make_user, make_organisation,
                                                              make_consultation, add_member):
    with pytest.raises(ActionRefused) as refused:
        make_consultation(make_user())
    assert refused.value.status == 403
    other = make_organisation(acronym="SRE", name_es="SRE")
    with pytest.raises(ActionRefused) as refused:
        make_consultation(official, organisation=other.id)
    assert refused.value.field == "organisation"
    consultation = make_consultation(official, publish=False)
    version = consultation.versions[0]
    assert [p.key for p in version.paragraphs] == [1, 2, 3]
    assert version.paragraphs[1].html_en == "<p>In every prosecutor's office.</p>\n"


def test_a_draft_is_seen_by_its_agency_and_administrators_only(official, make_user, make_organisation,
                                                               add_member, make_consultation):
    consultation = make_consultation(official, publish=False)
    colleague = make_user("colega@segob.gob.mx")
    add_member(colleague, consultation.organisation)
    stranger_official = make_user("sre@sre.gob.mx")
    add_member(stranger_official, make_organisation(acronym="SRE", name_es="SRE"))
    admin = make_user(role="admin")
    seen = {who: rules.can_see(user, consultation) for who, user in (
        ("colleague", colleague), ("admin", admin), ("other agency", stranger_official),
        ("participant", make_user()), ("visitor", None))}
    assert seen == {"colleague": True, "admin": True, "other agency": False, "participant": False,
                    "visitor": False}
    listed = {who: db.session.scalars(select(Consultation.id).where(rules.visible_consultations(user))).all()
              for who, user in (("colleague", colleague), ("participant", make_user()), ("visitor", None))}
    assert listed == {"colleague": [consultation.id], "participant": [], "visitor": []}
    services.publish(official, consultation)
    commit()
    assert rules.can_see(None, consultation)
    assert db.session.scalars(select(Consultation.id).where(rules.visible_consultations(None))).all() \
        == [consultation.id]


def test_the_phase_follows_the_dates(official, make_consultation):
    now = utcnow()
    consultation = make_consultation(official, publish=False, opens_at=now + timedelta(days=1),
                                     closes_at=now + timedelta(days=3))
    assert lifecycle.phase(consultation) == "draft"
    services.publish(official, consultation)
    assert lifecycle.phase(consultation) == "scheduled"
    assert lifecycle.phase(consultation, now + timedelta(days=2)) == "open"
    assert lifecycle.phase(consultation, now + timedelta(days=3)) == "closed"
    assert not lifecycle.accepts_comments(consultation, now + timedelta(days=4))


def test_closing_early_and_extending_are_recorded(official, make_consultation):
    consultation = make_consultation(official)
    services.close_early(official, consultation, note="Se alcanzó el objetivo.")
    assert lifecycle.phase(consultation) == "closed"
    with pytest.raises(ActionRefused):
        services.extend(official, consultation, consultation.closes_at - timedelta(days=1))
    services.extend(official, consultation, (consultation.closes_at + timedelta(days=7)).isoformat())
    commit()
    assert lifecycle.phase(consultation) == "open"
    assert [c.action for c in services.changes(consultation)] == ["published", "closed_early", "extended"]
    assert services.changes(consultation)[1].note == "Se alcanzó el objetivo."


def test_a_new_version_keeps_paragraph_numbers(official, make_consultation):
    consultation = make_consultation(official)
    first = consultation.versions[0]
    old = [drafts.Paragraph(p.key, p.section, p.heading_es, p.heading_en, p.text_es, p.text_en)
           for p in first.paragraphs]
    text_es = drafts.source(old, "es").replace("[§2] En todas las fiscalías.", "Nuevo párrafo.")
    text_en = drafts.source(old, "en").replace("[§2] In every prosecutor's office.", "New paragraph.")
    version = services.new_version(official, consultation, text_es=text_es, text_en=text_en,
                                   note_es="Se reemplaza el párrafo 2.")
    commit()
    assert version.number == 2 and [p.key for p in version.paragraphs] == [1, 4, 3]
    with pytest.raises(ActionRefused):
        services.new_version(official, consultation, text_es="[§7] Inventado.")
    assert consultation.last_paragraph == 4


def test_others_cannot_run_the_consultation(official, make_user, make_consultation):
    consultation = make_consultation(official)
    for action in (lambda u: services.close_early(u, consultation),
                   lambda u: services.extend(u, consultation, utcnow() + timedelta(days=30)),
                   lambda u: services.new_version(u, consultation, text_es="Otro.")):
        with pytest.raises(ActionRefused) as refused:
            action(make_user())
        assert refused.value.status == 403
    draft = make_consultation(official, publish=False, title_es="Borrador")
    with pytest.raises(ActionRefused) as refused:
        services.publish(make_user(), draft)
    assert refused.value.status == 404


def test_a_draft_is_edited_in_place_until_published(official, make_consultation):
    consultation = make_consultation(official, publish=False)
    services.update_draft(official, consultation, title_en="Protocol for interpreters",
                          text_es="[§1] Garantizar intérpretes.\n\nOtro párrafo.", text_en="")
    commit()
    assert [v.number for v in consultation.versions] == [1]
    assert [(p.key, p.text_es) for p in consultation.versions[0].paragraphs] == [
        (1, "Garantizar intérpretes."), (4, "Otro párrafo.")]
    services.publish(official, consultation)
    with pytest.raises(ActionRefused) as refused:
        services.update_draft(official, consultation, title_es="Cambio")
    assert refused.value.status == 409
