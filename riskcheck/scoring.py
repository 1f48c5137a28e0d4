"""score(questionnaire, answers) -> Result: pure and deterministic.

Order: answers are checked (following show_if), computed values worked out, eligibility
tested (an ineligible result has no score), scales summed and banded, rules fired. The
overall urgency is the highest any band or fired rule gives (``routine`` with no findings).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from riskcheck.answers import Answers, resolve
from riskcheck.errors import AnswerError
from riskcheck.expressions import Expression
from riskcheck.expressions.compiler import round_half_up
from riskcheck.model import Band, Prorate, Rule, Scale, SourceRef
from riskcheck.questionnaire import Questionnaire
from riskcheck.questions import format_number
from riskcheck.result import (
    AnswerLine,
    Ineligible,
    Interruption,
    Reason,
    RecommendationResult,
    Result,
    ScaleResult,
    SourceCitation,
)
from riskcheck.urgency import RANK, highest


def score(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    *,
    today: datetime.date | None = None,
) -> Result:
    """Check ``answers`` and score them.

    When an eligibility condition holds, the result says so even if required answers are
    missing (a 12-year-old is told the check is for adults, not to answer every question).

    :raises AnswerError: when an answer is invalid, or a required one is missing and the
        answers given do not make the questionnaire ineligible.
    """
    try:
        checked = resolve(questionnaire, answers, today=today)
    except AnswerError as exc:
        if not exc.only_missing:
            raise
        checked = resolve(questionnaire, answers, today=today, partial=True)
        if check_eligibility(questionnaire, checked) is None:
            raise
    return evaluate(questionnaire, checked)


def evaluate(questionnaire: Questionnaire, answers: Answers, *, complete: bool = True) -> Result:
    """Score answers that were already checked by ``riskcheck.answers.resolve``.

    :param complete: False for the answers given so far by a patient who stopped early
        (unanswered questions stay unknown: no rule fires on them).
    """
    return _Scorer(questionnaire, answers, complete).run()


def values_with_computed(questionnaire: Questionnaire, answers: Answers) -> dict[str, Any]:
    """Answer values plus computed values (scales not yet summed)."""
    values = dict(answers.values)
    today = answers.today
    for item, expression in questionnaire.computed:
        values[item.id] = expression.function(values, today)
    return values


def check_eligibility(questionnaire: Questionnaire, answers: Answers) -> Ineligible | None:
    """The first eligibility condition that holds, or None when the questionnaire applies."""
    values = values_with_computed(questionnaire, answers)
    return _ineligible(questionnaire, values, answers.today)


def _ineligible(
    questionnaire: Questionnaire, values: dict[str, Any], today: datetime.date
) -> Ineligible | None:
    for item, expression in questionnaire.eligibility:
        if expression.holds(values, today):
            redirect = item.redirect
            return Ineligible(
                id=item.id,
                message=item.message,
                redirect_title=redirect.title if redirect else None,
                redirect_questionnaire=redirect.questionnaire if redirect else None,
                redirect_url=redirect.url if redirect else None,
            )
    return None


@dataclass
class _Finding:
    """A band or rule that fired."""

    kind: str
    id: str
    urgency: str | None
    recommend: list[str]
    reason: Reason


@dataclass
class _Scorer:
    q: Questionnaire
    answers: Answers
    complete: bool = True
    values: dict[str, Any] = field(init=False)
    shown: frozenset[str] = field(init=False)

    def run(self) -> Result:
        today = self.answers.today
        values = self.values = values_with_computed(self.q, self.answers)
        self.shown = frozenset(self.answers.shown)
        ineligible = _ineligible(self.q, values, today)
        findings: list[_Finding] = []
        interruptions: list[Interruption] = []
        flags: list[str] = []
        scales = []
        if ineligible is None:
            for scale in self.q.scales:
                result, band = self._scale(scale)
                scales.append(result)
                values[scale.id] = result.value
                if band is not None:
                    findings.append(self._band_finding(scale, band, result))
                    flags.extend(band.flags)
        for step in _rule_plan(self.q):
            if step.function(values, today) is not True:
                continue
            # Not the right questionnaire: no score, but an emergency is never held back.
            if ineligible is not None and step.urgency != "emergency":
                continue
            finding = self._rule_finding(step)
            findings.append(finding)
            flags.extend(step.rule.flags)
            if step.rule.interrupt:
                interruptions.append(
                    Interruption(
                        step.rule.id, tuple(step.rule.interrupt), step.urgency, finding.reason
                    )
                )
        urgency = highest(f.urgency for f in findings)
        return self._result(
            eligible=ineligible is None,
            ineligible=ineligible,
            urgency=urgency if ineligible is None or findings else None,
            scales=tuple(scales),
            recommendations=self._recommendations(findings),
            flags=tuple(dict.fromkeys(flags)),
            rules=tuple(f.id for f in findings if f.kind == "rule"),
            interruptions=tuple(interruptions),
        )

    def _result(self, **fields: Any) -> Result:
        d = self.q.definition
        sources = self.q.caches.get("sources")
        if sources is None:
            sources = self.q.caches["sources"] = tuple(
                SourceCitation(sid, s.title, s.url, s.attribution) for sid, s in d.sources.items()
            )
        return Result(
            questionnaire=d.id,
            version=d.version,
            title=d.title,
            assessed_on=self.answers.today.isoformat(),
            answers=self._answer_lines(),
            sources=sources,
            disclaimer=d.disclaimer,
            set_aside=self._set_aside_lines(),
            complete=self.complete,
            no_findings=d.no_findings or "",
            **fields,
        )

    def _set_aside_lines(self) -> tuple[AnswerLine, ...]:
        if not self.answers.set_aside:
            return ()
        lines = []
        for qid, value in self.answers.set_aside.items():
            entry = self.q.questions[qid]
            text = entry.kind.display(entry.question, value)
            lines.append(AnswerLine(qid, entry.question.text, text, entry.section.title))
        return tuple(lines)

    def _answer_lines(self) -> tuple[AnswerLine, ...]:
        """A line per answered question; lines of choice answers are shared between results."""
        values = self.answers.values
        shared = self._line_cache()
        lines = []
        for qid in self.answers.shown:  # the hot loop of scoring: keep it plain
            value = values[qid]
            if value is not None:
                line = shared[qid].get(value) or self._shared_line(qid)
                if line is not None:
                    lines.append(line)
        return tuple(lines)

    def _line_cache(self) -> dict[str, dict[Any, AnswerLine | None]]:
        found: dict[str, dict[Any, AnswerLine | None]] | None = self.q.caches.get("lines")
        if found is None:
            found = self.q.caches["lines"] = {name: {} for name in self.q.types}
        return found

    def _shared_line(self, name: str) -> AnswerLine | None:
        """``_line``, shared between results for answers from a finite set of choices."""
        value = self.values.get(name)
        cache = self._line_cache()[name]
        if value in cache:
            return cache[value]
        line = self._line(name)
        entry = self.q.questions.get(name)
        # Choices, and numbers (an age, a reading: never linked to anyone here), at most
        # 1000 per question; never a date or a text, which could identify a patient.
        if (
            entry is not None
            and entry.question.type in _SHAREABLE
            and not entry.question.named_by  # its words are the patient's: never shared
            and len(cache) < 1000
        ):
            cache[value] = line
        return line

    # -- scales -----------------------------------------------------------------------------

    def _scale(self, scale: Scale) -> tuple[ScaleResult, Band | None]:
        total: float = 0
        applicable = 0
        missing: list[str] = []
        shown = self.shown
        integral = True
        for name in scale.sum:
            entry = self.q.questions.get(name)
            if entry is not None and name not in shown:
                continue  # hidden by show_if: not part of this response's scale
            applicable += 1
            value = self.values[name]
            if value is None:
                missing.append(name)
            elif entry is not None:
                points = entry.kind.points(entry.question, value)
                total += points
                integral = integral and float(points).is_integer()
            else:
                total += value
                integral = integral and float(value).is_integer()
        value, status, note = self._apply_missing(scale, total, applicable, missing, integral)
        band = None if value is None else _band_for(scale, value)
        if value is not None and band is None and scale.bands:
            note = (note + " " if note else "") + "The score is outside every band."
        return ScaleResult(
            id=scale.id,
            title=scale.title,
            value=value,
            status=status,
            band=band.id if band else None,
            band_label=band.label if band else None,
            urgency=band.urgency if band else None,
            missing=tuple(missing),
            note=note,
        ), band

    def _apply_missing(
        self, scale: Scale, total: float, applicable: int, missing: list[str], integral: bool
    ) -> tuple[float | int | None, str, str]:
        value: float | int = int(total) if integral else total
        if applicable == 0:
            return None, "not_scored", "Not scored: none of its questions were asked."
        if not missing:
            return value, "scored", ""
        count = len(missing)
        plural = "answer is" if count == 1 else "answers are"
        policy = scale.missing
        if policy == "zero":
            return value, "scored", f"{count} {plural} missing and counted as zero."
        if isinstance(policy, Prorate) and count <= policy.prorate and applicable > count:
            answered = applicable - count
            prorated = round_half_up(total * applicable / answered)
            return (
                prorated,
                "prorated",
                (
                    f"{count} {plural} missing: the score was scaled up from "
                    f"the {answered} answered (prorated)."
                ),
            )
        return None, "not_scored", f"Not scored: {count} {plural} missing."

    def _band_finding(self, scale: Scale, band: Band, result: ScaleResult) -> _Finding:
        shown = format_number(result.value) if result.value is not None else ""
        text = f"Your {scale.title} score is {shown}: {band.label}."
        reason = Reason(
            "band", f"{scale.id}.{band.id}", text, (), self._citations(scale.source, scale.citation)
        )
        return _Finding("band", band.id, band.urgency, list(band.recommend), reason)

    # -- rules ------------------------------------------------------------------------------

    def _rule_finding(self, step: _RuleStep) -> _Finding:
        _, deciding = step.expression.explain(self.values, self.answers.today)
        names = dict.fromkeys([*deciding, *step.rule.show_answers])
        lines = tuple(line for name in names if (line := self._shared_line(name)) is not None)
        reason = Reason("rule", step.rule.id, step.reason, lines, step.citations)
        return _Finding("rule", step.rule.id, step.urgency, step.recommend, reason)

    def _recommendations(self, findings: list[_Finding]) -> tuple[RecommendationResult, ...]:
        reasons: dict[str, list[Reason]] = {}
        for finding in findings:
            for rec_id in finding.recommend:
                reasons.setdefault(rec_id, []).append(finding.reason)
        order = self.q.caches.get("recommendation_order")
        if order is None:
            order = self.q.caches["recommendation_order"] = {
                rec_id: (-RANK[rec.urgency], index)
                for index, (rec_id, rec) in enumerate(self.q.recommendations.items())
            }
        ordered = sorted(reasons, key=order.__getitem__)
        out = []
        for rec_id in ordered:
            rec = self.q.recommendations[rec_id]
            out.append(
                RecommendationResult(
                    id=rec_id,
                    title=rec.title,
                    text=rec.text,
                    urgency=rec.urgency,
                    service=rec.service,
                    ask_your_doctor=tuple(rec.ask_your_doctor),
                    reasons=tuple(reasons[rec_id]),
                    citations=self._citations(rec.source, rec.citation),
                )
            )
        return tuple(out)

    # -- words --------------------------------------------------------------------------------

    def _line(self, name: str) -> AnswerLine | None:
        value = self.values.get(name)
        if value is None:
            return None
        entry = self.q.questions.get(name)
        if entry is not None:
            question = entry.question
            # Everything here depends on the value alone: the line is shared between results.
            tick_box = getattr(question, "default", None) is False
            return AnswerLine(
                name,
                self._question_text(question),
                entry.kind.display(question, value),
                entry.section.title,
                unticked=value is False and tick_box,
                ticked=value is True and tick_box,
                chosen=tuple(
                    o.label for o in question.options if o.value in value and not o.exclusive
                )
                if question.type == "multiple"
                else (),
            )
        for item, _ in self.q.computed:
            if item.id == name:
                shown = (
                    ("Yes" if value else "No")
                    if isinstance(value, bool)
                    else format_number(round_half_up(value, 2))
                )
                unit = f" {item.unit}" if item.unit and not isinstance(value, bool) else ""
                return AnswerLine(
                    name, f"{item.title} (worked out from your answers)", shown + unit
                )
        for scale in self.q.scales:
            if scale.id == name:
                return AnswerLine(name, f"{scale.title} (score)", format_number(value))
        return None

    def _question_text(self, question: Any) -> str:
        """The question as a summary says it: in the patient's own words when they named it."""
        named = question.named_by and self.values.get(question.named_by)
        if not named:
            return question.text
        # A name is a label: on one line, however it was typed (the answer keeps its lines).
        return f"{question.text}: {' '.join(str(named).split())}"

    def _citations(self, ref: SourceRef | None, citation: str | None) -> tuple[str, ...]:
        key = ("citations", str(ref), citation)
        found: tuple[str, ...] | None = self.q.caches.get(key)
        if found is None:
            found = self.q.caches[key] = _citations(self.q, ref, citation)
        return found


_SHAREABLE = frozenset({"yesno", "single", "multiple", "scale", "number"})


@dataclass(frozen=True)
class _RuleStep:
    """A rule with what never changes between results, worked out once per questionnaire."""

    rule: Rule
    expression: Expression
    function: Any
    urgency: str | None
    reason: str
    citations: tuple[str, ...]
    recommend: list[str]


def _rule_plan(questionnaire: Questionnaire) -> list[_RuleStep]:
    plan: list[_RuleStep] | None = questionnaire.caches.get("rule_plan")
    if plan is None:
        recs = questionnaire.recommendations
        plan = questionnaire.caches["rule_plan"] = [
            _RuleStep(
                rule=rule,
                expression=expression,
                function=expression.function,
                urgency=rule.urgency
                or (highest(recs[r].urgency for r in rule.recommend) if rule.recommend else None),
                reason=rule.reason
                or "Your answers match a combination that guidelines say should be checked.",
                citations=_citations(questionnaire, rule.source, rule.citation),
                recommend=list(rule.recommend),
            )
            for rule, expression in questionnaire.rules
        ]
    return plan


def _citations(q: Questionnaire, ref: SourceRef | None, citation: str | None) -> tuple[str, ...]:
    ids = [ref] if isinstance(ref, str) else list(ref or [])
    out = [q.sources[i].title for i in ids]
    if citation and out:
        out[0] = f"{out[0]}, {citation}"
    elif citation:
        out.append(citation)
    return tuple(out)


def _band_for(scale: Scale, value: float) -> Band | None:
    for band in scale.bands:
        if (band.min is None or value >= band.min) and (band.max is None or value <= band.max):
            return band
    return None
