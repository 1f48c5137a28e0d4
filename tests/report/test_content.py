"""Result -> Report: the content of the summary, checked as data."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from riskcheck.loader import load_questionnaire
from riskcheck.report.content import build_report
from riskcheck.scoring import score

MOOD = Path(__file__).resolve().parents[1] / "data" / "mood.yaml"
CODE = "7KQ2M9XD0000111122223333AB"
WHEN = datetime.datetime(2026, 11, 25, 9, 30)


@pytest.fixture(scope="module")
def mood():  # noqa: ANN201
    return load_questionnaire(MOOD)


def report_for(q, answers, **kwargs):  # noqa: ANN001, ANN003, ANN201
    return build_report(
        score(q, answers, today=WHEN.date()), reference=CODE, created=WHEN, **kwargs
    )


def test_urgency_recommendations_and_answers(mood) -> None:  # noqa: ANN001
    report = report_for(
        mood,
        {
            "age": 61,
            "smoker": "current",
            "packs_per_day": 1,
            "years_smoked": 30,
            "q1": "3",
            "q2": "2",
        },
    )
    assert (report.urgency, report.urgency_label) == ("soon", "Soon")
    assert report.urgency_action.startswith("Make an appointment")
    assert report.emergency_notice is None
    [rec] = report.recommendations
    assert rec.title == "See your GP"
    reasons = dict(rec.reasons)
    assert reasons["Your Mood score is 5: High."] == ()
    rule_answers = reasons[
        "Your answers match a combination that guidelines say should be checked."
    ]
    assert rule_answers == (
        "Pack-years (worked out from your answers) 30",
        "How old are you? 61 years",
    )
    assert ("Do you smoke?", "Yes") in [(a.question, a.answer) for a in report.answers]
    assert report.ask_your_doctor == ("What could be causing this?",)
    assert report.reference == "7KQ2-M9XD-0000-1111-2222-3333-AB"
    assert report.created == "25 November 2026, 09:30"


def test_emergency_notice_only_for_emergencies(mood) -> None:  # noqa: ANN001
    report = report_for(mood, {"age": 30, "smoker": "never", "q1": "3", "q2": "3", "crisis": True})
    assert report.urgency == "emergency"
    assert "emergency" in report.emergency_notice
    assert report.recommendations[0].title == "Get help now"


def test_no_findings_says_so(mood) -> None:  # noqa: ANN001
    report = report_for(mood, {"age": 30, "smoker": "never", "q1": "0", "q2": "0"})
    assert report.recommendations == ()
    assert "do not match" in report.no_findings


def test_a_definitions_own_no_findings_wording_reaches_the_summary() -> None:
    from tests.factories import make_questionnaire

    q = make_questionnaire(no_findings="None of these screening tests is advised for you now.")
    report = report_for(q, {"cough": False})
    assert report.no_findings == "None of these screening tests is advised for you now."


def test_name_and_birth_date_are_optional_and_trimmed(mood) -> None:  # noqa: ANN001
    answers = {"age": 30, "smoker": "never", "q1": "0", "q2": "0"}
    assert report_for(mood, answers).name is None
    report = report_for(mood, answers, name="  Ann  ", birth_date=" ")
    assert report.name == "Ann"
    assert report.birth_date is None


def test_translator_reaches_every_label(mood) -> None:  # noqa: ANN001
    report = report_for(
        mood,
        {"age": 30, "smoker": "never", "q1": "0", "q2": "0"},
        translate=lambda text: f"«{text}»",
    )
    assert report.heading.startswith("«")
    assert report.urgency_label == "«Routine»"
    assert all(value.startswith("«") for value in report.labels.values())


def test_unticked_boxes_are_listed_together_per_page() -> None:
    q = load_questionnaire(MOOD.parents[2] / "questionnaires" / "symptom-check.yaml")
    report = build_report(
        score(
            q,
            {"age": 50, "smoker": "never", "pain_level": 2, "rectal_bleeding": True},
            today=WHEN.date(),
        ),
        reference=CODE,
        created=WHEN,
    )
    grouped = [a for a in report.answers if a.grouped]
    assert grouped
    assert all(a.question == "Not ticked (did not apply)" for a in grouped)
    assert len({a.section for a in grouped}) == len(grouped)  # one row per page
    ticked = [a for a in report.answers if not a.grouped and a.answer == "Yes"]
    assert [a.question for a in ticked] == ["Blood from your bottom, or blood in your poo"]
