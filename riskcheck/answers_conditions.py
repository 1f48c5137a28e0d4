"""Conditions of a questionnaire (show_if, eligibility, checks) as JSON Schema.

A condition holds when its expression is true; it fails when the expression is false;
with an unknown answer it does neither (Kleene's logic, as ``riskcheck.expressions``
evaluates it). So each expression becomes two schemas, one valid exactly when it holds and
one valid exactly when it fails; ``not`` swaps them, ``and``/``or`` combine them.

The value of a question is worked out as ``riskcheck.answers.resolve`` does: unknown when
the question is not shown (or comes after the condition being read), its default when
shown and left unanswered, otherwise the answer. Answers are assumed valid for their
question: the rest of the answers schema refuses any that are not.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

from riskcheck.expressions.ast import (
    BoolOp,
    Call,
    Compare,
    Contains,
    ListLiteral,
    Literal,
    Name,
    Node,
    Not,
)
from riskcheck.model import (
    MultipleChoiceQuestion,
    NumberQuestion,
    Question,
    ScaleQuestion,
    TextQuestion,
    YesNoQuestion,
)
from riskcheck.questionnaire import Questionnaire

#: A schema, or True/False (valid for everything / nothing).
Schema = dict[str, Any] | bool
#: Comparing two answers is spelled out one threshold at a time, up to this many.
MAX_THRESHOLDS = 1000
#: A condition larger than this once written out (keywords and values, as JSON writes
#: every shared part again), or nested deeper, is left to the server: show_if conditions
#: that read each other in a chain grow at each step, and would make the OpenAPI
#: document huge, or too deep to write out.
MAX_SIZE = 10_000
MAX_DEPTH = 120

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_NEGATED = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_FLIPPED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


class Untranslatable(Exception):  # noqa: N818 - a reason, raised and caught in this package
    """The condition cannot be written as JSON Schema; the message says why."""


def empty_schema(question: Question) -> dict[str, Any]:
    """The answers that mean "not answered" (as ``riskcheck.answers.is_empty`` reads them)."""
    empty: list[dict[str, Any]] = [{"type": "null"}]
    if isinstance(question, MultipleChoiceQuestion):
        empty.append({"type": "array", "maxItems": 0})
    if isinstance(question, TextQuestion):
        empty.append({"type": "string", "pattern": r"^\s*$"})
    return empty[0] if len(empty) == 1 else {"anyOf": empty}


def _all(parts: list[Schema]) -> Schema:
    if any(p is False for p in parts):
        return False
    parts = [p for p in parts if p is not True]
    return True if not parts else parts[0] if len(parts) == 1 else {"allOf": parts}


def _any(parts: list[Schema]) -> Schema:
    if any(p is True for p in parts):
        return True
    parts = [p for p in parts if p is not False]
    return False if not parts else parts[0] if len(parts) == 1 else {"anyOf": parts}


def _not(schema: Schema) -> Schema:
    return (not schema) if isinstance(schema, bool) else {"not": schema}


class Conditions:
    """Translates a questionnaire's expressions; ``shown`` and ``holds`` are the entry points."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.q = questionnaire
        self.position = {qid: entry.position for qid, entry in questionnaire.questions.items()}
        self._shown: dict[str, Schema | Untranslatable] = {}

    def shown(self, question_id: str) -> Schema:
        """Valid exactly when the question is shown (its section's and its own show_if)."""
        if question_id not in self._shown:
            try:
                self._shown[question_id] = self._shown_now(question_id)
            except Untranslatable as exc:
                self._shown[question_id] = exc
        found = self._shown[question_id]
        if isinstance(found, Untranslatable):
            raise Untranslatable(str(found))
        return found

    def _shown_now(self, question_id: str) -> Schema:
        entry = self.q.questions[question_id]
        section = entry.section
        first = min(self.position[q.id] for q in section.questions if q.id in self.position)
        parts: list[Schema] = []
        section_if = self.q.section_show_if.get(section.id)
        if section_if is not None:
            parts.append(self.holds(section_if.node, first))
        if entry.show_if is not None:
            parts.append(self.holds(entry.show_if.node, entry.position))
        return _all(parts)

    def holds(self, node: Node, at: int | None = None) -> Schema:
        """Valid exactly when ``node`` is true, read before question number ``at`` (after
        every question when None)."""
        holds = self._translate(node, at)[0]
        size, depth = _measure(holds, {})
        if size > MAX_SIZE or depth > MAX_DEPTH:
            raise Untranslatable("the condition is too large to spell out")
        return holds

    def _translate(self, node: Node, at: int | None) -> tuple[Schema, Schema]:
        """(holds, fails) for ``node``."""
        if isinstance(node, Literal) and isinstance(node.value, bool):
            return node.value, not node.value
        if isinstance(node, Not):
            holds, fails = self._translate(node.operand, at)
            return fails, holds
        if isinstance(node, BoolOp):
            pairs = [self._translate(operand, at) for operand in node.operands]
            if node.op == "and":
                return _all([h for h, _ in pairs]), _any([f for _, f in pairs])
            return _any([h for h, _ in pairs]), _all([f for _, f in pairs])
        if isinstance(node, Name):
            return (
                self._value(node, at, {"const": True}, lambda v: v is True),
                self._value(node, at, {"const": False}, lambda v: v is False),
            )
        if isinstance(node, Compare):
            return self._compare(node, at)
        if isinstance(node, Contains):
            holds, fails = self._contains(node, at)
            return (fails, holds) if node.negated else (holds, fails)
        if isinstance(node, Call) and node.function == "answered" and len(node.args) == 1:
            answered = self._value(node.args[0], at, True, lambda v: v is not None)
            return answered, _not(answered)
        raise Untranslatable(f"'{type(node).__name__.lower()}' is not translated")

    def _question(self, node: Node, at: int | None) -> Question | None:
        """The question ``node`` names; None when it is read before it is asked (unknown)."""
        if not isinstance(node, Name) or node.id not in self.q.questions:
            name = node.id if isinstance(node, Name) else type(node).__name__.lower()
            raise Untranslatable(f"'{name}' is not a question")
        if at is not None and self.position[node.id] >= at:
            return None
        return self.q.questions[node.id].question

    def _value(
        self, node: Node, at: int | None, answer: Schema, unanswered: Callable[[Any], bool]
    ) -> Schema:
        """Valid when the question ``node`` names is shown and its value passes: the answer
        given matches ``answer``, or, left unanswered, its default passes ``unanswered``."""
        question = self._question(node, at)
        if question is None:
            return False  # unknown: no comparison holds or fails
        default: Any = None
        if isinstance(question, YesNoQuestion):
            default = question.default
        elif isinstance(question, MultipleChoiceQuestion) and question.optional:
            default = frozenset()
        given = _all([present_question(question), _property(question.id, answer)])
        if default is not None and unanswered(default):
            given = _any([given, _property(question.id, empty_schema(question))])
        return _all([self.shown(question.id), given])

    def _compare(self, node: Compare, at: int | None) -> tuple[Schema, Schema]:
        left, op, right = node.left, node.op, node.right
        if isinstance(left, Literal) and not isinstance(right, Literal):
            left, op, right = right, _FLIPPED[op], left
        if isinstance(right, Literal):
            return (
                self._value(left, at, _answer_is(op, right.value), _check(op, right.value)),
                self._value(
                    left,
                    at,
                    _answer_is(_NEGATED[op], right.value),
                    _check(_NEGATED[op], right.value),
                ),
            )
        return self._between(left, op, right, at), self._between(left, _NEGATED[op], right, at)

    def _between(self, left: Node, op: str, right: Node, at: int | None) -> Schema:
        """``left op right`` for two whole-number answers: some threshold t lies between."""
        if op in ("==", "!="):
            raise Untranslatable("comparing two answers for equality is not translated")
        if op in ("<", "<="):
            left, right, op = right, left, {"<": ">", "<=": ">="}[op]
        a, b = self._question(left, at), self._question(right, at)
        if a is None or b is None:
            return False
        (a_low, a_high), (b_low, b_high) = _whole_range(a), _whole_range(b)
        gap = 1 if op == ">" else 0  # a > b is a >= b + 1
        both = _all([self._value(left, at, True, _known), self._value(right, at, True, _known)])
        if a_low >= b_high + gap:
            return both
        if a_high < b_low + gap:
            return False
        thresholds = range(max(a_low, b_low + gap), min(a_high, b_high + gap) + 1)
        if len(thresholds) > MAX_THRESHOLDS:
            raise Untranslatable("the two answers' ranges are too wide to compare")
        # a >= b + gap  <=>  some whole t has a >= t and b <= t - gap
        return _all(
            [
                both,
                _any(
                    [
                        {
                            "properties": {
                                a.id: {"minimum": t},
                                b.id: {"maximum": t - gap},
                            }
                        }
                        for t in thresholds
                    ]
                ),
            ]
        )

    def _contains(self, node: Contains, at: int | None) -> tuple[Schema, Schema]:
        item, container = node.item, node.container
        if isinstance(container, ListLiteral) and all(
            isinstance(i, Literal) for i in container.items
        ):
            values = [i.value for i in container.items if isinstance(i, Literal)]
            return (
                self._value(item, at, {"enum": values}, lambda v: v in values),
                self._value(item, at, {"not": {"enum": values}}, lambda v: v not in values),
            )
        if isinstance(item, Literal):
            value = item.value
            return (
                self._value(container, at, {"contains": {"const": value}}, lambda v: value in v),
                self._value(
                    container, at, {"not": {"contains": {"const": value}}}, lambda v: value not in v
                ),
            )
        raise Untranslatable("'in' is translated for a list of values or an option value")


def present_question(question: Question) -> dict[str, Any]:
    """Valid when ``question`` is answered (given and not empty)."""
    return {"required": [question.id], "properties": {question.id: {"not": empty_schema(question)}}}


def _measure(schema: Any, seen: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """How many values ``schema`` has written out, and how deeply they nest (shared parts
    are measured once: ``seen`` maps their id to their measure)."""
    if not isinstance(schema, dict | list):
        return 1, 0
    key = id(schema)
    if key not in seen:
        parts = [
            _measure(v, seen) for v in (schema.values() if isinstance(schema, dict) else schema)
        ]
        seen[key] = (1 + sum(p[0] for p in parts), 1 + max((p[1] for p in parts), default=0))
    return seen[key]


def _property(name: str, schema: Schema) -> Schema:
    return True if schema is True else {"properties": {name: schema}}


def _known(value: Any) -> bool:
    return value is not None


def _check(op: str, value: Any) -> Callable[[Any], bool]:
    return lambda v: _OPS[op](v, value)


def _answer_is(op: str, value: Any) -> Schema:
    """The answers ``answer op value`` holds for."""
    if op == "==":
        return {"const": value}
    if op == "!=":
        return {"not": {"const": value}}
    key = {"<": "exclusiveMaximum", "<=": "maximum", ">": "exclusiveMinimum", ">=": "minimum"}
    return {key[op]: value}


def _whole_range(question: Question) -> tuple[int, int]:
    """The range of a whole-number answer; Untranslatable for any other."""
    if isinstance(question, ScaleQuestion):
        return question.min, question.max
    if (
        isinstance(question, NumberQuestion)
        and question.integer
        and question.min is not None
        and question.max is not None
    ):
        return math.ceil(question.min), math.floor(question.max)
    raise Untranslatable(f"'{question.id}' is not a whole number with bounds")
