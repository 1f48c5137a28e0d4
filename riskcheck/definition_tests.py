"""Run the example answer sets (``tests:``) that a definition carries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from riskcheck.errors import AnswerError, Problem
from riskcheck.model import DefinitionTest
from riskcheck.questionnaire import Questionnaire
from riskcheck.questions import format_number
from riskcheck.result import Result
from riskcheck.scoring import score

#: Definition tests run on a fixed day, so that ages from dates of birth never drift.
TEST_DAY = datetime.date(2026, 1, 15)


@dataclass(frozen=True)
class ExampleOutcome:
    """One definition test and what went wrong (nothing when it passed)."""

    name: str
    failures: tuple[str, ...]
    #: the result scored, when the answers were valid
    result: Result | None = None

    @property
    def passed(self) -> bool:
        return not self.failures


def run_definition_tests(questionnaire: Questionnaire) -> list[ExampleOutcome]:
    """Score every example in ``tests:`` and compare with what it expects."""
    return [_run(questionnaire, test) for test in questionnaire.definition.tests]


def outcome_problems(questionnaire: Questionnaire, outcomes: list[ExampleOutcome]) -> list[Problem]:
    """One Problem per failing expectation, located at its test."""
    problems = []
    for index, outcome in enumerate(outcomes):
        for failure in outcome.failures:
            problems.append(
                questionnaire.document.problem(
                    ("tests", index),
                    f"test '{outcome.name}' failed: {failure}",
                    "fix the rule or band, or the expectation if the guideline changed",
                )
            )
    return problems


def _run(questionnaire: Questionnaire, test: DefinitionTest) -> ExampleOutcome:
    try:
        result = score(questionnaire, test.answers, today=TEST_DAY)
    except AnswerError as exc:
        return ExampleOutcome(
            test.name, tuple(f"answer {p.question}: {p.message}" for p in exc.problems)
        )
    return ExampleOutcome(test.name, tuple(_compare(test, result)), result)


def _show(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    return "nothing" if value is None else str(value)


def _compare(test: DefinitionTest, result: Result) -> list[str]:
    expect, failures = test.expect, []
    # An answer that branching hides is never scored: a test that gives one must say so
    # (expect: set_aside), so that no test counts on an answer the engine drops.
    set_aside = [line.question for line in result.set_aside]
    for name in set_aside:
        if name not in expect.set_aside:
            failures.append(
                f"answer {name} is set aside: its question is not asked with these answers "
                "(its show_if does not hold), so it is never scored; give the answers that "
                "make it apply, or add it under expect: set_aside if that is the point"
            )
    for name in expect.set_aside:
        if name not in set_aside:
            failures.append(f"expected answer {name} to be set aside, but it is used")
    if expect.eligible is not None and expect.eligible != result.eligible:
        failures.append(f"expected eligible {expect.eligible}, got {result.eligible}")
    if expect.ineligible is not None:
        got = result.ineligible.id if result.ineligible else None
        if got != expect.ineligible:
            failures.append(f"expected ineligible '{expect.ineligible}', got {_show(got)}")
    if expect.urgency is not None and expect.urgency != result.urgency:
        failures.append(f"expected urgency {expect.urgency}, got {_show(result.urgency)}")
    scores, bands = result.scores, {s.id: s.band for s in result.scales}
    for scale, value in expect.scores.items():
        if scores.get(scale) != value:
            failures.append(
                f"expected score {scale} = {_show(value)}, got {_show(scores.get(scale))}"
            )
    for scale, band in expect.bands.items():
        if bands.get(scale) != band:
            failures.append(f"expected band {scale} = {_show(band)}, got {_show(bands.get(scale))}")
    got_recs = result.recommendation_ids()
    for rec in expect.recommendations:
        if rec not in got_recs:
            failures.append(f"expected recommendation {rec}; got {', '.join(got_recs) or 'none'}")
    for rec in test.absent.recommendations:
        if rec in got_recs:
            failures.append(f"did not expect recommendation {rec}")
    for flag in expect.flags:
        if flag not in result.flags:
            failures.append(f"expected flag {flag}; got {', '.join(result.flags) or 'none'}")
    for flag in test.absent.flags:
        if flag in result.flags:
            failures.append(f"did not expect flag {flag}")
    return failures
