"""The OpenAPI 3.1 document, assembled from what each endpoint declares with :func:`operation`."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app

_PATHS: dict[str, dict[str, dict]] = {}
_SCHEMAS: dict[str, dict] = {}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "stable, machine-readable code"},
                "message": {"type": "string", "description": "explanation in the caller's language"},
            },
        }
    },
}
_SCHEMAS["Error"] = ERROR_SCHEMA

#: schemas shared by the endpoints of several domains
TIMESTAMP = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601"}
OPTIONAL_TIMESTAMP = {"type": ["string", "null"], "format": "date-time", "description": "UTC, ISO 8601"}
BILINGUAL = {"type": "object", "required": ["es", "en"],
             "properties": {"es": {"type": "string"}, "en": {"type": "string"}}}

PAGE_PARAMETERS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100,
                                                   "default": 20}},
]


def schema(name: str, definition: dict) -> dict:
    """Declare a reusable schema under ``components/schemas``; returns a ``$ref`` to it."""
    _SCHEMAS[name] = definition
    return {"$ref": f"#/components/schemas/{name}"}


def list_of(item_ref: dict) -> dict:
    """The schema of a paginated list of ``item_ref``."""
    return {"type": "object", "required": ["items", "page", "per_page", "total"],
            "properties": {"items": {"type": "array", "items": item_ref}, "page": {"type": "integer"},
                           "per_page": {"type": "integer"}, "total": {"type": "integer"}}}


def operation(path: str, method: str, *, summary: str, response: dict | None, tag: str, status: int = 200,
              parameters: list | None = None, request_body: dict | None = None, auth: bool = True,
              errors: tuple[int, ...] = ()) -> Callable:
    """Describe the decorated endpoint in the OpenAPI document (``path`` in OpenAPI form, ``/x/{id}``);
    ``response`` None for an answer without a body (204)."""

    def register(view: Callable) -> Callable:
        answer = {"description": summary}
        if response is not None:
            answer["content"] = {"application/json": {"schema": response}}
        responses = {str(status): answer}
        for code in (*errors, *((401,) if auth else ())):
            responses[str(code)] = {"$ref": f"#/components/responses/E{code}"}
        entry = {"summary": summary, "operationId": view.__name__, "tags": [tag], "responses": responses,
                 "description": (view.__doc__ or summary).strip()}
        if parameters:
            entry["parameters"] = parameters
        if request_body:
            entry["requestBody"] = {"required": True, "content": {"application/json": {"schema": request_body}}}
        if not auth:
            entry["security"] = [{}, {"bearerAuth": []}]
        _PATHS.setdefault(path, {})[method.lower()] = entry
        return view

    return register


_ERROR_DESCRIPTIONS = {400: "Invalid input", 401: "Missing or invalid token", 403: "Not allowed",
                       404: "Not found or not visible to the caller", 409: "Conflict", 413: "Too large",
                       422: "Invalid data", 429: "Rate limited"}


def document() -> dict:
    """The whole OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Social Cohesion Forum API",
            "version": "1",
            "description": "JSON API of the Social Cohesion Forum. Authenticate with a personal access token "
                           "(created on your account page) as `Authorization: Bearer <token>`. Errors are "
                           "`{\"error\": {\"code\", \"message\"}}`, with messages in the caller's language "
                           "(Accept-Language or account preference).",
        },
        "servers": [{"url": current_app.config["FORUM_BASE_URL"] + "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": {path: dict(sorted(methods.items())) for path, methods in sorted(_PATHS.items())},
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "personal access token"}},
            "schemas": dict(sorted(_SCHEMAS.items())),
            "responses": {f"E{code}": {"description": text, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Error"}}}} for code, text in _ERROR_DESCRIPTIONS.items()},
        },
    }
