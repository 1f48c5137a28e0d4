"""No patient answer, name or date of birth reaches the logs, whatever the log level.

The root logger and the web libraries' loggers at DEBUG through caplog, SQLAlchemy's at
INFO (every SQL statement: their parameters must not show), stdout and stderr captured at
the file descriptor, while a patient takes tests/data/mood.yaml with distinctive answers,
downloads the PDF with a distinctive name and date of birth, and a clinician looks the
response up and downloads it again. Then the same through a real werkzeug server (its
access log), and with the database failing as the response is stored (the logged
exception must not carry the answers).

SQLAlchemy's DEBUG level is left out on purpose: it logs every fetched row, data and all,
by design; it is a debugging switch never to turn on where real patients answer.
"""

from __future__ import annotations

import http.cookiejar
import logging
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import DBAPIError
from werkzeug.serving import make_server

from tests.web.conftest import Patient
from tests.web.test_access import sign_in

FREE_TEXT = "UNIQUE-ANSWER-7731"
AGE = "47"
NAME = "Zelda Quixote-Marchbanks"
BIRTH_DATE = "1953-07-19"
#: Substrings that must appear nowhere (the name in parts, the year in any date format).
PERSONAL = (FREE_TEXT, "UNIQUE-ANSWER", "Zelda", "Quixote", "Marchbanks", BIRTH_DATE, "1953")
#: The age next to its question id, however it is written (47 alone would match times).
AGE_PATTERN = re.compile(r"age\W{0,6}47\b")
LOGGERS = ("", "riskcheck", "werkzeug", "flask", "flask_wtf", "flask_limiter", "flask_login")

ABOUT_YOU = {"age": AGE, "smoker": "current"}
SMOKING = {"packs_per_day": "1", "years_smoked": "30"}
FEELINGS = {"q1": "2", "q2": "2", "symptoms": ["headache"], "notes": FREE_TEXT}


@pytest.fixture
def everything_logged(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name or None)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # statements and parameters
    return caplog


def leaks(caplog: pytest.LogCaptureFixture, *streams: str) -> list[str]:
    """Every captured log record and output stream holding something personal."""
    texts = []
    for record in caplog.records:
        text = f"{record.name} {record.getMessage()} {record.args!r}"
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        texts.append(text)
    texts.extend(streams)
    return [
        text
        for text in texts
        if any(secret in text for secret in PERSONAL) or AGE_PATTERN.search(text)
    ]


def reference_on(page: str) -> str:
    found = re.search(r"<code>([0-9A-Z-]{30,})</code>", page)
    assert found, "no reference code on the result page"
    return found.group(1).replace("-", "")


def test_a_whole_journey_and_look_up_log_nothing_personal(
    app: Flask,
    client: FlaskClient,
    patient: Patient,
    everything_logged: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    patient.start()
    assert patient.answer("about_you", **ABOUT_YOU).status_code == 302
    assert patient.answer("about_you-2", **SMOKING).status_code == 302
    assert patient.answer("feelings", **FEELINGS).headers["Location"].endswith("/review")
    assert FREE_TEXT in client.get("/q/mood/review").get_data(as_text=True)
    assert client.post("/q/mood/review").status_code == 302
    reference = reference_on(client.get("/q/mood/result").get_data(as_text=True))
    pdf = client.post("/q/mood/summary.pdf", data={"name": NAME, "birth_date": BIRTH_DATE})
    assert pdf.mimetype == "application/pdf"

    clinician = app.test_client()
    sign_in(app, clinician, "editor")
    failed = app.test_client().post(
        "/clinician/login", data={"email": "editor@example.org", "password": "not it"}
    )
    assert failed.status_code == 400  # logs a warning: proves riskcheck's logs are captured
    found = clinician.post("/clinician/lookup", data={"reference": reference})
    assert found.status_code == 200
    assert FREE_TEXT in found.get_data(as_text=True)
    again = clinician.post(f"/clinician/responses/{reference}.pdf")
    assert again.mimetype == "application/pdf"

    out, err = capfd.readouterr()
    assert any("failed sign-in" in r.getMessage() for r in everything_logged.records)
    assert leaks(everything_logged, out, err) == []


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The app behind werkzeug's own server on a free loopback port (access log and all)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


def test_the_server_access_log_holds_no_answers_name_or_birth_date(
    served: str,
    everything_logged: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )

    def post(path: str, fields: dict[str, object]) -> str:
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        with opener.open(served + path, data=data, timeout=10) as response:  # noqa: S310
            return response.read().decode(errors="replace")

    post("/q/mood/start", {"action": "start"})  # CSRF is off in the test app
    post("/q/mood/p/about_you", {**ABOUT_YOU, "action": "next"})
    post("/q/mood/p/about_you-2", {**SMOKING, "action": "next"})
    post("/q/mood/p/feelings", {**FEELINGS, "action": "next"})
    result = post("/q/mood/review", {})
    assert reference_on(result)
    post("/q/mood/summary.pdf", {"name": NAME, "birth_date": BIRTH_DATE})

    out, err = capfd.readouterr()
    access = [r.getMessage() for r in everything_logged.records if r.name == "werkzeug"]
    assert any("/q/mood/summary.pdf" in line for line in access + [err]), "no access log seen"
    assert leaks(everything_logged, out, err) == []


def test_a_database_failure_while_storing_does_not_log_the_answers(
    app: Flask,
    client: FlaskClient,
    patient: Patient,
    everything_logged: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: logged, not raised
    patient.start()
    patient.answer("about_you", **ABOUT_YOU)
    patient.answer("about_you-2", **SMOKING)
    patient.answer("feelings", **FEELINGS)
    with app.extensions["riskcheck_store"].engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE responses RENAME TO responses_elsewhere")
    assert client.post("/q/mood/review").status_code >= 500

    out, err = capfd.readouterr()
    logged = [r for r in everything_logged.records if r.levelno >= logging.WARNING]
    assert logged, "the failure was not logged"
    assert leaks(everything_logged, out, err) == []


def test_database_errors_never_carry_the_answers_in_their_text(app: Flask) -> None:
    """Whatever logs a database error (Flask's handler of a 500, a worker's crash report)
    logs its text, which holds the statement and, unless the engine hides them, its
    parameters: here a patient's answers."""
    store = app.extensions["riskcheck_store"]
    row = store.versions.published("mood")
    with store.engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE responses RENAME TO responses_elsewhere")
    with pytest.raises(DBAPIError) as failure:
        store.responses.add(
            reference="7" * 26,
            version_row_id=row.id,
            questionnaire_id="mood",
            version=row.version,
            answers={"age": 47, "notes": FREE_TEXT},
            result={"urgency": "soon"},
        )
    text = f"{failure.value}\n{failure.getrepr()}"
    assert "INSERT INTO responses" in text
    assert FREE_TEXT not in text
