"""A database outage: patients get a calm 503 page, their answers are kept, nothing is
stored twice when a confirmation is retried, and the app works again when the database is
back (the store's methods are made to fail here as the real engine fails)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from riskcheck.web.errors import is_unavailable
from tests.web.conftest import Patient

#: What SQLAlchemy raises when PostgreSQL restarts under an open connection; the statement
#: and parameters carry a patient's answers, which must never reach the log.
ANSWER = "a patient's answer"


def outage(*_args: object, **_kwargs: object) -> Any:
    raise OperationalError(
        "INSERT INTO responses (answers) VALUES (%(answers)s)",
        {"answers": ANSWER},
        Exception("terminating connection due to administrator command"),
    )


def text_of(response) -> str:  # noqa: ANN001
    return response.get_data(as_text=True)


def break_database(app: Flask, monkeypatch: pytest.MonkeyPatch, raiser: Callable = outage) -> None:
    """Every query a patient page makes fails as if the database were down."""
    store = app.extensions["riskcheck_store"]
    for name in ("published", "by_row", "all_published"):
        monkeypatch.setattr(store.versions, name, raiser)
    for name in ("add", "find"):
        monkeypatch.setattr(store.responses, name, raiser)
    for name in ("get", "put", "delete"):
        monkeypatch.setattr(store.journeys, name, raiser)


def assert_calm_503(response) -> str:  # noqa: ANN001
    page = text_of(response)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert response.headers["Cache-Control"] == "no-store"
    assert "temporarily unavailable" in page
    assert "Your answers are kept. Please try again in a minute." in page
    assert "Traceback" not in page
    assert "OperationalError" not in page
    assert ANSWER not in page
    return page


def test_outage_shows_a_calm_page_and_keeps_the_answers(
    app: Flask, client: FlaskClient, patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    patient.start()
    patient.answer("about_you", age="61", smoker="never")
    with monkeypatch.context() as during:
        break_database(app, during)
        page = assert_calm_503(client.get("/"))
        assert 'href="/"' in page  # a GET can simply be tried again
        # Answers in progress live in the database too (never readable in the cookie): a
        # page posted now gets the calm page, and the answers given before are kept.
        assert_calm_503(patient.answer("feelings", q1="3", q2="1"))
        page = assert_calm_503(client.post("/q/mood/review"))
        assert "press the same button again" in page
    # The database is back: the same session carries on where it was.
    assert patient.answer("feelings", q1="3", q2="1").headers["Location"].endswith("/review")
    assert "61 years" in text_of(client.get("/q/mood/review"))
    assert client.post("/q/mood/review").headers["Location"].endswith("/q/mood/result")
    result = text_of(client.get("/q/mood/result"))
    assert "Your result" in result


def test_outage_during_the_api_is_json(app: Flask, client: FlaskClient, monkeypatch) -> None:  # noqa: ANN001
    break_database(app, monkeypatch)
    response = client.post("/api/v1/questionnaires/mood/score", json={"age": 40})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert response.get_json()["error"] == "unavailable"
    assert client.get("/api/v1/questionnaires").status_code == 503


def test_a_busy_pool_is_an_outage_too(app: Flask, client: FlaskClient, monkeypatch) -> None:  # noqa: ANN001
    def pool_timeout(*_args: object, **_kwargs: object) -> Any:
        raise PoolTimeoutError("QueuePool limit of size 5 overflow 5 reached")

    break_database(app, monkeypatch, pool_timeout)
    assert_calm_503(client.get("/q/mood/"))


def test_the_log_names_the_error_but_not_the_statement(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:  # noqa: ANN001
    break_database(app, monkeypatch)
    with caplog.at_level(logging.WARNING, logger="riskcheck"):
        client.get("/q/mood/")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "database unavailable (OperationalError: Exception)" in logged
    assert "INSERT" not in logged
    assert ANSWER not in logged


def finish_pages(patient: Patient, client: FlaskClient) -> None:
    patient.start()
    patient.answer("about_you", age="40", smoker="never")
    patient.answer("feelings", q1="0", q2="1")
    assert client.get("/q/mood/review").status_code == 200  # chooses the reference code


def stored(app: Flask) -> int:
    return app.extensions["riskcheck_store"].responses.count()


def shown_reference(client: FlaskClient) -> str:
    page = text_of(client.get("/q/mood/result"))
    found = re.search(r'<p class="reference"><code>([0-9A-Z-]+)</code>', page)
    assert found, page
    return found.group(1).replace("-", "")


@pytest.mark.parametrize("committed", [False, True], ids=["before-commit", "after-commit"])
def test_a_confirmation_retried_after_an_outage_is_stored_once(
    app: Flask,
    client: FlaskClient,
    patient: Patient,
    monkeypatch: pytest.MonkeyPatch,
    committed: bool,  # noqa: FBT001
) -> None:
    """The database fails before the response is stored, or after it was committed but
    before the answer reached the patient (a restart at that moment, or a worker killed):
    the patient sees the 503 page, tries again, and exactly one response is stored, under
    the reference code on their result."""
    finish_pages(patient, client)
    responses = app.extensions["riskcheck_store"].responses
    real_add = responses.add

    def failing_add(**kwargs: Any) -> bool:
        if committed:
            real_add(**kwargs)
        return outage()

    with monkeypatch.context() as during:
        during.setattr(responses, "add", failing_add)
        assert_calm_503(client.post("/q/mood/review"))
    assert stored(app) == (1 if committed else 0)
    assert client.post("/q/mood/review").headers["Location"].endswith("/q/mood/result")
    assert client.post("/q/mood/review").status_code == 302  # a third press changes nothing
    assert stored(app) == 1
    assert responses.find(shown_reference(client)) is not None


def test_changed_answers_after_confirming_are_stored_under_a_new_code(
    app: Flask, client: FlaskClient, patient: Patient
) -> None:
    finish_pages(patient, client)
    client.post("/q/mood/review")
    first = shown_reference(client)
    patient.answer("feelings", q1="3", q2="3")
    patient.answer("feelings-2", crisis="no")
    client.get("/q/mood/review")
    client.post("/q/mood/review")
    second = shown_reference(client)
    assert first != second
    assert stored(app) == 2


def test_only_connection_errors_count_as_an_outage() -> None:
    down = OperationalError("SELECT 1", {}, Exception("connection refused"))
    bug = IntegrityError("INSERT", {}, Exception("duplicate key"))
    assert is_unavailable(down)
    assert is_unavailable(PoolTimeoutError("pool exhausted"))
    assert not is_unavailable(bug)
    assert not is_unavailable(ValueError("not a database error"))


class FlakyStore:
    """A store whose database answers after ``down`` failed checks."""

    def __init__(self, down: int) -> None:
        self.down, self.checks = down, 0

    def is_ready(self) -> bool:
        self.checks += 1
        return self.checks > self.down


def test_a_worker_starting_while_the_database_restarts_waits_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """gunicorn stops altogether when a worker fails to boot: a worker replaced during a
    database restart (killed, or recycled after max_requests) must wait, not fail."""
    from riskcheck.storage import startup

    slept: list[float] = []
    monkeypatch.setattr(startup.time, "sleep", slept.append)
    store = FlakyStore(down=3)
    startup.wait_for_database(store, seconds=20)  # type: ignore[arg-type]
    assert store.checks == 4
    assert slept == [1.0, 1.0, 1.0]


def test_a_database_that_never_answers_is_left_to_fail_at_start_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from riskcheck.storage import startup

    monkeypatch.setattr(startup.time, "sleep", lambda _seconds: None)
    store = FlakyStore(down=10**9)
    startup.wait_for_database(store, seconds=0.01)  # type: ignore[arg-type]
    assert store.checks > 1  # it tried, then gave up: the start-up work raises the error
