"""Syntax tree of the expression language, and the parser that builds it (lark, LALR)."""

from __future__ import annotations

import difflib
import math
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)
from lark.tree import Meta

from riskcheck.errors import ExpressionSyntaxError

MAX_LENGTH = 2000
#: Type checking, compiling and explaining recurse once per level; real conditions use few.
MAX_DEPTH = 100
#: The largest magnitude of a number: literals beyond it are refused, results beyond it are
#: unknown. Python integers have no size limit, so without a bound a product of a few
#: hundred factors is a number of millions of digits that takes minutes to compute.
MAX_MAGNITUDE = 10**15


@dataclass(frozen=True)
class Node:
    """Base of every syntax node; ``column`` is 1-based within the expression."""

    column: int


@dataclass(frozen=True)
class Literal(Node):
    value: bool | int | float | str


@dataclass(frozen=True)
class Name(Node):
    id: str


@dataclass(frozen=True)
class ListLiteral(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not(Node):
    operand: Node


@dataclass(frozen=True)
class BoolOp(Node):
    op: str  # "and" | "or"
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Compare(Node):
    op: str  # == != < <= > >=
    left: Node
    right: Node


@dataclass(frozen=True)
class Contains(Node):
    """``item in container`` (or ``not in`` when ``negated``)."""

    item: Node
    container: Node
    negated: bool


@dataclass(frozen=True)
class Arith(Node):
    op: str  # + - * /
    left: Node
    right: Node


@dataclass(frozen=True)
class Negate(Node):
    operand: Node


@dataclass(frozen=True)
class Call(Node):
    function: str
    args: tuple[Node, ...]


def _col(token: Token) -> int:
    """The 1-based column of a token (lark sets it on every token it lexes)."""
    return int(token.column)  # type: ignore[arg-type]


@v_args(inline=False)
class _ToAst(Transformer[Token, Node]):
    def number(self, c: list[Token]) -> Node:
        text = str(c[0])
        value: int | float = float(text) if "." in text else int(text)
        if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
            raise ExpressionSyntaxError(f"the number {text} is too large", column=_col(c[0]))
        return Literal(_col(c[0]), value)

    def string(self, c: list[Token]) -> Node:
        return Literal(_col(c[0]), str(c[0])[1:-1])

    # The keywords true, false, not and the '-' and '[' tokens are dropped from the tree;
    # their column comes from the rule's position (lark's propagate_positions).
    @v_args(meta=True)
    def true(self, meta: Meta, c: list[Token]) -> Node:
        return Literal(meta.column, True)

    @v_args(meta=True)
    def false(self, meta: Meta, c: list[Token]) -> Node:
        return Literal(meta.column, False)

    def name(self, c: list[Token]) -> Node:
        return Name(_col(c[0]), str(c[0]))

    @v_args(meta=True)
    def list_(self, meta: Meta, c: list[Node | None]) -> Node:
        items = tuple(x for x in c if x is not None)
        return ListLiteral(meta.column, items)

    def call(self, c: list[Any]) -> Node:
        args = tuple(x for x in c[1:] if x is not None)
        return Call(_col(c[0]), str(c[0]), args)

    @v_args(meta=True)
    def not_(self, meta: Meta, c: list[Node]) -> Node:
        return Not(meta.column, c[0])

    @v_args(meta=True)
    def neg(self, meta: Meta, c: list[Node]) -> Node:
        return Negate(meta.column, c[0])

    def or_(self, c: list[Node]) -> Node:
        return c[0] if len(c) == 1 else BoolOp(c[0].column, "or", tuple(c))

    def and_(self, c: list[Node]) -> Node:
        return c[0] if len(c) == 1 else BoolOp(c[0].column, "and", tuple(c))

    def compare(self, c: list[Any]) -> Node:
        return Compare(c[0].column, str(c[1]), c[0], c[2])

    def in_(self, c: list[Node]) -> Node:
        return Contains(c[0].column, c[0], c[1], negated=False)

    def not_in(self, c: list[Node]) -> Node:
        return Contains(c[0].column, c[0], c[1], negated=True)

    def arith(self, c: list[Any]) -> Node:
        node: Node = c[0]
        for op, right in zip(c[1::2], c[2::2], strict=True):
            node = Arith(_col(op), str(op), node, right)
        return node


@cache
def _parser() -> Lark:
    grammar = files("riskcheck.expressions").joinpath("grammar.lark").read_text("utf-8")
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=False)


def parse(text: str) -> Node:
    """Parse an expression into a syntax tree; raise ExpressionSyntaxError with a column."""
    if len(text) > MAX_LENGTH:
        raise ExpressionSyntaxError(f"the expression is longer than {MAX_LENGTH} characters")
    try:
        tree = _parser().parse(text)
        node = _ToAst().transform(tree)
    except UnexpectedInput as exc:
        raise _syntax_error(text, exc) from None
    except RecursionError:
        raise ExpressionSyntaxError("the expression is nested too deeply") from None
    except VisitError as exc:  # lark wraps errors raised in the transformer
        if isinstance(exc.orig_exc, ExpressionSyntaxError):
            raise exc.orig_exc from None
        raise
    if depth(node) > MAX_DEPTH:
        raise ExpressionSyntaxError(
            f"the expression is nested more than {MAX_DEPTH} levels deep",
            hint="split it into computed values",
        )
    return node


def depth(node: Node) -> int:
    """How many levels deep the tree goes (1 for a single name or literal); no recursion."""
    deepest, stack = 1, [(node, 1)]  # the node itself is one level
    while stack:
        current, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children(current))
    return deepest


_HINTS = {
    "=": "compare with == (two equals signs)",
    "&": "write 'and' instead of &",
    "|": "write 'or' instead of |",
    "!": "write 'not' instead of !, or != for 'is not equal to'",
    ".": "names cannot have dots; use the id of a question, computed value or scale",
    "[": "lists are written [a, b] on the right of 'in'",
}


def _syntax_error(text: str, exc: UnexpectedInput) -> ExpressionSyntaxError:
    if isinstance(exc, UnexpectedEOF) or (
        isinstance(exc, UnexpectedToken) and exc.token.type == "$END"
    ):
        return ExpressionSyntaxError(
            "the expression ends too early",
            column=len(text) + 1,
            hint="check for a missing value after an operator or a missing ')'",
        )
    if isinstance(exc, UnexpectedCharacters):
        char, column = exc.char, exc.column  # lark's own text[pos_in_stream]
        after = text[exc.pos_in_stream + 1 : exc.pos_in_stream + 2]
        if char == "." and after.isdecimal():  # 1.৫: the decimals are the problem
            char, column = after, column + 1
        if char.isdecimal():  # not 0-9: those are part of the grammar (every one has a name)
            return ExpressionSyntaxError(
                f"unexpected character {char!r} ({unicodedata.name(char).lower()})",
                column=column,
                hint=f"write numbers with the digits 0-9: {char!r} is {unicodedata.decimal(char)}",
            )
        hint = (
            "ids and keywords are lower case (true, false, and, or, not, in)"
            if char.isupper()
            else _HINTS.get(char, "")
        )
        return ExpressionSyntaxError(f"unexpected character {char!r}", column=column, hint=hint)
    # lark raises only those three kinds: what is left is a token in the wrong place
    assert isinstance(exc, UnexpectedToken)  # noqa: S101
    token = str(exc.token)
    hint = _HINTS.get(token, "")
    close = difflib.get_close_matches(token, ["and", "or", "not", "in"], n=1)
    if not hint and close:
        hint = f"did you mean '{close[0]}'?"
    return ExpressionSyntaxError(f"unexpected {token!r}", column=exc.column, hint=hint)


def names(node: Node) -> list[str]:
    """Every name the expression reads, in order of first appearance (no duplicates)."""
    seen: dict[str, None] = {}
    for sub in walk(node):
        if isinstance(sub, Name):
            seen.setdefault(sub.id, None)
    return list(seen)


def walk(node: Node) -> list[Node]:
    """The node and all its descendants, depth first."""
    out: list[Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(reversed(children(current)))
    return out


def children(node: Node) -> tuple[Node, ...]:
    """The direct sub-expressions of ``node``."""
    if isinstance(node, Not | Negate):
        return (node.operand,)
    if isinstance(node, BoolOp):
        return node.operands
    if isinstance(node, Compare | Arith):
        return (node.left, node.right)
    if isinstance(node, Contains):
        return (node.item, node.container)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, ListLiteral):
        return node.items
    return ()
