"""``GET /api/v1/search``: the page's results as JSON (absolute addresses, highlighted HTML, counts by kind,
pages), visitors finding what visitors may read and a token its owner's view, every refused value a 400 that
names its field, and its description in the OpenAPI document."""

from __future__ import annotations

import pytest

from forum.platforms.rules import forget_access
from tests.conftest import api_error

UNKNOWN_PLATFORM = "There is no platform with this address among those you may read."


@pytest.fixture
def discussion(make_user, make_platform, make_thread, make_post):
    """Two threads and a reply about women's participation on a public platform, and a thread on a members-only
    platform; returns its member."""
    person, member = make_user(), make_user()
    platform = make_platform(members=[person], slug="justicia")
    closed = make_platform(members=[member], slug="genero", visibility="members")
    forget_access()
    first = make_thread(person, platform, title="Participación de la mujer indígena", body="Propuestas de Oaxaca.")
    make_post(person, first, body="Las mujeres rurales también participan.")
    make_thread(person, platform, title="Mujeres en la política local", body="Cuotas de género.")
    make_thread(member, closed, title="Mujeres y violencia: casos reservados", body="Confidencial.")
    return member


def test_answer_shape(client, discussion):
    """Each item has its kind, id, plain and highlighted title, absolute address, context, date, snippet and its
    language; the envelope has the page, the total and the count by kind."""
    response = client.get("/api/v1/search?q=mujeres", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    body = response.json
    assert {"items", "page", "per_page", "total", "by_kind"} <= body.keys()
    assert (body["page"], body["per_page"], body["total"]) == (1, 20, 3)
    assert body["by_kind"] == {"thread": 2, "post": 1}
    post = next(item for item in body["items"] if item["kind"] == "post")
    assert set(post) == {"kind", "id", "title", "url", "context", "date", "snippet_html", "title_html", "language"}
    assert post["title"] == "Participación de la mujer indígena"
    assert post["title_html"] == "Participación de la <mark>mujer</mark> indígena"
    assert post["snippet_html"] == "Las <mark>mujeres</mark> rurales también participan."
    assert post["url"] == f"http://localhost/posts/{post['id']}" and post["language"] == "es"
    assert post["context"] == "Platform 1" and post["date"].endswith("+00:00")


def test_filters_and_pages(client, discussion):
    """``kind`` and the other filters narrow the items but not ``by_kind``; ``page`` and ``per_page`` page them."""
    body = client.get("/api/v1/search?q=mujeres&kind=thread").json
    assert body["total"] == 2 and {item["kind"] for item in body["items"]} == {"thread"}
    assert body["by_kind"] == {"thread": 2, "post": 1}
    assert client.get("/api/v1/search?q=mujeres&language=en").json["total"] == 0
    assert client.get("/api/v1/search?q=mujeres&platform=justicia&since=2000-01-01").json["total"] == 3
    first = client.get("/api/v1/search?q=mujeres&per_page=2").json
    second = client.get("/api/v1/search?q=mujeres&per_page=2&page=2").json
    assert (len(first["items"]), len(second["items"]), second["total"]) == (2, 1, 3)
    assert not {(i["kind"], i["id"]) for i in first["items"]} & {(i["kind"], i["id"]) for i in second["items"]}


def test_visitors_and_token_owners(client, token, discussion):
    """A visitor finds nothing of a members-only platform and may not name it; its member's token finds it."""
    assert client.get("/api/v1/search?q=reservados").json["total"] == 0
    hidden = api_error(client.get("/api/v1/search?q=mujeres&platform=genero"), 400)
    assert hidden == api_error(client.get("/api/v1/search?q=mujeres&platform=nada"), 400)
    headers = token(discussion)
    body = client.get("/api/v1/search?q=reservados", headers=headers).json
    assert [item["title"] for item in body["items"]] == ["Mujeres y violencia: casos reservados"]
    assert client.get("/api/v1/search?q=mujeres&platform=genero", headers=headers).json["total"] == 1
    assert api_error(client.get("/api/v1/search?q=mujeres", headers={"Authorization": "Bearer nada"}),
                     401)["code"] == "invalid_token"


@pytest.mark.parametrize(("arguments", "field", "message"), [
    ("", "q", "Type what to search for."),
    ("q=+++", "q", "Type what to search for."),
    ("q=!!!", "q", "Type at least one word: letters or digits."),
    ("q=" + "a" * 201, "q", "Search for at most 200 characters."),
    ("q=mujer&kind=nada", "kind", "There is no such kind of result."),
    ("q=mujer&platform=nada", "platform", UNKNOWN_PLATFORM),
    ("q=mujer&platform=%00", "platform", UNKNOWN_PLATFORM),
    ("q=mujer&language=fr", "language", "Choose Spanish or English."),
    ("q=mujer&since=2025-02-30", "since", "Enter a real date as YYYY-MM-DD, for example 2025-03-31."),
    ("q=mujer&until=31/12/2025", "until", "Enter a real date as YYYY-MM-DD, for example 2025-03-31."),
    ("q=mujer&since=2025-03-02&until=2025-03-01", "until", "The end date must be on or after the start date."),
])
def test_refused_values(client, discussion, arguments, field, message):
    """Each refused value answers 400 with a message that names its field, in the caller's language."""
    body = api_error(client.get(f"/api/v1/search?{arguments}", headers={"Accept-Language": "en"}), 400)
    assert body == {"code": "invalid", "message": f"{field}: {message}"}


@pytest.mark.parametrize("arguments", ["page=0", "per_page=101", "page=dos"])
def test_refused_pages(client, arguments):
    """Page arguments are checked as on every list endpoint."""
    assert api_error(client.get(f"/api/v1/search?q=mujer&{arguments}"), 400)["code"] == "invalid_query"


def test_openapi(client):
    """The OpenAPI document describes the endpoint, its parameters and its answer."""
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/search"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} == {
        "q", "kind", "platform", "language", "since", "until", "page", "per_page"}
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SearchResults"}
    assert "by_kind" in document["components"]["schemas"]["SearchResults"]["required"]
    assert "snippet_html" in document["components"]["schemas"]["SearchResult"]["properties"]


@pytest.mark.parametrize("q", ["don\u02bct", "\u2474", "\u0149", "\u02d0", "O\u02bbzbekiston", "casa \u02bc"])
def test_letters_that_lose_their_shape_without_accents(client, make_user, make_platform, make_thread, q):
    """Letters that PostgreSQL's unaccent turns into punctuation ("ʼ" into "'") are searched like any other,
    with no server error: a word left empty is simply not required."""
    person = make_user()
    make_thread(person, make_platform(members=[person]), title="Casa grande", body="Texto.")
    answer = client.get("/api/v1/search", query_string={"q": q})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert client.get("/search", query_string={"q": q}).status_code == 200
