"""Reason templates: the seeded defaults in both languages, moderators adding and editing templates, and the
templates offered in the sanction form and sent in each person's language."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.core.db import commit
from forum.extensions import db
from forum.moderation import reasons
from forum.moderation.choices import REASONS
from forum.moderation.models import ReasonTemplate, Sanction
from forum.moderation.reasons import DEFAULTS
from tests.moderation.test_sanctions import browser, html, in_locale, issue, shown

NEW = {"reason": "misinformation", "title_es": "Cifras sin fuente", "title_en": "Figures without a source",
       "text_es": "Sus cifras no citaban ninguna fuente verificable.",
       "text_en": "Your figures did not cite any verifiable source."}


@pytest.fixture
def moderators(make_user):
    """A Spanish-speaking global moderator and an English-speaking moderator of one platform."""
    from forum.platforms import services as platforms

    spanish = make_user("moderadora@example.org", role="moderator", locale="es")
    english = make_user("moderator@example.org", locale="en")
    platform = platforms.create_platform(None, slug="empleo", name_es="Empleo", name_en="Employment")
    platforms.grant_role(None, platform, english, "moderator")
    commit()
    return spanish, english


def test_one_default_per_flag_reason_in_both_languages_seeded_once(app):
    """Every flag reason gets a template with both titles and texts; seeding again adds nothing."""
    assert set(DEFAULTS) == set(REASONS)
    assert reasons.seed_defaults() == len(REASONS)
    commit()
    assert reasons.seed_defaults() == 0
    commit()
    templates = reasons.all_templates()
    assert [t.reason for t in templates] == list(REASONS)
    for template in templates:
        assert all((template.title_es, template.title_en, template.text_es, template.text_en))
        assert template.text_es != template.text_en and template.created_by_id is None


def test_a_moderator_adds_a_template_offered_in_both_languages(app, moderators, make_user, outbox):
    """Added on the templates page, it appears in the sanction form by its title in each moderator's language,
    and each person receives its text in their own language."""
    spanish, english = moderators
    client = browser(app, spanish.email)
    assert client.post("/moderation/reasons", data=NEW).status_code == 303
    listing = html(client.get("/moderation/reasons"))
    assert all(shown(NEW[name]) in listing for name in ("title_es", "title_en", "text_es", "text_en"))
    template = db.session.scalar(select(ReasonTemplate))
    assert template.created_by_id == spanish.id and template.reason == "misinformation"

    rosa, claire = make_user(locale="es"), make_user(locale="en")
    form = html(client.get(f"/moderation/people/{rosa.id}/sanctions"))
    assert re.search(rf'<option lang="es" value="{template.id}">{NEW["title_es"]}</option>', form)
    english_client = browser(app, english.email)
    form = html(english_client.get(f"/moderation/people/{rosa.id}/sanctions"))
    assert re.search(rf'<option lang="en" value="{template.id}">{NEW["title_en"]}</option>', form)

    assert issue(english_client, rosa, "warning", template=template).status_code == 303
    assert issue(client, claire, "warning", template=template).status_code == 303
    assert NEW["text_es"] in outbox(rosa.email)[0].body and NEW["text_en"] not in outbox(rosa.email)[0].body
    assert NEW["text_en"] in outbox(claire.email)[0].body and NEW["text_es"] not in outbox(claire.email)[0].body


@pytest.mark.parametrize("missing", ["title_es", "title_en", "text_es", "text_en"])
def test_a_template_needs_both_languages(app, moderators, missing):
    """A missing title or text: 422, what was typed stays in the form, nothing is saved."""
    client = browser(app, moderators[0].email)
    response = client.post("/moderation/reasons", data={**NEW, missing: "  "})
    assert response.status_code == 422
    page = html(response)
    kept = "title_en" if missing != "title_en" else "title_es"
    assert shown(NEW[kept]) in page
    assert db.session.scalar(select(func.count()).select_from(ReasonTemplate)) == 0


def test_an_unknown_flag_reason_is_refused(app, moderators):
    """Only the offered reasons (or none) are accepted."""
    client = browser(app, moderators[0].email)
    assert client.post("/moderation/reasons", data={**NEW, "reason": "boredom"}).status_code == 422
    assert client.post("/moderation/reasons", data={**NEW, "reason": ""}).status_code == 303
    assert db.session.scalar(select(ReasonTemplate.reason)) is None


def test_editing_a_template_leaves_sent_sanctions_alone(app, moderators, make_user):
    """The edit page saves the new words; a sanction already issued keeps the words it was sent with."""
    spanish, english = moderators
    client = browser(app, english.email)
    client.post("/moderation/reasons", data=NEW)
    template = db.session.scalar(select(ReasonTemplate))
    rosa = make_user(locale="es")
    issue(client, rosa, "warning", template=template)

    edit = f"/moderation/reasons/{template.id}/edit"
    assert shown(NEW["text_en"]) in html(client.get(edit))
    changed = {**NEW, "text_es": "Cite siempre la fuente de sus cifras."}
    assert browser(app, spanish.email).post(edit, data=changed).status_code == 303
    db.session.expire_all()
    assert db.session.get(ReasonTemplate, template.id).text_es == "Cite siempre la fuente de sus cifras."
    assert db.session.scalar(select(Sanction.reason)) == NEW["text_es"]
    assert client.post(edit, data={**changed, "text_en": ""}).status_code == 422
    assert client.get("/moderation/reasons/999999/edit").status_code == 404


def test_the_templates_page_in_both_languages(app, moderators):
    """The page follows the reader's language; the templates show both versions side by side."""
    reasons.seed_defaults()
    commit()
    for moderator, locale in zip(moderators, ("es", "en"), strict=True):
        page = html(browser(app, moderator.email).get("/moderation/reasons"))
        assert f'<html lang="{locale}">' in page
        assert f"<h1>{in_locale(locale, 'Reason templates')}</h1>" in page
        assert shown(DEFAULTS["hate"][2]) in page and shown(DEFAULTS["hate"][3]) in page
