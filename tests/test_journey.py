"""The journey without Flask: steps and follow-up steps, interruptions, set-aside answers,
checks across answers, and what comes next."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from riskcheck import journey
from riskcheck.answers import resolve
from riskcheck.errors import AnswerError, DefinitionError
from riskcheck.loader import SHIPPED_DIR, load_questionnaire, load_text
from riskcheck.questionnaire import Questionnaire
from riskcheck.scoring import score
from riskcheck.validation import validate_text
from tests.factories import make_definition

DAY = datetime.date(2026, 1, 15)


def step_ids(q: Questionnaire, stored: dict[str, Any]) -> list[str]:
    return [p.id for p in journey.pages(q, stored, DAY)]


def walk(q: Questionnaire, answers: dict[str, Any], limit: int = 50) -> list[str]:
    """Take the questionnaire step by step with ``answers``: the steps seen, in order, and
    'interruption' where the journey stopped for one."""
    stored: dict[str, Any] = {}
    seen: list[str] = []
    step: str | None = journey.pages(q, stored, DAY)[0].id
    acknowledged: frozenset[str] = frozenset()
    for _ in range(limit):
        if step is None:
            return seen
        seen.append(step)
        page = journey.find_page(journey.pages(q, stored, DAY), step)
        assert page is not None, step
        stored, errors = journey.save_page(q, page, stored, answers, DAY)
        assert not errors, errors
        following = journey.next_after(q, stored, DAY, step, acknowledged=acknowledged)
        if following.kind == "interruption":
            seen.append("interruption")
            acknowledged = frozenset(i.rule for i in journey.interruptions(q, stored, DAY))
            following = journey.next_after(q, stored, DAY, step, acknowledged=acknowledged)
        step = following.page_id if following.kind == "page" else None
    raise AssertionError("no end")


# -- follow-up steps ----------------------------------------------------------------------------


def test_a_same_page_condition_is_asked_on_a_follow_up_step_only_when_it_holds(
    mood: Questionnaire,
) -> None:
    assert step_ids(mood, {}) == ["about_you", "feelings"]
    assert step_ids(mood, {"age": 40, "smoker": "never"}) == ["about_you", "feelings"]
    assert step_ids(mood, {"age": 40, "smoker": "current"}) == [
        "about_you",
        "about_you-2",
        "feelings",
    ]
    follow_up = journey.pages(mood, {"age": 40, "smoker": "current"}, DAY)[1]
    assert follow_up.is_follow_up
    assert (follow_up.number, follow_up.total) == (1, 2)
    assert [e.question.id for e in follow_up.questions] == ["packs_per_day", "years_smoked"]
    assert journey.follow_up_cause(mood, follow_up, {"smoker": "current"}, DAY) == [
        ("Do you smoke?", "Yes")
    ]


def test_a_section_page_never_shows_a_question_whose_condition_is_undecided(
    mood: Questionnaire,
) -> None:
    first = journey.pages(mood, {}, DAY)[0]
    assert [e.question.id for e in first.questions] == ["age", "smoker"]


def test_follow_ups_of_follow_ups_are_asked_in_turn() -> None:
    q = load_text(
        make_definition(
            questions=[
                {"id": "pain", "type": "yesno", "text": "Pain?"},
                {"id": "severe", "type": "yesno", "text": "Severe?", "show_if": "pain"},
                {"id": "sudden", "type": "yesno", "text": "Sudden?", "show_if": "severe"},
                {"id": "other", "type": "yesno", "text": "Other?"},
            ]
        )
    )
    assert step_ids(q, {}) == ["main"]
    assert [e.question.id for e in journey.pages(q, {}, DAY)[0].questions] == ["pain", "other"]
    assert step_ids(q, {"pain": True}) == ["main", "main-2"]
    assert step_ids(q, {"pain": True, "severe": True}) == ["main", "main-2", "main-3"]
    assert walk(q, {"pain": True, "severe": True, "sudden": False, "other": False}) == [
        "main",
        "main-2",
        "main-3",
    ]


def test_every_answer_on_a_shown_question_reaches_the_result() -> None:
    """The blood-pressure case: symptoms ticked with no reading were dropped silently."""
    q = load_questionnaire(SHIPPED_DIR / "symptom-check.yaml")
    bp_page = journey.find_page(journey.pages(q, {}, DAY), "blood_pressure")
    assert bp_page is not None
    assert "bp_symptoms" not in [e.question.id for e in bp_page.questions]
    stored = {"systolic": 185, "diastolic": 125}
    follow_up = journey.find_page(journey.pages(q, stored, DAY), "blood_pressure-2")
    assert follow_up is not None
    assert [e.question.id for e in follow_up.questions] == ["bp_symptoms"]
    stored, errors = journey.save_page(
        q, follow_up, stored, {"bp_symptoms": ["chest_pain", "shortness_of_breath"]}, DAY
    )
    assert not errors
    assert stored["bp_symptoms"] == ["chest_pain", "shortness_of_breath"]
    # without a high reading the question is never asked
    assert journey.find_page(journey.pages(q, {"systolic": 120}, DAY), "blood_pressure-2") is None


def test_pain_location_is_asked_only_with_pain() -> None:
    q = load_questionnaire(SHIPPED_DIR / "symptom-check.yaml")
    assert "pain-2" not in step_ids(q, {"pain_level": 0})
    assert "pain-2" in step_ids(q, {"pain_level": 3})


# -- set aside, never dropped silently ---------------------------------------------------------


def test_an_answer_that_no_longer_applies_is_set_aside_not_dropped(mood: Questionnaire) -> None:
    stored = {"age": 40, "smoker": "current", "packs_per_day": 1, "years_smoked": 20}
    stored["smoker"] = "never"  # changed afterwards
    answers = journey.current_answers(mood, stored, DAY)
    assert answers.set_aside == {"packs_per_day": 1, "years_smoked": 20}
    result = score(mood, {**stored, "q1": "0", "q2": "0"}, today=DAY)
    assert [line.question for line in result.set_aside] == ["packs_per_day", "years_smoked"]
    assert "pack_years" not in {line.question for line in result.answers}


def test_unticked_boxes_and_none_of_these_are_not_set_aside(mood: Questionnaire) -> None:
    answers = resolve(mood, {"age": 40, "smoker": "never", "q1": "0", "q2": "1", "crisis": False})
    assert answers.set_aside == {}


def test_a_definition_test_that_counts_on_a_hidden_answer_fails_validation(
    mood: Questionnaire,
) -> None:
    text = mood.text.replace(
        """    answers: {age: 30, smoker: never, q1: "0", q2: "1"}""",
        """    answers: {age: 30, smoker: never, q1: "0", q2: "1", packs_per_day: 4}""",
    )
    report = validate_text(text)
    assert [p.message for p in report.errors] == [
        "test 'low mood' failed: answer packs_per_day is set aside: its question is not asked "
        "with these answers (its show_if does not hold), so it is never scored; give the "
        "answers that make it apply, or add it under expect: set_aside if that is the point"
    ]
    said = text.replace(
        "expect: {urgency: routine, bands: {total: low}, scores: {total: 1}}",
        "expect: {urgency: routine, bands: {total: low}, scores: {total: 1}, "
        "set_aside: [packs_per_day]}",
    )
    assert validate_text(said).errors == []


# -- checks across answers -------------------------------------------------------------------

BLOOD_PRESSURE = [
    {"id": "systolic", "type": "number", "optional": True, "text": "Top number?"},
    {"id": "diastolic", "type": "number", "optional": True, "text": "Bottom number?"},
]
CHECKS = [
    {
        "id": "bottom_below_top",
        "when": "diastolic >= systolic",
        "question": "diastolic",
        "message": "The bottom number must be lower than the top number.",
    }
]


@pytest.fixture(scope="module")
def blood_pressure() -> Questionnaire:
    return load_text(make_definition(questions=BLOOD_PRESSURE, checks=CHECKS))


@pytest.mark.parametrize(
    ("answers", "errors"),
    [
        ({"systolic": 80, "diastolic": 120}, {"diastolic": CHECKS[0]["message"]}),
        ({"systolic": 120, "diastolic": 120}, {"diastolic": CHECKS[0]["message"]}),
        ({"systolic": 120, "diastolic": 80}, {}),
        ({"diastolic": 120}, {}),  # unknown never refuses
    ],
)
def test_a_check_across_answers_refuses_impossible_readings(
    blood_pressure: Questionnaire, answers: dict[str, Any], errors: dict[str, str]
) -> None:
    if errors:
        with pytest.raises(AnswerError) as caught:
            resolve(blood_pressure, answers, today=DAY)
        assert caught.value.by_question() == errors
    else:
        resolve(blood_pressure, answers, today=DAY)
    page = journey.pages(blood_pressure, {}, DAY)[0]
    stored, found = journey.save_page(blood_pressure, page, {}, answers, DAY)
    assert found == errors
    for name in errors:
        assert name not in stored  # a refused answer is never stored


def test_a_check_may_not_use_a_later_question() -> None:
    bad = [{**CHECKS[0], "question": "systolic"}]
    with pytest.raises(DefinitionError) as caught:
        load_text(make_definition(questions=BLOOD_PRESSURE, checks=bad))
    problem = caught.value.problems[0]
    assert problem.path == "checks[0].when"
    assert problem.message == "'diastolic' is not available here (column 1): diastolic >= systolic"


def test_a_check_names_a_question_that_exists() -> None:
    bad = [{**CHECKS[0], "question": "diastolc"}]
    with pytest.raises(DefinitionError) as caught:
        load_text(make_definition(questions=BLOOD_PRESSURE, checks=bad))
    assert caught.value.problems[0].hint == "did you mean 'diastolic'?"


# -- interruptions -----------------------------------------------------------------------------


def test_an_interruption_fires_on_the_next_response(mood: Questionnaire) -> None:
    answers = {"age": 40, "smoker": "never", "q1": "3", "q2": "3", "crisis": True}
    assert walk(mood, answers) == ["about_you", "feelings", "feelings-2", "interruption"]
    fired = journey.interruptions(mood, {"q2": "3", "crisis": True}, DAY)
    assert [i.rule for i in fired] == ["crisis_now"]
    assert fired[0].contacts == ("mental_health_crisis", "emergency")
    assert [line.question for line in fired[0].reason.answers] == ["crisis"]


def test_an_unanswered_question_never_fires_an_interruption() -> None:
    q = load_text(
        make_definition(
            questions=[{"id": "well", "type": "yesno", "text": "Well?", "default": True}],
            rules=[
                {
                    "id": "unwell",
                    "when": "not well",
                    "urgency": "emergency",
                    "interrupt": ["emergency"],
                }
            ],
        )
    )
    assert journey.interruptions(q, {}, DAY) == ()  # a default is no answer
    assert [i.rule for i in journey.interruptions(q, {"well": False}, DAY)] == ["unwell"]


def test_an_unticked_box_on_a_page_not_yet_reached_is_unknown() -> None:
    q = load_text(
        make_definition(
            questions=[{"id": "ok", "type": "yesno", "text": "All fine?", "default": False}],
            rules=[
                {
                    "id": "not_ok",
                    "when": "not ok",
                    "urgency": "emergency",
                    "interrupt": ["emergency"],
                }
            ],
        )
    )
    assert journey.interruptions(q, {}, DAY) == ()
    assert journey.answers_so_far(q, {}, DAY).values["ok"] is None
    assert [i.rule for i in journey.interruptions(q, {"ok": False}, DAY)] == ["not_ok"]


def test_an_emergency_interrupts_before_eligibility(mood: Questionnaire) -> None:
    stored = {"age": 15, "smoker": "never", "q1": "3", "q2": "3", "crisis": True}
    assert journey.next_after(mood, stored, DAY, "feelings-2").kind == "interruption"
    following = journey.next_after(
        mood, stored, DAY, "feelings-2", acknowledged=frozenset({"crisis_now"})
    )
    assert following.kind == "not_eligible"


def test_the_result_of_a_patient_who_stopped_holds_only_what_was_answered(
    mood: Questionnaire,
) -> None:
    result = journey.result_so_far(
        mood, {"age": 40, "smoker": "never", "q1": "3", "q2": "3", "crisis": True}, DAY
    )
    assert result.complete is False
    assert result.urgency == "emergency"
    assert result.contacts == ("mental_health_crisis", "emergency")
    early = journey.result_so_far(mood, {"age": 40, "smoker": "never"}, DAY)
    assert early.scales[0].value is None  # nothing assumed about questions not reached


def test_interrupt_names_known_contacts() -> None:
    with pytest.raises(DefinitionError) as caught:
        load_text(
            make_definition(
                rules=[
                    {"id": "r", "when": "cough", "urgency": "emergency", "interrupt": ["police"]}
                ]
            )
        )
    assert caught.value.problems[0].path == "rules[0].interrupt[0]"


# -- what comes next when changing an answer from the review page ----------------------------


def test_changing_an_answer_returns_to_the_review_after_any_follow_up_it_opens(
    mood: Questionnaire,
) -> None:
    done = {"age": 40, "smoker": "never", "q1": "0", "q2": "1"}
    assert journey.next_after(mood, done, DAY, "about_you", changing=True).kind == "review"
    opened = {**done, "smoker": "current"}
    following = journey.next_after(mood, opened, DAY, "about_you", changing=True)
    assert following.page_id == "about_you-2"
    answered = {**opened, "packs_per_day": 1, "years_smoked": 5}
    assert journey.next_after(mood, answered, DAY, "about_you-2", changing=True).kind == "review"
    # without changing, the journey goes on to the next step
    assert journey.next_after(mood, answered, DAY, "about_you-2").page_id == "feelings"


def test_previous_page_steps_back_through_follow_ups(mood: Questionnaire) -> None:
    steps = journey.pages(mood, {"age": 40, "smoker": "current"}, DAY)
    assert journey.previous_page(steps, "feelings") == "about_you-2"
    assert journey.previous_page(steps, "about_you-2") == "about_you"
    assert journey.previous_page(steps, "about_you") is None
