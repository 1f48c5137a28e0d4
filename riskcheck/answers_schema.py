"""Each questionnaire's answers as an exact JSON Schema (draft 2020-12), from its definition.

The JSON API takes answers as JSON values of their own type (``check_json_answers``):

- yes/no: ``true`` or ``false``
- single choice: one option value, e.g. ``"2"``
- multiple choice: a list of option values (an exclusive option alone)
- number and scale: a JSON number within the question's bounds (whole for integers)
- date: ``"YYYY-MM-DD"``
- text: a string of at most ``max_length`` characters

``null`` (and ``[]``, or blank text) means not answered. Every answer given must be valid
for its question, even where ``show_if`` hides the question (it is then set aside, not
scored). A required question must be answered when it is shown, unless the answers given
make the questionnaire ineligible. Checks across answers refuse the answers they hold for.

The schema says all of that: ``show_if``, eligibility and checks are translated into
``if``/``then``/``not`` (``riskcheck.answers_conditions``). A condition the translation
cannot express (a computed value, arithmetic, a date bound of ``today``) is listed under
``x-riskcheck-checked-by-server``: the server still checks it, the schema does not.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping
from typing import Any

from riskcheck.answers_conditions import (
    Conditions,
    Untranslatable,
    empty_schema,
    present_question,
)
from riskcheck.errors import AnswerProblem
from riskcheck.model import (
    DateQuestion,
    MultipleChoiceQuestion,
    NumberQuestion,
    Question,
    ScaleQuestion,
    SingleChoiceQuestion,
    TextQuestion,
    YesNoQuestion,
)
from riskcheck.questionnaire import Questionnaire
from riskcheck.questions import InvalidAnswer

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: The largest number any answer may be (riskcheck.questions refuses anything larger).
LARGEST = 10**12
#: A date as the API takes it: ASCII digits, nothing around it.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def answers_schema(questionnaire: Questionnaire, *, base_url: str = "") -> dict[str, Any]:
    """The JSON Schema of the answers the API accepts for ``questionnaire``."""
    conditions = Conditions(questionnaire)
    unchecked: list[str] = []
    required = _required(questionnaire, conditions, unchecked)
    ineligible = _ineligible(questionnaire, conditions, unchecked)
    properties = {
        entry.question.id: answer_schema(entry.question)
        for entry in questionnaire.questions.values()
    }
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "title": f"{questionnaire.title}: answers",
        "description": f"Answers to '{questionnaire.id}' version {questionnaire.version}: "
        "question id -> answer; null, [] or blank text means not answered.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if base_url:
        schema["$id"] = f"{base_url}/api/v1/questionnaires/{questionnaire.id}/answers.schema.json"
    rules: list[dict[str, Any]] = []
    always = [question for question, shown in required if shown is True]
    sometimes: list[dict[str, Any]] = [
        {"if": shown, "then": present_question(question)}
        for question, shown in required
        if isinstance(shown, dict)
    ]
    if ineligible is None:
        # Always required: plain required properties that cannot be null (typed clients).
        schema["required"] = [question.id for question in always]
        for question in always:
            properties[question.id] = answer_schema(question, nullable=False)
        rules.extend(sometimes)
    elif always or sometimes:
        block = present_all(always)
        if sometimes:
            block["allOf"] = sometimes
        rules.append({"if": ineligible, "else": block})
    rules.extend(_checks(questionnaire, conditions, unchecked))
    if rules:
        schema["allOf"] = rules
    if unchecked:
        schema["x-riskcheck-checked-by-server"] = unchecked
    return schema


def present_all(questions: list[Question]) -> dict[str, Any]:
    """Valid when every one of ``questions`` is answered."""
    return {
        "required": [question.id for question in questions],
        "properties": {question.id: {"not": empty_schema(question)} for question in questions},
    }


def answer_schema(question: Question, *, nullable: bool = True) -> dict[str, Any]:
    """The schema of one answer: ``null`` (not answered) included unless not ``nullable``,
    when the answer must also say something (a choice made, some text)."""
    schema = _answer_schema(question)
    if nullable:
        return schema
    if "enum" in schema:
        schema["enum"] = [value for value in schema["enum"] if value is not None]
    schema["type"] = schema["type"][0]
    if isinstance(question, MultipleChoiceQuestion):
        schema["minItems"] = 1
    if isinstance(question, TextQuestion):
        schema["pattern"] = r"\S"
    return schema


def _answer_schema(question: Question) -> dict[str, Any]:
    described = {"description": question.text}
    if isinstance(question, YesNoQuestion):
        return {**described, "type": ["boolean", "null"]}
    if isinstance(question, SingleChoiceQuestion):
        options = [o.value for o in question.options]
        return {**described, "type": ["string", "null"], "enum": [*options, None]}
    if isinstance(question, MultipleChoiceQuestion):
        schema: dict[str, Any] = {
            **described,
            "type": ["array", "null"],
            "items": {"enum": [o.value for o in question.options]},
        }
        exclusive = [o.value for o in question.options if o.exclusive]
        if exclusive:  # chosen alone (repeating it changes nothing)
            schema["allOf"] = [
                {"if": {"contains": {"const": value}}, "then": {"items": {"const": value}}}
                for value in exclusive
            ]
        return schema
    if isinstance(question, NumberQuestion | ScaleQuestion):
        integral = isinstance(question, ScaleQuestion) or question.integer
        low = -LARGEST if question.min is None else max(question.min, -LARGEST)
        high = LARGEST if question.max is None else min(question.max, LARGEST)
        kind = "integer" if integral else "number"
        return {**described, "type": [kind, "null"], "minimum": low, "maximum": high}
    if isinstance(question, DateQuestion):
        schema = {**described, "type": ["string", "null"], "format": "date"}
        schema["pattern"] = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
        if question.min is not None or question.max is not None:
            schema["x-riskcheck-checked-by-server"] = [
                f"on or after {question.min or 'any day'}, on or before {question.max or 'any day'}"
            ]
        return schema
    if isinstance(question, TextQuestion):
        return {**described, "type": ["string", "null"], "maxLength": question.max_length}
    raise TypeError(question)  # pragma: no cover - every question type is handled above


def _required(
    questionnaire: Questionnaire, conditions: Conditions, unchecked: list[str]
) -> list[tuple[Question, Any]]:
    """Each required question with the condition under which it is shown (None: not
    expressible, so left to the server)."""
    found: list[tuple[Question, Any]] = []
    for entry in questionnaire.questions.values():
        question = entry.question
        if (
            question.optional
            or isinstance(question, YesNoQuestion)
            and question.default is not None
        ):
            continue  # never missing: an unanswered tick box takes its default
        try:
            found.append((question, conditions.shown(question.id)))
        except Untranslatable as exc:
            unchecked.append(f"{question.id} must be answered when it is shown ({exc})")
    return found


def _ineligible(
    questionnaire: Questionnaire, conditions: Conditions, unchecked: list[str]
) -> dict[str, Any] | None:
    """When the answers make the questionnaire ineligible (missing answers are then fine)."""
    holds: list[Any] = []
    for item, expression in questionnaire.eligibility:
        try:
            holds.append(conditions.holds(expression.node))
        except Untranslatable as exc:
            unchecked.append(f"eligibility '{item.id}' ({exc}): answer every required question")
    holds = [h for h in holds if h is not False]
    if not holds:
        return None
    return {"anyOf": holds}


def _checks(
    questionnaire: Questionnaire, conditions: Conditions, unchecked: list[str]
) -> list[dict[str, Any]]:
    """The checks across answers: the answers must not make a check hold."""
    found = []
    for check, expression in questionnaire.checks:
        try:
            holds = conditions.holds(expression.node)
        except Untranslatable as exc:
            unchecked.append(f"check '{check.id}': {check.message} ({exc})")
            continue
        if holds is not False:
            found.append({"description": f"{check.id}: {check.message}", "not": holds})
    return found


def check_json_answers(
    questionnaire: Questionnaire, raw: Mapping[str, Any], today: datetime.date | None = None
) -> list[AnswerProblem]:
    """Problems with answers sent as JSON, beyond what ``riskcheck.answers.resolve`` checks:
    each answer must have its JSON type (``true``, not ``"yes"``) and be valid for its
    question even if the question is not shown. Unknown ids are left to ``resolve``.

    :param today: the day the answers are assessed on (date bounds of ``today``)
    """
    problems = []
    today = today or datetime.date.today()
    for name, given in raw.items():
        entry = questionnaire.questions.get(name)
        if entry is None or given is None:
            continue
        message = _json_type_problem(entry.question, given)
        if message is None:
            try:
                entry.kind.parse(entry.question, given, today)
            except InvalidAnswer as exc:
                message = str(exc)
        if message is not None:
            problems.append(AnswerProblem(name, message))
    return problems


def _json_type_problem(question: Question, given: Any) -> str | None:
    if isinstance(question, YesNoQuestion):
        return None if isinstance(given, bool) else "Answer true or false."
    if isinstance(question, NumberQuestion | ScaleQuestion):
        if isinstance(given, bool) or not isinstance(given, int | float):
            return "Answer with a number."
        return None if math.isfinite(given) else "Enter a realistic number."
    if isinstance(question, MultipleChoiceQuestion):
        return None if isinstance(given, list) else "Answer with a list of option values."
    if not isinstance(given, str):
        return "Answer with a string."
    if isinstance(question, DateQuestion) and not _DATE.fullmatch(given):
        return "Enter a date written YYYY-MM-DD."
    if isinstance(question, TextQuestion) and len(given) > question.max_length:
        return f"Use no more than {question.max_length} characters (you used {len(given)})."
    return None
