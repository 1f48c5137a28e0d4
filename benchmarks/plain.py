"""A hand-written, plain-Python scorer of the same size as a questionnaire: the baseline.

It does the work a scorer cannot avoid, with none of the engine's generality: check each
shown answer with a few ``isinstance`` tests, look up option points in dicts, sum scales,
pick bands, test one stand-in condition per show_if and rule (reading the same ids), and
build a small result dict. Timing it in the same run as the engine gives a ratio that
stays meaningful on a slower or noisier machine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from riskcheck.questionnaire import Questionnaire
from riskcheck.urgency import RANK, URGENCIES

Condition = Callable[[dict[str, Any]], bool]


def _stand_in(names: tuple[str, ...]) -> Condition:
    """A condition reading ``names``, as an expression over them would."""

    def condition(values: dict[str, Any]) -> bool:
        for name in names:
            value = values.get(name)
            if value is None or value is False or value == 0 or value == "0":
                return False
        return True

    return condition


def make_plain_scorer(q: Questionnaire) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A plain-Python function doing the work of scoring ``q`` in the simplest way."""
    questions = []
    for qid, entry in q.questions.items():
        question: Any = entry.question
        points = {o.value: o.points for o in getattr(question, "options", [])}
        conditions = [c for c in (q.section_show_if.get(entry.section.id), entry.show_if) if c]
        show = _stand_in(tuple(n for c in conditions for n in c.names)) if conditions else None
        questions.append(
            (
                qid,
                question.type,
                points,
                getattr(question, "min", None),
                getattr(question, "max", None),
                question.optional,
                show,
            )
        )
    scales = [
        (
            s.id,
            tuple(s.sum),
            tuple((b.id, b.min, b.max, b.urgency, tuple(b.recommend)) for b in s.bands),
        )
        for s in q.scales
    ]
    rules = [
        (rule.id, _stand_in(expr.names), rule.urgency or "soon", tuple(rule.recommend))
        for rule, expr in q.rules
    ]
    catalogue = {
        rec_id: (i, rec.urgency) for i, (rec_id, rec) in enumerate(q.recommendations.items())
    }

    def score(raw: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        points_of: dict[str, float] = {}
        problems: list[str] = []
        for qid, kind, points, low, high, optional, show in questions:
            if show is not None and not show(values):
                continue
            given = raw.get(qid)
            if given is None or given == "" or given == []:
                if not optional and kind != "yesno":
                    problems.append(qid)  # the stand-in show_if may differ from the real one
                values[qid] = None
                continue
            if kind == "yesno":
                if not isinstance(given, bool):
                    problems.append(qid)
                points_of[qid] = 1 if given else 0
            elif kind == "single":
                points_of[qid] = points[given]
            elif kind == "multiple":
                points_of[qid] = sum(points[v] for v in given)
                given = frozenset(given)
            elif kind in ("number", "scale"):
                wrong_type = isinstance(given, bool) or not isinstance(given, int | float)
                if (
                    wrong_type
                    or not (low is None or given >= low)
                    or not (high is None or given <= high)
                ):
                    problems.append(qid)
                points_of[qid] = given
            values[qid] = given
        found: list[tuple[str, str, tuple[str, ...]]] = []
        scores = {}
        for scale_id, members, bands in scales:
            total = 0.0
            for name in members:
                total += points_of.get(name, 0)
            scores[scale_id] = total
            values[scale_id] = total
            for band_id, low, high, urgency, recommend in bands:
                if (low is None or total >= low) and (high is None or total <= high):
                    found.append((band_id, urgency, recommend))
                    break
        for rule_id, condition, urgency, recommend in rules:
            if condition(values):
                found.append((rule_id, urgency, recommend))
        reasons: dict[str, list[str]] = {}
        for finding_id, _, recommend in found:
            for rec_id in recommend:
                reasons.setdefault(rec_id, []).append(finding_id)
        ordered = sorted(reasons, key=lambda r: (-RANK[catalogue[r][1]], catalogue[r][0]))
        best = max((RANK[u] for _, u, _ in found), default=0)
        return {
            "urgency": URGENCIES[best],
            "scores": scores,
            "problems": problems,
            "recommendations": [{"id": r, "reasons": reasons[r]} for r in ordered],
        }

    return score
