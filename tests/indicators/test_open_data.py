"""The open data as readers and programs meet it: the page with its datasets, licence and dictionary in both
languages; the API's catalogue, indicators (always the public level, even with a token), participation tables and
consultation reports (only answered ones a visitor may see, the same JSON as their report.json); the OpenAPI
document lists every endpoint."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from flask_babel import force_locale
from markupsafe import escape

from forum.accounts.services import find_user_by_email
from forum.consultations import comments, report, services
from forum.core.db import commit, utcnow
from forum.extensions import db
from forum.i18n import current_locale
from forum.indicators import dashboard, open_data
from forum.indicators.tables import RECORD_FIELDS, Cell, Column, Row, Table
from forum.platforms.models import PlatformMembership
from tests.conftest import api_error, spanish_page
from tests.consultations.conftest import DRAFT_EN, DRAFT_ES

ENDPOINTS = ("/open-data", "/open-data/indicators", "/open-data/indicators/{key}", "/open-data/participation",
             "/open-data/consultation-reports", "/open-data/consultation-reports/{consultation_id}")


def in_locale(locale: str, text) -> str:
    """``text`` (a lazy translatable string) in ``locale``, escaped as a page shows it."""
    with force_locale(locale):
        return str(escape(str(text)))


def table(key: str) -> Table:
    """A table whose title and column say which language it was made in; two months and a measure."""
    spanish = current_locale() == "es"
    return Table(key=key, title="Título de prueba" if spanish else "Sample title",
                 description="Personas por grupo." if spanish else "People by group.", unit="people",
                 columns=[Column("2026-01", "ene"), Column("2026-02", "feb"),
                          Column("registrations", "Inscripciones" if spanish else "Registrations")],
                 rows=[Row("group", "Grupo", [Cell(6), Cell(4, withheld=True), Cell(8)])], section="participants")


@pytest.fixture
def made(monkeypatch):
    """The dashboard reduced to two participants tables and one about events; records each call's scope."""
    calls = []

    def maker(scope, filters):
        calls.append(scope)
        return [table("participants-by-sector"), table("participants-by-state"), table("event-registrations")]

    monkeypatch.setattr(dashboard, "MAKERS", (maker,))
    return calls


# --- the page ---------------------------------------------------------------------------------------------------


def test_page_lists_the_datasets_with_their_files(app, made, client):
    response = client.get("/open-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and '<html lang="es">' in page
    for key in ("participants-by-sector", "participants-by-state", "event-registrations", "all"):
        assert f'href="http://localhost/indicators/{key}.csv"' in page
        assert f'href="http://localhost/indicators/{key}.json"' in page
    assert 'id="dataset-participation"' in page and 'id="dataset-consultation-reports"' in page
    assert 'href="http://localhost/api/v1/open-data/participation?format=csv"' in page
    assert "Título de prueba" in page  # the catalogue in the reader's language


def test_page_states_the_licence_and_the_privacy_rules(app, made, english_client):
    page = english_client.get("/open-data").get_data(as_text=True)
    assert "Creative Commons Attribution 4.0 International (CC BY 4.0)" in page
    assert 'rel="license"' in page and "https://creativecommons.org/licenses/by/4.0/" in page
    assert "Foro de Cohesión Social / Social Cohesion Forum" in page
    assert "Figures of groups of fewer than 5 people are withheld" in page
    assert "People are never listed" in page


def test_page_gives_the_dictionary_in_both_languages(app, made, client):
    page = client.get("/open-data").get_data(as_text=True)
    for name in RECORD_FIELDS:
        assert f'<th scope="row"><code>{name}</code></th>' in page
    for texts in (open_data.FIELDS, open_data.STATUSES, open_data.UNIT_NAMES):
        for text in texts.values():
            assert f'<td lang="es">{in_locale("es", text)}</td>' in page
            assert f'<td lang="en">{in_locale("en", text)}</td>' in page
    # each table as made in each language, its months described once
    assert '<td lang="es">Título de prueba</td><td lang="en">Sample title</td>' in page
    assert '<td lang="es">Inscripciones</td><td lang="en">Registrations</td>' in page
    dictionary = page[page.index('id="dictionary-event-registrations"'):]
    dictionary = dictionary[:dictionary.index("</table>")]
    assert dictionary.count("<code>YYYY-MM</code>") == 1 and "<code>2026-01</code>" not in dictionary
    assert all(scope.level == "public" and scope.viewer is None for scope in made)


# --- consultation reports -----------------------------------------------------------------------------------------


@pytest.fixture
def consultations(make_user, make_organisation, add_member, make_platform):
    """SEGOB's consultations on Justicia: a draft, one open (commented), one closed, and one answered (commented
    by 6 people, its report published); another answered on a members-only platform."""
    justicia = make_platform(slug="justicia", name_es="Justicia", name_en="Justice")
    mesa = make_platform(slug="mesa", visibility="members", join_policy="approval")
    segob = make_organisation(acronym="SEGOB")
    official = make_user("jorge@segob.gob.mx", sector="federal_government")
    add_member(official, segob)
    for platform in (justicia, mesa):
        db.session.add(PlatformMembership(platform=platform, user=official))
    commit()
    people = [make_user(gender="woman") for _ in range(6)]

    def consultation(stage: str, platform=justicia):
        now = utcnow()
        made = services.create(official, organisation=segob.id, platform=platform.slug, title_es=f"Consulta {stage}",
                               title_en=f"Consultation {stage}", question_es="¿Qué cambiaría?",
                               opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=14),
                               text_es=DRAFT_ES, text_en=DRAFT_EN)
        if stage != "draft":
            services.publish(official, made)
        if stage in ("open", "answered"):
            for person in people:
                comments.comment(person, made, body="Apoyo el párrafo.", kind="support", paragraph="1")
        if stage in ("closed", "answered", "members"):
            services.close_early(official, made)
        if stage in ("answered", "members"):
            report.publish_report(official, made, summary_es="Resumen.", summary_en="Summary.")
        commit()
        return made

    return {stage: consultation(stage) for stage in ("draft", "open", "closed", "answered")} | {
        "members": consultation("members", mesa)}


def test_page_lists_the_answered_reports_only(app, consultations, made, client):
    page = client.get("/open-data").get_data(as_text=True)
    answered = consultations["answered"].id
    assert "Consulta answered" in page
    assert f'href="http://localhost/consultations/{answered}/report.csv"' in page
    assert f'href="http://localhost/consultations/{answered}/report.json"' in page
    for stage in ("draft", "open", "closed", "members"):
        assert f"Consulta {stage}" not in page


def test_api_lists_the_answered_reports_a_page_at_a_time(app, consultations, client, token):
    body = client.get("/api/v1/open-data/consultation-reports").get_json()
    answered = consultations["answered"]
    assert (body["total"], body["page"], body["per_page"]) == (1, 1, 20)
    [entry] = body["items"]
    assert entry["id"] == answered.id and entry["title"] == {"es": "Consulta answered", "en": "Consultation answered"}
    assert (entry["organisation"], entry["platform"]) == ("SEGOB", "justicia")
    assert entry["formats"]["csv"] == f"http://localhost/consultations/{answered.id}/report.csv"
    assert entry["api"] == f"http://localhost/api/v1/open-data/consultation-reports/{answered.id}"
    # the same for the official, whose token would let them read the members-only platform
    official = find_user_by_email("jorge@segob.gob.mx")
    with_token = client.get("/api/v1/open-data/consultation-reports", headers=token(official)).get_json()
    assert [item["id"] for item in with_token["items"]] == [answered.id]
    api_error(client.get("/api/v1/open-data/consultation-reports?page=0"), 400)


def test_a_report_is_the_same_json_as_its_download_and_only_once_answered(app, consultations, client):
    answered = consultations["answered"].id
    response = client.get(f"/api/v1/open-data/consultation-reports/{answered}")
    assert response.status_code == 200
    data = response.get_json()
    assert data == client.get(f"/consultations/{answered}/report.json").get_json()
    assert data["participation"]["gender"]["groups"] == {"woman": 6} and len(data["comments"]) == 6
    for stage in ("draft", "open", "closed", "members"):
        api_error(client.get(f"/api/v1/open-data/consultation-reports/{consultations[stage].id}"), 404)
    api_error(client.get("/api/v1/open-data/consultation-reports/999999"), 404)


# --- the API ----------------------------------------------------------------------------------------------------


def test_catalogue_gives_licence_datasets_and_dictionary_in_both_languages(app, made, client):
    response = client.get("/api/v1/open-data")
    assert response.status_code == 200
    body = response.get_json()
    assert body["licence"]["id"] == "CC-BY-4.0" and body["smallest_group"] == 5
    assert [d["key"] for d in body["datasets"]] == ["indicators", "participation", "consultation-reports",
                                                    "participants-by-sector", "participants-by-state",
                                                    "event-registrations"]
    sector = body["datasets"][3]
    assert sector["title"] == {"es": "Título de prueba", "en": "Sample title"}
    assert sector["formats"] == {"csv": "http://localhost/indicators/participants-by-sector.csv",
                                 "json": "http://localhost/indicators/participants-by-sector.json"}
    assert sector["api"] == "http://localhost/api/v1/open-data/indicators/participants-by-sector"
    dictionary = body["dictionary"]
    assert [f["key"] for f in dictionary["fields"]] == list(RECORD_FIELDS)
    assert [s["key"] for s in dictionary["statuses"]] == ["shown", "withheld", "pending", "none"]
    assert all(set(entry["description"]) == {"es", "en"} for entry in dictionary["fields"] + dictionary["statuses"])
    described = dictionary["tables"][2]
    assert described["columns"] == [
        {"key": "YYYY-MM", "label": {"es": in_locale("es", open_data.MONTH_COLUMN),
                                     "en": in_locale("en", open_data.MONTH_COLUMN)}},
        {"key": "registrations", "label": {"es": "Inscripciones", "en": "Registrations"}}]


def test_indicators_are_the_public_level_even_with_a_token(app, made, client, token, make_user, make_platform):
    admin = make_user("admin@example.org", role="admin", locale="en")
    make_platform(slug="mesa", visibility="members", join_policy="approval", members=[admin])
    response = client.get("/api/v1/open-data/indicators?since=2026-01&until=2026-02", headers=token(admin))
    assert response.status_code == 200
    body = response.get_json()
    assert body["level"] == "public" and [t["key"] for t in body["tables"]] == [
        "participants-by-sector", "participants-by-state", "event-registrations"]
    assert body["tables"][0]["rows"][0]["cells"][1] == {"value": None, "status": "withheld"}
    assert made[-1].level == "public" and made[-1].viewer is None
    refused = api_error(client.get("/api/v1/open-data/indicators?platform=mesa", headers=token(admin)), 400)
    assert refused["message"] == "platform: There is no platform with this address among those you may read."


def test_one_indicator_as_json_or_csv(app, made, client):
    one = client.get("/api/v1/open-data/indicators/event-registrations?since=2026-01&until=2026-02").get_json()
    assert [t["key"] for t in one["tables"]] == ["event-registrations"]
    assert one["filters"] == {"since": "2026-01", "until": "2026-02", "platform": None, "state": None}
    response = client.get("/api/v1/open-data/indicators/event-registrations?format=csv")
    assert response.status_code == 200 and response.content_type == "text/csv; charset=utf-8"
    records = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(r["column"], r["value"], r["status"]) for r in records] == [
        ("2026-01", "6", "shown"), ("2026-02", "", "withheld"), ("registrations", "8", "shown")]
    api_error(client.get("/api/v1/open-data/indicators/nothing-here"), 404)
    api_error(client.get("/api/v1/open-data/indicators/event-registrations?format=xlsx"), 400)


def test_participation_is_the_participants_tables(app, made, client):
    body = client.get("/api/v1/open-data/participation").get_json()
    assert [t["key"] for t in body["tables"]] == ["participants-by-sector", "participants-by-state"]
    response = client.get("/api/v1/open-data/participation?format=csv")
    assert 'filename="indicators-participation-' in response.headers["Content-Disposition"]
    records = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert {r["table"] for r in records} == {"participants-by-sector", "participants-by-state"}


@pytest.mark.parametrize("path", ["/api/v1/open-data/indicators", "/api/v1/open-data/participation",
                                  "/api/v1/open-data/indicators/participants-by-sector"])
def test_bad_filters_are_json_400_in_the_callers_language(app, made, client, path):
    english = api_error(client.get(f"{path}?until=2026-1", headers={"Accept-Language": "en"}), 400)
    assert english["message"] == "until: Enter a month as YYYY-MM, for example 2026-01."
    spanish = api_error(client.get(f"{path}?state=XX", headers={"Accept-Language": "es"}), 400)
    assert spanish["message"].startswith("state: ") and spanish["message"][7:] == \
        spanish_page("Choose a state from the list.")
    assert made == []


def test_openapi_lists_the_open_data_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ENDPOINTS:
        operation = spec["paths"][f"{path}"]["get"]
        assert operation["tags"] == ["open data"] and "200" in operation["responses"]
        assert {} in operation["security"]  # no token needed
    indicators = spec["paths"]["/open-data/indicators"]["get"]
    assert {"since", "until", "platform", "state", "format"} <= {p["name"] for p in indicators["parameters"]}
    assert "400" in indicators["responses"]
    assert "404" in spec["paths"]["/open-data/consultation-reports/{consultation_id}"]["get"]["responses"]
