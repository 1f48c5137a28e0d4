"""The errors riskcheck raises: one root, each carrying data rather than only a message."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class RiskcheckError(Exception):
    """Root of every error riskcheck raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem in a definition: where it is, what is wrong and how to fix it."""

    #: the file the definition came from ("<text>" when it came from a string)
    file: str
    #: 1-based line, or 0 when the problem concerns the whole file
    line: int
    #: key path inside the definition, e.g. ``sections[2].questions[0].options``
    path: str
    message: str
    hint: str = ""
    #: "error" stops the definition loading; "warning" comes from lint
    severity: str = "error"

    def __str__(self) -> str:
        parts = [f"{self.file}:{self.line}" if self.line else self.file]
        if self.severity == "warning":
            parts.append("warning")
        if self.path:
            parts.append(self.path)
        parts.append(self.message)
        text = ": ".join(parts)
        return f"{text} (hint: {self.hint})" if self.hint else text

    def to_dict(self) -> dict[str, object]:
        """The problem as plain JSON-ready data."""
        return {
            "file": self.file,
            "line": self.line,
            "path": self.path,
            "message": self.message,
            "hint": self.hint,
            "severity": self.severity,
        }


class DefinitionError(RiskcheckError):
    """A questionnaire definition is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ExpressionSyntaxError(RiskcheckError):
    """An expression does not parse or does not type-check against its questionnaire."""

    def __init__(self, message: str, *, column: int = 0, hint: str = "") -> None:
        self.message = message
        self.column = column
        self.hint = hint
        super().__init__(message)


class EvaluationError(RiskcheckError):
    """An expression failed while evaluating (should not happen after type checking)."""


@dataclass(frozen=True)
class AnswerProblem:
    """One answer that cannot be accepted for its question."""

    question: str
    message: str
    #: a required answer is missing (rather than given but not accepted)
    missing: bool = False


class AnswerError(RiskcheckError):
    """Answers are invalid for their questions; ``problems`` names each question."""

    def __init__(self, problems: Sequence[AnswerProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.question}: {p.message}" for p in self.problems))

    @property
    def only_missing(self) -> bool:
        """Whether every problem is a missing required answer."""
        return all(p.missing for p in self.problems)

    def by_question(self) -> dict[str, str]:
        """One message per question id (the first problem wins)."""
        messages: dict[str, str] = {}
        for problem in self.problems:
            messages.setdefault(problem.question, problem.message)
        return messages


class StoreConflictError(RiskcheckError):
    """Someone else saved the same record since it was read (optimistic locking)."""
