"""Error pages in the visitor's language, and JSON errors for the API."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from forum.core.db import rollback


class ActionRefused(Exception):
    """A service refused an action; ``message`` tells the user why, in their language."""

    def __init__(self, message: str, status: int = 400, code: str = "invalid", field: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.status = status
        self.code = code
        #: the form field the message belongs to, if any
        self.field = field


#: titles and explanations of the error pages, by status
MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please check what you sent and try again.")),
    401: (_l("Sign-in required"), _l("You need to sign in to do this.")),
    403: (_l("Not allowed"), _l("You do not have permission to do this.")),
    404: (_l("Page not found"), _l("The page you are looking for does not exist or is not available to you.")),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    409: (_l("Conflict"), _l("Someone else changed this at the same time. Please reload and try again.")),
    413: (_l("Too large"), _l("What you sent is larger than the limit.")),
    422: (_l("Invalid data"), _l("Some of the data sent is not valid.")),
    429: (_l("Too many attempts"), _l("You have made too many requests. Please wait a moment and try again.")),
    500: (_l("Something went wrong"),
          _l("An unexpected error happened on our side. It has been logged; please try again later.")),
}
CSRF_MESSAGE = _l("Your form expired or was sent from another site. Please go back, reload the page and try again.")


def wants_json() -> bool:
    """True for API requests, which get JSON errors instead of pages."""
    return request.path.startswith("/api/")


def error_response(status: int, message: str | None = None, code: str | None = None):
    """Build the error answer for ``status``: a JSON body for the API, a translated page otherwise."""
    title, default = MESSAGES.get(status, MESSAGES[500 if status >= 500 else 400])
    text = str(message or default)
    if wants_json():
        return jsonify(error={"code": code or _CODES.get(status, "error"), "message": text}), status
    return render_template("errors/error.html", status=status, title=title, message=text), status


_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 413: "too_large", 422: "invalid", 429: "rate_limited", 500: "server_error",
}


#: no list has more pages than this; larger page numbers answer 404 (the database could not even count to them)
MAX_PAGE = 100_000


def init_app(app: Flask) -> None:
    """Register the handlers for HTTP errors, CSRF failures and unexpected exceptions, and turn away page
    numbers no list can have."""

    @app.before_request
    def _page_in_range():
        text = request.args.get("page", "")
        try:  # as the lists read it: int() also takes "+9", "9_999" and other scripts' digits
            number = int(text)
        except ValueError:  # not a number (each list falls back to its first page), or thousands of digits
            return error_response(404) if text.strip().lstrip("+").replace("_", "").isdigit() else None
        return error_response(404) if number > MAX_PAGE else None

    @app.errorhandler(CSRFError)
    def _csrf(error):
        return error_response(400, CSRF_MESSAGE, code="csrf_failed")

    @app.errorhandler(ActionRefused)
    def _refused(error: ActionRefused):
        return error_response(error.status, error.message, code=error.code)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        response, status = error_response(error.code)
        if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response = app.make_response((response, status))
            response.headers["Allow"] = ", ".join(error.valid_methods)
            return response
        return response, status

    @app.errorhandler(InternalServerError)
    def _server_error(error: InternalServerError):
        """Unexpected exceptions end here (outside tests, where they propagate): log, roll back, apologise."""
        rollback()
        return error_response(500)
