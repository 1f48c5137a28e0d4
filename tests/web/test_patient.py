"""The patient journey through the Flask test client."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from tests.web.conftest import Patient


def text_of(response) -> str:  # noqa: ANN001
    return response.get_data(as_text=True)


def shown_urgency(page: str) -> tuple[str, str]:
    """(the headline's urgency label, the gauge step marked current) of a result page."""
    headline = re.findall(
        r'<h2 id="urgency-title"><span class="urgency-badge">([^<]*)</span>', page
    )
    current = re.findall(r'class="gauge-step gauge-([a-z]+) current"', page)
    assert len(headline) == 1, headline
    assert len(current) == 1, current
    return headline[0], current[0]


def test_landing_page_lists_questionnaires_and_says_what_it_is_not(client) -> None:  # noqa: ANN001
    page = text_of(client.get("/"))
    assert "Mood check" in page
    assert "does <strong>not</strong> diagnose" in page
    assert "In an emergency, call now: 999 in the UK, 911 in the US. Do not use this tool." in page
    assert 'href="/q/mood/"' in page


def test_start_page_shows_disclaimer_and_time(client) -> None:  # noqa: ANN001
    page = text_of(client.get("/q/mood/"))
    assert "This check does not diagnose anything." in page
    assert "about 2 minutes" in page


def test_unknown_questionnaire_is_404(client) -> None:  # noqa: ANN001
    assert client.get("/q/nope/").status_code == 404
    assert client.get("/q/nope/p/x").status_code == 404


def test_whole_journey_to_result_and_pdf(patient: Patient, client) -> None:  # noqa: ANN001
    patient.start()
    response = patient.answer("about_you", age="61", smoker="current")
    # the smoking questions depend on an answer on the same page: asked right after it
    assert response.headers["Location"].endswith("/q/mood/p/about_you-2")
    response = patient.answer("about_you-2", packs_per_day="1", years_smoked="30")
    assert response.headers["Location"].endswith("/q/mood/p/feelings")
    response = patient.answer("feelings", q1="3", q2="3")
    assert response.headers["Location"].endswith("/q/mood/p/feelings-2")
    response = patient.answer("feelings-2", crisis="no")
    assert response.headers["Location"].endswith("/q/mood/review")
    review = text_of(client.get("/q/mood/review"))
    assert "61 years" in review
    assert "Nearly every day" in review
    assert client.post("/q/mood/review").headers["Location"].endswith("/q/mood/result")
    result = text_of(client.get("/q/mood/result"))
    # the gauge lists every level on every result page: only the headline and the gauge's
    # current step say which one this is ("SOON" in the page matched any result)
    assert shown_urgency(result) == ("Soon", "soon")
    assert "See your GP" in result
    assert "Pack-years (worked out from your answers)" in result
    pdf = client.post(
        "/q/mood/summary.pdf", data={"name": "Ann <b>Lee</b>", "birth_date": "1965-04-02"}
    )
    assert pdf.mimetype == "application/pdf"
    assert pdf.headers["Cache-Control"] == "no-store"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert "See your GP" in text
    assert "Ann <b>Lee</b>" in text
    assert "How soon to act\nSOON\nMake an appointment" in text


def test_missing_answers_reshow_the_page_with_messages_and_summary(
    patient: Patient,
    client,  # noqa: ANN001
) -> None:
    patient.start()
    response = patient.answer("about_you", age="", smoker="")
    # Post/Redirect/Get: Back and refresh never ask to send the form again
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/q/mood/p/about_you")
    page = text_of(client.get("/q/mood/p/about_you"))
    assert "There is a problem" in page
    assert page.count("Enter a number.") == 2  # in the summary and by the field
    assert page.count("Select an answer.") == 2
    assert 'href="#f-age"' in page
    assert 'aria-describedby="error-age"' in page
    # shown once: a refresh shows the page as it is, without the old problems
    assert "There is a problem" not in text_of(client.get("/q/mood/p/about_you"))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("age", "abc", "Enter a number"),
        ("age", "121", "no more than 120"),
        ("age", "40.5", "whole number"),
        ("smoker", "sometimes", "Choose one of the options."),
    ],
)
def test_invalid_answers_get_a_clear_message_and_keep_the_rest(
    patient: Patient, field: str, value: str, message: str
) -> None:
    patient.start()
    answers = {"age": "40", "smoker": "never", field: value}
    response = patient.answer("about_you", **answers)
    assert response.status_code == 302
    page = text_of(patient.client.get(response.headers["Location"]))
    assert message in page
    if field == "age":
        assert f'value="{value}"' in page  # what was typed is shown again, not lost


def test_back_keeps_answers_and_branching_hides_questions(patient: Patient, client) -> None:  # noqa: ANN001
    patient.start()
    patient.answer("about_you", age="40", smoker="never", packs_per_day="3")
    response = patient.answer("feelings", action="back", q1="2")
    assert response.headers["Location"].endswith("/q/mood/p/about_you")
    page = text_of(client.get("/q/mood/p/feelings"))
    assert 'value="2" checked' in page
    review = text_of(client.get("/q/mood/review"))
    assert "How many packs a day?" not in review  # hidden: the patient never smoked


def test_ineligible_answers_lead_to_a_page_saying_where_to_go(patient: Patient, client) -> None:  # noqa: ANN001
    patient.start()
    response = patient.answer("about_you", age="15", smoker="never")
    assert response.headers["Location"].endswith("/q/mood/not-for-you")
    page = text_of(client.get("/q/mood/not-for-you"))
    assert "This check is for adults." in page
    assert "Talk to your child" in page


def test_expired_session_sends_the_patient_to_start_with_a_message(client) -> None:  # noqa: ANN001
    response = client.post("/q/mood/p/feelings", data={"q1": "1"}, follow_redirects=True)
    assert "session may have expired" in text_of(response)


def test_hostile_text_is_escaped_on_the_page(patient: Patient, client) -> None:  # noqa: ANN001
    patient.start()
    patient.answer("about_you", age="40", smoker="never")
    hostile = '<script>alert(1)</script> </para> & "quoted" שלום'
    patient.answer("feelings", q1="0", q2="0", notes=hostile)
    review = text_of(client.get("/q/mood/review"))
    assert "<script>alert(1)</script>" not in review
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in review


def test_a_1_mb_answer_gets_a_clear_message_and_a_larger_request_a_clean_413(
    patient: Patient,
) -> None:
    patient.start()
    patient.answer("about_you", age="40", smoker="never")
    response = patient.answer("feelings", q1="0", q2="0", notes="x" * 1_100_000)
    assert response.status_code == 302
    assert "Use no more than 1000 characters" in text_of(patient.client.get("/q/mood/p/feelings"))
    response = patient.answer("feelings", q1="0", q2="0", notes="x" * 3_100_000)
    assert response.status_code == 413


def test_result_without_finishing_goes_to_review(patient: Patient, client) -> None:  # noqa: ANN001
    patient.start()
    assert client.get("/q/mood/result").headers["Location"].endswith("/q/mood/review")


def test_start_again_clears_answers_quietly(patient: Patient, client) -> None:  # noqa: ANN001
    patient.finish_low_mood()
    client.post("/q/mood/restart")
    # Back to the result page: the start page again, without an alarming message
    response = client.get("/q/mood/result", follow_redirects=True)
    page = text_of(response)
    assert "session may have expired" not in page
    assert "Start now" in page
    assert client.get("/q/mood/review").headers["Location"].endswith("/q/mood/")


def test_an_emergency_is_shown_even_when_the_check_is_not_for_you(patient: Patient, client) -> None:  # noqa: ANN001,E501
    patient.start()
    patient.answer("about_you", age="40", smoker="never")
    patient.answer("feelings", q1="3", q2="3")
    patient.answer("feelings-2", crisis="yes")
    patient.answer("about_you", age="15", smoker="never")  # corrects the age afterwards
    page = text_of(client.get("/q/mood/not-for-you"))
    assert "Get help now" in page
    assert "Call emergency services." in page
    assert 'href="tel:999"' in page
