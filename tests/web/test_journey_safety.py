"""The patient journey's safety mechanics through the Flask test client: interruptions,
follow-up steps, answers set aside, Change from the review page, answers too large for a
cookie, Post/Redirect/Get."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pypdf
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import Patient
from tests.web.test_patient import shown_urgency

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires"


@pytest.fixture
def questionnaire_dir(questionnaire_dir: Path) -> Path:
    """The mood check, and symptom-check for the tests that need real content."""
    shutil.copy(SHIPPED / "symptom-check.yaml", questionnaire_dir / "symptom-check.yaml")
    return questionnaire_dir


def text_of(response) -> str:  # noqa: ANN001
    return response.get_data(as_text=True)


def to_crisis(patient: Patient):  # noqa: ANN201
    patient.start()
    patient.answer("about_you", age="40", smoker="never")
    patient.answer("feelings", q1="3", q2="3")
    return patient.answer("feelings-2", crisis="yes")


def test_a_crisis_answer_stops_the_journey_on_the_next_response(
    patient: Patient, client: FlaskClient
) -> None:
    response = to_crisis(patient)
    assert response.headers["Location"].endswith("/q/mood/help-now")
    page = text_of(client.get("/q/mood/help-now"))
    assert page.index("<h1") < page.index("<h2")
    assert "Please get help now" in page
    # both regions by default, each with its one sentence first and tap-to-call links
    assert "In the UK" in page
    assert "In the US" in page
    for link in ('href="tel:999"', 'href="tel:111"', 'href="tel:116123"', 'href="tel:988"'):
        assert link in page
    assert 'href="sms:988"' in page
    assert "You said you are thinking of ending your life now." in page
    assert "I am getting help now" in page
    assert "Continue the questionnaire" in page
    assert "/q/mood/p/feelings-2" in page  # change the answer given by mistake


def test_one_region_shows_only_its_numbers(app: Flask, patient: Patient, client) -> None:  # noqa: ANN001
    settings = app.config["RISKCHECK_SETTINGS"]
    app.config["RISKCHECK_SETTINGS"] = type(settings)(**{**vars(settings), "regions": ("US",)})
    try:
        to_crisis(patient)
        page = text_of(client.get("/q/mood/help-now"))
    finally:
        app.config["RISKCHECK_SETTINGS"] = settings
    assert 'href="tel:988"' in page
    assert "tel:999" not in page
    assert "In the US" not in page  # one region: no heading needed


def test_continue_keeps_the_answers_and_shows_the_advice_again_on_the_result(
    patient: Patient, client: FlaskClient
) -> None:
    to_crisis(patient)
    response = client.post("/q/mood/help-now", data={"action": "continue"})
    assert response.headers["Location"].endswith("/q/mood/review")
    review = text_of(client.get("/q/mood/review"))
    assert "Are you thinking of ending your life now?" in review
    # the interruption is not shown again for the same answers
    assert client.get("/q/mood/help-now").headers["Location"].endswith("/q/mood/review")
    client.post("/q/mood/review")
    result = text_of(client.get("/q/mood/result"))
    assert result.index("<h1") < result.index("Get help now")
    assert 'href="tel:999"' in result
    assert "You said you are thinking of ending your life now." in result


def test_getting_help_now_ends_on_a_result_and_pdf_of_what_was_answered(
    app: Flask, patient: Patient, client: FlaskClient
) -> None:
    to_crisis(patient)
    response = client.post("/q/mood/help-now", data={"action": "stop"})
    assert response.headers["Location"].endswith("/q/mood/result")
    result = text_of(client.get("/q/mood/result"))
    assert "You stopped before the end to get help" in result
    assert shown_urgency(result) == ("Emergency", "emergency")
    code = re.search(r'<p class="reference"><code>([0-9A-Z-]+)</code>', result)
    assert code is not None
    stored = app.extensions["riskcheck_store"].responses.find(code.group(1).replace("-", ""))
    assert stored is not None
    pdf = client.post("/q/mood/summary.pdf", data={})
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert "How soon to act\nEMERGENCY\n" in text


def test_changing_the_answer_makes_the_interruption_go_away(
    patient: Patient, client: FlaskClient
) -> None:
    to_crisis(patient)
    response = patient.answer("feelings-2", crisis="no")
    assert response.headers["Location"].endswith("/q/mood/review")
    assert client.get("/q/mood/help-now").headers["Location"].endswith("/q/mood/review")


def test_a_follow_up_is_asked_only_after_its_page_and_only_when_it_applies(
    patient: Patient, client: FlaskClient
) -> None:
    patient.start()
    page = text_of(client.get("/q/mood/p/about_you"))
    assert "How many packs a day?" not in page
    response = patient.answer("about_you", age="40", smoker="current")
    assert response.headers["Location"].endswith("/q/mood/p/about_you-2")
    follow_up = text_of(client.get("/q/mood/p/about_you-2"))
    assert "How many packs a day?" in follow_up
    assert "Do you smoke?" in follow_up  # the answer that opened it, shown for context
    assert 'name="smoker"' not in follow_up


def test_the_review_page_says_when_an_answer_no_longer_applies(
    patient: Patient, client: FlaskClient
) -> None:
    patient.start()
    patient.answer("about_you", age="40", smoker="current")
    patient.answer("about_you-2", packs_per_day="2", years_smoked="10")
    patient.answer("feelings", q1="0", q2="1")
    patient.answer("about_you", age="40", smoker="never")  # changed afterwards
    review = text_of(client.get("/q/mood/review"))
    assert "Answers that no longer apply" in review
    assert "How many packs a day?" in review


def test_change_from_the_review_returns_to_the_review(patient: Patient, client) -> None:  # noqa: ANN001
    patient.finish_low_mood()
    review = text_of(client.get("/q/mood/review"))
    assert "/q/mood/p/feelings?change=1" in review
    page = text_of(client.get("/q/mood/p/feelings?change=1"))
    assert "Save and return to your answers" in page
    response = client.post("/q/mood/p/feelings?change=1", data={"q1": "1", "q2": "1"})
    assert response.headers["Location"].endswith("/q/mood/review")
    # a change that opens a follow-up asks it, then returns to the review
    response = client.post("/q/mood/p/about_you?change=1", data={"age": "40", "smoker": "current"})
    assert response.headers["Location"].endswith("/q/mood/p/about_you-2?change=1")
    response = client.post(
        "/q/mood/p/about_you-2?change=1", data={"packs_per_day": "1", "years_smoked": "2"}
    )
    assert response.headers["Location"].endswith("/q/mood/review")


def test_the_review_folds_unticked_boxes_into_one_line(client: FlaskClient) -> None:
    client.post("/q/symptom-check/start", data={"action": "start"})
    client.post("/q/symptom-check/p/about_you", data={"age": "48", "smoker": "never"})
    client.post("/q/symptom-check/p/right_now", data={"fainting": "yes"})
    review = text_of(client.get("/q/symptom-check/review"))
    rows = re.findall(r'<div class="review-row[^"]*">(.*?)</div>', review, re.S)
    right_now = [row for row in rows if "Sudden or severe chest pain" in row]
    assert len(right_now) == 1  # the unticked red flags: one row, not one each
    assert re.search(r"\d+ boxes not ticked", right_now[0])
    assert any("You have fainted or passed out today" in row and "Yes" in row for row in rows)


def test_a_long_answer_in_chinese_is_kept_server_side_not_lost(
    app: Flask, patient: Patient, client: FlaskClient
) -> None:
    patient.start()
    patient.answer("about_you", age="40", smoker="never")
    long_text = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(1000))
    response = patient.answer("feelings", q1="0", q2="1", notes=long_text)
    assert response.headers["Location"].endswith("/q/mood/review")
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert len(cookie.value) < 3600  # the browser keeps it
    assert long_text in text_of(client.get("/q/mood/review"))
    journeys = app.extensions["riskcheck_store"].journeys
    assert kept_journeys(journeys) == 1
    assert client.post("/q/mood/review").headers["Location"].endswith("/q/mood/result")
    client.post("/q/mood/restart")  # starting again forgets it
    assert kept_journeys(journeys) == 0


def kept_journeys(journeys) -> int:  # noqa: ANN001
    from sqlalchemy import func, select

    from riskcheck.storage.tables import Journey

    with journeys.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(Journey)) or 0)


def test_back_and_refresh_after_an_error_never_resubmit(patient: Patient, client) -> None:  # noqa: ANN001
    patient.start()
    response = patient.answer("about_you", age="abc", smoker="never")
    assert response.status_code == 302  # redirected: a refresh is a plain GET
    page = text_of(client.get(response.headers["Location"]))
    assert "Enter a number" in page
    assert 'value="abc"' in page
    assert 'class="back-link"' in page


def test_the_start_and_review_pages_say_the_same_about_what_is_kept(
    patient: Patient, client: FlaskClient
) -> None:
    start = text_of(client.get("/q/mood/"))
    patient.finish_low_mood()
    review = text_of(client.get("/q/mood/review"))
    for words in ("without your name", "under a reference code printed on your summary"):
        assert words in start
        assert words in review


def test_every_patient_page_names_the_regions_emergency_numbers(app: Flask, client) -> None:  # noqa: ANN001
    page = text_of(client.get("/"))
    assert "In an emergency, call now: 999 in the UK, 911 in the US." in page
    settings = app.config["RISKCHECK_SETTINGS"]
    app.config["RISKCHECK_SETTINGS"] = type(settings)(**{**vars(settings), "regions": ("GB",)})
    try:
        page = text_of(client.get("/"))
    finally:
        app.config["RISKCHECK_SETTINGS"] = settings
    assert "In an emergency, call 999 now." in page
    assert "911" not in page


def test_nothing_readable_about_the_answers_reaches_the_browser(
    patient: Patient, client: FlaskClient
) -> None:
    import base64
    import zlib

    patient.start()
    patient.answer("about_you", age="47", smoker="current")
    patient.answer("about_you-2", packs_per_day="3", years_smoked="29")
    cookie = client.get_cookie("session")
    assert cookie is not None
    payload = cookie.value.lstrip(".").split(".")[0]  # itsdangerous: [.]payload.time.sig
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if cookie.value.startswith("."):  # compressed
        raw = zlib.decompress(raw)
    readable = raw.decode()
    assert '"t"' in readable  # only the token of the journey
    for answer in ("47", "current", "29"):
        assert answer not in readable
