"""Answers in progress, kept in the signed session cookie (no account, nothing on disk)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from flask import session

from riskcheck.questionnaire import Questionnaire

_KEY = "journey"


@dataclass
class Progress:
    """One questionnaire in progress: answers in the JSON answer format."""

    questionnaire: str
    #: the version row answered: results and PDFs always use this version
    row: int | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    #: set when the patient finishes: the reference code and the day assessed
    reference: str | None = None
    day: str | None = None
    #: a clinician previewing a draft: nothing is stored
    preview: bool = False
    #: the reference code the next confirmation is stored under, chosen when the review
    #: page is shown and dropped when an answer changes: a confirmation sent twice (a
    #: retry after a 503 or a dropped connection) is then stored once, not twice
    pending: str | None = None

    @property
    def today(self) -> datetime.date:
        return datetime.date.fromisoformat(self.day) if self.day else datetime.date.today()

    def known_answers(self, questionnaire: Questionnaire) -> dict[str, Any]:
        """The answers to questions the questionnaire has (others are left behind)."""
        return {k: v for k, v in self.answers.items() if k in questionnaire.questions}


def load(questionnaire: Questionnaire | str) -> Progress | None:
    """The progress in ``questionnaire`` (or its id), or None (not started, or expired)."""
    questionnaire_id = questionnaire if isinstance(questionnaire, str) else questionnaire.id
    data = session.get(_KEY)
    if not isinstance(data, dict) or data.get("q") != questionnaire_id:
        return None
    answers, row = data.get("a"), data.get("row")
    return Progress(
        questionnaire_id,
        row=row if isinstance(row, int) else None,
        answers=answers if isinstance(answers, dict) else {},
        reference=data.get("ref"),
        day=data.get("day"),
        preview=data.get("pv") is True,
        pending=data.get("pref") if isinstance(data.get("pref"), str) else None,
    )


def save(progress: Progress) -> None:
    """Keep ``progress`` in the session (replacing any other questionnaire's)."""
    session[_KEY] = {
        "q": progress.questionnaire,
        "row": progress.row,
        "a": progress.answers,
        "ref": progress.reference,
        "day": progress.day,
        "pv": progress.preview,
        "pref": progress.pending,
    }


def clear() -> None:
    """Forget the answers in progress."""
    session.pop(_KEY, None)
