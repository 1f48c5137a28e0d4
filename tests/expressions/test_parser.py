"""The grammar: what parses, into which tree, with which columns."""

from __future__ import annotations

import pytest

from riskcheck.errors import ExpressionSyntaxError
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
    Not,
    depth,
    names,
    parse,
    walk,
)


def shape(node) -> object:
    """A compact, column-free picture of a tree, to compare structure."""
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Name):
        return node.id
    if isinstance(node, ListLiteral):
        return [shape(item) for item in node.items]
    if isinstance(node, Not):
        return ("not", shape(node.operand))
    if isinstance(node, Negate):
        return ("neg", shape(node.operand))
    if isinstance(node, BoolOp):
        return (node.op, *(shape(o) for o in node.operands))
    if isinstance(node, Compare | Arith):
        return (node.op, shape(node.left), shape(node.right))
    if isinstance(node, Contains):
        return ("not in" if node.negated else "in", shape(node.item), shape(node.container))
    if isinstance(node, Call):
        return (f"{node.function}()", *(shape(a) for a in node.args))
    raise AssertionError(node)


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("a or b and c", ("or", "a", ("and", "b", "c"))),
        ("a and b or c", ("or", ("and", "a", "b"), "c")),
        ("a or b or c", ("or", "a", "b", "c")),  # one flat node, not nested pairs
        ("a and b and c and d", ("and", "a", "b", "c", "d")),
        ("not a and b", ("and", ("not", "a"), "b")),
        ("not not a", ("not", ("not", "a"))),
        ("not a == 1", ("not", ("==", "a", 1))),
        ("(a or b) and c", ("and", ("or", "a", "b"), "c")),
        ("1 + 2 * 3", ("+", 1, ("*", 2, 3))),
        ("(1 + 2) * 3", ("*", ("+", 1, 2), 3)),
        ("10 - 2 - 3", ("-", ("-", 10, 2), 3)),  # left to right
        ("8 / 4 / 2", ("/", ("/", 8, 4), 2)),
        ("-a * 2", ("*", ("neg", "a"), 2)),
        ("--a", ("neg", ("neg", "a"))),
        ("a + 1 >= b * 2", (">=", ("+", "a", 1), ("*", "b", 2))),
        ("a != 'x'", ("!=", "a", "x")),
        ('a == "it\'s"', ("==", "a", "it's")),
        ("'x' in s", ("in", "x", "s")),
        ("a not in ['x', 'y']", ("not in", "a", ["x", "y"])),
        ("a in [1, 2.5]", ("in", "a", [1, 2.5])),
        ("count(s) >= 2", (">=", ("count()", "s"), 2)),
        ("max(a, b, 3)", ("max()", "a", "b", 3)),
        ("f()", ("f()",)),
        ("true or false", ("or", True, False)),
        ("a\n  and\tb", ("and", "a", "b")),
    ],
)
def test_precedence_and_structure(text, tree):
    assert shape(parse(text)) == tree


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("7", 7),
        ("7.0", 7.0),
        ("0.25", 0.25),
        ("007", 7),
        ("999999999999999", 999_999_999_999_999),
        ("1000000000000000", 10**15),
    ],
)
def test_numbers(text, value):
    node = parse(text)
    assert isinstance(node, Literal)
    assert node.value == value
    assert type(node.value) is type(value)


@pytest.mark.parametrize(
    "word",
    [
        "android",
        "order",
        "notable",
        "inside",
        "in_pain",
        "true_story",
        "falsey",
        "and_more",
        "_private",
        "x2",
    ],
)
def test_keywords_only_match_whole_words(word):
    assert parse(word) == Name(1, word)


def test_strings_keep_their_text_verbatim():
    assert parse(r"'a\nb'").value == "a\\nb"  # no escapes: what is typed is what is meant
    assert parse('""').value == ""


def test_columns_are_1_based_within_the_expression():
    node = parse("age >= 18 and smoker == 'current'")
    assert isinstance(node, BoolOp)
    left, right = node.operands
    assert (left.column, left.left.column, left.right.column) == (1, 1, 8)
    assert (right.column, right.right.column) == (15, 25)
    assert parse("  x").column == 3


@pytest.mark.parametrize(
    ("text", "node"),
    [
        # keywords and '-', '[' are not kept by the parser, but their nodes know their column
        ("  true", Literal(3, True)),
        (" false", Literal(2, False)),
        ("  not x", Not(3, Name(7, "x"))),
        (" -x", Negate(2, Name(3, "x"))),
        (" [1]", ListLiteral(2, (Literal(3, 1),))),
        ("x in  []", Contains(1, Name(1, "x"), ListLiteral(7, ()), negated=False)),
        ("x - 2 * y", Arith(3, "-", Name(1, "x"), Arith(7, "*", Literal(5, 2), Name(9, "y")))),
        (
            " x or y and z",
            BoolOp(2, "or", (Name(2, "x"), BoolOp(7, "and", (Name(7, "y"), Name(13, "z"))))),
        ),
        (" f(x)", Call(2, "f", (Name(4, "x"),))),
        (" 'a' != x", Compare(2, "!=", Literal(2, "a"), Name(9, "x"))),
        (" x not in y", Contains(2, Name(2, "x"), Name(11, "y"), negated=True)),
    ],
)
def test_every_node_has_the_column_where_it_starts(text, node):
    assert parse(text) == node


def test_names_in_order_of_first_appearance_without_repeats():
    assert names(parse("b or a and b or max(c, a) > 1")) == ["b", "a", "c"]
    assert names(parse("1 + 2 > 0")) == []


def test_walk_visits_every_node_depth_first():
    kinds = [type(n).__name__ for n in walk(parse("not (a > 1)"))]
    assert kinds == ["Not", "Compare", "Name", "Literal"]


def test_depth():
    assert depth(parse("a")) == 1
    assert depth(parse("a > 1")) == 2
    assert depth(parse("not not a")) == 3
    assert depth(parse("a or b or c or d")) == 2


@pytest.mark.parametrize("text", ["", "   ", "a >", "(a", "a)", "a b", "[a", "f(a,", "'open"])
def test_incomplete_or_malformed_text_is_a_syntax_error(text):
    with pytest.raises(ExpressionSyntaxError):
        parse(text)
