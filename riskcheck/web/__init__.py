"""The web layer: the only part of riskcheck that imports Flask."""

from __future__ import annotations

import datetime
import logging
import os
import sys
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import get_locale
from werkzeug.middleware.proxy_fix import ProxyFix

from riskcheck.loader import shipped_paths
from riskcheck.storage.database import default_database_url, migrate
from riskcheck.storage.startup import startup_lock, wait_for_database
from riskcheck.storage.store import Store
from riskcheck.web.catalogue import Catalogue
from riskcheck.web.config import Settings
from riskcheck.web.extensions import babel, csrf, limiter, login_manager
from riskcheck.web.i18n import select_locale
from riskcheck.web.security import security_headers

log = logging.getLogger(__name__)
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
        MAX_CONTENT_LENGTH=3_000_000,  # a 2 MB definition upload; answers are far smaller
        MAX_FORM_MEMORY_SIZE=2_500_000,  # one form field: a definition pasted in the editor
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        REMEMBER_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=datetime.timedelta(minutes=settings.session_minutes),
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage,
        RATELIMIT_HEADERS_ENABLED=True,
        RATELIMIT_ENABLED=True,  # explicit: the shared Limiter would keep an earlier app's value
        # If Redis goes away, count in this process rather than failing sign-ins with a 500.
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
    )
    app.config.update(overrides or {})
    if settings.proxy_hops:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app,
            x_for=settings.proxy_hops,
            x_proto=settings.proxy_hops,
            x_host=settings.proxy_hops,
            x_prefix=settings.proxy_hops,
        )
    if settings.env == "production" and not os.environ.get("RISKCHECK_REGION"):
        log.warning(
            "RISKCHECK_REGION is not set: patients are shown the emergency numbers of %s; "
            "set it to your patients' region",
            " and ".join(settings.regions),
        )
    store = _open_store(app, settings)
    csrf.init_app(app)
    limiter.init_app(app)
    # Flask-Login's own context processor loads the user for every template, and with
    # strong session protection that rewrote the patient's session cookie on every page;
    # the clinician blueprint provides current_user to its templates instead.
    login_manager.init_app(app, add_context_processor=False)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent.parent / "translations"),
    )
    app.after_request(security_headers)
    app.context_processor(lambda: {"current_locale": str(get_locale() or "en")})
    app.extensions["riskcheck_store"] = store
    app.extensions["riskcheck_catalogue"] = Catalogue(store)
    _register_blueprints(app)
    return app


def _open_store(app: Flask, settings: Settings) -> Store:
    """Connect (SQLite in the instance folder by default), migrate, import shipped files."""
    url = settings.database_url or default_database_url()
    store = Store.connect(url, upgrade=False)
    wait_for_database(store)
    with startup_lock(store.engine):
        if settings.auto_migrate:
            migrate(store.engine)
        for line in store.versions.import_shipped(shipped_paths(settings.questionnaires_dir)):
            log.info("%s", line)
            store.audit.record("system", "import_shipped", line.split(":", 1)[0], note=line)
    if settings.env != "testing" and store.accounts.count() == 0:
        from riskcheck.web.clinician.auth import first_admin_token_for

        token = first_admin_token_for(app.config["SECRET_KEY"])
        print(  # noqa: T201 - the console is where the operator starting the app looks
            "\nNo clinician account yet. Create the first admin account (this link works until "
            f"one exists):\n  {settings.base_url}/clinician/first-admin/{token}\n"
            "or on the command line: riskcheck create-user --role admin you@example.org\n",
            file=sys.stderr,
            flush=True,
        )
    return store


def _register_blueprints(app: Flask) -> None:
    from riskcheck.web import errors
    from riskcheck.web.api import bp as api
    from riskcheck.web.clinician import bp as clinician
    from riskcheck.web.patient import bp as patient

    app.register_blueprint(patient)
    app.register_blueprint(api)
    app.register_blueprint(clinician)
    csrf.exempt(api)  # stateless JSON, no cookies: nothing for a forged request to ride on
    errors.register(app)
