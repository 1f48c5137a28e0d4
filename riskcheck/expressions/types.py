"""Type checking of expressions against the questionnaire they belong to."""

from __future__ import annotations

import difflib
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from riskcheck.errors import ExpressionSyntaxError
from riskcheck.expressions.ast import (
    MAX_MAGNITUDE,
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


@dataclass(frozen=True)
class Type:
    """The type of a value in an expression."""

    #: bool, number, date, text, choice (single-choice answer), set (multiple-choice
    #: answer), string (a quoted literal) or list (a [..] literal)
    kind: str
    #: the option values, for choice and set
    options: frozenset[str] = frozenset()
    #: the question a choice or set comes from, for messages
    source: str = ""
    #: the element type of a list literal
    element: Type | None = None
    #: for a number: the largest magnitude it can have, when the definition tells (answers
    #: within min and max, literals, counts); infinite when it cannot be known in advance
    bound: float = field(default=math.inf, compare=False)

    def describe(self) -> str:
        """Words for error messages."""
        if self.kind == "choice":
            return f"the single-choice answer to '{self.source}'"
        if self.kind == "set":
            return f"the multiple-choice answer to '{self.source}'"
        if self.element:  # only a list has one
            return "a list of numbers" if self.element.kind == "number" else "a list of texts"
        return {
            "bool": "yes/no",
            "number": "a number",
            "date": "a date",
            "text": "free text",
            "string": "a quoted text",
        }[self.kind]


BOOL = Type("bool")
NUMBER = Type("number")
DATE = Type("date")
TEXT = Type("text")
STRING = Type("string")

FUNCTIONS = (
    "answered",
    "count",
    "count_true",
    "coalesce",
    "min",
    "max",
    "abs",
    "round",
    "years_since",
)
KEYWORDS = ("and", "or", "not", "in", "true", "false")


class Checker:
    """Checks one expression: every name known and allowed, every operation well typed."""

    def __init__(
        self,
        known: Mapping[str, Type],
        allowed: Collection[str] | None = None,
        *,
        unavailable_hint: str = "",
    ) -> None:
        #: every id in the questionnaire with its type
        self.known = known
        #: the ids this expression may use (earlier questions); None means all known ids
        self.allowed = allowed
        #: why a known id outside ``allowed`` cannot be used here
        self.unavailable_hint = unavailable_hint or (
            "a condition may only use questions asked before it"
        )

    def check(self, node: Node) -> Type:
        """The type of ``node``; raise ExpressionSyntaxError with a column and a hint."""
        method = getattr(self, f"_check_{type(node).__name__}")
        result: Type = method(node)
        return result

    def _fail(self, node: Node, message: str, hint: str = "") -> ExpressionSyntaxError:
        return ExpressionSyntaxError(message, column=node.column, hint=hint)

    def _check_Literal(self, node: Literal) -> Type:
        if isinstance(node.value, bool):
            return BOOL
        if isinstance(node.value, str):
            return STRING
        return Type("number", bound=abs(node.value))

    def _check_Name(self, node: Name) -> Type:
        if node.id in FUNCTIONS:
            raise self._fail(node, f"'{node.id}' is a function", f"call it: {node.id}(...)")
        if node.id not in self.known:
            close = difflib.get_close_matches(node.id, [*self.known, "true", "false"], n=1)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else "use the id of a question, computed value or scale"
            )
            if node.id in ("yes", "no"):
                hint = "yes/no answers are true or false; write the question id alone, or 'not id'"
            raise self._fail(node, f"unknown id '{node.id}'", hint)
        if self.allowed is not None and node.id not in self.allowed:
            raise self._fail(
                node,
                f"'{node.id}' is not available here",
                self.unavailable_hint,
            )
        return self.known[node.id]

    def _check_ListLiteral(self, node: ListLiteral) -> Type:
        if not node.items:
            raise self._fail(node, "an empty list", "put at least one value in the list")
        types = [self.check(item) for item in node.items]
        if not all(isinstance(item, Literal) for item in node.items):
            raise self._fail(
                node,
                "a list may only hold quoted texts or numbers",
                "write the values out, e.g. ['a', 'b']",
            )
        kinds = {t.kind for t in types}
        if len(kinds) != 1 or kinds - {"string", "number"}:
            raise self._fail(node, "a list must hold only quoted texts or only numbers")
        return Type("list", element=types[0])

    def _check_Not(self, node: Not) -> Type:
        self._expect(node.operand, BOOL, "'not' needs yes/no")
        return BOOL

    def _check_BoolOp(self, node: BoolOp) -> Type:
        for operand in node.operands:
            self._expect(operand, BOOL, f"'{node.op}' joins yes/no conditions")
        return BOOL

    def _check_Negate(self, node: Negate) -> Type:
        return self._expect(node.operand, NUMBER, "'-' needs a number")

    def _check_Arith(self, node: Arith) -> Type:
        left = self._expect(node.left, NUMBER, f"'{node.op}' needs numbers").bound
        right = self._expect(node.right, NUMBER, f"'{node.op}' needs numbers").bound
        if node.op in ("+", "-"):
            bound = left + right
        elif node.op == "*":
            bound = 0.0 if 0 in (left, right) else left * right
        elif isinstance(node.right, Literal) and node.right.value:
            bound = left / right  # a literal divisor: its size is its smallest size
        else:
            bound = math.inf  # dividing by a small answer gives a large quotient
        return self._number(node, bound)

    def _number(self, node: Node, bound: float) -> Type:
        """A number of at most ``bound``; refused when that can pass MAX_MAGNITUDE.

        While scoring, a whole number beyond the bound is worked out as a float (inexact, and
        unknown once it overflows); when the definition shows a result can get there (its
        literals, and the min and max of the answers it uses), the editor hears it now.
        """
        if math.isinf(bound) or bound <= MAX_MAGNITUDE:
            return Type("number", bound=bound)
        mantissa, exponent = f"{bound:.0e}".split("e")
        raise self._fail(
            node,
            f"this result can reach about {mantissa} x 10^{int(exponent)}, more than 10^15, "
            "the largest number an expression can work with",
            "multiply fewer or smaller numbers; split the calculation into computed values "
            "that stay within 10^15",
        )

    def _check_Compare(self, node: Compare) -> Type:
        left, right = self.check(node.left), self.check(node.right)
        literal = node.right  # the quoted option, when one side is a single-choice answer
        if left.kind == "string" and right.kind == "choice":
            left, right, literal = right, left, node.left
        if node.op in ("<", "<=", ">", ">="):
            if left.kind != right.kind or left.kind not in ("number", "date"):
                raise self._fail(
                    node,
                    f"cannot compare {left.describe()} with {right.describe()} using '{node.op}'",
                    "'<', '>' and friends compare numbers or dates",
                )
            return BOOL
        if left.kind == "choice" and right.kind == "string":
            self._option(left, literal)
            return BOOL
        if left.kind == "choice" and right.kind == "choice" and left.options == right.options:
            return BOOL
        # Two single-choice answers with different options reach here too: refused, as
        # docs/expressions.md says (this line once let them through).
        if left.kind != right.kind or left.kind in ("text", "set", "list", "string", "choice"):
            hint = ""
            if left.kind == right.kind == "choice":
                hint = "two single-choice answers compare only when they have the same options"
            elif left.kind == "set":
                hint = (
                    f"test a multiple-choice answer with 'value' in {left.source}, "
                    f"or count({left.source})"
                )
            elif left.kind == "bool" and right.kind == "string":
                hint = "yes/no answers are true or false, not quoted text"
            elif "text" in (left.kind, right.kind):
                hint = "free text is never scored; answered(id) tells whether it was filled in"
            raise self._fail(
                node, f"cannot compare {left.describe()} with {right.describe()}", hint
            )
        return BOOL

    def _check_Contains(self, node: Contains) -> Type:
        item, container = self.check(node.item), self.check(node.container)
        if container.kind == "set":
            if item.kind != "string":
                raise self._fail(
                    node,
                    f"only a quoted option value can be in {container.describe()}",
                    f"e.g. 'value' in {container.source}",
                )
            self._option(container, node.item)
            return BOOL
        if container.element:  # a list
            if item.kind == "choice" and container.element.kind == "string":
                assert isinstance(node.container, ListLiteral)  # noqa: S101 - the checker made it so
                for literal in node.container.items:
                    self._option(item, literal)
                return BOOL
            if item.kind == container.element.kind == "number":
                return BOOL
        raise self._fail(
            node,
            f"cannot test whether {item.describe()} is in {container.describe()}",
            "use 'option' in multiple_choice_id, or single_choice_id in ['a', 'b']",
        )

    def _check_Call(self, node: Call) -> Type:
        if node.function not in FUNCTIONS:
            close = difflib.get_close_matches(node.function, FUNCTIONS, n=1)
            hint = f"did you mean {close[0]}()?" if close else "functions: " + ", ".join(FUNCTIONS)
            raise self._fail(node, f"unknown function '{node.function}'", hint)
        return getattr(self, f"_call_{node.function}")(node)

    def _arity(self, node: Call, low: int, high: int | None) -> None:
        """``low`` to ``high`` arguments; no upper limit when ``high`` is None."""
        given = len(node.args)
        if given < low or (high is not None and given > high):
            want = (
                str(low)
                if low == high
                else f"{low} or more"
                if high is None
                else f"{low} to {high}"
            )
            raise self._fail(node, f"{node.function}() takes {want} argument(s), not {given}")

    def _call_answered(self, node: Call) -> Type:
        self._arity(node, 1, 1)
        if not isinstance(node.args[0], Name):
            raise self._fail(
                node, "answered() takes the id of a question", "e.g. answered(fit_result)"
            )
        self.check(node.args[0])
        return BOOL

    def _call_count(self, node: Call) -> Type:
        self._arity(node, 1, 1)
        arg = self.check(node.args[0])
        if arg.kind != "set":
            raise self._fail(
                node, "count() takes a multiple-choice answer", "e.g. count(bp_symptoms) >= 2"
            )
        return Type("number", bound=len(arg.options))

    def _call_count_true(self, node: Call) -> Type:
        self._arity(node, 1, None)
        for arg in node.args:
            self._expect(arg, BOOL, "count_true() counts yes/no conditions")
        return Type("number", bound=len(node.args))

    def _call_coalesce(self, node: Call) -> Type:
        self._arity(node, 2, None)
        types = [self.check(arg) for arg in node.args]
        first = types[0]
        for arg, other in zip(node.args[1:], types[1:], strict=True):
            if other.kind != first.kind or other.options != first.options:
                raise self._fail(arg, f"coalesce() mixes {first.describe()} and {other.describe()}")
        if first.kind == "number":
            return Type("number", bound=max(t.bound for t in types))
        return first

    def _call_min(self, node: Call) -> Type:
        self._arity(node, 2, None)
        bounds = [
            self._expect(arg, NUMBER, f"{node.function}() takes numbers").bound for arg in node.args
        ]
        return Type("number", bound=max(bounds))

    _call_max = _call_min

    def _call_abs(self, node: Call) -> Type:
        self._arity(node, 1, 1)
        return self._expect(node.args[0], NUMBER, "abs() takes a number")

    def _call_round(self, node: Call) -> Type:
        self._arity(node, 1, 2)
        number = self._expect(node.args[0], NUMBER, "round() takes a number")
        if len(node.args) == 2:
            digits = node.args[1]
            if not (
                isinstance(digits, Literal) and type(digits.value) is int and digits.value <= 6
            ):
                raise self._fail(
                    digits, "round()'s second argument is a whole number of decimal places, 0 to 6"
                )
        return Type(
            "number", bound=math.ceil(number.bound) if math.isfinite(number.bound) else math.inf
        )

    def _call_years_since(self, node: Call) -> Type:
        self._arity(node, 1, 1)
        self._expect(
            node.args[0], DATE, "years_since() takes a date, e.g. years_since(date_of_birth)"
        )
        return Type("number", bound=10_000)  # dates run from year 1 to 9999

    def _expect(self, node: Node, want: Type, message: str) -> Type:
        """The type of ``node``, which must be of ``want``'s kind."""
        got = self.check(node)
        if got.kind != want.kind:
            hint = ""
            if want.kind == "bool" and got.kind == "choice":
                hint = f"compare it with an option: {got.source} == 'value'"
            elif want.kind == "bool" and got.kind == "number":
                hint = "compare the number, e.g. > 0"
            raise self._fail(node, f"{message}, but this is {got.describe()}", hint)
        return got

    def _option(self, choice: Type, literal: Node) -> None:
        assert isinstance(literal, Literal)  # noqa: S101 - callers pass string literals only
        value = str(literal.value)
        if value not in choice.options:
            close = difflib.get_close_matches(value, choice.options, n=1)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else "options: " + ", ".join(sorted(choice.options))
            )
            raise self._fail(literal, f"'{value}' is not an option of '{choice.source}'", hint)
