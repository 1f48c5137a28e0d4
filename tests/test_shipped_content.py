"""What the shipped questionnaires say and refuse, checked on the engine (no Flask): answer
checks, the answers listed with a reason, the patient's own words, "nothing to do" wording,
messages for missing answers and patient-facing source lines."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from riskcheck.answers import resolve
from riskcheck.errors import AnswerError
from riskcheck.journey import pages, save_page
from riskcheck.loader import find_questionnaire
from riskcheck.questionnaire import Questionnaire
from riskcheck.result import Result
from riskcheck.scoring import score

TODAY = datetime.date(2026, 1, 15)
BP_QUESTIONNAIRES = ["symptom-check", "net-symptoms"]
#: the answers each blood-pressure questionnaire needs besides the reading
BASE = {
    "symptom-check": {"age": 50, "smoker": "never", "pain_level": 0},
    "net-symptoms": {"age": 50},
}


def load(name: str) -> Questionnaire:
    return find_questionnaire(name)


def refused(q: Questionnaire, answers: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(AnswerError) as caught:
        resolve(q, answers, today=TODAY)
    return caught.value.by_question()


def reason_of(result: Result, rule_id: str):  # noqa: ANN201
    return next(
        reason
        for rec in result.recommendations
        for reason in rec.reasons
        if reason.kind == "rule" and reason.id == rule_id
    )


# -- blood pressure: the bottom number must be lower than the top ------------------------------


@pytest.mark.parametrize("name", BP_QUESTIONNAIRES)
@pytest.mark.parametrize(("systolic", "diastolic"), [(80, 120), (120, 120), (100, 180)])
def test_a_bottom_number_not_below_the_top_is_refused_at_diastolic(name, systolic, diastolic):
    q = load(name)
    answers = {**BASE[name], "systolic": systolic, "diastolic": diastolic}
    assert refused(q, answers) == {
        "diastolic": "The bottom number must be lower than the top number."
    }


@pytest.mark.parametrize("name", BP_QUESTIONNAIRES)
def test_the_blood_pressure_page_shows_the_message_and_keeps_the_top_number(name):
    q = load(name)
    page = next(p for p in pages(q, BASE[name], TODAY) if p.id == "blood_pressure")
    stored, errors = save_page(q, page, BASE[name], {"systolic": "80", "diastolic": "120"}, TODAY)
    assert errors == {"diastolic": "The bottom number must be lower than the top number."}
    assert stored["systolic"] == 80
    assert "diastolic" not in stored


@pytest.mark.parametrize("name", BP_QUESTIONNAIRES)
@pytest.mark.parametrize("reading", [{"systolic": 121, "diastolic": 120}, {"diastolic": 130}, {}])
def test_readings_in_order_or_incomplete_are_accepted(name, reading):
    q = load(name)
    resolve(q, {**BASE[name], **reading}, today=TODAY)  # unknown never refuses


# -- the crisis reasons list both readings ------------------------------------------------------


@pytest.mark.parametrize("name", BP_QUESTIONNAIRES)
@pytest.mark.parametrize(
    ("reading", "symptoms", "rule"),
    [
        ({"systolic": 185, "diastolic": 95}, ["none"], "hypertensive_urgency"),
        ({"systolic": 150, "diastolic": 125}, ["none"], "hypertensive_urgency"),
        ({"systolic": 185, "diastolic": 95}, ["chest_pain"], "hypertensive_emergency"),
    ],
)
def test_blood_pressure_reasons_show_both_numbers(name, reading, symptoms, rule):
    q = load(name)
    result = score(q, {**BASE[name], **reading, "bp_symptoms": symptoms}, today=TODAY)
    shown = {line.question: line.answer for line in reason_of(result, rule).answers}
    assert shown["systolic"] == f"{reading['systolic']} mm Hg"
    assert shown["diastolic"] == f"{reading['diastolic']} mm Hg"
