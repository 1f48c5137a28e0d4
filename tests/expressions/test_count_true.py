"""count_true(): how many yes/no conditions hold ("2 or more of these symptoms")."""

from __future__ import annotations

import datetime

import pytest

from riskcheck.errors import ExpressionSyntaxError
from riskcheck.expressions import compile_expression
from riskcheck.expressions.types import BOOL, NUMBER, Checker

CHECKER = Checker({"a": BOOL, "b": BOOL, "c": BOOL, "n": NUMBER})
DAY = datetime.date(2026, 1, 15)


@pytest.mark.parametrize(
    ("values", "count", "deciding"),
    [
        ({"a": True, "b": True, "c": True, "n": 1}, 3, ("a", "b", "c")),
        ({"a": True, "b": False, "c": None, "n": 1}, 1, ("a",)),
        ({"a": None, "b": None, "c": None, "n": None}, 0, ()),
        ({"a": False, "b": False, "c": False, "n": 9}, 1, ("n",)),
    ],
)
def test_counts_true_conditions_and_unknown_counts_as_not_true(values, count, deciding) -> None:  # noqa: ANN001
    expression = compile_expression("count_true(a, b, c, n > 3)", CHECKER, want="number")
    assert expression.evaluate(values, DAY) == count
    assert expression.explain(values, DAY) == (count, deciding)


def test_two_or_more_of() -> None:
    expression = compile_expression("count_true(a, b, c) >= 2", CHECKER)
    assert expression.holds({"a": True, "b": None, "c": True, "n": None}, DAY)
    assert not expression.holds({"a": True, "b": None, "c": False, "n": None}, DAY)


def test_only_yes_no_conditions_are_counted() -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        compile_expression("count_true(a, n) >= 1", CHECKER)
    assert "count_true() counts yes/no conditions" in caught.value.message


def test_one_condition_counts_as_a_number() -> None:
    expression = compile_expression("count_true(a)", CHECKER, want="number")
    value = expression.evaluate({"a": True, "b": None, "c": None, "n": None}, DAY)
    assert value == 1
    assert type(value) is int


@pytest.mark.parametrize(
    ("function", "arguments", "value"),
    [
        ("count_true", ["a"] * 99 + ["b"], 99),
        ("count_true", ["a"] * 300, 300),
        ("min", ["n"] * 99 + ["1"], 1),
        ("max", ["n"] * 99 + ["100"], 100),
        ("coalesce", ["n"] * 99 + ["7"], 7),
    ],
)
def test_functions_of_one_or_more_values_take_any_number_of_them(
    function, arguments, value
) -> None:  # noqa: ANN001
    # Once written as "at most 99": the 100th was refused with "takes 1 or more, not 100"
    expression = compile_expression(f"{function}({', '.join(arguments)})", CHECKER, want="number")
    values = {"a": True, "b": False, "c": None, "n": 5 if function in ("min", "max") else None}
    assert expression.evaluate(values, DAY) == value
    assert expression.explain(values, DAY)[0] == value
