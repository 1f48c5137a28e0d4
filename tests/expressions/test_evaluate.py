"""What expressions evaluate to, with unknown (None) answers following Kleene's logic."""

from __future__ import annotations

import datetime
import itertools
import math

import pytest

from riskcheck.expressions.compiler import round_half_up, years_since
from tests.factories import TYPES, make_expression

TODAY = datetime.date(2026, 1, 15)


def ev(text: str, today: datetime.date = TODAY, **given):
    """The value of ``text``; the compiled and the explaining evaluators must agree on it."""
    values = dict.fromkeys(TYPES) | given
    expression = make_expression(text)
    value = expression.evaluate(values, today)
    explained, _ = expression.explain(values, today)
    assert explained == value
    assert type(explained) is type(value)
    assert expression.holds(values, today) is (value is True)
    return value


TRUTH = [True, False, None]


def kleene_and(a, b):
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def kleene_or(a, b):
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


@pytest.mark.parametrize(("a", "b"), list(itertools.product(TRUTH, TRUTH)))
def test_and_truth_table(a, b):
    assert ev("bleeding and cough", bleeding=a, cough=b) is kleene_and(a, b)


@pytest.mark.parametrize(("a", "b"), list(itertools.product(TRUTH, TRUTH)))
def test_or_truth_table(a, b):
    assert ev("bleeding or cough", bleeding=a, cough=b) is kleene_or(a, b)


@pytest.mark.parametrize(("a", "expected"), [(True, False), (False, True), (None, None)])
def test_not_truth_table(a, expected):
    assert ev("not bleeding", bleeding=a) is expected


@pytest.mark.parametrize(("a", "b", "c"), list(itertools.product(TRUTH, TRUTH, TRUTH)))
def test_three_operands(a, b, c):
    given = {"bleeding": a, "cough": b, "age": None if c is None else (60 if c else 20)}
    assert ev("bleeding and cough and age > 50", **given) is kleene_and(kleene_and(a, b), c)
    assert ev("bleeding or cough or age > 50", **given) is kleene_or(kleene_or(a, b), c)


def test_an_unknown_condition_does_not_hold():
    expression = make_expression("age >= 50")
    values = dict.fromkeys(TYPES)
    assert expression.evaluate(values, TODAY) is None
    assert expression.holds(values, TODAY) is False
    assert expression.holds(values | {"age": 50}, TODAY) is True


@pytest.mark.parametrize("op", ["==", "!=", "<", "<=", ">", ">="])
def test_a_comparison_with_an_unknown_is_unknown(op):
    assert ev(f"age {op} 50") is None
    assert ev(f"50 {op} age") is None
    assert ev(f"age {op} weight", age=50) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("age == 50", True),
        ("age != 50", False),
        ("age < 50", False),
        ("age <= 50", True),
        ("age > 49.5", True),
        ("age >= 50.5", False),
        ("age == 50.0", True),
        ("smoker == 'never'", False),
        ("smoker != 'never'", True),
        ("'current' == smoker", True),
        ("bleeding == true", False),
        ("bleeding != cough", True),
    ],
)
def test_comparisons(text, expected):
    given = {"age": 50, "smoker": "current", "bleeding": False, "cough": True}
    assert ev(text, **given) is expected


def test_dates_compare():
    assert ev("dob < dob", dob=datetime.date(2000, 1, 1)) is False
    assert ev("dob == dob", dob=datetime.date(2000, 1, 1)) is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("age + weight", 80.5),
        ("age - weight", -40.5),
        ("age * 2", 40),
        ("age / 8", 2.5),
        ("-age", -20),
        ("age - -1", 21),
        ("2 + 3 * 4", 14),
        ("(2 + 3) * 4", 20),
        ("10 - 4 - 3", 3),
        ("7 / 2", 3.5),
        ("age * weight / 100", 12.1),
    ],
)
def test_arithmetic(text, expected):
    assert ev(text, age=20, weight=60.5) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["age + 1", "1 - age", "age * weight", "-age", "age / weight"])
def test_arithmetic_with_an_unknown_is_unknown(text):
    assert ev(text, weight=2) is None


@pytest.mark.parametrize("text", ["age / 0", "age / (weight - weight)", "age / weight", "0 / 0"])
def test_division_by_zero_is_unknown(text):
    assert ev(text, age=10, weight=0) is None


def test_overflow_is_unknown_rather_than_infinite():
    assert ev("age / (weight * weight)", age=100, weight=1e-154) is None
    assert ev("age / (weight * weight) > 40", age=100, weight=1e-154) is None
    assert ev("age * weight * weight", age=1e200, weight=1e200) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'cough' in symptoms", True),
        ("'fever' in symptoms", False),
        ("'fever' not in symptoms", True),
        ("'cough' not in symptoms", False),
        ("smoker in ['never', 'former']", True),
        ("smoker not in ['never', 'former']", False),
        ("age in [1, 2, 3]", False),
        ("age in [40, 41.0]", True),
    ],
)
def test_in(text, expected):
    assert ev(text, symptoms=frozenset({"cough"}), smoker="former", age=41) is expected


@pytest.mark.parametrize(
    "text",
    ["'cough' in symptoms", "'cough' not in symptoms", "smoker in ['never']", "age not in [1]"],
)
def test_in_with_an_unknown_is_unknown(text):
    assert ev(text) is None


def test_count():
    assert ev("count(symptoms)", symptoms=frozenset()) == 0
    assert ev("count(symptoms)", symptoms=frozenset({"cough", "fever"})) == 2
    assert ev("count(symptoms)") is None
    assert ev("count(symptoms) >= 2", symptoms=frozenset({"cough", "fever"})) is True


@pytest.mark.parametrize(
    ("given", "expected"), [({}, False), ({"age": 0}, True), ({"notes": ""}, True)]
)
def test_answered_is_never_unknown(given, expected):
    assert ev("answered(age) or answered(notes)", **given) is expected


def test_answered_of_every_kind():
    assert ev("answered(symptoms)", symptoms=frozenset()) is True
    assert ev("answered(bleeding)", bleeding=False) is True
    assert ev("not answered(dob)") is True


@pytest.mark.parametrize(
    ("given", "expected"),
    [({"age": 3, "weight": 4}, 3), ({"weight": 4}, 4), ({}, 10), ({"age": 0}, 0)],
)
def test_coalesce_takes_the_first_known(given, expected):
    assert ev("coalesce(age, weight, 10)", **given) == expected


def test_coalesce_of_only_unknowns_is_unknown():
    assert ev("coalesce(age, weight)") is None
    assert ev("coalesce(bleeding, cough, false)") is False
    assert ev("coalesce(bleeding, cough)", cough=False) is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("min(age, 5)", 3),
        ("min(age, weight, 1)", 1),
        ("max(age, 5)", 5),
        ("max(age, weight)", 7.5),
        ("abs(0 - age)", 3),
        ("abs(weight)", 7.5),
        ("min(age, age)", 3),
    ],
)
def test_min_max_abs(text, expected):
    assert ev(text, age=3, weight=7.5) == expected


@pytest.mark.parametrize(
    "text", ["min(age, 5)", "max(5, age)", "abs(age)", "round(age)", "round(age, 2)"]
)
def test_functions_of_an_unknown_are_unknown(text):
    assert ev(text) is None


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (0.5, 0, 1),
        (1.5, 0, 2),
        (2.5, 0, 3),
        (3.5, 0, 4),
        (2.4999, 0, 2),
        (-0.5, 0, -1),
        (-2.5, 0, -3),
        (-2.4, 0, -2),
        (7, 0, 7),
        (0.125, 2, 0.13),
        (2.675, 2, 2.68),
        (1.005, 2, 1.01),
        (1.0049, 2, 1.0),
        (12.3456, 3, 12.346),
        (4.55, 1, 4.6),
        (104.5, 0, 105),
        (1234.565, 2, 1234.57),
    ],
)
def test_round_half_up(value, digits, expected):
    assert round_half_up(value, digits) == expected
    text = f"round(weight, {digits})" if digits else "round(weight)"
    assert ev(text, weight=value) == expected


def test_round_gives_whole_numbers_as_int():
    assert type(round_half_up(2.5)) is int
    assert type(ev("round(weight)", weight=2.5)) is int
    assert type(ev("round(weight, 1)", weight=2.25)) is float


def test_round_of_huge_or_infinite_values_does_not_crash():
    assert round_half_up(1e300, 6) == 1e300
    # 10^22 to 6 places would need 29 digits, more than decimal's 28: never quantized
    assert round_half_up(1e22, 6) == 1e22
    assert round_half_up(1e300) == int(1e300)
    assert type(round_half_up(1e17)) is int  # whole already, and still said as a whole number
    assert type(round_half_up(1e17, 2)) is float
    assert round_half_up(float("inf")) == float("inf")
    assert math.isnan(round_half_up(float("nan")))


BORN = datetime.date(2000, 3, 15)


@pytest.mark.parametrize(
    ("today", "age"),
    [
        (datetime.date(2026, 3, 14), 25),  # the day before the birthday
        (datetime.date(2026, 3, 15), 26),  # the birthday
        (datetime.date(2026, 3, 16), 26),
        (datetime.date(2026, 12, 31), 26),
        (datetime.date(2027, 1, 1), 26),
        (datetime.date(2000, 3, 15), 0),  # born today
    ],
)
def test_years_since_around_a_birthday(today, age):
    assert years_since(BORN, today) == age
    assert ev("years_since(dob)", today=today, dob=BORN) == age


LEAPLING = datetime.date(2000, 2, 29)


@pytest.mark.parametrize(
    ("today", "age"),
    [
        (datetime.date(2025, 2, 28), 24),  # no 29 February in 2025: still 24 on the 28th
        (datetime.date(2025, 3, 1), 25),  # ... and 25 from 1 March
        (datetime.date(2028, 2, 28), 27),
        (datetime.date(2028, 2, 29), 28),  # a leap year: the birthday itself
        (datetime.date(2004, 2, 29), 4),
    ],
)
def test_years_since_29_february(today, age):
    assert ev("years_since(dob)", today=today, dob=LEAPLING) == age


def test_years_since_an_unknown_date_is_unknown():
    assert ev("years_since(dob) >= 18") is None


def test_the_value_is_worked_out_for_the_day_given():
    expression = make_expression("years_since(dob) >= 18", want="bool")
    values = dict.fromkeys(TYPES) | {"dob": datetime.date(2008, 1, 16)}
    assert expression.holds(values, datetime.date(2026, 1, 15)) is False
    assert expression.holds(values, datetime.date(2026, 1, 16)) is True


@pytest.mark.parametrize(
    ("text", "given", "deciding"),
    [
        ("bleeding or cough", {"bleeding": False, "cough": True}, ("cough",)),
        ("bleeding or cough", {"bleeding": True, "cough": True}, ("bleeding",)),
        ("bleeding and cough", {"bleeding": True, "cough": True}, ("bleeding", "cough")),
        ("bleeding and cough", {"bleeding": True, "cough": False}, ("cough",)),
        # unknown: had bleeding been no, the answer would be no, so bleeding counts too
        ("bleeding and cough", {"bleeding": True}, ("bleeding", "cough")),
        (
            "age >= 50 and (bleeding or cough)",
            {"age": 60, "cough": True, "bleeding": False},
            ("age", "cough"),
        ),
        ("answered(age)", {}, ("age",)),
        ("coalesce(age, weight) > 1", {"age": 3}, ("age",)),
        ("coalesce(age, weight) > 1", {"weight": 2}, ("age", "weight")),  # age unknown, so weight
        ("1 > 0", {}, ()),
    ],
)
def test_explain_names_the_values_that_decided(text, given, deciding):
    values = dict.fromkeys(TYPES) | given
    assert make_expression(text).explain(values, TODAY)[1] == deciding
