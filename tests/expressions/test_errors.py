"""Syntax and type errors: a message, the column, and a hint that says how to fix it."""

from __future__ import annotations

import pytest

from riskcheck.errors import ExpressionSyntaxError, RiskcheckError
from riskcheck.expressions import compile_expression
from riskcheck.expressions.types import Checker
from tests.factories import TYPES, make_expression


def error_of(text: str, want: str | None = "bool") -> ExpressionSyntaxError:
    with pytest.raises(ExpressionSyntaxError) as caught:
        make_expression(text, want)
    assert isinstance(caught.value, RiskcheckError)
    return caught.value


SYNTAX = [
    ("age = 5", 5, "unexpected character '='", "compare with == (two equals signs)"),
    ("age += 1", 6, "unexpected character '='", "=="),
    ("age >", 6, "the expression ends too early", "missing value after an operator"),
    ("(age > 5", 9, "ends too early", "missing ')'"),
    ("bleeding && cough", 10, "unexpected character '&'", "write 'and' instead of &"),
    ("bleeding || cough", 10, "unexpected character '|'", "write 'or' instead of |"),
    ("!bleeding", 1, "unexpected character '!'", "write 'not' instead of !"),
    ("Age > 5", 1, "unexpected character 'A'", "lower case"),
    ("bleeding AND cough", 10, "unexpected character 'A'", "lower case"),
    ("bleeding adn cough", 10, "unexpected 'adn'", "did you mean 'and'?"),
    ("bleeding orr cough", 10, "unexpected 'orr'", "did you mean 'or'?"),
    ("age.years > 5", 4, "unexpected character '.'", "names cannot have dots"),
    ("symptoms[0]", 9, "unexpected '['", "lists are written [a, b] on the right of 'in'"),
]


@pytest.mark.parametrize(("text", "column", "message", "hint"), SYNTAX)
def test_syntax_errors(text, column, message, hint):
    error = error_of(text)
    assert error.column == column
    assert message in error.message
    assert hint in error.hint


TYPE_ERRORS = [
    ("agee > 5", 1, "unknown id 'agee'", "did you mean 'age'?"),
    ("age > 5 and cuogh", 13, "unknown id 'cuogh'", "did you mean 'cough'?"),
    ("bleeding == yes", 13, "unknown id 'yes'", "yes/no answers are true or false"),
    (
        "age > 'five'",
        1,
        "cannot compare a number with a quoted text using '>'",
        "compare numbers or dates",
    ),
    (
        "smoker == 'sometimes'",
        11,
        "'sometimes' is not an option of 'smoker'",
        "options: current, former, never",
    ),
    ("smoker == 'curent'", 11, "'curent' is not an option of 'smoker'", "did you mean 'current'?"),
    ("smoker in ['never', 'formar']", 21, "'formar' is not an option", "did you mean 'former'?"),
    (
        "'rash' in symptoms",
        1,
        "'rash' is not an option of 'symptoms'",
        "options: cough, fever, none",
    ),
    ("bleeding == 'yes'", 1, "cannot compare yes/no with a quoted text", "not quoted text"),
    ("symptoms == 'cough'", 1, "multiple-choice answer to 'symptoms'", "'value' in symptoms"),
    ("notes == 'x'", 1, "cannot compare free text", "answered(id)"),
    ("age", 1, "this must be yes/no, but it is a number", "compare it, e.g. age >= 18"),
    ("smoker and cough", 1, "'and' joins yes/no conditions", "smoker == 'value'"),
    (
        "cough or age",
        10,
        "'or' joins yes/no conditions, but this is a number",
        "compare the number",
    ),
    ("not age", 5, "'not' needs yes/no", "compare the number"),
    ("-bleeding > 0", 2, "'-' needs a number, but this is yes/no", ""),
    ("cnt(symptoms) > 1", 1, "unknown function 'cnt'", "did you mean count()?"),
    ("lenght(symptoms) > 1", 1, "unknown function 'lenght'", "functions: answered, count"),
    ("count(age) > 1", 1, "count() takes a multiple-choice answer", "count(bp_symptoms) >= 2"),
    ("count > 1", 1, "'count' is a function", "call it: count(...)"),
    ("min(age) > 1", 1, "min() takes 2 or more argument(s), not 1", ""),
    ("abs(age, weight) > 1", 1, "abs() takes 1 argument(s), not 2", ""),
    ("round(age, 7) > 1", 12, "second argument is a whole number of decimal places, 0 to 6", ""),
    ("round(age, weight) > 1", 12, "whole number of decimal places", ""),
    ("answered(age + 1)", 1, "answered() takes the id of a question", "answered(fit_result)"),
    ("years_since(age) > 1", 13, "years_since() takes a date", ""),
    ("coalesce(age, smoker) > 1", 15, "coalesce() mixes a number and the single-choice answer", ""),
    ("age in symptoms", 1, "only a quoted option value can be in", "'value' in symptoms"),
    ("age in [1, 'a']", 9, "only quoted texts or only numbers", ""),
    ("age in [weight]", 9, "a list may only hold quoted texts or numbers", "write the values out"),
    ("age in []", 0, "an empty list", "at least one value"),
    ("notes in ['a']", 1, "cannot test whether free text is in", "single_choice_id in ['a', 'b']"),
    ("1000000000000000000 > age", 1, "the number 1000000000000000000 is too large", ""),
]


@pytest.mark.parametrize(("text", "column", "message", "hint"), TYPE_ERRORS)
def test_type_errors(text, column, message, hint):
    error = error_of(text)
    assert error.column == column
    assert message in error.message
    assert hint in error.hint


def test_a_number_where_a_condition_is_wanted():
    assert make_expression("age + 1", want="number").type.kind == "number"
    error = error_of("age > 1", want="number")
    assert error.message == "this must be a number, but it is yes/no"


def test_ids_not_yet_asked_are_not_available():
    checker = Checker(TYPES, allowed={"age"})
    assert compile_expression("age > 1", checker).names == ("age",)
    with pytest.raises(ExpressionSyntaxError) as caught:
        compile_expression("age > 1 and cough", checker)
    assert caught.value.message == "'cough' is not available here"
    assert caught.value.column == 13
    assert "asked before it" in caught.value.hint


def test_an_error_is_an_exception_with_its_message():
    error = error_of("agee > 5")
    assert str(error) == "unknown id 'agee'"


# -- numbers are written with 0-9 only ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "column", "name", "value"),
    [
        ("age >= ৪", 8, "bengali digit four", 4),  # looks like 8, means 4
        ("age >= １０", 8, "fullwidth digit one", 1),
        ("age > 𝟗", 7, "mathematical bold digit nine", 9),
        ("age > 1৪", 8, "bengali digit four", 4),
        ("age > 1.৫", 9, "bengali digit five", 5),
        ("age in [٣, 4]", 9, "arabic-indic digit three", 3),
    ],
)
def test_digits_other_than_ascii_are_refused(text, column, name, value):
    error = error_of(text)
    assert error.column == column
    assert error.message.endswith(f"({name})")
    assert error.hint == f"write numbers with the digits 0-9: {text[column - 1]!r} is {value}"


def test_ascii_digits_still_make_numbers():
    assert make_expression("age >= 40.5").evaluate({"age": 41}, None) is True
