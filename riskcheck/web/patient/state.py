"""The journey a request belongs to, and keeping its response: shared by the patient views."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from riskcheck import journey
from riskcheck.answers import resolve
from riskcheck.contacts import RegionContacts, contacts_for
from riskcheck.errors import AnswerError
from riskcheck.questionnaire import Questionnaire
from riskcheck.reference import new_reference
from riskcheck.result import Result
from riskcheck.scoring import evaluate
from riskcheck.web.catalogue import Served
from riskcheck.web.catalogue import current_catalogue as catalogue
from riskcheck.web.catalogue import current_store as store
from riskcheck.web.patient import progress

#: the session key that remembers a questionnaire the patient started again
CLEARED = "cleared"


def published(questionnaire_id: str) -> Served:
    """The version patients get now (404 when there is none)."""
    served = catalogue().published(questionnaire_id)
    if served is None:
        abort(404)
    return served


def current_journey(questionnaire_id: str) -> tuple[Questionnaire, progress.Progress] | Response:
    """The version this patient started (answers stay pinned to it) and their progress.

    A clinician's preview of a draft runs through the same pages, pinned to the draft.
    """
    state = progress.load(questionnaire_id)
    if state is None:
        published(questionnaire_id)  # 404 for a questionnaire patients cannot take
    # A journey in progress continues on its pinned version (one query, not two).
    pinned = catalogue().by_row(state.row) if state is not None and state.row else None
    if state is None or pinned is None:
        if session.get(CLEARED) != questionnaire_id:  # not simply after "Start again"
            flash(
                _("Your answers were not kept: your session may have expired. Please start again."),
                "warning",
            )
        return redirect(url_for("patient.start", questionnaire_id=questionnaire_id))
    return pinned.questionnaire, state


def finished_journey(
    questionnaire_id: str,
) -> tuple[Questionnaire, progress.Progress, Result] | Response:
    """A finished journey and its result, or where to go when it is not finished."""
    found = current_journey(questionnaire_id)
    if isinstance(found, Response):
        return found
    q, state = found
    if state.reference is None:
        return redirect(url_for("patient.review", questionnaire_id=q.id))
    if state.ended:
        return q, state, journey.result_so_far(q, state.known_answers(q), state.today)
    try:
        answers = resolve(q, state.known_answers(q), today=state.today)
    except AnswerError:
        return redirect(url_for("patient.review", questionnaire_id=q.id))
    return q, state, evaluate(q, answers)


def region_contacts(contact_ids: tuple[str, ...] | list[str]) -> list[RegionContacts]:
    """The contacts named, for each region this deployment serves."""
    return contacts_for(current_app.config["RISKCHECK_SETTINGS"].regions, contact_ids)


def store_response(
    q: Questionnaire, state: progress.Progress, outcome: Result | None = None
) -> None:
    """Keep the answers and result with a new reference code (nothing personal).
    A preview stores nothing."""
    state.day = state.today.isoformat()
    if state.preview:
        state.reference = state.reference or new_reference()
        progress.save(state)
        return
    answers = state.known_answers(q)
    if outcome is None:
        outcome = evaluate(q, resolve(q, answers, today=state.today))
    # The code chosen when the review page was shown: if this confirmation is a retry of one
    # that was stored but whose answer never arrived (a 503 after the commit, a worker
    # killed mid-request), add() finds the code already stored and nothing is duplicated.
    reference = state.reference or state.pending or new_reference()
    assert state.row is not None  # noqa: S101 - a journey always has its version row
    store().responses.add(
        reference=reference,
        version_row_id=state.row,
        questionnaire_id=q.id,
        version=q.version,
        answers=answers,
        result=outcome.to_dict(),
    )
    state.reference, state.pending = reference, None
    progress.save(state)


def step_url(questionnaire_id: str, step_id: str | None, *, changing: bool = False) -> str:
    """The URL of a step (or of the review page, for None)."""
    if step_id is None:
        return url_for("patient.review", questionnaire_id=questionnaire_id)
    args = {"change": "1"} if changing else {}
    return url_for(
        "patient.answer_page", questionnaire_id=questionnaire_id, section_id=step_id, **args
    )
