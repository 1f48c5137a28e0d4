"""A tree-walking evaluator that also says which values decided the outcome.

Scoring uses the compiled functions; this slower evaluator runs only for conditions that
fired, to tell the patient which answers made them fire. The test suite checks that both
evaluators agree on random values.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from riskcheck.expressions.ast import (
    Arith,
    BoolOp,
    Call,
    Compare,
    Contains,
    ListLiteral,
    Literal,
    Name,
    Negate,
    Node,
    Not,
)
from riskcheck.expressions.compiler import finite, round_half_up, years_since

#: (value, ids whose values decided it, in order)
Explained = tuple[Any, tuple[str, ...]]

_COMPARE = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
_ARITH = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: None if b == 0 else a / b,
}


def _merge(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for group in groups for name in group))


class Explainer:
    """Evaluates a syntax tree over ``values`` and tracks the deciding ids."""

    def __init__(self, values: Mapping[str, Any], today: datetime.date) -> None:
        self.values = values
        self.today = today

    def explain(self, node: Node) -> Explained:
        """The value of ``node`` and the ids that decided it."""
        if type(node) is Name:  # the commonest node: no look-up
            return self.values.get(node.id), (node.id,)
        return _DISPATCH[type(node)](self, node)

    def _ex_Literal(self, node: Literal) -> Explained:
        return node.value, ()

    def _ex_ListLiteral(self, node: ListLiteral) -> Explained:
        return tuple(self.explain(item)[0] for item in node.items), ()

    def _ex_Not(self, node: Not) -> Explained:
        value, why = self.explain(node.operand)
        return (None if value is None else not value), why

    def _ex_Negate(self, node: Negate) -> Explained:
        value, why = self.explain(node.operand)
        return (None if value is None else -value), why

    def _ex_BoolOp(self, node: BoolOp) -> Explained:
        stop = node.op == "or"  # the value that decides alone: True for or, False for and
        results = []
        for operand in node.operands:
            value, why = self.explain(operand)
            if value is stop:
                return stop, why
            results.append((value, why))
        # Unknown or not: no operand was the deciding value, so each of them mattered.
        outcome = None if any(value is None for value, _ in results) else (not stop)
        return outcome, _merge(*(why for _, why in results))

    def _binary(self, left: Node, right: Node) -> tuple[Any, Any, tuple[str, ...]]:
        a, why_a = self.explain(left)
        b, why_b = self.explain(right)
        return a, b, _merge(why_a, why_b)

    def _ex_Compare(self, node: Compare) -> Explained:
        a, b, why = self._binary(node.left, node.right)
        return (None if a is None or b is None else _COMPARE[node.op](a, b)), why

    def _ex_Arith(self, node: Arith) -> Explained:
        a, b, why = self._binary(node.left, node.right)
        return (None if a is None or b is None else finite(_ARITH[node.op](a, b))), why

    def _ex_Contains(self, node: Contains) -> Explained:
        a, b, why = self._binary(node.item, node.container)
        if a is None or b is None:
            return None, why
        return (a not in b) if node.negated else (a in b), why

    def _ex_Call(self, node: Call) -> Explained:
        explained = [self.explain(arg) for arg in node.args]
        args = [value for value, _ in explained]
        why = _merge(*(w for _, w in explained))
        if node.function == "answered":
            return args[0] is not None, why
        if node.function == "count_true":
            true = [arg_why for value, arg_why in explained if value is True]
            return len(true), _merge(*true)
        if node.function == "coalesce":
            skipped: list[tuple[str, ...]] = []  # what made the earlier arguments unknown
            for value, arg_why in explained:
                if value is not None:
                    return value, _merge(*skipped, arg_why)
                skipped.append(arg_why)
            return None, why
        if any(arg is None for arg in args):
            return None, why
        function = node.function
        if function == "count":
            return len(args[0]), why
        if function == "years_since":
            return years_since(args[0], self.today), why
        if function == "round":
            return round_half_up(*args), why
        return {"min": min, "max": max, "abs": abs}[function](*args), why


#: The method for every kind of node but Name (explain answers that itself). Filled here, not
#: on first use, so that every process has the whole table.
_DISPATCH: dict[type, Callable[[Explainer, Any], Explained]] = {
    Literal: Explainer._ex_Literal,
    ListLiteral: Explainer._ex_ListLiteral,
    Not: Explainer._ex_Not,
    Negate: Explainer._ex_Negate,
    BoolOp: Explainer._ex_BoolOp,
    Compare: Explainer._ex_Compare,
    Arith: Explainer._ex_Arith,
    Contains: Explainer._ex_Contains,
    Call: Explainer._ex_Call,
}


def explain(node: Node, values: Mapping[str, Any], today: datetime.date) -> Explained:
    """Evaluate ``node`` and return its value with the ids that decided it."""
    return Explainer(values, today).explain(node)
