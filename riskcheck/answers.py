"""Answers: raw input (JSON, form or CLI) checked against the questions actually shown."""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from riskcheck.errors import AnswerError, AnswerProblem
from riskcheck.model import MultipleChoiceQuestion, YesNoQuestion
from riskcheck.questionnaire import Questionnaire
from riskcheck.questions import InvalidAnswer


@dataclass(frozen=True)
class Answers:
    """Checked answers: a value (or None) for every id, and which questions were shown."""

    #: every id usable in expressions -> value; None when hidden, unanswered or not yet worked out
    values: dict[str, Any]
    #: the ids of the questions shown, in the order asked
    shown: tuple[str, ...]
    #: the day the answers are assessed on (ages are worked out for this day)
    today: datetime.date
    #: answers given to questions that do not apply (their show_if does not hold), by id:
    #: never scored, but never dropped silently either (the review page and summary list them)
    set_aside: dict[str, Any] = field(default_factory=dict)


def is_empty(raw: Any) -> bool:
    """Whether a raw answer counts as not given."""
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


def resolve(
    questionnaire: Questionnaire,
    raw: Mapping[str, Any],
    *,
    today: datetime.date | None = None,
    partial: bool = False,
) -> Answers:
    """Check ``raw`` answers question by question, following show_if.

    Answers to hidden questions are ignored. With ``partial`` (a questionnaire in
    progress), missing required answers are not an error.

    :raises AnswerError: naming each question whose answer is invalid or missing.
    """
    today = today or datetime.date.today()
    questions = questionnaire.questions
    problems = [
        AnswerProblem(name, _unknown(questionnaire, name)) for name in raw if name not in questions
    ]
    values: dict[str, Any] = dict.fromkeys(questionnaire.types)
    shown: list[str] = []
    section_visible: dict[str, bool] = {}
    # The plan is a list of tuples: unpacking them is the fastest loop Python offers here.
    for question_id, section, condition, parse, question, unanswered, required in _plan(
        questionnaire
    ):
        visible = section_visible.get(section)
        if visible is None:
            section_condition = questionnaire.section_show_if.get(section)
            visible = section_visible[section] = (
                section_condition is None or section_condition.function(values, today) is True
            )
        if not visible or (condition is not None and condition(values, today) is not True):
            continue
        shown.append(question_id)
        given = raw.get(question_id)
        if given is None or given == [] or (isinstance(given, str) and not given.strip()):
            if unanswered is None and required and not partial:
                message = questionnaire.questions[question_id].kind.required_message(question)
                problems.append(AnswerProblem(question_id, message, missing=True))
            values[question_id] = unanswered
            continue
        try:
            values[question_id] = parse(question, given, today)
        except InvalidAnswer as exc:
            problems.append(AnswerProblem(question_id, str(exc)))
    if not problems:
        problems = check_answers(questionnaire, values, today)
    if problems:
        raise AnswerError(problems)
    asked = frozenset(shown)
    hidden = [name for name in raw if name not in asked and name in questions]
    set_aside = _set_aside(questionnaire, raw, hidden, today) if hidden else {}
    return Answers(values, tuple(shown), today, set_aside)


def check_answers(
    questionnaire: Questionnaire,
    values: Mapping[str, Any],
    today: datetime.date,
    questions: Collection[str] | None = None,
) -> list[AnswerProblem]:
    """The definition's checks across answers that fail (an unknown answer fails none).

    :param questions: only the checks shown at these questions (default: every check)
    """
    return [
        AnswerProblem(check.question, check.message)
        for check, expression in questionnaire.checks
        if (questions is None or check.question in questions)
        and expression.function(values, today) is True
    ]


def _set_aside(
    questionnaire: Questionnaire, raw: Mapping[str, Any], hidden: list[str], today: datetime.date
) -> dict[str, Any]:
    """Answers given to hidden questions that say something (not empty, not an unticked box)."""
    found: dict[str, Any] = {}
    for question_id in hidden:
        given = raw.get(question_id)
        if is_empty(given):
            continue
        entry = questionnaire.questions[question_id]
        try:
            value = entry.kind.parse(entry.question, given, today)
        except InvalidAnswer:
            continue  # an answer that could not be used anyway
        if value is False or (
            isinstance(value, frozenset) and all(_is_exclusive(entry.question, v) for v in value)
        ):
            continue  # "No" or "None of these" says nothing that could change a result
        found[question_id] = value
    return found


def _is_exclusive(question: Any, value: str) -> bool:
    return any(o.value == value and o.exclusive for o in question.options)


def _plan(questionnaire: Questionnaire) -> list[tuple[Any, ...]]:
    """Per question, worked out once per questionnaire: id, section id, show_if function,
    parser, question, value when unanswered, whether required."""
    plan: list[tuple[Any, ...]] | None = questionnaire.caches.get("answer_plan")
    if plan is None:
        plan = questionnaire.caches["answer_plan"] = [
            (
                qid,
                entry.section.id,
                entry.show_if.function if entry.show_if is not None else None,
                entry.kind.parse,
                entry.question,
                _unanswered_value(entry.question),
                not entry.question.optional,
            )
            for qid, entry in questionnaire.questions.items()
        ]
    return plan


def _unanswered_value(question: Any) -> Any:
    if isinstance(question, YesNoQuestion):
        return question.default
    if isinstance(question, MultipleChoiceQuestion) and question.optional:
        return frozenset()
    return None


def _unknown(questionnaire: Questionnaire, name: str) -> str:
    close = difflib.get_close_matches(str(name), questionnaire.questions, n=1)
    suggestion = f" Did you mean '{close[0]}'?" if close else ""
    return f"There is no question '{name}' in this questionnaire.{suggestion}"
