"""Features the language leaves out on purpose, after simpleeval's deliberately missed features.

Each is a decision, not an accident: if one is ever added, this file changes with the docs.
"""

from __future__ import annotations

import pytest

from riskcheck.errors import ExpressionSyntaxError
from tests.factories import make_expression

MISSING = {
    # arithmetic beyond + - * /: no clinical rule needs it, and ** can build huge numbers
    "power": "age ** 2 > 1",
    "modulo": "age % 2 == 1",
    "floor division": "age // 2 == 1",
    "bitwise and": "bleeding & cough",
    "bitwise or": "bleeding | cough",
    "bitwise xor": "age ^ 2 > 1",
    "bitwise not": "~age > 1",
    "shift": "age << 2 > 1",
    # comparisons: one at a time, so that 'and' shows how they combine
    "chained comparison": "18 <= age < 65",
    "identity": "age is 5",
    "not identity": "age is not 5",
    "diamond": "age <> 1",
    # Python spellings of values: the language has true and false only
    "True": "True",
    "False": "cough == False",
    "None": "age == None",
    "null": "age == null",
    # numbers are written with digits and an optional decimal point
    "exponent": "1e3 > age",
    "hexadecimal": "0x10 > age",
    "underscores": "1_000 > age",
    "leading point": ".5 > age",
    "trailing point": "5. > age",
    # no control flow, assignment or definitions
    "conditional": "age if cough else 1",
    "walrus": "(x := 5) > 1",
    "augmented assignment": "age += 1",
    "lambda": "(lambda: 1)() > 0",
    "comprehension": "[x for x in symptoms]",
    "statement separator": "age > 1; cough",
    "comment": "age > 1 # adults",
    # containers other than a literal list after 'in'
    "tuple": "(1, 2) == age",
    "dict": "{'a': 1} == age",
    "set literal": "smoker in {'never'}",
    "list on the left": "['never'] in smoker",
    "subscript": "symptoms[0]",
    "slice": "notes[0:2] == 'ab'",
    # calls: only the built-in functions, positional arguments, no unpacking
    "keyword argument": "round(age, digits=1) > 1",
    "star argument": "max(*symptoms) > 1",
    "method": "notes.lower() == 'x'",
    "len": "len(symptoms) > 1",
    "sum": "sum(symptoms) > 1",
    "int": "int(age) > 1",
    "str": "str(age) == '1'",
    "today": "years_since(today) > 1",
    "now": "now() > dob",
    # text is never combined or searched
    "text concatenation": "'a' + 'b' == 'ab'",
    "text repetition": "'a' * 3 == 'aaa'",
    "substring": "'cough' in notes",
    "ordering text": "notes < 'b'",
    "ordering choices": "smoker > 'former'",
    # no date literals: dates are compared with each other or through years_since()
    "date literal": "dob < '2000-01-01'",
    "date arithmetic": "dob + 1 > dob",
    # no implicit truthiness: a number or a choice is not a condition
    "number as condition": "age and cough",
    "choice as condition": "not smoker",
    "set as condition": "symptoms or cough",
    "boolean arithmetic": "bleeding + cough > 0",
    # escape sequences and mixed quotes inside a string
    "escaped quote": r"smoker == 'nev\'er'",
    "doubled quote": "smoker == 'nev''er'",
    # identifiers: lower case ASCII only
    "capitalised id": "Age > 1",
    "accented id": "âge > 1",
    "dotted id": "about.age > 1",
    "dashed id": "pack-years > 1",
}


@pytest.mark.parametrize("text", MISSING.values(), ids=MISSING.keys())
def test_deliberately_missing(text):
    with pytest.raises(ExpressionSyntaxError):
        make_expression(text, want="bool")


SUPPORTED_ALTERNATIVES = {
    "power": "age * age > 1",
    "chained comparison": "age >= 18 and age < 65",
    "None": "not answered(age)",
    "subscript": "'cough' in symptoms",
    "len": "count(symptoms) > 1",
    "number as condition": "age > 0 and cough",
    "set literal": "smoker in ['never']",
    "date literal": "years_since(dob) >= 26",
}


@pytest.mark.parametrize("text", SUPPORTED_ALTERNATIVES.values(), ids=SUPPORTED_ALTERNATIVES.keys())
def test_what_to_write_instead_works(text):
    assert make_expression(text, want="bool").type.kind == "bool"
