"""riskcheck.answers: raw answers checked question by question, following show_if.

Most of answers.py is exercised through score() in test_scoring.py; these tests pin what
mutation testing found unpinned (docs/mutation-testing.md).
"""

from __future__ import annotations

import datetime

import pytest

from riskcheck.answers import resolve
from riskcheck.errors import AnswerError
from riskcheck.journey import pages, save_page
from tests.factories import make_questionnaire, single, yesno

TODAY = datetime.date(2026, 1, 15)


def test_only_answers_that_say_something_are_set_aside():
    # Given every question after the gate is hidden (the gate is answered No)
    questionnaire = make_questionnaire(
        questions=[
            yesno("gate"),
            {"id": "blank", "type": "number", "text": "Blank?", "show_if": "gate"},
            {"id": "typo", "type": "number", "text": "Typo?", "show_if": "gate"},
            yesno("unticked", show_if="gate"),
            {
                "id": "none_of_these",
                "type": "multiple",
                "text": "Which?",
                "show_if": "gate",
                "options": [
                    {"value": "rash", "label": "Rash"},
                    {"value": "none", "label": "None of these", "exclusive": True},
                ],
            },
            single("kept", {"a": 0, "b": 1}, show_if="gate"),
        ]
    )
    # When answers come for all of them, the ones that say nothing first
    answers = resolve(
        questionnaire,
        {
            "gate": False,
            "blank": " ",
            "typo": "lots",
            "unticked": False,
            "none_of_these": ["none"],
            "kept": "b",
        },
        today=TODAY,
    )
    # Then only the answer that could change a result is set aside, and nothing stops early
    assert answers.set_aside == {"kept": "b"}


def test_a_date_set_aside_is_checked_against_the_day_of_the_answers():
    questionnaire = make_questionnaire(
        questions=[
            yesno("gate"),
            {"id": "when", "type": "date", "text": "When?", "max": "today", "show_if": "gate"},
        ]
    )
    # After TODAY: a date in the future on the day of the answers, so it says nothing
    answers = resolve(questionnaire, {"gate": False, "when": "2026-06-01"}, today=TODAY)
    assert answers.set_aside == {}
    answers = resolve(questionnaire, {"gate": False, "when": "2026-01-01"}, today=TODAY)
    assert answers.set_aside == {"when": datetime.date(2026, 1, 1)}


def test_a_check_across_answers_works_out_ages_on_the_day_of_the_answers():
    questionnaire = make_questionnaire(
        questions=[
            {"id": "dob", "type": "date", "text": "Date of birth?"},
            {"id": "years_smoked", "type": "number", "text": "For how many years?"},
        ],
        checks=[
            {
                "id": "smoked_longer_than_alive",
                "when": "years_smoked > years_since(dob)",
                "question": "years_smoked",
                "message": "That is longer than you have been alive.",
            }
        ],
    )
    with pytest.raises(AnswerError) as caught:
        resolve(questionnaire, {"dob": "2000-06-01", "years_smoked": 26}, today=TODAY)
    assert caught.value.by_question() == {
        "years_smoked": "That is longer than you have been alive."
    }
    answers = resolve(questionnaire, {"dob": "2000-06-01", "years_smoked": 25}, today=TODAY)
    assert answers.values["years_smoked"] == 25


def test_a_blank_optional_answer_on_a_step_is_no_answer_and_no_error():
    questionnaire = make_questionnaire(
        questions=[{"id": "weight", "type": "number", "text": "Weight?", "optional": True}]
    )
    (page,) = pages(questionnaire, {}, TODAY)
    stored, errors = save_page(questionnaire, page, {}, {"weight": "  "}, TODAY)
    assert (stored, errors) == ({}, {})


def test_conditions_on_an_age_are_worked_out_on_the_day_of_the_answers():
    questionnaire = make_questionnaire(
        sections=[
            {
                "id": "about",
                "title": "About you",
                "questions": [
                    {"id": "dob", "type": "date", "text": "Date of birth?"},
                    yesno("screened", show_if="years_since(dob) >= 60"),
                ],
            },
            {
                "id": "bowel",
                "title": "Bowel",
                "show_if": "years_since(dob) >= 50",
                "questions": [yesno("bleeding")],
            },
        ]
    )
    # 59 on TODAY, 60 from June 2026: only the day of the answers decides what was asked
    answers = resolve(
        questionnaire, {"dob": "1966-06-01", "screened": True, "bleeding": False}, today=TODAY
    )
    assert answers.shown == ("dob", "bleeding")
    assert answers.set_aside == {"screened": True}
