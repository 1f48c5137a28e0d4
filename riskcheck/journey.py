"""A questionnaire taken step by step: which steps to show, saving a step, what comes next.

A section is asked as one step. A question whose ``show_if`` depends on an answer on its
own page cannot be decided before that page is posted, so it is asked on a follow-up step
right after it, and only when its condition holds: no question is ever shown that does
not apply, and every answer on a shown question counts. After every step the rules
declared as interruptions are checked with the answers given so far (an answer not yet
given is unknown and fires none): the journey, not the view, decides what comes next.

Answers in progress are kept in the JSON answer format (the same as the API's). Pure
functions; no Flask.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from riskcheck.answers import Answers, check_answers, is_empty, resolve
from riskcheck.errors import AnswerError
from riskcheck.model import MultipleChoiceQuestion, Section, YesNoQuestion
from riskcheck.questionnaire import QuestionEntry, Questionnaire
from riskcheck.questions import InvalidAnswer
from riskcheck.result import Interruption, Result
from riskcheck.scoring import check_eligibility, evaluate


def to_json(value: Any) -> Any:
    """An answer value in the JSON answer format (sets as sorted lists, dates as ISO)."""
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def current_answers(q: Questionnaire, stored: Mapping[str, Any], today: datetime.date) -> Answers:
    """The stored answers checked leniently (a questionnaire in progress)."""
    known = _known(q, stored)
    try:
        return resolve(q, known, today=today, partial=True)
    except AnswerError as exc:  # a stored answer no longer fits (e.g. the definition changed)
        bad = {p.question for p in exc.problems}
        return resolve(
            q, {k: v for k, v in known.items() if k not in bad}, today=today, partial=True
        )


def answers_so_far(q: Questionnaire, stored: Mapping[str, Any], today: datetime.date) -> Answers:
    """The answers given so far: a question not yet answered is unknown, even a tick box
    (whose unticked value is no only once its page was posted)."""
    return _so_far(q, stored, current_answers(q, stored, today))


def _so_far(q: Questionnaire, stored: Mapping[str, Any], answers: Answers) -> Answers:
    questions = q.questions
    values = {
        name: (None if name in questions and name not in stored else value)
        for name, value in answers.values.items()
    }
    shown = tuple(name for name in answers.shown if name in stored)
    return Answers(values, shown, answers.today, answers.set_aside)


def _known(q: Questionnaire, stored: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in stored.items() if k in q.questions}


def is_checklist_item(entry: QuestionEntry) -> bool:
    """A yes/no question whose unanswered value is no: shown as a tick box."""
    question = entry.question
    return isinstance(question, YesNoQuestion) and question.default is False


# -- steps ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One step as the patient meets it: a section's page, or a follow-up step of it."""

    section: Section
    #: the section's position among the sections shown, and how many there are
    number: int
    total: int
    questions: tuple[QuestionEntry, ...]
    #: 0 for the section's own page; 1, 2 ... for the follow-up steps after it
    part: int = 0

    @property
    def id(self) -> str:
        """The step's id in URLs: the section id, then ``-2``, ``-3`` for follow-up steps."""
        return self.section.id if self.part == 0 else f"{self.section.id}-{self.part + 1}"

    @property
    def is_follow_up(self) -> bool:
        return self.part > 0


def follow_up_level(q: Questionnaire, question_id: str) -> int:
    """0 for a question asked on its section's page; n for the n-th follow-up step, when its
    show_if depends on an answer given on the same section's step n - 1."""
    levels: dict[str, int] | None = q.caches.get("follow_up_levels")
    if levels is None:
        levels = {}
        for qid, entry in q.questions.items():  # in asking order: dependencies come first
            names = entry.show_if.names if entry.show_if is not None else ()
            same_page = [
                levels[n]
                for n in names
                if n in q.questions and q.questions[n].section.id == entry.section.id
            ]
            levels[qid] = max(same_page) + 1 if same_page else 0
        q.caches["follow_up_levels"] = levels
    return levels[question_id]


def pages(q: Questionnaire, stored: Mapping[str, Any], today: datetime.date) -> list[Page]:
    """The steps to take, given the answers so far, in order.

    A question is asked exactly when scoring counts its answer (the same evaluation of
    show_if), so nothing asked is ever set aside. A step with no question to show is skipped.
    """
    return _pages(q, current_answers(q, stored, today))


def _pages(q: Questionnaire, answers: Answers) -> list[Page]:
    groups: dict[tuple[str, int], list[QuestionEntry]] = {}
    for qid in answers.shown:
        entry = q.questions[qid]
        groups.setdefault((entry.section.id, follow_up_level(q, qid)), []).append(entry)
    section_ids = list(dict.fromkeys(section for section, _ in groups))
    found = []
    for (section_id, part), entries in groups.items():
        number = section_ids.index(section_id) + 1
        found.append(Page(entries[0].section, number, len(section_ids), tuple(entries), part))
    order = {s.id: i for i, s in enumerate(q.sections)}
    return sorted(found, key=lambda p: (order[p.section.id], p.part))


def follow_up_cause(
    q: Questionnaire, page: Page, stored: Mapping[str, Any], today: datetime.date
) -> list[tuple[str, str]]:
    """For a follow-up step, the answers on its section that opened it: (question, answer)."""
    if not page.is_follow_up:
        return []
    names = dict.fromkeys(
        name
        for entry in page.questions
        if entry.show_if is not None
        for name in entry.show_if.names
        if name in q.questions and q.questions[name].section.id == page.section.id
    )
    values = current_answers(q, stored, today).values
    return [
        (q.questions[n].question.text, q.questions[n].kind.display(q.questions[n].question, v))
        for n in names
        if (v := values.get(n)) is not None
    ]


def find_page(all_pages: list[Page], step_id: str) -> Page | None:
    """The step with this id among ``all_pages``."""
    return next((p for p in all_pages if p.id == step_id), None)


def page_of(all_pages: list[Page], question_id: str) -> Page | None:
    """The step that asks ``question_id``."""
    return next(
        (p for p in all_pages if any(e.question.id == question_id for e in p.questions)), None
    )


def save_page(
    q: Questionnaire,
    page: Page,
    stored: Mapping[str, Any],
    submitted: Mapping[str, Any],
    today: datetime.date,
    *,
    check_required: bool = True,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Merge a submitted step into the stored answers.

    Returns the new stored answers and an error message per question id. Every question on
    a step applies (its condition was decided before the step), so every answer given is
    kept. Invalid answers are never stored; valid ones are stored even when others on the
    step are wrong (going back loses nothing).
    """
    new = dict(stored)
    errors: dict[str, str] = {}
    values = dict(current_answers(q, stored, today).values)
    for entry in page.questions:
        question, qid = entry.question, entry.question.id
        new.pop(qid, None)
        values[qid] = None
        raw = submitted.get(qid)
        if is_empty(raw):
            if is_checklist_item(entry):
                new[qid], values[qid] = False, False
            elif isinstance(question, MultipleChoiceQuestion) and question.optional:
                new[qid], values[qid] = [], frozenset()
            elif check_required and not question.optional:
                errors[qid] = entry.kind.required_message(question)
            continue
        try:
            value = entry.kind.parse(question, raw, today)
        except InvalidAnswer as exc:
            errors[qid] = str(exc)
            continue
        values[qid] = value
        new[qid] = to_json(value)
    on_page = {e.question.id for e in page.questions}
    for problem in check_answers(q, values, today, on_page):
        if problem.question not in errors:
            errors[problem.question] = problem.message
            new.pop(problem.question, None)  # refused answers are never stored
    return new, errors


def first_incomplete(
    q: Questionnaire, stored: Mapping[str, Any], today: datetime.date
) -> Page | None:
    """The first step with a required question still unanswered (or refused), if any."""
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


# -- what comes next --------------------------------------------------------------------------


def interruptions(
    q: Questionnaire, stored: Mapping[str, Any], today: datetime.date
) -> tuple[Interruption, ...]:
    """The interruptions that the answers given so far fire (unknown answers fire none)."""
    return evaluate(q, answers_so_far(q, stored, today), complete=False).interruptions


@dataclass(frozen=True)
class Next:
    """Where the journey goes after a step: an interruption, the not-eligible page, a step
    (its id) or the review page."""

    kind: str  # "interruption", "not_eligible", "page" or "review"
    page_id: str | None = None
    #: the rules whose interruptions the answers so far fire (acknowledged or not)
    fired: tuple[str, ...] = field(default=(), compare=False)


def next_after(
    q: Questionnaire,
    stored: Mapping[str, Any],
    today: datetime.date,
    step_id: str,
    *,
    acknowledged: frozenset[str] = frozenset(),
    changing: bool = False,
) -> Next:
    """What follows the step ``step_id`` that was just answered.

    An interruption not yet acknowledged comes first, before any further question (an
    emergency is never held back, not even by eligibility). Then the not-eligible page.
    When ``changing`` an answer from the review page: the follow-up steps the change opens,
    then any step still incomplete, then the review page. Otherwise the next step.
    """
    answers = current_answers(q, stored, today)  # worked out once for all that follows
    so_far = _so_far(q, stored, answers)
    fired = tuple(i.rule for i in evaluate(q, so_far, complete=False).interruptions)

    def go(kind: str, page_id: str | None = None) -> Next:
        return Next(kind, page_id, fired)

    if any(rule not in acknowledged for rule in fired):
        return go("interruption")
    if check_eligibility(q, answers):
        return go("not_eligible")
    all_pages = _pages(q, answers)
    ids = [p.id for p in all_pages]
    position = ids.index(step_id) if step_id in ids else -1
    following = all_pages[position + 1] if 0 <= position < len(all_pages) - 1 else None
    if changing:
        current = all_pages[position] if position >= 0 else None
        if (
            following
            and current
            and following.section.id == current.section.id
            and any(e.question.id not in stored for e in following.questions)
        ):
            return go("page", following.id)  # a follow-up the change opened
        incomplete = first_incomplete(q, stored, today)
        return go("page", incomplete.id) if incomplete else go("review")
    if position < 0:
        incomplete = first_incomplete(q, stored, today)
        return go("page", incomplete.id) if incomplete else go("review")
    return go("page", following.id) if following else go("review")


def previous_page(all_pages: list[Page], step_id: str) -> str | None:
    """The id of the step before ``step_id`` among ``all_pages``, or None for the first."""
    ids = [p.id for p in all_pages]
    if step_id not in ids:
        return ids[-1] if ids else None
    index = ids.index(step_id)
    return ids[index - 1] if index > 0 else None


def result_so_far(q: Questionnaire, stored: Mapping[str, Any], today: datetime.date) -> Result:
    """The result of the answers given so far, for a patient who stopped to get help: no
    unanswered question is assumed either way."""
    return evaluate(q, answers_so_far(q, stored, today), complete=False)
