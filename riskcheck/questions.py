"""Question types: one small class per type, found by ``kind_of(question)``.

Each type turns a raw answer (JSON value or form text) into its value, says how the value
reads to a patient, gives its points and its type in expressions.
"""

from __future__ import annotations

import datetime
import math
import re
from typing import Any, ClassVar

from riskcheck.expressions.types import BOOL, DATE, NUMBER, TEXT, Type
from riskcheck.model import (
    DateQuestion,
    MultipleChoiceQuestion,
    NumberQuestion,
    Question,
    ScaleQuestion,
    SingleChoiceQuestion,
    TextQuestion,
    YesNoQuestion,
)

_TRUE = {"yes", "true", "y", "1", "on"}
_FALSE = {"no", "false", "n", "0", "off"}


class InvalidAnswer(ValueError):
    """The raw answer cannot be accepted; the message is written for the patient."""


def format_number(value: float | int) -> str:
    """A number as a patient writes it: 12, 12.5 (never 12.0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


class QuestionKind:
    """Behaviour shared by every question type."""

    name: ClassVar[str]
    #: True when the value feeds a scale (points or a number)
    scorable: ClassVar[bool] = True

    def expr_type(self, question: Any) -> Type:
        raise NotImplementedError

    def parse(self, question: Any, raw: Any, today: datetime.date | None = None) -> Any:
        """The value for ``raw``; raise InvalidAnswer. Empty input is handled by the caller."""
        raise NotImplementedError

    def display(self, question: Any, value: Any) -> str:
        raise NotImplementedError

    #: what to say when a required answer is missing (a definition may say it better)
    missing_message: ClassVar[str] = "Answer this question."

    def required_message(self, question: Any) -> str:
        """The message for a required question left unanswered."""
        return str(question.required_message or self.missing_message)

    def points(self, question: Any, value: Any) -> float | int:
        return 0

    def point_range(self, question: Any) -> tuple[float, float]:
        """The lowest and highest points an answer can give (may be infinite)."""
        return (0, 0)

    def is_integral(self, question: Any) -> bool:
        """Whether points are always whole numbers."""
        return True


class YesNo(QuestionKind):
    name = "yesno"
    missing_message = "Select yes or no."

    def expr_type(self, question: YesNoQuestion) -> Type:
        return BOOL

    def parse(self, question: YesNoQuestion, raw: Any, today: datetime.date | None = None) -> bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
            return raw.strip().lower() in _TRUE
        raise InvalidAnswer("Choose yes or no.")

    def display(self, question: YesNoQuestion, value: bool) -> str:
        return "Yes" if value else "No"

    def points(self, question: YesNoQuestion, value: bool) -> float | int:
        return question.points if value else 0

    def point_range(self, question: YesNoQuestion) -> tuple[float, float]:
        return (min(0, question.points), max(0, question.points))

    def is_integral(self, question: YesNoQuestion) -> bool:
        return float(question.points).is_integer()


class SingleChoice(QuestionKind):
    name = "single"
    missing_message = "Select an answer."

    def expr_type(self, question: SingleChoiceQuestion) -> Type:
        return Type("choice", frozenset(o.value for o in question.options), question.id)

    def parse(
        self, question: SingleChoiceQuestion, raw: Any, today: datetime.date | None = None
    ) -> str:
        if isinstance(raw, str) and any(o.value == raw for o in question.options):
            return raw
        raise InvalidAnswer("Choose one of the options.")

    def display(self, question: SingleChoiceQuestion, value: str) -> str:
        return next(o.label for o in question.options if o.value == value)

    def points(self, question: SingleChoiceQuestion, value: str) -> float | int:
        return next(o.points for o in question.options if o.value == value)

    def point_range(self, question: SingleChoiceQuestion) -> tuple[float, float]:
        points = [o.points for o in question.options]
        return (min(points), max(points))

    def is_integral(self, question: SingleChoiceQuestion) -> bool:
        return all(float(o.points).is_integer() for o in question.options)


class MultipleChoice(QuestionKind):
    name = "multiple"
    missing_message = "Select at least one option."

    def expr_type(self, question: MultipleChoiceQuestion) -> Type:
        return Type("set", frozenset(o.value for o in question.options), question.id)

    def parse(
        self, question: MultipleChoiceQuestion, raw: Any, today: datetime.date | None = None
    ) -> frozenset[str]:
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list | tuple) or not all(isinstance(v, str) for v in raw):
            raise InvalidAnswer("Choose from the options.")
        chosen = frozenset(raw)
        known = {o.value for o in question.options}
        if not chosen <= known:
            raise InvalidAnswer("Choose only from the options shown.")
        exclusive = [o for o in question.options if o.exclusive and o.value in chosen]
        if exclusive and len(chosen) > 1:
            raise InvalidAnswer(f"“{exclusive[0].label}” cannot be chosen with other options.")
        return chosen

    def display(self, question: MultipleChoiceQuestion, value: frozenset[str]) -> str:
        labels = [o.label for o in question.options if o.value in value]
        return "; ".join(labels) if labels else "None chosen"

    def points(self, question: MultipleChoiceQuestion, value: frozenset[str]) -> float | int:
        return sum(o.points for o in question.options if o.value in value)

    def point_range(self, question: MultipleChoiceQuestion) -> tuple[float, float]:
        return (
            sum(min(0, o.points) for o in question.options),
            sum(max(0, o.points) for o in question.options),
        )

    def is_integral(self, question: MultipleChoiceQuestion) -> bool:
        return all(float(o.points).is_integer() for o in question.options)


#: Digits with an optional decimal point or comma: no exponents, underscores or spaces.
_NUMBER = re.compile(r"^[+-]?\d{1,15}(?:[.,]\d{1,15})?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3},\d{3}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parse_number(raw: Any) -> float | int:
    if isinstance(raw, bool):
        raise InvalidAnswer("Enter a number.")
    if isinstance(raw, int | float):
        value: float | int = raw
    elif isinstance(raw, str):
        text = raw.strip()
        if _THOUSANDS.match(text):  # "1,000": a thousands separator or a decimal comma?
            raise InvalidAnswer("Write the number without a comma (for example 1000 or 1.5).")
        if not _NUMBER.match(text):
            raise InvalidAnswer("Enter a number, using digits (for example 12 or 12.5).")
        text = text.replace(",", ".")
        value = float(text) if "." in text else int(text)
    else:
        raise InvalidAnswer("Enter a number.")
    if not math.isfinite(value) or abs(value) > 1e12:
        raise InvalidAnswer("Enter a realistic number.")
    return value


class Number(QuestionKind):
    name = "number"
    missing_message = "Enter a number."

    def expr_type(self, question: NumberQuestion) -> Type:
        return NUMBER

    def parse(
        self, question: NumberQuestion, raw: Any, today: datetime.date | None = None
    ) -> float | int:
        value = _parse_number(raw)
        if question.integer:
            if not float(value).is_integer():
                raise InvalidAnswer("Enter a whole number.")
            value = int(value)
        unit = f" {question.unit}" if question.unit else ""
        if question.min is not None and value < question.min:
            raise InvalidAnswer(f"Enter a number of at least {format_number(question.min)}{unit}.")
        if question.max is not None and value > question.max:
            raise InvalidAnswer(f"Enter a number no more than {format_number(question.max)}{unit}.")
        return value

    def display(self, question: NumberQuestion, value: float | int) -> str:
        return format_number(value) + (f" {question.unit}" if question.unit else "")

    def points(self, question: NumberQuestion, value: float | int) -> float | int:
        return value

    def point_range(self, question: NumberQuestion) -> tuple[float, float]:
        low = -math.inf if question.min is None else question.min
        high = math.inf if question.max is None else question.max
        return (low, high)

    def is_integral(self, question: NumberQuestion) -> bool:
        return question.integer


class Scale(QuestionKind):
    name = "scale"
    missing_message = "Select a number."

    def expr_type(self, question: ScaleQuestion) -> Type:
        return NUMBER

    def parse(self, question: ScaleQuestion, raw: Any, today: datetime.date | None = None) -> int:
        value = _parse_number(raw)
        if not float(value).is_integer() or not question.min <= value <= question.max:
            raise InvalidAnswer(f"Choose a whole number from {question.min} to {question.max}.")
        return int(value)

    def display(self, question: ScaleQuestion, value: int) -> str:
        return f"{value} out of {question.max}"

    def points(self, question: ScaleQuestion, value: int) -> float | int:
        return value

    def point_range(self, question: ScaleQuestion) -> tuple[float, float]:
        return (question.min, question.max)


def resolve_date_bound(bound: str | None, today: datetime.date) -> datetime.date | None:
    """A date bound from the definition (ISO or ``today``)."""
    if bound is None:
        return None
    return today if bound == "today" else datetime.date.fromisoformat(bound)


class Date(QuestionKind):
    name = "date"
    missing_message = "Enter a date."
    scorable = False

    def expr_type(self, question: DateQuestion) -> Type:
        return DATE

    def parse(
        self, question: DateQuestion, raw: Any, today: datetime.date | None = None
    ) -> datetime.date:
        if isinstance(raw, datetime.date):
            value = raw
        elif isinstance(raw, str):
            try:
                if not _ISO_DATE.match(raw.strip()):
                    raise ValueError(raw)
                value = datetime.date.fromisoformat(raw.strip())
            except ValueError:
                raise InvalidAnswer("Enter a real date, for example 2024-03-27.") from None
        else:
            raise InvalidAnswer("Enter a date.")
        today = today or datetime.date.today()
        low, high = resolve_date_bound(question.min, today), resolve_date_bound(question.max, today)
        if low and value < low:
            raise InvalidAnswer(f"Enter a date on or after {low.isoformat()}.")
        if high and value > high:
            raise InvalidAnswer(
                "Enter a date that is not in the future."
                if question.max == "today"
                else f"Enter a date on or before {high.isoformat()}."
            )
        return value

    def display(self, question: DateQuestion, value: datetime.date) -> str:
        return value.isoformat()


class Text(QuestionKind):
    name = "text"
    missing_message = "Enter an answer."
    scorable = False

    def expr_type(self, question: TextQuestion) -> Type:
        return TEXT

    def parse(self, question: TextQuestion, raw: Any, today: datetime.date | None = None) -> str:
        if not isinstance(raw, str):
            raise InvalidAnswer("Enter text.")
        value = raw.replace("\r\n", "\n").replace("\x00", "").strip()
        if len(value) > question.max_length:
            raise InvalidAnswer(
                f"Use no more than {question.max_length} characters (you used {len(value)})."
            )
        return value

    def display(self, question: TextQuestion, value: str) -> str:
        return value


KINDS: dict[str, QuestionKind] = {
    kind.name: kind
    for kind in (YesNo(), SingleChoice(), MultipleChoice(), Number(), Scale(), Date(), Text())
}


def kind_of(question: Question) -> QuestionKind:
    """The behaviour of ``question``'s type."""
    return KINDS[question.type]
