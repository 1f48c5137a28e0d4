"""Turn a type-checked syntax tree into a fast Python function.

The generated source is built only from our own syntax tree: names are checked ids
(``[a-z_][a-z0-9_]*``, looked up as dictionary keys, never as Python names), literals are
``repr`` of a parsed bool, int, float or str, and operators come from a fixed table.
Nothing a clinician typed is ever handed to ``eval`` or ``exec`` as code. Measured here:
about 0.3 µs for a typical condition, against 16 µs for rule-engine (see the commit).

Unknown values (hidden or unanswered questions) are ``None`` and follow Kleene's
three-valued logic: a comparison with an unknown is unknown, ``not`` unknown is unknown,
``false and unknown`` is false, ``true or unknown`` is true. A condition that ends up
unknown does not hold.
"""

from __future__ import annotations

import datetime
import decimal
import math
from collections.abc import Callable, Mapping
from itertools import count
from typing import Any

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

#: values(namespace of every id -> value or None), today -> value or None
Evaluator = Callable[[Mapping[str, Any], datetime.date], Any]


def round_half_up(value: float, digits: int = 0) -> float | int:
    """Round halves away from zero (0.5 -> 1), as clinicians do, not to even as Python does.

    The decimal the value is written as is rounded (1.005 -> 1.01), not its binary
    approximation (1.00499999...), which ``floor(value * 100 + 0.5)`` would round down.
    """
    if not math.isfinite(value) or isinstance(value, int) or abs(value) >= 2**52:
        # Nothing to round: not a number, or already whole (floats this large have no fraction).
        return int(value) if digits == 0 and math.isfinite(value) else value
    exact = decimal.Decimal(repr(value)).quantize(
        decimal.Decimal(1).scaleb(-digits), rounding=decimal.ROUND_HALF_UP
    )
    return int(exact) if digits == 0 else float(exact)


def finite(value: Any) -> Any:
    """``value``, or None (unknown) when arithmetic overflowed to infinity or NaN; an integer
    beyond MAX_MAGNITUDE becomes a float.

    A patient can type 1e-154 where a height goes; dividing by its square must not crash.
    Python integers grow without limit, and a product of huge integers can take minutes and
    hundreds of MB: as a float, the next operation costs the same as any other and
    overflows to unknown, while a comparison such as ``bmi > 40`` still holds.
    """
    if type(value) is int and not -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE:
        try:
            return float(value)
        except OverflowError:  # beyond about 1.8 x 10^308: as a float it would be infinite
            return None
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return value


def years_since(born: datetime.date, today: datetime.date) -> int:
    """Whole years from ``born`` to ``today`` (an age)."""
    before_birthday = (today.month, today.day) < (born.month, born.day)
    return today.year - born.year - int(before_birthday)


_GLOBALS: dict[str, Any] = {
    "__builtins__": {},
    "_len": len,
    "_min": min,
    "_max": max,
    "_abs": abs,
    "_round": round_half_up,
    "_finite": finite,
    "_years": years_since,
}


class _Generator:
    def __init__(self) -> None:
        self._temps = count()

    def temp(self) -> str:
        return f"_t{next(self._temps)}"

    def gen(self, node: Node) -> str:
        return getattr(self, f"_gen_{type(node).__name__}")(node)

    def _gen_Literal(self, node: Literal) -> str:
        return repr(node.value)

    def _gen_Name(self, node: Name) -> str:
        return f"v[{node.id!r}]"

    def _gen_ListLiteral(self, node: ListLiteral) -> str:
        return "(" + "".join(self.gen(item) + ", " for item in node.items) + ")"

    def _gen_Not(self, node: Not) -> str:
        t = self.temp()
        return f"(None if ({t} := {self.gen(node.operand)}) is None else not {t})"

    def _gen_Negate(self, node: Negate) -> str:
        t = self.temp()
        return f"(None if ({t} := {self.gen(node.operand)}) is None else -{t})"

    def _gen_BoolOp(self, node: BoolOp) -> str:
        stop, last = ("False", "True") if node.op == "and" else ("True", "False")
        temps = [self.temp() for _ in node.operands]
        code = f"(None if {' is None or '.join(temps)} is None else {last})"
        for t, operand in reversed(list(zip(temps, node.operands, strict=True))):
            code = f"({stop} if ({t} := {self.gen(operand)}) is {stop} else {code})"
        return code

    def _binary(self, left: Node, right: Node, template: str, guard: str = "") -> str:
        a, b = self.temp(), self.temp()
        check = f"({a} := {self.gen(left)}) is None"
        if not isinstance(right, Literal):
            check += f" or ({b} := {self.gen(right)}) is None"
        else:
            b = self.gen(right)
        if guard:
            check += " or " + guard.format(b=b)  # a guard reads the right operand only
        return f"(None if {check} else {template.format(a=a, b=b)})"

    def _gen_Compare(self, node: Compare) -> str:
        return self._binary(node.left, node.right, "{a} " + node.op + " {b}")

    def _gen_Arith(self, node: Arith) -> str:
        guard = "{b} == 0" if node.op == "/" else ""
        return self._binary(node.left, node.right, "_finite({a} " + node.op + " {b})", guard)

    def _gen_Contains(self, node: Contains) -> str:
        op = "not in" if node.negated else "in"
        if isinstance(node.item, Literal):  # 'option' in multiple_choice
            t = self.temp()
            return (
                f"(None if ({t} := {self.gen(node.container)}) is None "
                f"else {self.gen(node.item)} {op} {t})"
            )
        return self._binary(node.item, node.container, "{a} " + op + " {b}")

    def _gen_Call(self, node: Call) -> str:
        args = [self.gen(arg) for arg in node.args]
        if node.function == "answered":
            return f"({args[0]} is not None)"
        if node.function == "count_true":  # unknown counts as not true, like an unticked box
            return "(0 + " + " + ".join(f"(({a}) is True)" for a in args) + ")"
        if node.function == "coalesce":
            code = args[-1]
            for arg in reversed(args[:-1]):
                t = self.temp()
                code = f"({t} if ({t} := {arg}) is not None else {code})"
            return code
        temps = [self.temp() for _ in args]
        check = " or ".join(f"({t} := {a}) is None" for t, a in zip(temps, args, strict=True))
        call = {
            "count": "_len({0})",
            "abs": "_abs({0})",
            "round": "_round({0})" if len(args) == 1 else "_round({0}, {1})",
            "years_since": "_years({0}, today)",
            "min": "_min(" + ", ".join(f"{{{i}}}" for i in range(len(args))) + ")",
            "max": "_max(" + ", ".join(f"{{{i}}}" for i in range(len(args))) + ")",
        }[node.function].format(*temps)
        return f"(None if {check} else {call})"


def compile_node(node: Node) -> tuple[Evaluator, str]:
    """A function evaluating ``node`` over a namespace of values, and its Python source."""
    body = _Generator().gen(node)
    source = f"def _expression(v, today):\n    return {body}\n"
    namespace: dict[str, Any] = {}
    try:
        code = compile(source, "<riskcheck expression>", "exec")
    except (SyntaxError, RecursionError, MemoryError):
        # Python refuses more than 200 nested parentheses; a long chain of 'and' or '+' gets there.
        raise ExpressionSyntaxError(
            "the expression is too long or nested too deeply",
            column=1,
            hint="split it into computed values",
        ) from None
    # The source is generated from our own validated tree (see the module docstring): ids
    # are dictionary keys, literals are repr() of parsed values, operators a fixed table.
    scope = dict(_GLOBALS)
    exec(code, scope, namespace)  # noqa: S102  # nosec B102
    return namespace["_expression"], source
