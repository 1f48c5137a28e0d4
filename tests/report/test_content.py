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
    assert report.created == "Nov 25, 2026, 9:30\u202fAM"  # the locale's words (en)


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
    report = report_for(mood, answers, name="  Ann  ", birth_date=None)
    assert report.name == "Ann"
    # a name is one line: 60 line breaks made the header taller than a page (LayoutError)
    assert report_for(mood, answers, name="\nAnn\n\tLee\n" * 60).name == "Ann Lee " * 59 + "Ann Lee"
    assert report.birth_date is None
    born = datetime.date(1965, 4, 2)
    assert report_for(mood, answers, birth_date=born).birth_date == "Apr 2, 1965"
    german = report_for(mood, answers, birth_date=born, locale="de")
    assert (german.birth_date, german.created) == ("02.04.1965", "25.11.2026, 09:30")


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


# -- the clinician's summary -------------------------------------------------------------------

SHIPPED = MOOD.parents[2] / "questionnaires"


@pytest.fixture(scope="module")
def symptoms():  # noqa: ANN201
    return load_questionnaire(SHIPPED / "symptom-check.yaml")


def test_findings_are_ticked_boxes_chosen_options_and_rule_answers_once_in_order(
    symptoms,  # noqa: ANN001
) -> None:
    report = report_for(
        symptoms,
        {
            "age": 47,
            "sex": "female",
            "smoker": "never",
            "rectal_bleeding": True,
            "change_in_bowel_habit": True,
            "fit_result": 38,
            "pain_level": 2,
            "pain_location": ["tummy"],
            "other_symptoms": "Tired since March.",
        },
    )
    assert report.findings == (
        "Blood from your bottom, or blood in your poo",  # ticked
        "A change in your usual bowel habit",
        "If you have had a FIT for these symptoms, what was the result? 38 µg Hb/g",  # a rule's
        "Where is the pain? Tummy (abdomen)",  # a chosen option
    )
    # not findings: unticked boxes, the sex and smoking answers, free text
    assert not any("Female" in f or "never" in f or "Tired" in f for f in report.findings)
    assert report.score_findings == ("Pain 2 — Mild pain (1 to 3 out of 10)",)


def test_an_exclusive_none_of_these_is_not_a_finding(mood) -> None:  # noqa: ANN001
    answers = {"age": 30, "smoker": "never", "q1": "0", "q2": "0"}
    assert report_for(mood, {**answers, "symptoms": ["none"]}).findings == ()
    chosen = report_for(mood, {**answers, "symptoms": ["headache", "fatigue"]}).findings
    assert chosen == ("Which of these do you have? Headache; Tiredness",)


def test_rule_answers_are_findings_and_computed_values_follow_the_questions(mood) -> None:  # noqa: ANN001
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
    assert report.findings == (
        "How old are you? 61 years",
        "Pack-years (worked out from your answers): 30",
    )
    assert report.score_findings == ("Mood 5 — High",)


def test_scores_print_with_their_band_and_zero_scores_are_left_out() -> None:
    phq9 = load_questionnaire(SHIPPED / "phq9.yaml")
    answers = {f"q{n}": "2" for n in range(1, 10)} | {"q9": "0", "q1": "3"}
    report = report_for(phq9, answers)
    assert report.score_findings == (
        "PHQ-9 mood 17 — Moderately severe (15 to 19 out of 27)",
        "PHQ-2 (first two questions) 5",  # a scale without bands: the value alone
    )
    quiet = report_for(phq9, {f"q{n}": "0" for n in range(1, 10)})
    assert quiet.score_findings == ()


def test_unticked_rows_come_after_every_other_answer(symptoms) -> None:  # noqa: ANN001
    report = report_for(
        symptoms, {"age": 50, "smoker": "never", "pain_level": 2, "rectal_bleeding": True}
    )
    grouped = [a.grouped for a in report.answers]
    first = grouped.index(True)
    assert all(grouped[first:])
    assert [a.section for a in report.answers[first:]] == [
        "Do you need help right now?",
        "Your digestion",
        "Your breathing and chest",
        "General",
        "Your blood pressure",
    ]


def test_ticked_and_chosen_lines_are_still_shared_between_results(symptoms) -> None:  # noqa: ANN001
    answers = {"age": 50, "smoker": "never", "pain_level": 2, "rectal_bleeding": True}
    first = score(symptoms, answers, today=WHEN.date())
    second = score(symptoms, {**answers, "age": 51}, today=WHEN.date())
    line = next(a for a in first.answers if a.question == "rectal_bleeding")
    assert line.ticked
    assert not line.unticked
    assert line is next(a for a in second.answers if a.question == "rectal_bleeding")
    unticked = next(a for a in first.answers if a.question == "diarrhoea")
    assert (unticked.ticked, unticked.unticked) == (False, True)


CRISIS = {"age": 40, "smoker": "never", "q1": "3", "q2": "3", "crisis": True}


def test_the_emergency_notice_names_each_regions_numbers(mood) -> None:  # noqa: ANN001
    both = report_for(mood, CRISIS).emergency_notice
    assert both is not None
    assert both.startswith("Get help now.")
    assert "In the UK:" in both
    assert "In the US:" in both
    for words in ("NHS 111", "Samaritans on 116 123", "text 988", "call 911"):
        assert words in both
    one = report_for(mood, CRISIS, regions=("GB",)).emergency_notice
    assert one is not None
    assert "In the UK:" not in one
    assert "988" not in one
    assert (
        report_for(mood, {"age": 40, "smoker": "never", "q1": "0", "q2": "0"}).emergency_notice
        is None
    )


def test_a_summary_of_a_patient_who_stopped_early_says_so(mood) -> None:  # noqa: ANN001
    from riskcheck.journey import result_so_far

    result = result_so_far(mood, CRISIS, WHEN.date())
    report = build_report(result, reference=CODE, created=WHEN)
    assert report.ended_early is not None
    assert "stopped before the end" in report.ended_early
    assert report_for(mood, CRISIS).ended_early is None


def test_answers_set_aside_are_listed_not_dropped(mood) -> None:  # noqa: ANN001
    report = report_for(
        mood, {"age": 40, "smoker": "never", "packs_per_day": 3, "q1": "0", "q2": "0"}
    )
    assert report.set_aside == ("How many packs a day? 3",)
