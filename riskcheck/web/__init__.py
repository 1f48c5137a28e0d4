"""The web layer: the only part of riskcheck that imports Flask."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import get_locale

from riskcheck.web.catalogue import Catalogue
from riskcheck.web.config import Settings
from riskcheck.web.extensions import babel, csrf
from riskcheck.web.i18n import select_locale
from riskcheck.web.security import security_headers

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then RISKCHECK_* settings, then ``overrides`` (tests)."""
    settings = Settings.from_env()
    app = Flask(
        "riskcheck",
        template_folder=str(TEMPLATES),
        static_folder=str(STATIC),
        instance_relative_config=True,
    )
    app.config.update(
        SECRET_KEY=settings.secret_key,
        RISKCHECK_SETTINGS=settings,
        MAX_CONTENT_LENGTH=1_000_000,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.env == "production",
    )
    app.config.update(overrides or {})
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent.parent / "translations"),
    )
    app.after_request(security_headers)
    app.context_processor(lambda: {"current_locale": str(get_locale() or "en")})
    app.extensions["riskcheck_catalogue"] = Catalogue(settings.questionnaires_dir)
    _register_blueprints(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from riskcheck.web import errors
    from riskcheck.web.api import bp as api
    from riskcheck.web.patient import bp as patient

    app.register_blueprint(patient)
    app.register_blueprint(api)
    csrf.exempt(api)  # stateless JSON, no cookies: nothing for a forged request to ride on
    errors.register(app)
