"""What the language refuses, and proof that clinician text never becomes Python code."""

from __future__ import annotations

import ast
import datetime
import io
import re
import tokenize

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskcheck.errors import ExpressionSyntaxError
from riskcheck.expressions.ast import MAX_DEPTH, MAX_LENGTH, Literal, Name, depth, parse, walk
from riskcheck.expressions.compiler import compile_node
from tests.factories import TYPES, make_expression

TODAY = datetime.date(2026, 1, 15)

REFUSED = [
    "__import__('os')",
    "__import__('os').system('echo hi')",
    "open('/etc/passwd')",
    "eval('1 + 1')",
    "exec('x = 1')",
    "getattr(age, 'real')",
    "globals()",
    "age.__class__",
    "age.real",
    "().__class__.__bases__[0].__subclasses__()",
    "'abc'.upper()",
    "symptoms[0]",
    "symptoms[0:1]",
    "lambda: 1",
    "lambda x: x",
    "__class__",
    "__builtins__",
    "_t0",
    "v",
    "today",
    "[x for x in symptoms]",
    "{'a': 1}",
    "f'{age}'",
    "import os",
    "age; age",
    "age\n__import__('os')",
    "(yield)",
    "age if cough else 0",
    "age := 5",
    "print(age)",
    "'a' * 100000000 == 'b'",
]


@pytest.mark.parametrize("text", REFUSED)
def test_refused(text):
    with pytest.raises(ExpressionSyntaxError):
        make_expression(text)


def test_a_text_longer_than_the_limit_is_refused_before_parsing():
    with pytest.raises(ExpressionSyntaxError) as caught:
        make_expression("age > 1 or " * 200 + "cough")
    assert caught.value.message == f"the expression is longer than {MAX_LENGTH} characters"
    assert make_expression("cough" + " " * (MAX_LENGTH - 5)).names == ("cough",)  # the limit itself


def test_depth_is_limited_before_type_checking():
    assert depth(parse("not " * (MAX_DEPTH - 1) + "a")) == MAX_DEPTH  # the limit itself
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse("not " * MAX_DEPTH + "a")
    assert (caught.value.message, caught.value.hint) == (
        f"the expression is nested more than {MAX_DEPTH} levels deep",
        "split it into computed values",
    )


def test_parentheses_deeper_than_the_parser_recurses_are_refused():
    with pytest.raises(ExpressionSyntaxError) as caught:
        parse("(" * 990 + "a" + ")" * 990)
    assert caught.value.message == "the expression is nested too deeply"


DEEP = (
    [("(" * n + "cough" + ")" * n, n) for n in (50, 150, 500, 990)]
    + [("not " * n + "cough", n) for n in (50, 150, 450)]
    + [("-" * n + "age > 0", n) for n in (50, 150, 1500)]
    + [(" + ".join(["age"] * n) + " > 0", n) for n in (50, 99, 150, 300)]
    + [(" and ".join(["cough"] * n), n) for n in (50, 150, 199)]
    + [(" or ".join(["age > 1"] * n), n) for n in (100, 180)]
    + [("max(" * n + "age" + ", 1)" * n + " > 0", n) for n in (40, 200)]
)


def compile_or_refuse(text: str):
    """(expression, None) or (None, the ExpressionSyntaxError): nothing else may come out."""
    try:
        return make_expression(text), None
    except ExpressionSyntaxError as error:
        return None, error


@pytest.mark.parametrize(("text", "size"), DEEP, ids=[f"{t[:6]}x{n}" for t, n in DEEP])
def test_deep_or_long_expressions_never_crash(text, size):
    assert len(text) <= MAX_LENGTH
    expression, error = compile_or_refuse(text)
    if error is not None:
        assert re.search(r"nested|too long|longer", error.message), error.message
        return
    values = dict.fromkeys(TYPES) | {"age": 2, "cough": True}
    value = expression.evaluate(values, TODAY)
    assert expression.explain(values, TODAY)[0] == value


def test_a_nesting_within_the_limit_compiles():
    assert make_expression("(" * 50 + "cough" + ")" * 50).names == ("cough",)
    with pytest.raises(ExpressionSyntaxError) as caught:
        make_expression("not " * (MAX_DEPTH + 1) + "cough")
    assert "split it into computed values" in caught.value.hint


@settings(deadline=None, max_examples=300)
@given(
    st.text(max_size=60) | st.text(alphabet="()[]'\"-+*/<>=!, .notadrincoughsym0123", max_size=200)
)
def test_any_text_parses_or_fails_cleanly(text):
    expression, error = compile_or_refuse(text)
    if error is not None:
        assert isinstance(error.column, int)
        assert isinstance(error.hint, str)
    else:
        assert expression.text == text


# -- the generated Python source ----------------------------------------------------------------

#: Every word the compiler itself writes; anything else came from the clinician.
OUR_WORDS = {
    "def",
    "return",
    "_expression",
    "v",
    "today",
    "None",
    "True",
    "False",
    "if",
    "else",
    "is",
    "not",
    "or",
    "and",
    "in",
    "_len",
    "_min",
    "_max",
    "_abs",
    "_round",
    "_years",
    "_finite",
}
HOSTILE = [
    "x == \"'); __import__('os').system('echo'); ('\"",
    'x == \'""" + open("f").read() + """\'',
    'x in ["a\\\\", "\\\\n", "{}", "\'\'\'"]',
    "__builtins__ == 'os' and __import__ == 'x'",
    "exec == eval or system > 1",
    "count(import) > coalesce(class, def) and not lambda",
    "max(a, b) / min(c, 1) - round(d, 2) + abs(e) > years_since(f)",
]


def source_words(source: str) -> tuple[set[str], list[object], list[str]]:
    names, strings, numbers = set(), [], []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.NAME:
            names.add(token.string)
        elif token.type == tokenize.STRING:
            strings.append(ast.literal_eval(token.string))
        elif token.type == tokenize.NUMBER:
            numbers.append(token.string)
    return names, strings, numbers


@pytest.mark.parametrize("text", HOSTILE)
def test_generated_source_holds_clinician_text_only_inside_string_literals(text):
    node = parse(text)
    _function, source = compile_node(node)
    names, strings, _numbers = source_words(source)
    assert {n for n in names if not re.fullmatch(r"_t\d+", n)} <= OUR_WORDS
    ours = {n.id for n in walk(node) if isinstance(n, Name)}
    ours |= {n.value for n in walk(node) if isinstance(n, Literal) and isinstance(n.value, str)}
    assert set(strings) <= ours


def test_names_are_only_ever_dictionary_keys():
    function, _source = compile_node(parse("__builtins__ == 'os' and exec == 'x'"))
    assert function({"__builtins__": "os", "exec": "x"}, TODAY) is True
    assert function({"__builtins__": "os", "exec": "y"}, TODAY) is False


def test_string_literals_keep_their_text_and_run_nothing():
    function, _source = compile_node(parse(HOSTILE[0]))
    assert function({"x": "'); __import__('os').system('echo'); ('"}, TODAY) is True


def test_compiled_code_has_no_builtins():
    expression = make_expression("age > 1")
    assert expression.function.__globals__["__builtins__"] == {}
