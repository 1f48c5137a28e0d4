"""The rows of the review page: every answer given, where to change it, and any answer that
no longer applies (said before it is set aside)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from riskcheck.journey import Page, current_answers, is_checklist_item
from riskcheck.questionnaire import Questionnaire


@dataclass(frozen=True)
class ReviewRow:
    question_id: str
    text: str
    #: the answer as the patient reads it; None when not answered
    answer: str | None
    required: bool
    #: the step to change it on
    step_id: str
    #: the tick boxes of a group left unticked, listed together in this one row
    unticked: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReviewPage:
    section_id: str
    title: str
    rows: tuple[ReviewRow, ...]


def review_rows(
    q: Questionnaire, pages: list[Page], stored: dict[str, Any], today: datetime.date
) -> list[ReviewPage]:
    """The answers section by section (follow-up steps with their section), only for the
    questions the answers so far ask; each group's unticked boxes folded into one row."""
    answers = current_answers(q, stored, today)
    shown = set(answers.shown)
    sections: dict[str, tuple[str, list[ReviewRow]]] = {}
    for page in pages:
        _, rows = sections.setdefault(page.section.id, (page.section.title, []))
        unticked: list[str] = []
        for entry in page.questions:
            qid = entry.question.id
            if qid not in shown:
                continue
            value = answers.values.get(qid)
            if is_checklist_item(entry) and not value:
                unticked.append(entry.question.text)
                continue
            _fold(rows, unticked, page.id)
            answer = None if value is None else entry.kind.display(entry.question, value)
            rows.append(
                ReviewRow(qid, entry.question.text, answer, not entry.question.optional, page.id)
            )
        _fold(rows, unticked, page.id)
    return [ReviewPage(sid, title, tuple(rows)) for sid, (title, rows) in sections.items()]


def _fold(rows: list[ReviewRow], unticked: list[str], step_id: str) -> None:
    """Add one row for the unticked boxes gathered so far, and start again."""
    if unticked:
        rows.append(ReviewRow("", "", None, False, step_id, unticked=tuple(unticked)))
        unticked.clear()


@dataclass(frozen=True)
class SetAside:
    """An answer given to a question that no longer applies: it will not be used."""

    question_id: str
    text: str
    answer: str


def set_aside_rows(
    q: Questionnaire, stored: dict[str, Any], today: datetime.date
) -> list[SetAside]:
    """The answers that a later change made no longer apply, in the order asked."""
    answers = current_answers(q, stored, today)
    return [
        SetAside(
            qid,
            q.questions[qid].question.text,
            q.questions[qid].kind.display(q.questions[qid].question, value),
        )
        for qid, value in answers.set_aside.items()
    ]
