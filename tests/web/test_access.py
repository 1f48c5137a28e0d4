"""Who may use each route, written out by hand: the app's own role table is never read here.

``ACCESS`` is the specification: every (route, method) of the app, and for each of anonymous,
editor, publisher and admin whether the request is allowed or refused. A route the URL map has
and the table has not (or the other way round) fails the suite, so a new route needs a row.

Each request carries a body that does something when allowed (``WRITES``: the database changes
then), so that a refusal is not a refusal by accident. Each refused request must leave every
table, the audit log included, exactly as it was.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, MetaData, select, text
from werkzeug.test import TestResponse

from tests.web.conftest import DATA, Patient

PASSWORD = "correct horse battery"  # noqa: S105 - a test account's password
ROLES = ("anonymous", "editor", "publisher", "admin")
Y, n = True, False

#: (rule, method) -> allowed for (anonymous, editor, publisher, admin). Written by hand, on
#: purpose: deriving it from the app's REQUIRED_ROLE table let a view lose its
#: @requires("admin") with every test still green.
ACCESS: dict[tuple[str, str], tuple[bool, bool, bool, bool]] = {
    # patients, the API and the probes: open to everyone
    ("/", "GET"): (Y, Y, Y, Y),
    ("/healthz", "GET"): (Y, Y, Y, Y),
    ("/readyz", "GET"): (Y, Y, Y, Y),
    ("/static/<path:filename>", "GET"): (Y, Y, Y, Y),
    ("/q/<questionnaire_id>/", "GET"): (Y, Y, Y, Y),
    ("/q/<questionnaire_id>/start", "POST"): (Y, Y, Y, Y),
    ("/q/<questionnaire_id>/p/<section_id>", "GET"): (Y, Y, Y, Y),
    ("/q/<questionnaire_id>/p/<section_id>", "POST"): (Y, Y, Y, Y),
    ("/q/<questionnaire_id>/help-now", "GET"): (Y, Y, Y, Y),
    ("/q/<questionnaire_id>/help-now", "POST"): (Y, Y, Y, Y),
    ("/q/<questionnaire_id>/not-for-you", "GET"): (Y, Y, Y, Y),
    ("/q/<questionnaire_id>/review", "GET"): (Y, Y, Y, Y),
    ("/q/<questionnaire_id>/review", "POST"): (Y, Y, Y, Y),
    ("/q/<questionnaire_id>/result", "GET"): (Y, Y, Y, Y),
    ("/q/<questionnaire_id>/restart", "POST"): (Y, Y, Y, Y),
    ("/q/<questionnaire_id>/summary.pdf", "POST"): (Y, Y, Y, Y),
    ("/api/v1/openapi.json", "GET"): (Y, Y, Y, Y),
    ("/api/v1/questionnaires", "GET"): (Y, Y, Y, Y),
    ("/api/v1/questionnaires/<questionnaire_id>", "GET"): (Y, Y, Y, Y),
    ("/api/v1/questionnaires/<questionnaire_id>/answers.schema.json", "GET"): (Y, Y, Y, Y),
    ("/api/v1/questionnaires/<questionnaire_id>/score", "POST"): (Y, Y, Y, Y),
    ("/api/v1/questionnaires/<questionnaire_id>/pdf", "POST"): (Y, Y, Y, Y),
    # signing in, and the one-time links: open
    ("/clinician/login", "GET"): (Y, Y, Y, Y),
    ("/clinician/login", "POST"): (Y, Y, Y, Y),
    ("/clinician/setup/<token>", "GET"): (Y, Y, Y, Y),
    ("/clinician/setup/<token>", "POST"): (Y, Y, Y, Y),
    ("/clinician/first-admin/<token>", "GET"): (Y, Y, Y, Y),
    ("/clinician/first-admin/<token>", "POST"): (Y, Y, Y, Y),
    # any signed-in clinician
    ("/clinician/", "GET"): (n, Y, Y, Y),
    ("/clinician/logout", "POST"): (n, Y, Y, Y),
    ("/clinician/import", "POST"): (n, Y, Y, Y),
    ("/clinician/lookup", "GET"): (n, Y, Y, Y),
    ("/clinician/lookup", "POST"): (n, Y, Y, Y),
    ("/clinician/responses/<reference>.pdf", "POST"): (n, Y, Y, Y),
    ("/clinician/q/<questionnaire_id>", "GET"): (n, Y, Y, Y),
    ("/clinician/q/<questionnaire_id>/edit", "GET"): (n, Y, Y, Y),
    ("/clinician/q/<questionnaire_id>/edit", "POST"): (n, Y, Y, Y),
    ("/clinician/q/<questionnaire_id>/structured", "GET"): (n, Y, Y, Y),
    ("/clinician/q/<questionnaire_id>/structured", "POST"): (n, Y, Y, Y),
    ("/clinician/q/<questionnaire_id>/preview", "POST"): (n, Y, Y, Y),
    ("/clinician/q/<questionnaire_id>/impact", "GET"): (n, Y, Y, Y),
    ("/clinician/q/<questionnaire_id>/diff", "GET"): (n, Y, Y, Y),
    ("/clinician/q/<questionnaire_id>/discard", "POST"): (n, Y, Y, Y),
    ("/clinician/q/<questionnaire_id>/v<int:version>.yaml", "GET"): (n, Y, Y, Y),
    ("/clinician/q/<questionnaire_id>/v<int:version>/logic", "GET"): (n, Y, Y, Y),
    ("/clinician/q/<questionnaire_id>/v<int:version>/logic.pdf", "GET"): (n, Y, Y, Y),
    # publishers (and admins)
    ("/clinician/q/<questionnaire_id>/publish", "POST"): (n, n, Y, Y),
    ("/clinician/q/<questionnaire_id>/v<int:version>/rollback", "POST"): (n, n, Y, Y),
    ("/clinician/q/<questionnaire_id>/v<int:version>/responses.csv", "GET"): (n, n, Y, Y),
    # admins only
    ("/clinician/accounts", "GET"): (n, n, n, Y),
    ("/clinician/accounts", "POST"): (n, n, n, Y),
    ("/clinician/accounts/<int:user_id>", "POST"): (n, n, n, Y),
    ("/clinician/accounts/<int:user_id>/setup-link", "POST"): (n, n, n, Y),
    ("/clinician/audit", "GET"): (n, n, n, Y),
}

#: Requests whose body changes the database when they are allowed (for a signed-in role), so
#: that "refused and nothing changed" is a real check.
WRITES = {
    ("/clinician/logout", "POST"),
    ("/clinician/import", "POST"),
    ("/clinician/lookup", "POST"),
    ("/clinician/responses/<reference>.pdf", "POST"),
    ("/clinician/q/<questionnaire_id>/edit", "POST"),
    ("/clinician/q/<questionnaire_id>/preview", "POST"),
    ("/clinician/q/<questionnaire_id>/discard", "POST"),
    ("/clinician/q/<questionnaire_id>/publish", "POST"),
    ("/clinician/q/<questionnaire_id>/v<int:version>/rollback", "POST"),
    ("/clinician/accounts", "POST"),
    ("/clinician/accounts/<int:user_id>", "POST"),
    ("/clinician/accounts/<int:user_id>/setup-link", "POST"),
}


@dataclass(frozen=True)
class World:
    """What the template database holds, for building requests that would do something."""

    other_id: int  # an editor without a password: the target of the account requests
    reference: str  # a stored patient response
    draft_text: str  # mood: v1 and v2 published (v2 live), v3 the draft
    draft_lock: int


def url_values(world: World) -> dict[str, Any]:
    return {
        "questionnaire_id": "mood",
        "section_id": "about_you",
        "version": 1,
        "user_id": world.other_id,
        "reference": world.reference,
        "token": "not-a-token",
        "filename": "riskcheck.css",
    }


def body(rule: str, world: World) -> dict[str, Any]:
    """A form that does what the route is for, if the request is allowed."""
    lock = str(world.draft_lock)
    mood2 = (DATA / "mood.yaml").read_text().replace("id: mood", "id: mood2", 1)
    forms: dict[str, Callable[[], dict[str, Any]]] = {
        "/clinician/import": lambda: {"file": (io.BytesIO(mood2.encode()), "mood2.yaml")},
        "/clinician/lookup": lambda: {"reference": world.reference},
        "/clinician/q/<questionnaire_id>/edit": lambda: {
            "text": world.draft_text + "\n# edited\n",
            "base_lock": lock,
        },
        "/clinician/q/<questionnaire_id>/discard": lambda: {"base_lock": lock},
        "/clinician/q/<questionnaire_id>/publish": lambda: {"base_lock": lock},
        "/clinician/q/<questionnaire_id>/v<int:version>/rollback": lambda: {"base_lock": "2"},
        "/clinician/accounts": lambda: {"email": "new@example.org", "role": "admin"},
        "/clinician/accounts/<int:user_id>": lambda: {"role": "admin", "active": "yes"},
        "/clinician/login": lambda: {"email": "admin@example.org", "password": "wrong"},
    }
    return forms.get(rule, dict)()


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table in the database (the audit log too), in a stable order."""
    tables = MetaData()
    with engine.connect() as connection:
        tables.reflect(connection)
        return {
            name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
            for name, table in tables.tables.items()
        }


def sign_in(app: Flask, client: FlaskClient, role: str) -> None:
    """Sign in as ``role``@example.org (created first if need be); other test modules use it."""
    email = f"{role}@example.org"
    store = app.extensions["riskcheck_store"]
    if store.accounts.by_email(email) is None:
        store.accounts.create(email, role, password=PASSWORD)
    response = client.post("/clinician/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code


def is_refused(response: TestResponse, role: str) -> bool:
    """Anonymous: sent to sign in (and back here after). Signed in: 403."""
    if role != "anonymous":
        return response.status_code == 403
    location = urlsplit(response.headers.get("Location", ""))
    return (
        response.status_code == 302
        and location.path == "/clinician/login"
        and location.query.startswith("next=")
    )


# -- the template database, built once and copied for each request ------------------------------


def make_app(folder: Path, database: Path) -> Flask:
    from riskcheck import create_app

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RISKCHECK_ENV", "testing")
        mp.setenv("RISKCHECK_QUESTIONNAIRES", str(folder))
        mp.setenv("RISKCHECK_DATABASE_URL", f"sqlite:///{database}")
        return create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, World]:
    """questionnaires/ and a database holding accounts of each role, mood published twice
    with a draft on top, and one patient's stored response."""
    root = tmp_path_factory.mktemp("access")
    folder = root / "questionnaires"
    folder.mkdir()
    shutil.copy(DATA / "mood.yaml", folder / "mood.yaml")
    database = root / "template.sqlite"
    app = make_app(folder, database)
    store = app.extensions["riskcheck_store"]
    for role in ROLES[1:]:
        store.accounts.create(f"{role}@example.org", role, password=PASSWORD)
    other, _ = store.accounts.create("other@example.org", "editor")
    v1 = store.versions.published("mood")
    store.versions.save_draft(
        "mood", v1.text + "\n# v2\n", user_id=other.id, valid=True, base_lock=None
    )
    v2 = store.versions.draft("mood")
    store.versions.publish("mood", v2.version, base_lock=v2.lock_version, user_id=other.id)
    store.versions.save_draft(
        "mood", v1.text + "\n# v3\n", user_id=other.id, valid=True, base_lock=None
    )
    draft = store.versions.draft("mood")
    Patient(app.test_client()).finish_low_mood()
    with store.engine.connect() as connection:
        reference = connection.execute(text("SELECT reference FROM responses")).scalar_one()
    store.engine.dispose()
    return folder, database, World(other.id, reference, draft.text, draft.lock_version)


@pytest.fixture
def world_app(template: tuple[Path, Path, World], tmp_path: Path) -> Iterator[tuple[Flask, World]]:
    folder, database, world = template
    copy = tmp_path / "db.sqlite"
    shutil.copy(database, copy)
    app = make_app(folder, copy)
    yield app, world
    app.extensions["riskcheck_store"].engine.dispose()


# -- the tests ------------------------------------------------------------------------------------


def routes(app: Flask) -> set[tuple[str, str]]:
    return {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_has_a_row_and_every_row_a_route(world_app: tuple[Flask, World]) -> None:
    app, _ = world_app
    assert sorted(routes(app) - ACCESS.keys()) == [], "add a row to ACCESS for each new route"
    assert sorted(ACCESS.keys() - routes(app)) == [], "remove the rows of routes that went"


def test_refusals_follow_the_role_order() -> None:
    # a role never loses what a lesser role may do (a typo in a row shows up here)
    for row, allowed in ACCESS.items():
        signed_in = allowed[1:]
        assert list(signed_in) == sorted(signed_in), row
        assert not allowed[0] or all(signed_in), row


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("rule", "method"), sorted(ACCESS), ids=[f"{m} {r}" for r, m in sorted(ACCESS)]
)
def test_access(world_app: tuple[Flask, World], rule: str, method: str, role: str) -> None:
    app, world = world_app
    client = app.test_client()
    if role != "anonymous":
        sign_in(app, client, role)
    [found] = [r for r in app.url_map.iter_rules() if r.rule == rule]
    url = found.build({k: v for k, v in url_values(world).items() if k in found.arguments})[1]
    engine = app.extensions["riskcheck_store"].engine
    before = snapshot(engine)
    assert {"users", "audit_log", "questionnaire_versions", "responses"} <= before.keys()

    response = client.open(url, method=method, data=body(rule, world))
    response.close()  # a static file's handle

    allowed = ACCESS[rule, method][ROLES.index(role)]
    assert response.status_code < 500
    if allowed:
        assert not is_refused(response, role), response.status_code
        if (rule, method) in WRITES and role != "anonymous":
            assert snapshot(engine) != before, "the request should have done something"
    else:
        assert is_refused(response, role), response.status_code
        assert snapshot(engine) == before, "a refused request changed the database"


# -- forged forms (found by mutation testing) -----------------------------------------------------


@pytest.mark.parametrize(("rule", "method"), sorted(WRITES), ids=[r for r, _ in sorted(WRITES)])
def test_every_clinician_form_is_refused_without_its_token(
    world_app: tuple[Flask, World], rule: str, method: str
) -> None:
    """A signed-in admin's browser made to send any clinician form from another site: refused
    before the view runs (every view's own form check aside), and nothing changes."""
    app, world = world_app
    client = app.test_client()
    sign_in(app, client, "admin")
    app.config["WTF_CSRF_ENABLED"] = True
    [found] = [r for r in app.url_map.iter_rules() if r.rule == rule]
    url = found.build({k: v for k, v in url_values(world).items() if k in found.arguments})[1]
    engine = app.extensions["riskcheck_store"].engine
    before = snapshot(engine)
    for token in ({}, {"csrf_token": "forged"}):
        response = client.open(url, method=method, data={**body(rule, world), **token})
        assert response.status_code == 400
    assert snapshot(engine) == before
    app.config["WTF_CSRF_ENABLED"] = False
    assert client.get("/clinician/").status_code == 200  # still signed in
