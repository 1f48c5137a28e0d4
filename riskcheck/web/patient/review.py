"""The rows of the review page: every answer given, where to change it, and any answer that
no longer applies (said before it is set aside)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
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
    questions the answers so far ask. In each group of tick boxes the ticked ones come
    first, one row each, then one row listing the boxes left unticked."""
    answers = current_answers(q, stored, today)
    shown = set(answers.shown)
    sections: dict[str, tuple[str, list[ReviewRow]]] = {}
    for page in pages:
        _, rows = sections.setdefault(page.section.id, (page.section.title, []))
        group: list[ReviewRow] = []  # the tick boxes of the group being read
        for entry in page.questions:
            qid = entry.question.id
            if qid not in shown:
                continue
            value = answers.values.get(qid)
            answer = None if value is None else entry.kind.display(entry.question, value)
            row = ReviewRow(qid, entry.question.text, answer, not entry.question.optional, page.id)
            if is_checklist_item(entry):
                group.append(row if value else replace(row, answer=None))
                continue
            rows.extend(_folded(group, page.id))
            group = []
            rows.append(row)
        rows.extend(_folded(group, page.id))
    return [ReviewPage(sid, title, tuple(rows)) for sid, (title, rows) in sections.items()]


def _folded(group: list[ReviewRow], step_id: str) -> list[ReviewRow]:
    """A group of tick boxes: the ticked ones, then one row for two or more left unticked
    (a single unticked box keeps its own row, answered No)."""
    ticked = [row for row in group if row.answer is not None]
    unticked = [row for row in group if row.answer is None]
    if len(unticked) == 1:
        return [*ticked, replace(unticked[0], answer="No")]
    folded = [ReviewRow("", "", None, False, step_id, unticked=tuple(r.text for r in unticked))]
    return [*ticked, *(folded if unticked else [])]


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
