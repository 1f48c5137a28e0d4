"""What a draft would change: re-score stored responses with it and compare with what they got."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from riskcheck.errors import AnswerError
from riskcheck.journey import result_so_far
from riskcheck.questionnaire import Questionnaire
from riskcheck.scoring import score

MAX_EXAMPLES = 5


@dataclass(frozen=True)
class StoredResponse:
    """What re-scoring needs of a stored response: answers, the result given, the day."""

    answers: Mapping[str, Any]
    result: Mapping[str, Any]


@dataclass(frozen=True)
class Change:
    """One response whose result would change (anonymous: no reference, no answers)."""

    urgency_before: str | None
    urgency_after: str | None
    bands_changed: tuple[str, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass
class ImpactReport:
    """Counts of responses whose urgency, bands or recommendations would change."""

    total: int = 0
    unchanged: int = 0
    #: responses the draft refuses (e.g. an answer its questions no longer accept)
    not_scored: int = 0
    urgency_changed: int = 0
    bands_changed: int = 0
    recommendations_changed: int = 0
    #: (before, after) -> count
    urgency_moves: Counter[tuple[str | None, str | None]] = field(default_factory=Counter)
    recommendations_added: Counter[str] = field(default_factory=Counter)
    recommendations_removed: Counter[str] = field(default_factory=Counter)
    examples: list[Change] = field(default_factory=list)


def impact(draft: Questionnaire, responses: Iterable[StoredResponse]) -> ImpactReport:
    """Re-score every response with ``draft`` (on the day it was answered) and compare."""
    report = ImpactReport()
    for response in responses:
        report.total += 1
        before = response.result
        day = datetime.date.fromisoformat(str(before.get("assessed_on")))
        try:
            if before.get("complete") is False:  # stopped early to get help: as answered
                after = result_so_far(draft, dict(response.answers), day).to_dict()
            else:
                after = score(draft, dict(response.answers), today=day).to_dict()
        except AnswerError:
            report.not_scored += 1
            continue
        change = _compare(before, after)
        if change is None:
            report.unchanged += 1
            continue
        _count(report, change)
    return report


def _compare(before: Mapping[str, Any], after: Mapping[str, Any]) -> Change | None:
    bands_before, bands_after = before.get("bands", {}), after.get("bands", {})
    bands = tuple(
        sorted(
            k
            for k in set(bands_before) | set(bands_after)
            if bands_before.get(k) != bands_after.get(k)
        )
    )
    recs_before = {r["id"] for r in before.get("recommendations", [])}
    recs_after = {r["id"] for r in after.get("recommendations", [])}
    if before.get("urgency") == after.get("urgency") and not bands and recs_before == recs_after:
        return None
    return Change(
        before.get("urgency"),
        after.get("urgency"),
        bands,
        tuple(sorted(recs_after - recs_before)),
        tuple(sorted(recs_before - recs_after)),
    )


def _count(report: ImpactReport, change: Change) -> None:
    if change.urgency_before != change.urgency_after:
        report.urgency_changed += 1
        report.urgency_moves[(change.urgency_before, change.urgency_after)] += 1
    if change.bands_changed:
        report.bands_changed += 1
    if change.added or change.removed:
        report.recommendations_changed += 1
        report.recommendations_added.update(change.added)
        report.recommendations_removed.update(change.removed)
    if len(report.examples) < MAX_EXAMPLES:
        report.examples.append(change)
