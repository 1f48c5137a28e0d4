"""Security headers and language on every kind of response."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import Flask

from riskcheck.web import i18n

PASSWORD = "correct horse battery"  # noqa: S105 - a test account's password


@pytest.mark.parametrize("path", ["/", "/q/mood/", "/nope", "/api/v1/questionnaires", "/healthz"])
def test_security_headers_on_every_response(client, path: str) -> None:  # noqa: ANN001
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers  # plain http here


def test_hsts_over_https(client) -> None:  # noqa: ANN001
    headers = client.get("/", base_url="https://localhost").headers
    assert headers["Strict-Transport-Security"].startswith("max-age=")


def test_pages_with_answers_are_not_cached(client) -> None:  # noqa: ANN001
    assert client.get("/q/mood/").headers["Cache-Control"] == "no-store"


TAGLINE = "Check your symptoms, know your next step"
FRENCH_TAGLINE = "Vérifiez vos symptômes, connaissez la suite"


@pytest.fixture
def french_app(questionnaire_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The app with a French catalogue (one message) beside English, from a temp folder: the
    shipped app has English only, so a language test against it could never fail."""
    translations = questionnaire_dir.parent / "translations"
    (translations / "fr" / "LC_MESSAGES").mkdir(parents=True)
    catalogue = Catalog(locale="fr")
    catalogue.add(TAGLINE, FRENCH_TAGLINE)
    with (translations / "fr" / "LC_MESSAGES" / "messages.mo").open("wb") as mo:
        write_mo(mo, catalogue)
    monkeypatch.setattr(i18n, "TRANSLATIONS", translations)
    monkeypatch.setenv("RISKCHECK_ENV", "testing")
    monkeypatch.setenv("RISKCHECK_QUESTIONNAIRES", str(questionnaire_dir))
    database = questionnaire_dir.parent / "french.sqlite"
    monkeypatch.setenv("RISKCHECK_DATABASE_URL", f"sqlite:///{database}")
    from riskcheck import create_app

    app = create_app({"TESTING": True, "BABEL_TRANSLATION_DIRECTORIES": str(translations)})
    yield app
    app.extensions["riskcheck_store"].engine.dispose()


@pytest.mark.parametrize(
    ("accept", "lang", "tagline"),
    [
        ("fr, en;q=0.5", "fr", FRENCH_TAGLINE),
        ("fr-CA", "fr", FRENCH_TAGLINE),
        ("de, fr;q=0.8, en;q=0.5", "fr", FRENCH_TAGLINE),  # no German: the next best
        ("en, fr;q=0.5", "en", TAGLINE),
        ("de", "en", TAGLINE),  # nothing available: English
        ("", "en", TAGLINE),
    ],
)
def test_page_language_is_the_best_available_match(
    french_app: Flask, accept, lang, tagline
) -> None:  # noqa: ANN001
    response = french_app.test_client().get("/", headers={"Accept-Language": accept})
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert tagline in page


def test_without_catalogues_pages_are_english(client) -> None:  # noqa: ANN001
    page = client.get("/", headers={"Accept-Language": "fr, en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert TAGLINE in page


def set_cookie(response) -> dict[str, str]:  # noqa: ANN001
    """The one Set-Cookie header of ``response``: {"name": ..., "value": ..., attribute: value}."""
    [header] = response.headers.getlist("Set-Cookie")
    first, *attributes = header.split("; ")
    name, value = first.split("=", 1)
    cookie = {"name": name, "value": value}
    for attribute in attributes:
        key, _, setting = attribute.partition("=")
        cookie[key.lower()] = setting
    return cookie


def sign_in(app, client) -> object:  # noqa: ANN001
    store = app.extensions["riskcheck_store"]
    store.accounts.create("admin@example.org", "admin", password=PASSWORD)
    return client.post(
        "/clinician/login", data={"email": "admin@example.org", "password": PASSWORD}
    )


def start(app, client) -> object:  # noqa: ANN001
    return client.post("/q/mood/start", data={"action": "start"})


@pytest.mark.parametrize("action", [start, sign_in], ids=["patient", "clinician"])
def test_the_session_cookie_is_http_only_and_same_site(app, client, action) -> None:  # noqa: ANN001
    cookie = set_cookie(action(app, client))
    assert cookie["name"] == "session"
    assert "httponly" in cookie
    assert cookie["samesite"] == "Lax"
    assert "secure" not in cookie  # RISKCHECK_SECURE_COOKIES is off outside production


@pytest.fixture
def secure_app(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Flask:
    """The app as production builds it: RISKCHECK_SECURE_COOKIES on."""
    monkeypatch.setenv("RISKCHECK_SECURE_COOKIES", "true")
    return request.getfixturevalue("app")


@pytest.mark.parametrize("action", [start, sign_in], ids=["patient", "clinician"])
def test_the_session_cookie_is_secure_when_configured(secure_app: Flask, action) -> None:  # noqa: ANN001
    cookie = set_cookie(action(secure_app, secure_app.test_client()))
    assert cookie["name"] == "session"
    assert "secure" in cookie
    assert "httponly" in cookie
    assert cookie["samesite"] == "Lax"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/", {"GET", "HEAD", "OPTIONS"}),
        ("GET", "/q/mood/start", {"POST", "OPTIONS"}),
        ("GET", "/clinician/logout", {"POST", "OPTIONS"}),
        ("PUT", "/clinician/login", {"GET", "HEAD", "POST", "OPTIONS"}),
    ],
)
def test_a_method_not_allowed_names_the_allowed_ones(client, method, path, allow) -> None:  # noqa: ANN001
    # RFC 9110 15.5.6: a 405 must carry Allow; the error page handler used to drop it
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == allow
    assert response.mimetype == "text/html"
    assert "<h1>Method Not Allowed</h1>" in response.get_data(as_text=True)
