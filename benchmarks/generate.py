"""Realistic generated inputs for the engine benchmarks: definitions and answer sets.

A generated definition repeats one block of ten questions of mixed types (four
frequency questions sharing an anchored option list, two yes/no questions, one of them
shown only after the other, a multiple choice with an exclusive "None of these", a number
shown only after a frequency answer other than "Not at all", a 0-10 scale and an optional
date or text). Each section has a banded scale over its scorable questions, a computed
value and two rules; every fifth section adds a rule over its scale. Two definition tests
(lowest and highest answers) pin the urgency, so ``validate`` also scores.
"""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass, field
from typing import Any

import yaml

from riskcheck.questionnaire import Questionnaire
from riskcheck.urgency import RANK

#: The schema allows at most 200 sections; bigger definitions get longer sections.
MAX_SECTIONS = 200

_FREQUENCY = [
    {"value": "0", "label": "Not at all", "points": 0},
    {"value": "1", "label": "Several days", "points": 1},
    {"value": "2", "label": "More than half the days", "points": 2},
    {"value": "3", "label": "Nearly every day", "points": 3},
]
_SYMPTOMS = [
    {"value": "pain", "label": "Pain that wakes you at night", "points": 1},
    {"value": "tired", "label": "Tiredness that does not get better with rest", "points": 1},
    {"value": "weight", "label": "Weight loss you cannot explain", "points": 1},
    {"value": "none", "label": "None of these", "exclusive": True},
]
_TOPICS = [
    "your digestion",
    "your breathing",
    "your skin",
    "your sleep",
    "your mood",
    "your bladder",
    "your energy",
    "your appetite",
    "your joints",
    "your headaches",
]

_RECOMMENDATIONS = {
    "see_gp_urgent": {
        "title": "Contact your GP practice today",
        "urgency": "urgent",
        "service": "primary_care",
        "text": "Some of your answers should be checked by a doctor soon. Ring your practice today "
        "and say you have completed this check.",
        "ask_your_doctor": ["Do I need any tests?", "What should I look out for?"],
    },
    "see_gp_soon": {
        "title": "Book an appointment with your GP",
        "urgency": "soon",
        "text": "Your answers suggest a check-up would help. "
        "Book an appointment in the next two weeks.",
        "ask_your_doctor": ["What could be causing this?"],
    },
    "pain_clinic": {
        "title": "Ask about pain management",
        "urgency": "soon",
        "service": "pain_management",
        "text": "Ongoing pain can often be eased. "
        "Ask whether a pain management service could help.",
    },
    "discuss_symptoms": {
        "title": "Mention these symptoms at your next appointment",
        "urgency": "routine",
        "text": "These symptoms are common and usually harmless, "
        "but your doctor should know about them.",
    },
}


@dataclass
class _Block:
    """One generated section with what hangs off it."""

    section: dict[str, Any]
    scale: dict[str, Any]
    computed: list[dict[str, Any]] = field(default_factory=list)
    rules: list[dict[str, Any]] = field(default_factory=list)
    #: the answers of the "lowest" and "highest" definition tests
    low: dict[str, Any] = field(default_factory=dict)
    high: dict[str, Any] = field(default_factory=dict)


def _question(p: str, j: int, k: int, block: _Block) -> tuple[dict[str, Any], float]:
    """Question ``j`` of section ``k`` (prefix ``p``) and the highest points it can add."""
    qid = f"{p}_q{j:02d}"
    topic = _TOPICS[k % len(_TOPICS)]
    kind = j % 10
    question: dict[str, Any] = {"id": qid}
    top = 0.0
    if kind in (0, 1, 4, 8):
        question |= {
            "type": "single",
            "options": _FREQUENCY,
            "text": f"Over the last 2 weeks, how often have you had trouble with {topic} ({j})?",
        }
        block.low[qid], block.high[qid], top = "0", "3", 3
    elif kind in (2, 3):
        question |= {
            "type": "yesno",
            "points": 1,
            "text": f"Have you noticed a change in {topic} that has lasted more than "
            f"3 weeks ({j})?",
        }
        if kind == 3:
            question["show_if"] = f"{p}_q{j - 1:02d}"
            question["why"] = "Guidelines say changes lasting 3 weeks or more should be checked."
        block.low[qid], block.high[qid], top = False, True, 1
    elif kind == 5:
        question |= {
            "type": "multiple",
            "options": _SYMPTOMS,
            "help": "Tick all that apply.",
            "text": f"Do you have any of these along with the changes in {topic}?",
        }
        block.low[qid], block.high[qid], top = ["none"], ["pain", "tired", "weight"], 3
    elif kind == 6:
        question |= {
            "type": "number",
            "integer": True,
            "min": 0,
            "max": 120,
            "unit": "days",
            "text": "For how many days have you had this?",
            "show_if": f"{p}_q{j - 6:02d} != '0'",
        }
        block.high[qid] = 60  # not asked with the lowest answers: none given then
    elif kind == 7:
        question |= {
            "type": "scale",
            "min_label": "No pain",
            "max_label": "Worst pain imaginable",
            "text": f"How bad is any pain linked to {topic}, from 0 to 10?",
        }
        block.low[qid], block.high[qid] = 0, 9
    elif k % 2 == 0:
        question |= {
            "type": "date",
            "min": "1900-01-01",
            "max": "today",
            "optional": True,
            "informational": True,
            "text": "When did this start, if you remember?",
        }
    else:
        question |= {
            "type": "text",
            "optional": True,
            "max_length": 500,
            "text": "Is there anything else you would like your doctor to know?",
        }
    return question, top


def _block(k: int, size: int) -> _Block:
    """Section ``k`` with ``size`` questions, its scale and, for a full block, its rules."""
    p = f"s{k:03d}"
    block = _Block(
        section={"id": p, "title": f"About {_TOPICS[k % len(_TOPICS)]} ({k + 1})", "questions": []},
        scale={},
    )
    scored: list[str] = []
    top = 0.0
    for j in range(size):
        question, points = _question(p, j, k, block)
        block.section["questions"].append(question)
        if question["type"] in ("single", "yesno", "multiple"):
            scored.append(question["id"])
            top += points
    block.scale = _scale(p, scored, top, k)
    for o in range(0, size - 9, 10):  # each complete group of ten questions
        q = [f"{p}_q{o + i:02d}" for i in range(10)]
        g = f"{p}_{o // 10}"
        block.computed.append(
            {
                "id": f"{g}_burden",
                "title": "Pain burden",
                "unit": "pain-days",
                "value": f"{q[6]} * {q[7]}",
            }
        )
        block.rules += [
            {
                "id": f"{g}_persistent",
                "when": f"{q[2]} and {q[0]} in ['2', '3']",
                "recommend": ["discuss_symptoms"],
                "source": "guide",
                "citation": f"section {k + 1}.1",
            },
            {
                "id": f"{g}_pain",
                "when": f"{g}_burden >= 200 and {q[7]} >= 7",
                "recommend": ["pain_clinic"],
                "flags": ["ongoing_pain"],
                "source": "guide",
                "reason": "You have had severe pain for several weeks.",
            },
        ]
    if size >= 10 and k % 5 == 0:
        block.rules.append(
            {
                "id": f"{p}_combined",
                "urgency": "urgent",
                "source": "guide",
                "when": f"{p}_score >= {math.ceil(top / 2)} and count({p}_q05) >= 2",
                "recommend": ["see_gp_urgent"],
            }
        )
    return block


def generate_definition(n_questions: int) -> str:
    """YAML text of a valid definition with ``n_questions`` questions (at least 10)."""
    per_section = max(10, math.ceil(n_questions / MAX_SECTIONS))
    blocks = [
        _block(k, min(per_section, n_questions - start))
        for k, start in enumerate(range(0, n_questions, per_section))
    ]
    low = {qid: v for b in blocks for qid, v in b.low.items()}
    high = {qid: v for b in blocks for qid, v in b.high.items()}
    definition = {
        "id": f"generated-{n_questions}",
        "title": f"Generated check with {n_questions} questions",
        "description": "A generated definition for the engine benchmarks.",
        "version": 1,
        "language": "en",
        "estimated_minutes": min(120, max(1, n_questions // 6)),
        "disclaimer": "This check does not diagnose anything. "
        "If you feel very unwell, call for help.",
        "sources": {
            "guide": {
                "title": "Example guidance on recognising symptoms (2023)",
                "url": "https://example.org/guidance",
                "publisher": "Example body",
            }
        },
        "sections": [b.section for b in blocks],
        "computed": [c for b in blocks for c in b.computed],
        "scales": [b.scale for b in blocks],
        "rules": [r for b in blocks for r in b.rules],
        "recommendations": _RECOMMENDATIONS,
        "tests": [
            {
                "name": "lowest answers",
                "answers": low,
                "expect": {"urgency": "routine"},
                "absent": {"recommendations": list(_RECOMMENDATIONS)},
            },
            {
                "name": "highest answers",
                "answers": high,
                "expect": {
                    "urgency": "urgent",
                    "flags": ["ongoing_pain", "many_symptoms"],
                    "recommendations": ["see_gp_urgent", "pain_clinic", "discuss_symptoms"],
                },
            },
        ],
    }
    text: str = yaml.dump(
        definition, sort_keys=False, default_flow_style=None, width=100, allow_unicode=True
    )
    return text


def _scale(section_id: str, scored: list[str], top: float, k: int) -> dict[str, Any]:
    missing: Any = ("refuse", "zero", {"prorate": 1})[k % 3]
    quarter, half = int(top // 4), int(top // 2)
    return {
        "id": f"{section_id}_score",
        "title": f"Symptom score {k + 1}",
        "sum": scored,
        "missing": missing,
        "source": "guide",
        "bands": [
            {"id": "low", "min": 0, "max": quarter, "label": "Few symptoms", "urgency": "routine"},
            {
                "id": "some",
                "min": quarter + 1,
                "max": half,
                "label": "Some symptoms",
                "urgency": "soon",
                "recommend": ["see_gp_soon"],
            },
            {
                "id": "many",
                "min": half + 1,
                "max": int(top),
                "label": "Many symptoms",
                "urgency": "urgent",
                "recommend": ["see_gp_urgent"],
                "flags": ["many_symptoms"],
            },
        ],
    }


# -- answers -----------------------------------------------------------------------------------


def random_answers(
    questionnaire: Questionnaire, rng: random.Random, today: datetime.date
) -> dict[str, Any]:
    """A plausible answer set: one or two "yes" answers, low answers common and high ones
    rare, optional questions often skipped, unticked boxes often left out."""
    yesno = sum(e.question.type == "yesno" for e in questionnaire.questions.values())
    p_yes = min(0.3, 1.5 / max(1, yesno))
    out: dict[str, Any] = {}
    for qid, entry in questionnaire.questions.items():
        question: Any = entry.question
        if question.optional and rng.random() < 0.4:
            continue
        kind = question.type
        if kind == "yesno":
            answer = rng.random() < p_yes
            if answer or question.default is None or rng.random() < 0.5:
                out[qid] = answer
        elif kind == "single":
            weights = [0.55**i for i in range(len(question.options))]
            out[qid] = rng.choices(question.options, weights)[0].value
        elif kind == "multiple":
            out[qid] = _multiple(question, rng)
        elif kind in ("number", "scale"):
            out[qid] = _number(qid, question, rng)
        elif kind == "date":
            out[qid] = _date(question, rng, today).isoformat()
        else:
            out[qid] = rng.choice(
                ["", "I get tired by the afternoon.", "Worse after meals & at night <since March>."]
            )
    return out


def _multiple(question: Any, rng: random.Random) -> list[str]:
    plain = [o.value for o in question.options if not o.exclusive]
    exclusive = [o.value for o in question.options if o.exclusive]
    chosen = [v for v in plain if rng.random() < 0.25]
    if chosen or not exclusive:
        return chosen or plain[:1]
    return exclusive[:1]


def _number(qid: str, question: Any, rng: random.Random) -> int | float:
    """Ages spread over adult life; other numbers mostly in the lower third of their range."""
    low = question.min if question.min is not None else 0
    high = question.max if question.max is not None else low + 100
    if "age" in qid:  # adults, so that eligibility rarely stops the check
        value = rng.uniform(max(low, 18), min(high, 90) if high >= 18 else high)
    else:
        value = min(high, max(low, rng.gauss(low + (high - low) * 0.3, (high - low) * 0.12)))
    if question.type == "scale" or getattr(question, "integer", False):
        return min(math.floor(high), max(math.ceil(low), round(value)))
    return round(value, 1)


def _date(question: Any, rng: random.Random, today: datetime.date) -> datetime.date:
    def bound(text: str | None, default: datetime.date) -> datetime.date:
        if text is None:
            return default
        return today if text == "today" else datetime.date.fromisoformat(text)

    start = max(
        bound(question.min, today - datetime.timedelta(days=365 * 90)),
        today - datetime.timedelta(days=365 * 90),
    )
    end = bound(question.max, today)
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def urgency_rank(urgency: str | None) -> int:
    """Rank of an urgency, -1 for an ineligible result."""
    return -1 if urgency is None else RANK[urgency]
