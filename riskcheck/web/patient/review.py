"""The rows of the review page: every question shown, the answer given, and where to change it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from riskcheck.journey import Page, current_answers
from riskcheck.questionnaire import Questionnaire


@dataclass(frozen=True)
class ReviewRow:
    question_id: str
    text: str
    #: the answer as the patient reads it; None when not answered
    answer: str | None
    required: bool


@dataclass(frozen=True)
class ReviewPage:
    section_id: str
    title: str
    rows: tuple[ReviewRow, ...]


def review_rows(
    q: Questionnaire, pages: list[Page], stored: dict[str, Any], today: datetime.date
) -> list[ReviewPage]:
    """The answers page by page, only for questions the answers so far show."""
    answers = current_answers(q, stored, today)
    shown = set(answers.shown)
    out = []
    for page in pages:
        rows = []
        for entry in page.questions:
            qid = entry.question.id
            if qid not in shown:
                continue
            value = answers.values.get(qid)
            answer = None if value is None else entry.kind.display(entry.question, value)
            rows.append(ReviewRow(qid, entry.question.text, answer, not entry.question.optional))
        out.append(ReviewPage(page.section.id, page.section.title, tuple(rows)))
    return out
