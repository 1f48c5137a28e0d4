"""Error pages: a calm page for every HTTP error, never a traceback."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException


def register(app: Flask) -> None:
    """Render templates/errors/error.html for every HTTP error."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        return render_template(
            "errors/error.html", code=code, name=error.name, description=error.description
        ), code
