"""The app that ``benchmarks.web`` serves: riskcheck's own app plus a ``/hello`` baseline route.

For benchmarks only, never in production. Gunicorn loads it with::

    gunicorn 'benchmarks.web_app:make_app()'

with RISKCHECK_* settings in the environment (``benchmarks.web`` sets them). ``/hello``
goes through the same WSGI server, app, extensions and ``after_request`` hooks as the
questionnaire pages, so page rate / hello rate is the cost of the page itself.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from riskcheck.web import create_app

HELLO = "Hello, World!\n"


def make_app(overrides: dict[str, Any] | None = None) -> Flask:
    """riskcheck's app as ``create_app`` builds it, with a bare ``GET /hello`` added."""
    app = create_app(overrides)

    @app.get("/hello")
    def hello() -> tuple[str, int, dict[str, str]]:
        return HELLO, 200, {"Content-Type": "text/plain; charset=utf-8"}

    return app
