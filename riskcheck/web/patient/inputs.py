"""Radio buttons and tick boxes for a choice question, written in Python.

The markup is what the Jinja loop it replaces wrote, but the escaped pieces of each
question are worked out once and reused (measured: the page of 30 radio questions rendered
in 0.58 ms instead of 1.37 ms).

Every piece is built by ``Markup.format`` from constant templates, which escapes each
value it fills in; Markup joined to Markup stays Markup. No text from a definition or a
patient is ever declared safe by hand (bandit B704 flagged ``Markup(html)`` on a string
put together here). Joining them escapes each piece again (about 4 µs a question), so the
joined inputs are kept too, per question and set of checked values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from markupsafe import Markup

_START = Markup('<div class="choice"><input type="{}" name="{}" id="{}" value="{}"')
_END = Markup('><label for="{}">{}</label></div>')
_CHECKED = Markup(" checked")
_NEWLINE = Markup("\n")


@lru_cache(maxsize=4096)
def _pieces(
    question_id: str, choices: tuple[tuple[str, str], ...], input_type: str
) -> tuple[tuple[str, Markup, Markup], ...]:
    """(value, the input unchecked, the input checked) per choice, escaped."""
    pieces = []
    for index, (value, label) in enumerate(choices):
        input_id = f"f-{question_id}" if index == 0 else f"f-{question_id}-{value}"
        start = _START.format(input_type, question_id, input_id, value)
        end = _END.format(input_id, label)
        pieces.append((value, start + end, start + _CHECKED + end))
    return tuple(pieces)


def choice_inputs(
    question_id: str, choices: Sequence[Sequence[str]], input_type: str, current: Any
) -> Markup:
    """The inputs of one question, with the current answer (a value or a list) checked."""
    chosen: Iterable[str]
    if current is None:
        chosen = ()
    elif isinstance(current, list | tuple | set | frozenset):
        chosen = {str(v) for v in current}
    else:
        chosen = (str(current),)
    key = tuple((str(value), str(label)) for value, label in choices)
    return _inputs(question_id, key, input_type, frozenset(chosen))


@lru_cache(maxsize=2048)
def _inputs(
    question_id: str, choices: tuple[tuple[str, str], ...], input_type: str, chosen: frozenset[str]
) -> Markup:
    """The joined inputs for one set of checked values (joining escapes each piece again)."""
    return _NEWLINE.join(
        checked if value in chosen else unchecked
        for value, unchecked, checked in _pieces(question_id, choices, input_type)
    )
