"""Static checks of a loaded questionnaire: warnings that ``--strict`` turns into errors.

- bands that leave gaps or overlap over the scale's possible range;
- recommendations no rule or band uses; questions nothing uses;
- questions that can never be shown and rules that can never fire, found by trying
  every combination of boundary values of the answers involved (bounded; rules that
  depend on arithmetic or on scales are not tried, so a warning is never a guess);
- rules and banded scales without a source; rules and bands no definition test reaches;
- a symptom asked in two places whose answers could disagree: a phrase shared by the texts
  of two yes/no questions or the labels of multiple-choice options (riskcheck.phrases),
  unless some rule reads both questions or one lists the other under ``not_same_as``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from typing import Any

from riskcheck.definition_tests import TEST_DAY
from riskcheck.errors import Problem
from riskcheck.expressions import Expression
from riskcheck.expressions.ast import Arith, Compare, Literal, Name, walk
from riskcheck.model import Band, MultipleChoiceQuestion, Scale
from riskcheck.phrases import index_keys, shared_phrase, words
from riskcheck.questionnaire import Questionnaire
from riskcheck.questions import format_number
from riskcheck.result import Result
from riskcheck.yamlsource import format_path

MAX_COMBINATIONS = 20_000
#: Combinations of answers tried in all, per definition: each costs a few microseconds, and
#: a definition of many conditions over the same few questions would otherwise take minutes
#: to validate (400 show_ifs x 14,641 combinations: 17 s). The shipped definitions
#: try at most 45,426 (net-symptoms.yaml).
MAX_TRIED = 300_000
#: a phrase in more questions than this is boilerplate ("Have you noticed a change in"),
#: not a symptom asked twice; comparing them all would grow with the square of their number
MAX_SHARING = 30


def lint(questionnaire: Questionnaire, results: list[Result] | None = None) -> list[Problem]:
    """Every warning for ``questionnaire``; its tests' ``results`` add coverage checks."""
    linter = _Linter(questionnaire)
    linter.bands()
    linter.unused()
    linter.sources()
    linter.reachability()
    linter.asked_twice()
    if results is not None:
        linter.coverage(results)
    return linter.problems


class _Linter:
    def __init__(self, q: Questionnaire) -> None:
        self.q = q
        self.problems: list[Problem] = []
        self.paths: dict[str, tuple[str | int, ...]] = {}
        for s_index, section in enumerate(q.sections):
            for q_index, question in enumerate(section.questions):
                self.paths.setdefault(question.id, ("sections", s_index, "questions", q_index))
        self.computed = {item.id: expr for item, expr in q.computed}
        #: combinations of answers tried so far by the reachability checks
        self.tried = 0
        #: question id -> the numbers it is compared with anywhere (walked once)
        self.literals: dict[str, set[float]] = {}
        for expression in self._expressions():
            for node in walk(expression.node):
                if isinstance(node, Compare):
                    for name, other in ((node.left, node.right), (node.right, node.left)):
                        if isinstance(name, Name) and isinstance(other, Literal):
                            self.literals.setdefault(name.id, set()).add(other.value)

    def warn(self, path: tuple[str | int, ...], message: str, hint: str = "") -> None:
        self.problems.append(self.q.document.problem(path, message, hint, warning=True))

    # -- bands ------------------------------------------------------------------------------

    def bands(self) -> None:
        ranges: dict[str, tuple[float, float, bool]] = {}
        for index, scale in enumerate(self.q.scales):
            low, high, integral = self._range(scale, ranges)
            ranges[scale.id] = (low, high, integral)
            if scale.bands:
                self._check_bands(index, scale, low, high, integral)

    def _range(
        self, scale: Scale, ranges: dict[str, tuple[float, float, bool]]
    ) -> tuple[float, float, bool]:
        low = high = 0.0
        integral = True
        for name in scale.sum:
            entry = self.q.questions.get(name)
            if entry is not None:
                a, b = entry.kind.point_range(entry.question)
                integral = integral and entry.kind.is_integral(entry.question)
            elif name in ranges:
                a, b, whole = ranges[name]
                integral = integral and whole
            else:  # a computed value: unknown range
                a, b, integral = -math.inf, math.inf, False
            low, high = low + a, high + b
        return low, high, integral

    def _check_bands(
        self, index: int, scale: Scale, low: float, high: float, integral: bool
    ) -> None:
        path = ("scales", index, "bands")
        bands = sorted(
            enumerate(scale.bands), key=lambda b: -math.inf if b[1].min is None else b[1].min
        )
        for (_, a), (j, b) in itertools.combinations(bands, 2):
            if _bound(a, "min") <= _bound(b, "max") and _bound(b, "min") <= _bound(a, "max"):
                self.warn(
                    (*path, j),
                    f"bands '{a.id}' and '{b.id}' overlap",
                    "each value must fall in exactly one band; adjust min/max",
                )
        step = 1 if integral else 0
        covered_to = low - step  # the highest value covered so far
        for i, band in bands:
            start = _bound(band, "min")
            if start > covered_to + step and math.isfinite(covered_to):
                self.warn(
                    (*path, i),
                    _gap(covered_to + step, start - step, integral),
                    f"move the min of band '{band.id}', or add a band",
                )
            covered_to = max(covered_to, _bound(band, "max"))
        if covered_to < high and math.isfinite(high):
            self.warn(
                (*path, bands[-1][0]),
                _gap(covered_to + step, high, integral),
                f"raise the max of band '{bands[-1][1].id}' to {_num(high)}, or add a band",
            )

    # -- use --------------------------------------------------------------------------------

    def unused(self) -> None:
        used_recs = {r for rule in self.q.definition.rules for r in rule.recommend}
        used_recs |= {r for s in self.q.scales for b in s.bands for r in b.recommend}
        for rec_id in self.q.recommendations:
            if rec_id not in used_recs:
                self.warn(
                    ("recommendations", rec_id),
                    f"recommendation '{rec_id}' is never used",
                    "recommend it from a rule or band, or remove it",
                )
        used: set[str] = set()
        for expression in self._expressions():
            used.update(expression.names)
        for scale in self.q.scales:
            used.update(scale.sum)
        for question_id, entry in self.q.questions.items():
            question = entry.question
            if question_id not in used and not question.informational and question.type != "text":
                self.warn(
                    self.paths[question_id],
                    f"question '{question_id}' is not used by any "
                    "rule, scale, computed value or condition",
                    "use it, or mark it 'informational: true' if it is asked for the record",
                )

    def sources(self) -> None:
        for index, rule in enumerate(self.q.definition.rules):
            if not rule.source:
                self.warn(
                    ("rules", index),
                    f"rule '{rule.id}' cites no source",
                    "add source: with the id of the guidance it follows",
                )
        for index, scale in enumerate(self.q.scales):
            if scale.bands and not scale.source:
                self.warn(
                    ("scales", index),
                    f"scale '{scale.id}' has bands but cites no source",
                    "add source: with the id of the guidance its cut-offs come from",
                )

    def coverage(self, results: list[Result]) -> None:
        # Result.rules, not the recommendations' reasons: a rule may only set an urgency or a flag.
        fired = {rule_id for r in results for rule_id in r.rules}
        urgencies = {(s.id, s.band) for r in results for s in r.scales}
        for index, rule in enumerate(self.q.definition.rules):
            if rule.id not in fired:
                self.warn(
                    ("rules", index),
                    f"no definition test makes rule '{rule.id}' fire",
                    "add a test whose answers meet its condition",
                )
        for index, scale in enumerate(self.q.scales):
            for j, band in enumerate(scale.bands):
                if (scale.id, band.id) not in urgencies:
                    self.warn(
                        ("scales", index, "bands", j),
                        f"no definition test reaches band '{band.id}' of '{scale.id}'",
                        "add a test with a score in this band",
                    )

    def _expressions(self) -> Iterator[Expression]:
        q = self.q
        yield from q.section_show_if.values()
        yield from (e.show_if for e in q.questions.values() if e.show_if is not None)
        yield from (expr for _, expr in q.computed)
        yield from (expr for _, expr in q.eligibility)
        yield from (expr for _, expr in q.rules)

    # -- a symptom asked in two places -------------------------------------------------------

    def asked_twice(self) -> None:
        texts = self._texts()
        by_key: dict[str, list[int]] = {}
        for index, (_, _, text_words) in enumerate(texts):
            for key in dict.fromkeys(index_keys(text_words)):
                by_key.setdefault(key, []).append(index)
        seen: set[frozenset[str]] = set()
        rules = [frozenset(expression.names) for _, expression in self.q.rules]
        for members in by_key.values():
            if len({texts[i][0] for i in members}) > MAX_SHARING:
                continue
            for a, b in itertools.combinations(members, 2):
                (qa, path_a, words_a), (qb, path_b, words_b) = texts[a], texts[b]
                pair = frozenset((qa, qb))
                if qa == qb or pair in seen or self._told_apart(qa, qb, rules):
                    continue
                phrase = shared_phrase(words_a, words_b)
                if phrase is None:
                    continue
                seen.add(pair)
                where = f"{self.q.file}:{self.q.document.line_of(path_a)} {format_path(path_a)}"
                self.warn(
                    path_b,
                    f"'{phrase}' is asked in two places whose answers could disagree: "
                    f"here ('{qb}') and at {where} ('{qa}')",
                    "ask it once, read both in the same rule, or list the other under "
                    "not_same_as if they ask different things",
                )

    def _texts(self) -> list[tuple[str, tuple[str | int, ...], tuple[str, ...]]]:
        """(question id, path, words) of every yes/no question text and every option label
        of a multiple choice (not "None of these"), in file order."""
        out: list[tuple[str, tuple[str | int, ...], tuple[str, ...]]] = []
        for question_id, entry in self.q.questions.items():
            question, path = entry.question, self.paths[question_id]
            if question.type == "yesno":
                out.append((question_id, path, words(question.text)))
            elif isinstance(question, MultipleChoiceQuestion):
                out.extend(
                    (question_id, (*path, "options", i), words(option.label))
                    for i, option in enumerate(question.options)
                    if not option.exclusive
                )
        return out

    def _told_apart(self, a: str, b: str, rules: list[frozenset[str]]) -> bool:
        """Whether the definition says two questions are not the same, or some rule reads
        both (then an answer in either place counts for the same decision)."""
        questions = self.q.questions
        if b in questions[a].question.not_same_as or a in questions[b].question.not_same_as:
            return True
        return any(a in names and b in names for names in rules)

    # -- reachability -----------------------------------------------------------------------

    def reachability(self) -> None:
        for question_id in self.q.questions:
            conditions = self._visibility(question_id)
            if conditions and not self._satisfiable(conditions, [], question_id):
                self.warn(
                    self.paths[question_id],
                    f"question '{question_id}' can never be shown",
                    "its show_if (or its section's) contradicts the answers it depends on",
                )
        for index, (rule, expression) in enumerate(self.q.rules):
            if not self._satisfiable([expression], list(expression.names), None):
                self.warn(
                    ("rules", index),
                    f"rule '{rule.id}' can never fire",
                    "its condition needs answers that cannot be given together "
                    "(check show_if conditions of the questions it uses)",
                )

    def _visibility(self, question_id: str) -> list[Expression]:
        entry = self.q.questions[question_id]
        section = self.q.section_show_if.get(entry.section.id)
        return [c for c in (section, entry.show_if) if c is not None]

    def _satisfiable(
        self, conditions: list[Expression], names: list[str], target: str | None
    ) -> bool:
        """Whether some answers make every condition hold; True when it cannot tell."""
        closure = self._closure([n for c in conditions for n in c.names] + names)
        if closure is None:
            return True
        questions, computed = closure
        domains = [self._domain(qid) for qid in questions]
        combinations = math.prod(len(d) for d in domains)
        if combinations > MAX_COMBINATIONS:
            return True
        if self.tried + combinations > MAX_TRIED:
            if self.tried <= MAX_TRIED:  # say it once
                self.warn(
                    (),
                    "too many conditions to check which can never hold; the rest were not checked",
                    "conditions over the same few questions can often be shared: put one in "
                    "a computed value, or a section's show_if",
                )
                self.tried = MAX_TRIED + 1
            return True
        self.tried += combinations
        # Only the ids involved: every name these conditions read is in the closure.
        visibility = [(qid, [c.function for c in self._visibility(qid)]) for qid in questions]
        formulas = [(cid, self.computed[cid].function) for cid in computed]
        checks = [c.function for c in conditions]
        day = TEST_DAY
        for combination in itertools.product(*domains):
            values: dict[str, Any] = dict(zip(questions, combination, strict=True))
            for qid, shows in visibility:  # hidden questions have no value
                if not all(show(values, day) is True for show in shows):
                    values[qid] = None
            for cid, formula in formulas:
                values[cid] = formula(values, day)
            if all(check(values, day) is True for check in checks):
                return True
        return False

    def _closure(self, names: list[str]) -> tuple[list[str], list[str]] | None:
        """The questions and computed values the names depend on (through computed values
        and show_if), each in order; None when a dependency is not enumerable (a scale,
        arithmetic, a date or text)."""
        computed = self.computed
        seen: set[str] = set()
        stack = list(names)
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            if name in computed:
                if any(isinstance(n, Arith) for n in walk(computed[name].node)):
                    return None
                stack.extend(computed[name].names)
            elif name in self.q.questions:
                if self.q.questions[name].question.type in ("date", "text"):
                    return None
                stack.extend(n for c in self._visibility(name) for n in c.names)
            else:
                return None  # a scale
        questions = sorted(
            (n for n in seen if n in self.q.questions), key=lambda n: self.q.questions[n].position
        )
        return questions, [cid for cid in computed if cid in seen]

    def _domain(self, question_id: str) -> list[Any]:
        entry = self.q.questions[question_id]
        question = entry.question
        values: list[Any]
        if question.type == "yesno":
            values = [True, False]
        elif question.type == "single":
            values = [o.value for o in question.options]
        elif isinstance(question, MultipleChoiceQuestion):
            # Every combination a patient can tick (a rule may need 'b' and 'c' but not 'a');
            # too many to try (2**n) is caught by MAX_COMBINATIONS before any is built.
            if 2 ** len(question.options) > MAX_COMBINATIONS:
                return [None] * (MAX_COMBINATIONS + 1)
            alone = {o.value for o in question.options if o.exclusive}
            options = [o.value for o in question.options]
            values = [
                frozenset(combination)
                for k in range(len(options) + 1)
                for combination in itertools.combinations(options, k)
                if k <= 1 or not alone.intersection(combination)
            ]
        else:
            values = self._numbers(question_id, question)
        if (
            question.optional or getattr(question, "default", None) is None
        ) and question.type != "multiple":
            values.append(None)
        return values

    def _numbers(self, question_id: str, question: Any) -> list[Any]:
        low = getattr(question, "min", None)
        high = getattr(question, "max", None)
        step = 1 if question.type == "scale" or getattr(question, "integer", False) else 0.5
        points = {p for p in (low, high) if p is not None}
        for literal in self.literals.get(question_id, ()):
            points.update(_around(literal, step))
        inside = sorted(
            p for p in points if (low is None or p >= low) and (high is None or p <= high)
        )
        return inside or [0]


def _around(value: Any, step: float) -> list[float]:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return []
    return [value - step, value, value + step]


def _bound(band: Band, which: str) -> float:
    value = getattr(band, which)
    if value is None:
        return -math.inf if which == "min" else math.inf
    return float(value)


def _num(value: float) -> str:
    return (
        format_number(value) if math.isfinite(value) else ("-infinity" if value < 0 else "infinity")
    )


def _gap(start: float, end: float, integral: bool) -> str:
    if integral:
        span = _num(start) if start == end else f"{_num(start)} to {_num(end)}"
        return f"no band covers {span}"
    return f"no band covers the values between {_num(start)} and {_num(end)}"
