"""Everything ``riskcheck validate`` (and a clinician's save) checks: load, lint, tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from riskcheck.definition_tests import ExampleOutcome, outcome_problems, run_definition_tests
from riskcheck.errors import DefinitionError, Problem
from riskcheck.lint import lint
from riskcheck.loader import load_questionnaire, load_text
from riskcheck.questionnaire import Questionnaire


@dataclass
class ValidationReport:
    """The outcome of checking one definition."""

    file: str
    questionnaire: Questionnaire | None = None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    outcomes: list[ExampleOutcome] = field(default_factory=list)

    def is_valid(self, *, strict: bool = False) -> bool:
        """No errors (and, when strict, no warnings)."""
        return not self.errors and not (strict and self.warnings)

    @property
    def problems(self) -> list[Problem]:
        """Errors then warnings, each group in file order."""
        return sorted(self.errors, key=lambda p: p.line) + sorted(
            self.warnings, key=lambda p: p.line
        )


def validate_text(text: str, file: str = "<text>") -> ValidationReport:
    """Load, lint and run the definition tests of a definition given as text."""
    try:
        questionnaire = load_text(text, file)
    except DefinitionError as exc:
        return ValidationReport(file, errors=list(exc.problems))
    return _check(questionnaire)


def validate_file(path: str | Path) -> ValidationReport:
    """Load, lint and run the definition tests of a definition file."""
    try:
        questionnaire = load_questionnaire(path)
    except DefinitionError as exc:
        return ValidationReport(str(path), errors=list(exc.problems))
    return _check(questionnaire)


def _check(questionnaire: Questionnaire) -> ValidationReport:
    outcomes = run_definition_tests(questionnaire)
    results = [o.result for o in outcomes if o.result is not None]
    return ValidationReport(
        file=questionnaire.file,
        questionnaire=questionnaire,
        errors=outcome_problems(questionnaire, outcomes),
        warnings=lint(questionnaire, results),
        outcomes=outcomes,
    )
