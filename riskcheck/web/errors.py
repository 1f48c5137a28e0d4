"""Error pages: a calm page for every HTTP error, never a traceback.

When the database cannot be reached (it is restarting, the network to it failed, or every
pooled connection is busy for longer than the pool waits), patients get a 503 page saying
that their answers are kept (every page saved before the outage is committed, and the page
being sent is still in their browser) and to try again in a minute; ``/api/`` callers get
JSON. Nothing needs restarting afterwards: the engine checks each pooled connection before
use (pool pre-ping) and replaces dead ones.

Under ``/api/`` every error is JSON in the API's format, an unknown route or method too; a 405
names the allowed methods in ``Allow`` (RFC 9110), on every path.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

log = logging.getLogger(__name__)

#: Seconds a client is asked to wait before trying again (a database restart takes a few).
RETRY_AFTER = 60


def register(app: Flask) -> None:
    """Render templates/errors/error.html for every HTTP error, and a 503 when the database
    is unavailable."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        if is_api_path(request.path):
            return json_error(error)
        code = error.code or 500
        page = render_template(
            "errors/error.html", code=code, name=error.name, description=error.description
        )
        return with_error_headers(Response(page, code, mimetype="text/html"), error)

    @app.errorhandler(PoolTimeoutError)
    def pool_exhausted(error: PoolTimeoutError) -> Response:
        return database_unavailable(error)

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError) -> Response:
        if not is_unavailable(error):
            raise error  # a real bug (an integrity or programming error): a 500, logged
        return database_unavailable(error)


def is_api_path(path: str) -> bool:
    """Whether ``path`` is under /api/, where every answer is JSON (unknown routes too)."""
    return path == "/api" or path.startswith("/api/")


def json_error(error: HTTPException) -> Response:
    """An HTTP error in the API's error format: ``{"error": code, "message": text}``."""
    response = jsonify(
        {"error": (error.name or "error").lower().replace(" ", "_"), "message": error.description}
    )
    response.status_code = error.code or 500
    return with_error_headers(response, error)


def with_error_headers(response: Response, error: HTTPException) -> Response:
    """Add the headers the error calls for, such as ``Allow`` on a 405 (RFC 9110 15.5.6),
    which a handler returning only a body and a status would drop."""
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def is_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database cannot be reached now (rather than a bug)."""
    if isinstance(error, PoolTimeoutError | OperationalError | InterfaceError):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def database_unavailable(error: BaseException) -> Response:
    """503 with Retry-After: the calm page, or JSON under /api/."""
    # Only the error's class and the endpoint: the exception text can hold the SQL
    # statement and its parameters, which may be a patient's answers.
    cause = getattr(error, "orig", None) or error
    log.warning(
        "database unavailable (%s: %s) during %s %s",
        type(error).__name__,
        type(cause).__name__,
        request.method,
        request.endpoint or "-",
    )
    if is_api_path(request.path):
        response = jsonify(
            {
                "error": "unavailable",
                "message": "The service is temporarily unavailable. Try again in a minute.",
            }
        )
    else:
        retry_url = request.path if request.method == "GET" else None
        response = Response(
            render_template("errors/unavailable.html", retry_url=retry_url),
            mimetype="text/html",
        )
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER)
    response.headers["Cache-Control"] = "no-store"
    return response
