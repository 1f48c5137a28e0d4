"""A questionnaire taken page by page: which pages and questions to show, and saving a page.

Answers in progress are kept in the JSON answer format (the same as the API's), so that
they can live in a signed cookie or a database row. Pure functions; no Flask.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from riskcheck.answers import REQUIRED_MESSAGE, Answers, is_empty, resolve
from riskcheck.errors import AnswerError
from riskcheck.model import MultipleChoiceQuestion, Section, YesNoQuestion
from riskcheck.questionnaire import QuestionEntry, Questionnaire
from riskcheck.questions import InvalidAnswer


def to_json(value: Any) -> Any:
    """An answer value in the JSON answer format (sets as sorted lists, dates as ISO)."""
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def current_answers(q: Questionnaire, stored: Mapping[str, Any], today: datetime.date) -> Answers:
    """The stored answers checked leniently (a questionnaire in progress)."""
    try:
        return resolve(q, _known(q, stored), today=today, partial=True)
    except AnswerError as exc:  # a stored answer no longer fits (e.g. the definition changed)
        bad = {p.question for p in exc.problems}
        kept = {k: v for k, v in _known(q, stored).items() if k not in bad}
        return resolve(q, kept, today=today, partial=True)


def _known(q: Questionnaire, stored: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in stored.items() if k in q.questions}


def is_checklist_item(entry: QuestionEntry) -> bool:
    """A yes/no question whose unanswered value is no: shown as a tick box."""
    question = entry.question
    return isinstance(question, YesNoQuestion) and question.default is False


@dataclass(frozen=True)
class Page:
    """A section as the patient meets it: its position and the questions on it."""

    section: Section
    number: int
    total: int
    questions: tuple[QuestionEntry, ...]


def pages(q: Questionnaire, stored: Mapping[str, Any], today: datetime.date) -> list[Page]:
    """The pages to show, given the answers so far; a page with no question to show is skipped."""
    answers = current_answers(q, stored, today)
    found = []
    for section in q.sections:
        questions = page_questions(q, section, answers)
        if questions:
            found.append((section, questions))
    return [Page(s, i + 1, len(found), tuple(qs)) for i, (s, qs) in enumerate(found)]


def page_questions(q: Questionnaire, section: Section, answers: Answers) -> list[QuestionEntry]:
    """The questions of ``section`` to put on the page.

    Conditions are evaluated with this page's own answers unknown: a question whose
    condition depends on an answer on the same page is shown (three-valued logic makes
    its condition unknown rather than false), so the page works without JavaScript.
    """
    values = dict(answers.values)
    entries = [e for e in q.questions.values() if e.section.id == section.id]
    for entry in entries:
        values[entry.question.id] = None
    condition = q.section_show_if.get(section.id)
    if condition is not None and condition.evaluate(values, answers.today) is not True:
        return []
    return [
        e
        for e in entries
        if e.show_if is None or e.show_if.evaluate(values, answers.today) is not False
    ]


def find_page(all_pages: list[Page], section_id: str) -> Page | None:
    """The page of ``section_id`` among ``all_pages``."""
    return next((p for p in all_pages if p.section.id == section_id), None)


def save_page(
    q: Questionnaire,
    page: Page,
    stored: Mapping[str, Any],
    submitted: Mapping[str, Any],
    today: datetime.date,
    *,
    check_required: bool = True,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Merge a submitted page into the stored answers.

    Returns the new stored answers and an error message per question id. Questions that
    the page's own answers hide are dropped. Invalid answers are never stored; valid ones
    are stored even when others on the page are wrong (going back loses nothing).
    """
    new = dict(stored)
    errors: dict[str, str] = {}
    values = dict(current_answers(q, stored, today).values)
    for entry in page.questions:
        question, qid = entry.question, entry.question.id
        values[qid] = None
        new.pop(qid, None)
        if entry.show_if is not None and entry.show_if.evaluate(values, today) is not True:
            continue  # hidden by an answer on this page
        raw = submitted.get(qid)
        if is_empty(raw):
            if is_checklist_item(entry):
                new[qid], values[qid] = False, False
            elif isinstance(question, MultipleChoiceQuestion) and question.optional:
                new[qid], values[qid] = [], frozenset()
            elif check_required and not question.optional:
                errors[qid] = REQUIRED_MESSAGE
            continue
        try:
            value = entry.kind.parse(question, raw, today)
        except InvalidAnswer as exc:
            errors[qid] = str(exc)
            continue
        values[qid] = value
        new[qid] = to_json(value)
    return new, errors


def first_incomplete(
    q: Questionnaire, stored: Mapping[str, Any], today: datetime.date
) -> Page | None:
    """The first page with a required question still unanswered, if any."""
    all_pages = pages(q, stored, today)
    try:
        resolve(q, _known(q, stored), today=today)
    except AnswerError as exc:
        missing = {p.question for p in exc.problems}
        for page in all_pages:
            if any(e.question.id in missing for e in page.questions):
                return page
        return all_pages[0] if all_pages else None
    return None
