"""The JSON API as a program meets it: the OpenAPI document, the organisations list, errors and caching."""

from __future__ import annotations

import pytest

from forum.accounts import api_tokens
from forum.core.db import commit

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def spec(client) -> dict:
    """The OpenAPI document the API serves."""
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.content_type.startswith("application/json")
    return response.json


def operations(spec: dict):
    """Every (path, method, operation) of the document."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def references(node):
    """Every ``$ref`` value anywhere in ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def names(response) -> list[str]:
    """The Spanish names of the organisations in a list answer."""
    return [item["name"]["es"] for item in response.json["items"]]


# --- the OpenAPI document ---------------------------------------------------------------------------------


def test_openapi_document_is_version_3_1(spec):
    """The document declares OpenAPI 3.1.0 and has a title and version."""
    assert spec["openapi"] == "3.1.0"
    assert spec["info"]["title"] and spec["info"]["version"]


def test_openapi_lists_me_and_organisations_with_their_responses(spec):
    """/me and /organisations are described with a GET operation and its success and error responses."""
    me = spec["paths"]["/me"]["get"]
    organisations = spec["paths"]["/organisations"]["get"]
    assert "200" in me["responses"] and "401" in me["responses"]
    assert "200" in organisations["responses"] and "400" in organisations["responses"]
    parameters = {p["name"] for p in organisations["parameters"]}
    assert {"q", "type", "verified", "page", "per_page"} <= parameters


def test_openapi_declares_the_bearer_token_scheme(spec):
    """Tokens are described as an HTTP bearer scheme, required by default."""
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "personal access token"}
    assert {"bearerAuth": []} in spec["security"]


def test_every_path_has_an_operation_with_an_operation_id(spec):
    """Each path has at least one operation, each with its own operationId and responses."""
    assert spec["paths"]
    for path, item in spec["paths"].items():
        assert set(item) & HTTP_METHODS, path
    ids = [operation.get("operationId") for _, _, operation in operations(spec)]
    assert all(ids), ids
    assert len(ids) == len(set(ids)), ids
    assert all(operation.get("responses") for _, _, operation in operations(spec))


def test_every_reference_in_the_document_resolves(spec):
    """Every ``$ref`` points at something the document contains."""
    for reference in set(references(spec)):
        assert reference.startswith("#/"), reference
        node = spec
        for part in reference[2:].split("/"):
            assert part in node, reference
            node = node[part]


# --- the organisations list -------------------------------------------------------------------------------


def test_organisations_are_paginated(client, make_organisation):
    """page and per_page select a slice; total counts them all."""
    for letter in "ABCDE":
        make_organisation(name_es=f"{letter} organización", name_en=f"{letter} organisation")
    first = client.get("/api/v1/organisations", query_string={"per_page": 2})
    assert first.status_code == 200
    assert (first.json["page"], first.json["per_page"], first.json["total"]) == (1, 2, 5)
    assert names(first) == ["A organización", "B organización"]
    last = client.get("/api/v1/organisations", query_string={"page": 3, "per_page": 2})
    assert (last.json["page"], last.json["total"]) == (3, 5)
    assert names(last) == ["E organización"]
    beyond = client.get("/api/v1/organisations", query_string={"page": 4, "per_page": 2})
    assert beyond.status_code == 200 and beyond.json["items"] == []


def test_organisations_have_their_public_fields(client, make_organisation):
    """Each organisation carries its names in both languages, acronym, type, state, website, verification."""
    organisation = make_organisation(name_es="Secretaría de Bienestar", name_en="Welfare Ministry",
                                     acronym="BIEN", website="https://bienestar.gob.mx/")
    [item] = client.get("/api/v1/organisations").json["items"]
    assert item == {"id": organisation.id, "name": {"es": "Secretaría de Bienestar", "en": "Welfare Ministry"},
                    "acronym": "BIEN", "type": "federal_agency", "state": "CMX",
                    "website": "https://bienestar.gob.mx/", "verified": True}


@pytest.fixture
def three_organisations(make_organisation):
    """A verified agency, an unverified agency and a verified civil-society organisation."""
    make_organisation(name_es="Secretaría de Bienestar", acronym="BIEN", verified=True, kind="federal_agency")
    make_organisation(name_es="Secretaría de Cultura de Oaxaca", acronym="SECULTA", verified=False,
                      kind="state_agency")
    make_organisation(name_es="Red de Mujeres Oaxaqueñas", acronym="RMO", verified=True, kind="cso")


@pytest.mark.parametrize(("query", "expected"), [
    ({"type": "cso"}, ["Red de Mujeres Oaxaqueñas"]),
    ({"type": "state_agency"}, ["Secretaría de Cultura de Oaxaca"]),
    ({"verified": "false"}, ["Secretaría de Cultura de Oaxaca"]),
    ({"verified": "true"}, ["Red de Mujeres Oaxaqueñas", "Secretaría de Bienestar"]),
    ({"q": "secretaría"}, ["Secretaría de Bienestar", "Secretaría de Cultura de Oaxaca"]),
    ({"q": "rmo"}, ["Red de Mujeres Oaxaqueñas"]),
    ({"q": "oaxaca", "verified": "false"}, ["Secretaría de Cultura de Oaxaca"]),
    ({"type": "federal_agency", "verified": "false"}, []),
])
def test_organisations_are_filtered(client, three_organisations, query, expected):
    """type, verified and q narrow the list, and combine; total counts what matches."""
    response = client.get("/api/v1/organisations", query_string=query)
    assert response.status_code == 200
    assert names(response) == expected
    assert response.json["total"] == len(expected)


@pytest.mark.parametrize("query", [{"page": "0"}, {"page": "-1"}, {"per_page": "0"}, {"per_page": "1000"},
                                   {"per_page": "101"}, {"page": "abc"}, {"per_page": "2.5"}])
def test_bad_page_values_are_a_json_400(client, query):
    """Page numbers that are not whole numbers in range get 400 with a JSON error, not a page."""
    response = client.get("/api/v1/organisations", query_string=query)
    assert response.status_code == 400
    assert response.content_type.startswith("application/json")
    assert response.json["error"]["code"] == "invalid_query" and response.json["error"]["message"]


def test_the_largest_page_size_is_accepted(client, make_organisation):
    """per_page=100 is the documented maximum and works."""
    make_organisation()
    response = client.get("/api/v1/organisations", query_string={"per_page": 100})
    assert response.status_code == 200 and response.json["per_page"] == 100


# --- errors and caching -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/organisations/999999", "/api/v2/me"])
def test_unknown_api_path_is_a_json_404(client, path):
    """An address under /api that does not exist answers 404 in JSON, not an HTML page."""
    response = client.get(path)
    assert response.status_code == 404
    assert response.content_type.startswith("application/json")
    assert response.json["error"]["code"] == "not_found" and response.json["error"]["message"]
    assert "<html" not in response.get_data(as_text=True)


def test_a_bad_token_is_refused_even_on_public_endpoints(client, make_organisation):
    """Sending a token that does not work is an error (401), even where no token is needed."""
    make_organisation()
    response = client.get("/api/v1/organisations", headers={"Authorization": "Bearer fcs_wrong"})
    assert response.status_code == 401 and response.json["error"]["code"] == "invalid_token"


@pytest.fixture
def secret(make_user) -> str:
    """A working personal access token."""
    user = make_user("ana@example.org")
    _, value = api_tokens.create_token(user, "script")
    commit()
    return value


@pytest.mark.parametrize(("path", "authorised", "status"), [
    ("/api/v1/openapi.json", False, 200),
    ("/api/v1/organisations", False, 200),
    ("/api/v1/me", True, 200),
    ("/api/v1/me", False, 401),
    ("/api/v1/organisations?page=0", False, 400),
])
def test_api_answers_are_never_cached(client, secret, path, authorised, status):
    """Answers, errors included, carry ``Cache-Control: private, no-store``."""
    headers = {"Authorization": f"Bearer {secret}"} if authorised else {}
    response = client.get(path, headers=headers)
    assert response.status_code == status
    assert response.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/api/v1/nothing-here", 404),
    ("DELETE", "/api/v1/me", 405),
])
def test_api_routing_errors_are_never_cached_either(client, secret, method, path, status):
    """404 and 405 answers under /api/v1 also carry ``Cache-Control: private, no-store``."""
    response = client.open(path, method=method, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == status
    assert response.headers.get("Cache-Control") == "private, no-store"


@pytest.mark.parametrize(("method", "path", "status"), [
    ("PATCH", "/api/v1/me", 422),
    ("POST", "/api/v1/flags", 400),
])
def test_json_nested_too_deeply_is_refused_not_a_server_error(client, secret, method, path, status):
    """A body nested deeper than the JSON parser goes is answered like any other body that is not an object."""
    body = "[" * 100_000 + "]" * 100_000
    response = client.open(path, method=method, data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == status
    assert "JSON" in response.get_json()["error"]["message"]
