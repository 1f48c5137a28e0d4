"""Each questionnaire's answers as JSON Schema: exactly what the API accepts, no more, no less.

"Accepted" here is what the API does with a body (riskcheck.web.api): the JSON checks of
``check_json_answers``, then ``score``. No Flask.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskcheck.answers_schema import answers_schema, check_json_answers
from riskcheck.errors import AnswerError
from riskcheck.loader import SHIPPED_DIR, load_questionnaire
from riskcheck.model import Question
from riskcheck.questionnaire import Questionnaire
from riskcheck.scoring import score
from tests.factories import make_questionnaire, single, yesno

TODAY = datetime.date(2026, 1, 15)
SHIPPED = sorted(path.stem for path in SHIPPED_DIR.glob("*.yaml"))


@pytest.fixture(scope="module", params=SHIPPED)
def shipped(request: pytest.FixtureRequest) -> Questionnaire:
    return load_questionnaire(SHIPPED_DIR / f"{request.param}.yaml")


def validator(questionnaire: Questionnaire) -> jsonschema.Draft202012Validator:
    schema = answers_schema(questionnaire)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def is_accepted(questionnaire: Questionnaire, raw: dict[str, Any]) -> bool:
    """Whether the API answers 200 for this body."""
    if check_json_answers(questionnaire, raw):
        return False
    try:
        score(questionnaire, raw, today=TODAY)
    except AnswerError:
        return False
    return True


def test_shipped_questionnaires_are_found() -> None:
    assert {"phq9", "gad7", "symptom-check", "screening"} <= set(SHIPPED)


def test_the_schema_is_draft_2020_12_and_closed(shipped: Questionnaire) -> None:
    schema = answers_schema(shipped, base_url="https://riskcheck.example")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/api/v1/questionnaires/{shipped.id}/answers.schema.json")
    assert schema["additionalProperties"] is False
    assert list(schema["properties"]) == list(shipped.questions)
    # Every shipped condition is expressed: nothing is left to the server alone.
    assert "x-riskcheck-checked-by-server" not in schema


def test_every_definition_test_validates(shipped: Questionnaire) -> None:
    check = validator(shipped)
    for test in shipped.definition.tests:
        assert is_accepted(shipped, dict(test.answers)), test.name
        errors = [error.message for error in check.iter_errors(dict(test.answers))]
        assert errors == [], test.name


def first_answers(questionnaire: Questionnaire) -> dict[str, Any]:
    return dict(questionnaire.definition.tests[0].answers)


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"q9": "4"}, "an option value that does not exist"),
        ({"q9": 1}, "an option value as a number"),
        ({"q1": None}, "a required answer left empty"),
        ({"nope": "1"}, "an unknown question id"),
        ({"suicidal_thoughts_now": "yes"}, "yes as text, not true"),
    ],
)
def test_phq9_refuses(change: dict[str, Any], why: str) -> None:
    phq9 = load_questionnaire(SHIPPED_DIR / "phq9.yaml")
    raw = {**first_answers(phq9), **change}
    assert not is_accepted(phq9, raw), why
    assert not validator(phq9).is_valid(raw), why


def test_a_required_question_that_is_hidden_need_not_be_answered() -> None:
    phq9 = load_questionnaire(SHIPPED_DIR / "phq9.yaml")
    check = validator(phq9)
    no_thoughts = {f"q{i}": "0" for i in range(1, 10)}  # the safety section is not shown
    assert is_accepted(phq9, no_thoughts)
    assert check.is_valid(no_thoughts)
    thoughts = {**no_thoughts, "q9": "1"}  # now it is, and its question is required
    assert not is_accepted(phq9, thoughts)
    assert not check.is_valid(thoughts)
    assert check.is_valid({**thoughts, "suicidal_thoughts_now": False})
    assert not check.is_valid({**thoughts, "suicidal_thoughts_now": None})


def test_numbers_out_of_range_and_checks_across_answers_are_refused() -> None:
    net = load_questionnaire(SHIPPED_DIR / "net-symptoms.yaml")
    check = validator(net)
    base = first_answers(net)
    for change in ({"age": 121}, {"age": 40.5}, {"age": "40"}, {"systolic": 140, "diastolic": 140}):
        raw = {**base, **change}
        assert not is_accepted(net, raw), change
        assert not check.is_valid(raw), change
    fine = {**base, "systolic": 140, "diastolic": 139}
    assert is_accepted(net, fine)
    assert check.is_valid(fine)


def test_ineligible_answers_need_not_answer_everything() -> None:
    screening = load_questionnaire(SHIPPED_DIR / "screening.yaml")
    child = {"age": 12}
    assert is_accepted(screening, child)
    assert validator(screening).is_valid(child)
    adult = {"age": 40}
    assert not is_accepted(screening, adult)
    assert not validator(screening).is_valid(adult)


def test_an_exclusive_option_is_chosen_alone() -> None:
    symptoms = {
        "id": "symptoms",
        "type": "multiple",
        "text": "Any of these?",
        "options": [
            {"value": "cough", "label": "Cough"},
            {"value": "fever", "label": "Fever"},
            {"value": "none", "label": "None of these", "exclusive": True},
        ],
    }
    questionnaire = make_questionnaire(questions=[symptoms])
    check = validator(questionnaire)
    for raw, ok in [
        ({"symptoms": ["cough", "fever"]}, True),
        ({"symptoms": ["none", "none"]}, True),
        ({"symptoms": ["none", "cough"]}, False),
        ({"symptoms": []}, False),  # required: an empty list is not an answer
        ({"symptoms": "cough"}, False),  # a list, not one value
    ]:
        assert is_accepted(questionnaire, raw) is ok, raw
        assert check.is_valid(raw) is ok, raw


def test_a_condition_with_arithmetic_is_left_to_the_server() -> None:
    questionnaire = make_questionnaire(
        questions=[
            {"id": "age", "type": "number", "text": "Age?", "min": 0, "max": 120},
            yesno("retired", show_if="age / 10 >= 6"),
        ],
    )
    schema = answers_schema(questionnaire)
    assert schema["x-riskcheck-checked-by-server"] == [
        "retired must be answered when it is shown ('arith' is not a question)"
    ]
    assert schema["required"] == ["age"]


def test_an_answer_to_a_hidden_question_must_still_be_valid() -> None:
    questionnaire = make_questionnaire(
        questions=[
            single("smoker", {"never": 0, "current": 1}),
            yesno("quit", show_if="smoker == 'current'"),
        ]
    )
    raw = {"smoker": "never", "quit": "maybe"}
    assert [p.question for p in check_json_answers(questionnaire, raw)] == ["quit"]
    assert not validator(questionnaire).is_valid(raw)
    assert validator(questionnaire).is_valid({"smoker": "never", "quit": False})
    assert validator(questionnaire).is_valid({"smoker": "never"})
    assert not validator(questionnaire).is_valid({"smoker": "current"})


# -- the schema and the API agree on any body ------------------------------------------------


def _answer(question: Question) -> st.SearchStrategy[Any]:
    """Mostly sensible answers for ``question``, with wrong types and edge cases mixed in."""
    odd = st.sampled_from([None, "", " ", [], "yes", 1, 0.5, True, {"a": 1}, "2024-02-30"])
    kind = question.type
    if kind == "yesno":
        good: st.SearchStrategy[Any] = st.booleans()
    elif kind in ("single", "multiple"):
        values = st.sampled_from([o.value for o in question.options])  # type: ignore[union-attr]
        good = values if kind == "single" else st.lists(values, max_size=3)
    elif kind in ("number", "scale"):
        low = -1000 if question.min is None else question.min  # type: ignore[union-attr]
        high = 1000 if question.max is None else question.max  # type: ignore[union-attr]
        good = st.one_of(
            st.integers(int(low) - 1, int(high) + 1),
            st.floats(low - 1, high + 1),
            st.sampled_from([low, high]),
        )
    elif kind == "date":
        good = st.dates().map(datetime.date.isoformat)
    else:
        good = st.text(max_size=5)
    return st.one_of(good, good, good, odd)


def _bodies(questionnaire: Questionnaire) -> st.SearchStrategy[dict[str, Any]]:
    answers = {
        entry.question.id: _answer(entry.question) for entry in questionnaire.questions.values()
    }
    changes = st.fixed_dictionaries({}, optional={**answers, "not_a_question": st.just(1)})
    tests = st.sampled_from([dict(t.answers) for t in questionnaire.definition.tests])
    return st.one_of(
        changes,
        st.builds(lambda base, change: {**base, **change}, tests, changes),
        st.builds(
            lambda base, drop: {k: v for k, v in base.items() if k not in drop},
            tests,
            st.sets(st.sampled_from(list(questionnaire.questions)), max_size=3),
        ),
    )


@pytest.mark.slow
def test_the_schema_accepts_exactly_what_the_api_accepts(shipped: Questionnaire) -> None:
    check = validator(shipped)

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_bodies(shipped))
    def agree(raw: dict[str, Any]) -> None:
        reasons = [error.message for error in check.iter_errors(raw)][:3]
        assert check.is_valid(raw) == is_accepted(shipped, raw), (raw, reasons)

    agree()


def test_a_date_bound_of_today_is_the_day_assessed_and_left_to_the_server() -> None:
    questionnaire = make_questionnaire(
        questions=[{"id": "onset", "type": "date", "text": "When did it start?", "max": "today"}]
    )
    schema = answers_schema(questionnaire)
    assert schema["properties"]["onset"]["x-riskcheck-checked-by-server"] == [
        "on or after any day, on or before today"
    ]
    raw = {"onset": "2021-05-05"}
    assert check_json_answers(questionnaire, raw, datetime.date(2021, 5, 5)) == []
    refused = check_json_answers(questionnaire, raw, datetime.date(2021, 5, 4))
    assert [p.message for p in refused] == ["Enter a date that is not in the future."]
    assert not validator(questionnaire).is_valid({"onset": "2021-5-5"})
    assert not validator(questionnaire).is_valid({"onset": " 2021-05-05"})


def test_show_if_conditions_reading_each_other_in_a_long_chain_are_left_to_the_server() -> None:
    # Each question is asked after a yes or a no to the one before: written out, each
    # condition holds the one before twice, so it doubles at each step.
    chain = [yesno("q0")] + [
        yesno(f"q{i}", show_if=f"q{i - 1} == true or q{i - 1} == false") for i in range(1, 40)
    ]
    questionnaire = make_questionnaire(questions=chain)
    schema = answers_schema(questionnaire)
    assert len(json.dumps(schema)) < 2_000_000
    unchecked = schema["x-riskcheck-checked-by-server"]
    assert (
        unchecked[-1]
        == "q39 must be answered when it is shown (the condition is too large to spell out)"
    )
    assert all(p.endswith("(the condition is too large to spell out)") for p in unchecked)
    answers = {f"q{i}": True for i in range(40)}
    assert jsonschema.Draft202012Validator(schema).is_valid(answers)


def test_a_long_chain_of_show_if_stays_shallow_enough_to_write_out() -> None:
    chain = [yesno("q0")] + [yesno(f"q{i}", show_if=f"q{i - 1}") for i in range(1, 300)]
    schema = answers_schema(make_questionnaire(questions=chain))
    json.dumps(schema)  # no RecursionError
    unchecked = schema["x-riskcheck-checked-by-server"]
    assert unchecked[0].startswith("q")
    assert unchecked[-1].startswith("q299 must be answered when it is shown")
