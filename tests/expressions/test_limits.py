"""Limits an editor cannot get round: the size of numbers and of the work a definition asks for.

Python integers have no size limit: a product of 99 factors of 10^15, raised again through
two computed values, is a number of millions of digits that takes minutes to compute and
hundreds of MB to hold. Numbers are therefore bounded three ways: literals (the parser),
products and sums whose size is known from the definition (the type checker), and every
arithmetic result while scoring (beyond the bound the value is unknown).
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from riskcheck.errors import DefinitionError, ExpressionSyntaxError
from riskcheck.expressions import compile_expression
from riskcheck.expressions.ast import MAX_MAGNITUDE
from riskcheck.expressions.types import Checker, Type
from riskcheck.loader import load_text
from riskcheck.scoring import score
from tests.conftest import DATA
from tests.factories import TYPES

#: The test types, with age bounded as a number question with max: 120 is.
BOUNDED = {**TYPES, "age": Type("number", bound=120)}

TODAY = datetime.date(2026, 1, 15)


def make_expression(text: str, want: str | None = None):
    """``text`` compiled against the test types with a bounded age."""
    return compile_expression(text, Checker(BOUNDED), want)


BASE = (DATA / "valid_base.yaml").read_text("utf-8")
ROOT = Path(__file__).resolve().parents[2]
RISKCHECK = Path(sys.executable).parent / "riskcheck"


def chained_products(factors: int, first: str = "999999999999999") -> str:
    """valid_base.yaml plus three computed values, each the product of ``factors`` factors of
    the one before (the first of ``first``), and a definition test that scores them."""
    return BASE + (
        "computed:\n"
        f"  - {{id: c1, title: C1, value: {' * '.join([first] * factors)}}}\n"
        f"  - {{id: c2, title: C2, value: {' * '.join(['c1'] * factors)}}}\n"
        f"  - {{id: c3, title: C3, value: {' * '.join(['c2'] * factors)}}}\n"
        "tests:\n"
        "  - name: scores the computed values\n"
        "    answers: {age: 99, smoker: current, cough: true}\n"
        "    expect: {urgency: soon}\n"
    )


def test_three_products_of_99_factors_are_refused_quickly(tmp_path):
    # Given a definition whose computed values would be numbers of millions of digits
    path = tmp_path / "huge.yaml"
    path.write_text(chained_products(99), "utf-8")
    # When `riskcheck validate` checks it (in a child process: a runaway is killed, not awaited)
    started = time.monotonic()
    try:
        run = subprocess.run(  # noqa: S603 - our own console script on a file we wrote
            [str(RISKCHECK), "validate", "--json", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("riskcheck validate ran for more than 60 s")
    elapsed = time.monotonic() - started
    # Then it is refused within seconds, naming the file, the line and a fix
    assert run.returncode == 1, run.stdout + run.stderr
    assert elapsed < 20
    errors = [p for p in json.loads(run.stdout)[0]["problems"] if p["severity"] == "error"]
    assert errors, run.stdout
    first = errors[0]
    assert first["file"] == str(path)
    assert first["line"] == BASE.count("\n") + 2  # the line of c1
    assert first["path"] == "computed[0].value"
    assert "10^15" in first["message"]
    assert first["hint"]


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("999999999999999 * 999999999999999 > 0", 17),
        ("age * age * age * age * age * age * age * age > 0", 41),  # age <= 120: 120^8 > 10^15
        ("-(999999999999999 + 999999999999999) > 0", 19),
        ("999999999999999 - -999999999999999 > 0", 17),  # a difference can reach the sum
        ("round(999999999999999 * 2) > 0", 23),
        # what each function's result can reach, from its arguments
        ("count(symptoms) * 999999999999999 > 0", 17),  # 3 options
        ("count_true(cough, bleeding) * 999999999999999 > 0", 29),
        ("coalesce(2, 999999999999999) * 2 > 0", 30),  # the largest argument, not the first
        ("max(age, 999999999999999) * 2 > 0", 27),
        ("round(999999999999999) * 2 > 0", 24),
        ("years_since(dob) * 999999999999 > 0", 18),  # 10 000 years at most
    ],
)
def test_a_result_that_can_pass_the_bound_is_refused(text, column):
    with pytest.raises(ExpressionSyntaxError) as caught:
        make_expression(text)
    assert caught.value.column == column
    assert "10^15" in caught.value.message
    assert "split" in caught.value.hint or "smaller" in caught.value.hint


def test_the_editor_is_told_how_large_a_result_can_get_and_what_to_do():
    with pytest.raises(ExpressionSyntaxError) as caught:
        make_expression("999999999999999 * 999999999999999 > 0")
    assert (caught.value.message, caught.value.hint) == (
        "this result can reach about 1 x 10^30, more than 10^15, "
        "the largest number an expression can work with",
        "multiply fewer or smaller numbers; split the calculation into computed values "
        "that stay within 10^15",
    )


@pytest.mark.parametrize(
    "text",
    [
        "age * age * age * age * age * age * age > 0",  # 120^7 < 10^15
        "999999999999999 + 0 > 0",
        "weight / 0.001 > 0",  # a quotient's size is not known from the definition
        "count(symptoms) * 100000000000000 > 0",
        "years_since(dob) * 100000000000 > 0",  # 10 000 years x 10^11: 10^15 exactly
        "999999999999999 + 1 > 0",  # the bound itself is allowed
        "0 * weight * 999999999999999 * 2 > 0",  # times 0 is 0, whatever the answer
        "999999999999999 / 10 * 10 > 0",  # dividing by a number makes it smaller
    ],
)
def test_a_result_within_the_bound_is_accepted(text):
    make_expression(text)


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("weight * weight", {"weight": 10**12}, 1e24),  # answers of unknown size
        ("-(age * weight)", {"age": 10**12, "weight": 10**12}, -1e24),
        ("age * weight + 1", {"age": 10**8, "weight": 10**8}, 1e16),
        ("round(weight / age) * round(weight / age)", {"age": 1e-12, "weight": 1e12}, 1e48),
    ],
)
def test_a_whole_number_beyond_the_bound_while_scoring_becomes_a_float(text, values, expected):
    # As a float it costs what any number costs, and still compares: bmi > 40 holds.
    expression = make_expression(text, want="number")
    value = expression.evaluate(values, TODAY)
    assert type(value) is float
    assert value == pytest.approx(expected)
    assert expression.explain(values, TODAY)[0] == value


def test_whole_numbers_within_the_bound_stay_exact():
    expression = make_expression("age * weight + 1", want="number")
    values = {"age": 10**7, "weight": 10**8 - 1}
    assert expression.evaluate(values, TODAY) == 10**15 - 10**7 + 1
    assert type(expression.evaluate(values, TODAY)) is int
    # the bound itself, either way, is still exact
    for text, value in [("999999999999999 + 1", 10**15), ("0 - 999999999999999 - 1", -(10**15))]:
        result = make_expression(text, want="number").evaluate({}, TODAY)
        assert (result, type(result)) == (value, int)


def test_the_bound_keeps_every_intermediate_result_small():
    # No multiplication ever sees a huge whole number: a chain of 80 products of rounded
    # quotients (whole numbers of any size) overflows to unknown at once.
    text = " * ".join(["round(weight/age)"] * 80)
    expression = make_expression(text, want="number")
    started = time.perf_counter()
    for _ in range(100):
        assert expression.evaluate({"weight": 1e12, "age": 1e-12}, TODAY) is None
        assert expression.evaluate({"weight": 1e12, "age": 1}, TODAY) is None
        assert type(expression.evaluate({"weight": 999, "age": 1}, TODAY)) is float
    assert time.perf_counter() - started < 1.0
    assert MAX_MAGNITUDE == 10**15


def test_forty_factors_no_longer_publish_a_slow_definition():
    # 40 factors used to validate and publish, then every score took a second.
    with pytest.raises(DefinitionError) as caught:
        load_text(chained_products(40), "forty.yaml")
    assert caught.value.problems[0].path == "computed[0].value"


def test_products_of_answers_of_unknown_size_score_quickly():
    # A quotient has no size known in advance: the bound while scoring keeps it cheap.
    text = chained_products(90, first="round(10000 / age)")
    questionnaire = load_text(text, "quotients.yaml")
    started = time.perf_counter()
    result = score(questionnaire, {"age": 99, "smoker": "current", "cough": True}, today=TODAY)
    assert time.perf_counter() - started < 1.0
    assert result.urgency == "soon"
    values = {"age": 99}
    for item, expression in questionnaire.computed:
        values[item.id] = expression.evaluate(values, TODAY)
    assert values["c1"] == pytest.approx(101.0**90)  # a float: 10^180
    assert values["c2"] is None  # 10^16200 overflows, even as a float
    assert values["c3"] is None
