"""Plain functions that build definitions, questionnaires and expressions for tests."""

from __future__ import annotations

import copy
from typing import Any

import yaml

from riskcheck.expressions import Expression, compile_expression
from riskcheck.expressions.types import BOOL, DATE, NUMBER, TEXT, Checker, Type
from riskcheck.loader import load_text
from riskcheck.questionnaire import Questionnaire

#: A minimal valid definition: one section with one yes/no question, nothing else.
MINIMAL: dict[str, Any] = {
    "id": "tiny",
    "title": "Tiny check",
    "description": "A definition made by tests/factories.py.",
    "version": 1,
    "disclaimer": "This check does not diagnose anything.",
    "sources": {"guide": {"title": "Some published guidance", "url": "https://example.org/guide"}},
    "sections": [
        {
            "id": "main",
            "title": "Main",
            "questions": [
                {
                    "id": "cough",
                    "type": "yesno",
                    "text": "Have you had a cough for 3 weeks or more?",
                },
            ],
        }
    ],
}

#: A catalogue to recommend from, lowest urgency last on purpose (ordering tests use it).
RECOMMENDATIONS: dict[str, Any] = {
    "see_gp": {"title": "See your GP", "text": "Book an appointment.", "urgency": "soon"},
    "call_today": {"title": "Call today", "text": "Call your GP today.", "urgency": "urgent"},
    "leaflet": {"title": "Read the leaflet", "text": "Read about coughs.", "urgency": "routine"},
}


def make_definition(**overrides: Any) -> str:
    """YAML text of MINIMAL with top-level keys replaced by ``overrides``.

    ``questions=[...]`` replaces the questions of the one section; a value of None removes
    the key (to test a missing field).
    """
    data = copy.deepcopy(MINIMAL)
    questions = overrides.pop("questions", None)
    if questions is not None:
        data["sections"][0]["questions"] = questions
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def make_questionnaire(**overrides: Any) -> Questionnaire:
    """A loaded Questionnaire from ``make_definition(**overrides)``."""
    return load_text(make_definition(**overrides), "factory.yaml")


def yesno(question_id: str, **fields: Any) -> dict[str, Any]:
    """A yes/no question."""
    return {"id": question_id, "type": "yesno", "text": f"{question_id}?", **fields}


def single(question_id: str, points: dict[str, int | float], **fields: Any) -> dict[str, Any]:
    """A single-choice question with option value -> points."""
    options = [{"value": value, "label": value.title(), "points": p} for value, p in points.items()]
    return {
        "id": question_id,
        "type": "single",
        "text": f"{question_id}?",
        "options": options,
        **fields,
    }


# -- expressions over a fixed, typed context ------------------------------------------------

SMOKER = Type("choice", frozenset({"never", "former", "current"}), "smoker")
SYMPTOMS = Type("set", frozenset({"cough", "fever", "none"}), "symptoms")

#: Every id an expression in tests/expressions may use, with its type.
TYPES: dict[str, Type] = {
    "age": NUMBER,
    "weight": NUMBER,
    "smoker": SMOKER,
    "symptoms": SYMPTOMS,
    "bleeding": BOOL,
    "cough": BOOL,
    "dob": DATE,
    "notes": TEXT,
}


def make_expression(text: str, want: str | None = None) -> Expression:
    """``text`` compiled against TYPES; ``want`` as in compile_expression (None: any type)."""
    return compile_expression(text, Checker(TYPES), want)
