"""The expression language of show_if, when and computed values (docs/expressions.md).

Text is parsed with a real parser (lark), type-checked against the questionnaire, then
compiled once, at load time, into a Python function. Nothing is parsed while a patient
answers.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from riskcheck.errors import ExpressionSyntaxError
from riskcheck.expressions.ast import Node, names, parse
from riskcheck.expressions.compiler import Evaluator, compile_node
from riskcheck.expressions.explain import explain
from riskcheck.expressions.types import Checker, Type

__all__ = ["Expression", "ExpressionSyntaxError", "Type", "compile_expression"]


@dataclass(frozen=True)
class Expression:
    """A parsed, type-checked and compiled expression."""

    text: str
    node: Node = field(repr=False)
    type: Type
    #: every id the expression reads
    names: tuple[str, ...]
    function: Evaluator = field(repr=False, compare=False)

    def evaluate(self, values: Mapping[str, Any], today: datetime.date) -> Any:
        """The value; None when it depends on an unknown answer."""
        return self.function(values, today)

    def holds(self, values: Mapping[str, Any], today: datetime.date) -> bool:
        """Whether the condition holds (unknown does not hold)."""
        return self.function(values, today) is True

    def explain(
        self, values: Mapping[str, Any], today: datetime.date
    ) -> tuple[Any, tuple[str, ...]]:
        """The value and the ids whose values decided it (slower; for reasons)."""
        return explain(self.node, values, today)


def compile_expression(text: str, checker: Checker, want: str | None = "bool") -> Expression:
    """Parse, type-check and compile ``text``; ``want`` is the kind the result must have.

    :raises ExpressionSyntaxError: with the column and a hint.
    """
    node = parse(text)
    result = checker.check(node)
    if want is not None and result.kind != want:
        expected = Type(want)
        hint = "compare it, e.g. age >= 18" if want == "bool" else ""
        raise ExpressionSyntaxError(
            f"this must be {expected.describe()}, but it is {result.describe()}",
            column=1,
            hint=hint,
        )
    function, _source = compile_node(node)
    return Expression(text, node, result, tuple(names(node)), function)
