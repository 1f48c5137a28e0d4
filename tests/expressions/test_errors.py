"""Syntax and type errors: a message, the column, and a hint that says how to fix it."""

from __future__ import annotations

import pytest

from riskcheck.errors import ExpressionSyntaxError, RiskcheckError
from riskcheck.expressions import compile_expression
from riskcheck.expressions.types import Checker, Type
from tests.factories import SMOKER, TYPES, make_expression


def error_of(text: str, want: str | None = "bool") -> ExpressionSyntaxError:
    with pytest.raises(ExpressionSyntaxError) as caught:
        make_expression(text, want)
    assert isinstance(caught.value, RiskcheckError)
    return caught.value


#: (expression, column, message, hint): compared whole, so that a changed word is noticed
SYNTAX = [
    ("age = 5", 5, "unexpected character '='", "compare with == (two equals signs)"),
    ("age += 1", 6, "unexpected character '='", "compare with == (two equals signs)"),
    (
        "age >",
        6,
        "the expression ends too early",
        "check for a missing value after an operator or a missing ')'",
    ),
    (
        "(age > 5",
        9,
        "the expression ends too early",
        "check for a missing value after an operator or a missing ')'",
    ),
    ("bleeding && cough", 10, "unexpected character '&'", "write 'and' instead of &"),
    ("bleeding || cough", 10, "unexpected character '|'", "write 'or' instead of |"),
    (
        "!bleeding",
        1,
        "unexpected character '!'",
        "write 'not' instead of !, or != for 'is not equal to'",
    ),
    (
        "Age > 5",
        1,
        "unexpected character 'A'",
        "ids and keywords are lower case (true, false, and, or, not, in)",
    ),
    (
        "bleeding AND cough",
        10,
        "unexpected character 'A'",
        "ids and keywords are lower case (true, false, and, or, not, in)",
    ),
    ("bleeding adn cough", 10, "unexpected 'adn'", "did you mean 'and'?"),
    ("bleeding orr cough", 10, "unexpected 'orr'", "did you mean 'or'?"),
    (
        "age.years > 5",
        4,
        "unexpected character '.'",
        "names cannot have dots; use the id of a question, computed value or scale",
    ),
    ("symptoms[0]", 9, "unexpected '['", "lists are written [a, b] on the right of 'in'"),
    ("age # 5", 5, "unexpected character '#'", ""),
    ("smoker inn ['never']", 8, "unexpected 'inn'", "did you mean 'in'?"),
    ("smoker nott in ['never']", 8, "unexpected 'nott'", "did you mean 'not'?"),
    ("age === 5", 7, "unexpected character '='", "compare with == (two equals signs)"),
]


@pytest.mark.parametrize(("text", "column", "message", "hint"), SYNTAX)
def test_syntax_errors(text, column, message, hint):
    error = error_of(text)
    assert (error.column, error.message, error.hint) == (column, message, hint)


TYPE_ERRORS = [
    ("agee > 5", 1, "unknown id 'agee'", "did you mean 'age'?"),
    ("age > 5 and cuogh", 13, "unknown id 'cuogh'", "did you mean 'cough'?"),
    (
        "bleeding == yes",
        13,
        "unknown id 'yes'",
        "yes/no answers are true or false; write the question id alone, or 'not id'",
    ),
    (
        "not (cough == no)",
        15,
        "unknown id 'no'",
        "yes/no answers are true or false; write the question id alone, or 'not id'",
    ),
    (
        "age > 'five'",
        1,
        "cannot compare a number with a quoted text using '>'",
        "'<', '>' and friends compare numbers or dates",
    ),
    (
        "smoker == 'sometimes'",
        11,
        "'sometimes' is not an option of 'smoker'",
        "options: current, former, never",
    ),
    ("smoker == 'curent'", 11, "'curent' is not an option of 'smoker'", "did you mean 'current'?"),
    ("'curent' != smoker", 1, "'curent' is not an option of 'smoker'", "did you mean 'current'?"),
    (
        "smoker in ['never', 'formar']",
        21,
        "'formar' is not an option of 'smoker'",
        "did you mean 'former'?",
    ),
    (
        "'rash' in symptoms",
        1,
        "'rash' is not an option of 'symptoms'",
        "options: cough, fever, none",
    ),
    (
        "bleeding == 'yes'",
        1,
        "cannot compare yes/no with a quoted text",
        "yes/no answers are true or false, not quoted text",
    ),
    (
        "symptoms == 'cough'",
        1,
        "cannot compare the multiple-choice answer to 'symptoms' with a quoted text",
        "test a multiple-choice answer with 'value' in symptoms, or count(symptoms)",
    ),
    (
        "notes == 'x'",
        1,
        "cannot compare free text with a quoted text",
        "free text is never scored; answered(id) tells whether it was filled in",
    ),
    ("age", 1, "this must be yes/no, but it is a number", "compare it, e.g. age >= 18"),
    (
        "smoker and cough",
        1,
        "'and' joins yes/no conditions, but this is the single-choice answer to 'smoker'",
        "compare it with an option: smoker == 'value'",
    ),
    (
        "cough or age",
        10,
        "'or' joins yes/no conditions, but this is a number",
        "compare the number, e.g. > 0",
    ),
    ("not age", 5, "'not' needs yes/no, but this is a number", "compare the number, e.g. > 0"),
    ("-bleeding > 0", 2, "'-' needs a number, but this is yes/no", ""),
    ("cnt(symptoms) > 1", 1, "unknown function 'cnt'", "did you mean count()?"),
    (
        "lenght(symptoms) > 1",
        1,
        "unknown function 'lenght'",
        "functions: answered, count, count_true, coalesce, min, max, abs, round, years_since",
    ),
    ("count(age) > 1", 1, "count() takes a multiple-choice answer", "e.g. count(bp_symptoms) >= 2"),
    ("count > 1", 1, "'count' is a function", "call it: count(...)"),
    ("min(age) > 1", 1, "min() takes 2 or more argument(s), not 1", ""),
    ("abs(age, weight) > 1", 1, "abs() takes 1 argument(s), not 2", ""),
    (
        "round(age, 7) > 1",
        12,
        "round()'s second argument is a whole number of decimal places, 0 to 6",
        "",
    ),
    (
        "round(age, weight) > 1",
        12,
        "round()'s second argument is a whole number of decimal places, 0 to 6",
        "",
    ),
    ("answered(age + 1)", 1, "answered() takes the id of a question", "e.g. answered(fit_result)"),
    (
        "years_since(age) > 1",
        13,
        "years_since() takes a date, e.g. years_since(date_of_birth), but this is a number",
        "",
    ),
    (
        "coalesce(age, smoker) > 1",
        15,
        "coalesce() mixes a number and the single-choice answer to 'smoker'",
        "",
    ),
    (
        "age in symptoms",
        1,
        "only a quoted option value can be in the multiple-choice answer to 'symptoms'",
        "e.g. 'value' in symptoms",
    ),
    ("age in [1, 'a']", 8, "a list must hold only quoted texts or only numbers", ""),
    (
        "age in [weight]",
        8,
        "a list may only hold quoted texts or numbers",
        "write the values out, e.g. ['a', 'b']",
    ),
    ("age in []", 8, "an empty list", "put at least one value in the list"),
    (
        "notes in ['a']",
        1,
        "cannot test whether free text is in a list of texts",
        "use 'option' in multiple_choice_id, or single_choice_id in ['a', 'b']",
    ),
    ("1000000000000000000 > age", 1, "the number 1000000000000000000 is too large", ""),
    ("age < 1000000000000001", 7, "the number 1000000000000001 is too large", ""),  # 10^15 + 1
    (
        "dob > 5",
        1,
        "cannot compare a date with a number using '>'",
        "'<', '>' and friends compare numbers or dates",
    ),
    ("age == [1]", 1, "cannot compare a number with a list of numbers", ""),
    (
        "smoker == ['a']",
        1,
        "cannot compare the single-choice answer to 'smoker' with a list of texts",
        "",
    ),
    (
        "count_true(age) > 1",
        12,
        "count_true() counts yes/no conditions, but this is a number",
        "compare the number, e.g. > 0",
    ),
    ("abs(cough) > 1", 5, "abs() takes a number, but this is yes/no", ""),
    ("round(cough) > 1", 7, "round() takes a number, but this is yes/no", ""),
    ("min(age, cough) > 1", 10, "min() takes numbers, but this is yes/no", ""),
    (
        "age in ['a']",
        1,
        "cannot test whether a number is in a list of texts",
        "use 'option' in multiple_choice_id, or single_choice_id in ['a', 'b']",
    ),
    ("answered(age, weight)", 1, "answered() takes 1 argument(s), not 2", ""),
    ("count(symptoms, symptoms) > 1", 1, "count() takes 1 argument(s), not 2", ""),
    ("years_since(dob, dob) > 1", 1, "years_since() takes 1 argument(s), not 2", ""),
    ("round(age, 1, 2) > 1", 1, "round() takes 1 to 2 argument(s), not 3", ""),
    (
        "age not in ['a']",
        1,
        "cannot test whether a number is in a list of texts",
        "use 'option' in multiple_choice_id, or single_choice_id in ['a', 'b']",
    ),
    ("coalesce(age, cough) > 1", 15, "coalesce() mixes a number and yes/no", ""),
    # true, false, not, '-' and '[' are dropped by the parser; their column is still known
    ("(not cough) + 1 > 2", 2, "'+' needs numbers, but this is yes/no", ""),
    (
        "-age > 'five'",
        1,
        "cannot compare a number with a quoted text using '>'",
        "'<', '>' and friends compare numbers or dates",
    ),
    # which comparisons the checker refuses, and in which order it names the two sides
    ("age == smoker", 1, "cannot compare a number with the single-choice answer to 'smoker'", ""),
    ("'a' == age", 1, "cannot compare a quoted text with a number", ""),
    (
        "'a' < smoker",
        1,
        "cannot compare the single-choice answer to 'smoker' with a quoted text using '<'",
        "'<', '>' and friends compare numbers or dates",
    ),
    (
        "age < 'five'",
        1,
        "cannot compare a number with a quoted text using '<'",
        "'<', '>' and friends compare numbers or dates",
    ),
    (
        "age <= 'five'",
        1,
        "cannot compare a number with a quoted text using '<='",
        "'<', '>' and friends compare numbers or dates",
    ),
    (
        "smoker <= 'never'",
        1,
        "cannot compare the single-choice answer to 'smoker' with a quoted text using '<='",
        "'<', '>' and friends compare numbers or dates",
    ),
    ("smoker == age", 1, "cannot compare the single-choice answer to 'smoker' with a number", ""),
    (
        "notes == notes",
        1,
        "cannot compare free text with free text",
        "free text is never scored; answered(id) tells whether it was filled in",
    ),
    (
        "symptoms == symptoms",
        1,
        "cannot compare the multiple-choice answer to 'symptoms' with "
        "the multiple-choice answer to 'symptoms'",
        "test a multiple-choice answer with 'value' in symptoms, or count(symptoms)",
    ),
    ("[1] == [1]", 1, "cannot compare a list of numbers with a list of numbers", ""),
    ("'a' == 'b'", 1, "cannot compare a quoted text with a quoted text", ""),
    ("1 + cough > 2", 5, "'+' needs numbers, but this is yes/no", ""),
    ("cough == tru", 10, "unknown id 'tru'", "did you mean 'true'?"),
    ("cough == flase", 10, "unknown id 'flase'", "did you mean 'false'?"),
    (
        "cough and xyzzy",
        11,
        "unknown id 'xyzzy'",
        "use the id of a question, computed value or scale",
    ),
    (
        "true > 5",
        1,
        "cannot compare yes/no with a number using '>'",
        "'<', '>' and friends compare numbers or dates",
    ),
    ("age + false > 1", 7, "'+' needs numbers, but this is yes/no", ""),
    ("age > 1 and - cough", 15, "'-' needs a number, but this is yes/no", ""),
    (
        "cough or -age",
        10,
        "'or' joins yes/no conditions, but this is a number",
        "compare the number, e.g. > 0",
    ),
    ("count_true() > 1", 1, "count_true() takes 1 or more argument(s), not 0", ""),
    ("coalesce(age) > 1", 1, "coalesce() takes 2 or more argument(s), not 1", ""),
    ("max(age) > 1", 1, "max() takes 2 or more argument(s), not 1", ""),
]


@pytest.mark.parametrize(("text", "column", "message", "hint"), TYPE_ERRORS)
def test_type_errors(text, column, message, hint):
    error = error_of(text)
    assert (error.column, error.message, error.hint) == (column, message, hint)


def test_a_number_where_a_condition_is_wanted():
    assert make_expression("age + 1", want="number").type.kind == "number"
    error = error_of("age > 1", want="number")
    assert (error.message, error.hint) == ("this must be a number, but it is yes/no", "")


def test_ids_not_yet_asked_are_not_available():
    checker = Checker(TYPES, allowed={"age"})
    assert compile_expression("age > 1", checker).names == ("age",)
    with pytest.raises(ExpressionSyntaxError) as caught:
        compile_expression("age > 1 and cough", checker)
    assert caught.value.message == "'cough' is not available here"
    assert caught.value.column == 13
    assert caught.value.hint == "a condition may only use questions asked before it"


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
        ("age > 1.৫0", 9, "bengali digit five", 5),  # the one character after the point
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


def test_round_takes_up_to_six_decimal_places():
    assert make_expression("round(weight, 6)", None).function({"weight": 1.23456789}, None) == (
        1.234568
    )


def test_two_single_choice_answers_compare_only_when_they_share_their_options():
    moods = frozenset({"low", "ok"})
    types = {
        **TYPES,
        "smoker_before": Type("choice", SMOKER.options, "smoker_before"),
        "mood": Type("choice", moods, "mood"),
    }
    checker = Checker(types)
    assert compile_expression("smoker == smoker_before", checker).names == (
        "smoker",
        "smoker_before",
    )
    with pytest.raises(ExpressionSyntaxError) as caught:
        compile_expression("smoker == mood", checker)
    assert caught.value.message == (
        "cannot compare the single-choice answer to 'smoker' with "
        "the single-choice answer to 'mood'"
    )
    assert caught.value.hint == (
        "two single-choice answers compare only when they have the same options"
    )


def test_a_condition_python_cannot_nest_is_refused_with_advice():
    # Within the length limit, but 199 'or's nest deeper than Python compiles
    error = error_of(" or ".join(["cough"] * 199))
    assert (error.column, error.message, error.hint) == (
        1,
        "the expression is too long or nested too deeply",
        "split it into computed values",
    )
