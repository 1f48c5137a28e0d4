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


# -- coughing up blood: how much and with what (NHS "Coughing up blood", NG12 1.1.1) -----------

COUGH_BASE = {"smoker": "never", "pain_level": 0}
FEW = {"haemoptysis": True, "haemoptysis_amount": "few_spots", "haemoptysis_with": ["none"]}


@pytest.mark.parametrize(
    ("answers", "urgency", "present", "absent"),
    [
        # a few spots: an urgent GP appointment or NHS 111 today; NG12 referral from 40
        (
            {"age": 40, **FEW},
            "urgent",
            {"coughing_blood_urgent", "urgent_referral_lung"},
            {"emergency"},
        ),
        (
            {"age": 39, **FEW},
            "urgent",
            {"coughing_blood_urgent"},
            {"emergency", "urgent_referral_lung"},
        ),
        ({"age": 18, **FEW}, "urgent", {"coughing_blood_urgent"}, {"emergency"}),
        # how much not said: never less than the few-spots route
        (
            {"age": 41, "haemoptysis": True},
            "urgent",
            {"coughing_blood_urgent", "urgent_referral_lung"},
            {"emergency"},
        ),
        # more than a few spots or streaks: emergency, with the NG12 referral beside it from 40
        (
            {"age": 40, **FEW, "haemoptysis_amount": "more_than_a_few"},
            "emergency",
            {"emergency", "urgent_referral_lung"},
            {"coughing_blood_urgent"},
        ),
        (
            {"age": 39, **FEW, "haemoptysis_amount": "more_than_a_few"},
            "emergency",
            {"emergency"},
            {"coughing_blood_urgent", "urgent_referral_lung"},
        ),
        # with signs of a blood clot in the lungs: emergency, whatever the amount
        *[
            (
                {"age": 30, **FEW, "haemoptysis_with": [sign]},
                "emergency",
                {"emergency"},
                {"coughing_blood_urgent"},
            )
            for sign in ("hard_to_breathe", "fast_heartbeat", "chest_or_upper_back_pain")
        ],
        # the same signs ticked on the red-flag page count too
        (
            {"age": 30, **FEW, "severe_difficulty_breathing": True},
            "emergency",
            {"emergency"},
            {"coughing_blood_urgent"},
        ),
        (
            {"age": 30, **FEW, "chest_pain_sudden_severe": True},
            "emergency",
            {"emergency"},
            {"coughing_blood_urgent"},
        ),
        # a lot of blood ticked on the red-flag page: emergency, NG12 referral from 40, and
        # "how much" is not asked again
        (
            {"age": 40, "coughing_up_blood_now": True},
            "emergency",
            {"emergency", "urgent_referral_lung"},
            {"coughing_blood_urgent"},
        ),
        (
            {"age": 39, "coughing_up_blood_now": True, "haemoptysis": True},
            "emergency",
            {"emergency"},
            {"coughing_blood_urgent", "urgent_referral_lung"},
        ),
        # chest pain that has lasted for weeks is not the chest pain "now" the NHS means
        (
            {"age": 30, **FEW, "chest_pain": True},
            "urgent",
            {"coughing_blood_urgent"},
            {"emergency"},
        ),
    ],
)
def test_coughing_up_blood_routes(answers, urgency, present, absent):
    q = load("symptom-check")
    result = score(q, {**COUGH_BASE, **answers}, today=TODAY)
    assert result.urgency == urgency
    found = set(result.recommendation_ids())
    assert present <= found
    assert not absent & found


def test_coughing_up_blood_emergencies_interrupt():
    q = load("symptom-check")
    for answers in (
        {**FEW, "haemoptysis_amount": "more_than_a_few"},
        {**FEW, "haemoptysis_with": ["fast_heartbeat"]},
        {"coughing_up_blood_now": True},
    ):
        result = score(q, {**COUGH_BASE, "age": 50, **answers}, today=TODAY)
        assert result.contacts == ("emergency",)
        assert {i.rule for i in result.interruptions} & {
            "emergency_coughing_blood",
            "emergency_coughing_blood_with_symptoms",
        }
    few = score(q, {**COUGH_BASE, "age": 50, **FEW}, today=TODAY)
    assert few.interruptions == ()  # urgent, not an emergency: no interruption


def test_how_much_and_with_what_are_asked_right_after_the_breathing_page():
    q = load("symptom-check")
    stored = {**COUGH_BASE, "age": 50, "haemoptysis": True}
    steps = [p.id for p in pages(q, stored, TODAY)]
    follow_up = steps[steps.index("breathing_chest") + 1]
    assert follow_up == "breathing_chest-2"
    asked = next(p for p in pages(q, stored, TODAY) if p.id == follow_up)
    assert [e.question.id for e in asked.questions] == ["haemoptysis_amount", "haemoptysis_with"]
    # not asked without blood, nor again after "a lot of blood now" on the red-flag page
    assert "breathing_chest-2" not in [
        p.id for p in pages(q, {**stored, "haemoptysis": False}, TODAY)
    ]
    again = {**stored, "coughing_up_blood_now": True}
    assert "breathing_chest-2" not in [p.id for p in pages(q, again, TODAY)]


# -- patient-facing words ------------------------------------------------------------------------

#: words for clinicians and developers that must never reach a patient's page or PDF
JARGON = [
    r"design choice",
    r"\bFHIR\b",
    r"\bPROMs?\b",
    r"implementation guide",
    r"clinical-sources",
    r"\bthe brief\b",
    r"\bcontract\b",
    r"\bour reading\b",
    r"\bscope:",
    r"\babstract:",
    r"\bDT score\b",
    r"\bTODO\b",
    r"\bFIXME\b",
    r"\bYAML\b",
    r"\blint\b",
]
#: keys whose values are ids, expressions, addresses or examples for tests, never shown
NOT_SHOWN = {
    "id",
    "when",
    "show_if",
    "value",
    "url",
    "tests",
    "recommend",
    "flags",
    "sum",
    "source",
    "show_answers",
    "interrupt",
    "named_by",
    "not_same_as",
    "question",
    "service",
    "type",
    "missing",
}


def patient_strings(data: Any, path: str = "") -> list[tuple[str, str]]:
    """Every (path, text) of a definition that a patient can read on a page or the PDF."""
    if isinstance(data, dict):
        return [
            found
            for key, value in data.items()
            if key not in NOT_SHOWN
            for found in patient_strings(value, f"{path}.{key}" if path else str(key))
        ]
    if isinstance(data, list):
        return [x for i, item in enumerate(data) for x in patient_strings(item, f"{path}[{i}]")]
    return [(path, data)] if isinstance(data, str) else []


SHIPPED_IDS = [
    "symptom-check",
    "net-symptoms",
    "phq9",
    "gad7",
    "esas",
    "screening",
    "screening-acs",
]


@pytest.mark.parametrize("name", SHIPPED_IDS)
def test_no_internal_jargon_reaches_patients(name):
    import re

    data = load(name).definition.model_dump()
    found = [
        (path, pattern)
        for path, text in patient_strings(data)
        for pattern in JARGON
        if re.search(pattern, " ".join(text.split()), re.IGNORECASE)
    ]
    assert found == []


def test_citations_sources_and_publishers_are_checked():
    # the walk covers the strings the result page and the PDF print as "Source: ..."
    paths = {p for p, _ in patient_strings(load("symptom-check").definition.model_dump())}
    assert "sources.ng12.title" in paths
    assert "sources.ng12.publisher" in paths
    assert any(p.startswith("rules[") and p.endswith(".citation") for p in paths)
    assert any(p.startswith("recommendations.") and p.endswith(".citation") for p in paths)
    assert any(p.startswith("scales[") and p.endswith(".citation") for p in paths)


# -- the patient's own words for ESAS-r's "Other Problem" ----------------------------------------

ESAS_ZERO = {
    **dict.fromkeys(
        [
            "pain",
            "tiredness",
            "drowsiness",
            "nausea",
            "lack_of_appetite",
            "shortness_of_breath",
            "depression",
            "anxiety",
            "wellbeing",
        ],
        0,
    ),
    "distress_thermometer": 0,
}


@pytest.mark.parametrize(
    ("rating", "rule"), [(7, "other_problem_7_or_more"), (5, "other_symptoms_4_or_more")]
)
def test_esas_other_problem_reasons_carry_the_patients_words(rating, rule):
    q = load("esas")
    answers = {**ESAS_ZERO, "other_problem_name": "Itchy skin <at night>", "other_problem": rating}
    result = score(q, answers, today=TODAY)
    line = next(x for x in reason_of(result, rule).answers if x.question == "other_problem")
    assert line.text == "Other Problem: Itchy skin <at night>"
    assert line.answer == f"{rating} out of 10"
    summary = next(x for x in result.answers if x.question == "other_problem")
    assert summary.text == "Other Problem: Itchy skin <at night>"


def test_esas_other_problem_without_a_name_keeps_the_form_words():
    result = score(load("esas"), {**ESAS_ZERO, "other_problem": 7}, today=TODAY)
    line = next(x for x in reason_of(result, "other_problem_7_or_more").answers)
    assert line.text == "Other Problem"


# -- what "nothing to do" says -------------------------------------------------------------------

SYMPTOM_WORDING = "combinations that guidelines say should be checked soon"
NOTHING_TO_DO = {
    "screening": ({"age": 30, "sex": "male", "smoker": "never"}, "screening"),
    "screening-acs": ({"age": 30, "sex": "male", "smoker": "never"}, "screening"),
    "gad7": ({f"g{i}": "1" for i in range(1, 8)}, "10"),
    "phq9": ({f"q{i}": "0" for i in range(1, 10)}, "minimal"),
    "esas": (ESAS_ZERO, "4"),
}


@pytest.mark.parametrize("name", sorted(NOTHING_TO_DO))
def test_nothing_to_do_is_said_in_the_questionnaires_own_words(name):
    from riskcheck.report.content import build_report

    answers, word = NOTHING_TO_DO[name]
    result = score(load(name), answers, today=TODAY)
    assert result.recommendations == ()
    assert result.no_findings
    assert word in result.no_findings
    assert SYMPTOM_WORDING not in result.no_findings
    # and the PDF says the same as the page
    report = build_report(result, reference="ABC", created=datetime.datetime(2026, 1, 1, 9, 0))
    assert report.no_findings == result.no_findings


@pytest.mark.parametrize("name", ["symptom-check", "net-symptoms"])
def test_symptom_checks_keep_the_symptom_wording(name):
    result = score(load(name), {**BASE[name]}, today=TODAY)
    assert result.recommendations == ()
    assert result.no_findings == ""  # the default: "Your answers do not match ..."


# -- messages for missing answers ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["symptom-check", "net-symptoms", "screening", "screening-acs"])
def test_a_missing_age_says_enter_your_age(name):
    assert refused(load(name), {})["age"] == "Enter your age."


# -- emergency and crisis numbers in texts match the region files ---------------------------------

#: fields that quote a source (a title, a citation) rather than tell the patient what to do
QUOTES = ("title", "citation", "publisher", "attribution")


def advice_strings(name: str) -> list[tuple[str, str]]:
    strings = patient_strings(load(name).definition.model_dump())
    return [(p, " ".join(t.split())) for p, t in strings if not p.endswith(QUOTES)]


@pytest.mark.parametrize("name", SHIPPED_IDS)
def test_texts_naming_an_emergency_number_name_every_regions(name):
    from riskcheck.contacts import available_regions, region

    emergency = {
        region(code).contacts["emergency"].numbers[0].number for code in available_regions()
    }
    crisis = {
        region(code).contacts["mental_health_crisis"].numbers[0].number
        for code in available_regions()
    }
    assert emergency == {"999", "911"}
    assert crisis == {"999", "988"}
    for path, text in advice_strings(name):
        if any(n in text for n in emergency):
            assert all(n in text for n in emergency), (path, text)
        if "988" in text:  # the US crisis line: then the UK's too (regions/GB.yaml)
            assert "NHS 111 and choose option 2" in text, (path, text)
            assert all(n in text for n in crisis | emergency), (path, text)


# -- every shipped questionnaire passes riskcheck validate --strict ------------------------------


@pytest.mark.parametrize("name", SHIPPED_IDS)
def test_shipped_questionnaires_are_valid_with_warnings_as_errors(name):
    from riskcheck.loader import SHIPPED_DIR
    from riskcheck.validation import validate_file

    report = validate_file(SHIPPED_DIR / f"{name}.yaml")
    assert [str(p) for p in report.problems] == []
    assert all(outcome.passed for outcome in report.outcomes)
    assert report.is_valid(strict=True)
