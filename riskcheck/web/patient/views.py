"""Patient pages: landing, start, one page per section, review, results, PDF."""

from __future__ import annotations

import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from riskcheck import journey
from riskcheck.answers import resolve
from riskcheck.errors import AnswerError
from riskcheck.questionnaire import Questionnaire
from riskcheck.reference import new_reference
from riskcheck.report.content import build_report
from riskcheck.report.dates import BirthDateError, parse_birth_date
from riskcheck.report.pdf import render_pdf
from riskcheck.result import Result
from riskcheck.scoring import check_eligibility, evaluate
from riskcheck.web.catalogue import Served
from riskcheck.web.catalogue import current_catalogue as catalogue
from riskcheck.web.catalogue import current_store as store
from riskcheck.web.patient import bp, progress
from riskcheck.web.patient.forms import StoredValues, form_data, page_form, submitted_values
from riskcheck.web.patient.review import review_rows

Page = str | Response | tuple[str, int]


def _published(questionnaire_id: str) -> Served:
    served = catalogue().published(questionnaire_id)
    if served is None:
        abort(404)
    return served


def _journey(questionnaire_id: str) -> tuple[Questionnaire, progress.Progress] | Response:
    """The version this patient started (answers stay pinned to it) and their progress.

    A clinician's preview of a draft runs through the same pages, pinned to the draft.
    """
    state = progress.load(questionnaire_id)
    if state is None:
        _published(questionnaire_id)  # 404 for a questionnaire patients cannot take
    # A journey in progress continues on its pinned version (one query, not two).
    pinned = catalogue().by_row(state.row) if state is not None and state.row else None
    if state is None or pinned is None:
        flash(
            _("Your answers were not kept: your session may have expired. Please start again."),
            "warning",
        )
        return redirect(url_for("patient.start", questionnaire_id=questionnaire_id))
    return pinned.questionnaire, state


def _finished(
    questionnaire_id: str,
) -> tuple[Questionnaire, progress.Progress, Result] | Response:
    """A finished journey and its result, or where to go when it is not finished."""
    found = _journey(questionnaire_id)
    if isinstance(found, Response):
        return found
    q, state = found
    if state.reference is None:
        return redirect(url_for("patient.review", questionnaire_id=q.id))
    try:
        answers = resolve(q, state.known_answers(q), today=state.today)
    except AnswerError:
        return redirect(url_for("patient.review", questionnaire_id=q.id))
    return q, state, evaluate(q, answers)


@bp.get("/")
def index() -> str:
    """Landing page: what riskcheck is and is not, and the questionnaires on offer."""
    served = catalogue().all()
    return render_template("patient/index.html", questionnaires=[s.questionnaire for s in served])


@bp.get("/healthz")
def liveness() -> tuple[str, int, dict[str, str]]:
    """Liveness probe for load balancers: the process answers."""
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/readyz")
def readiness() -> tuple[str, int, dict[str, str]]:
    """Readiness probe: the database answers."""
    headers = {"Content-Type": "text/plain; charset=utf-8"}
    if store().is_ready():
        return "ready\n", 200, headers
    return "database unavailable\n", 503, headers


@bp.get("/q/<questionnaire_id>/")
def start(questionnaire_id: str) -> str:
    """About this questionnaire, and the button to start it."""
    q = _published(questionnaire_id).questionnaire
    return render_template("patient/start.html", q=q, in_progress=progress.load(q) is not None)


@bp.post("/q/<questionnaire_id>/start")
def begin(questionnaire_id: str) -> Response:
    """Start (or start again) on the published version; Continue keeps earlier answers."""
    served = _published(questionnaire_id)
    state = progress.load(served.questionnaire)
    keep = request.form.get("action") == "continue" and state is not None and state.row
    pinned = catalogue().by_row(state.row) if keep and state and state.row else None
    if state is None or pinned is None:
        state, pinned = progress.Progress(questionnaire_id, row=served.row_id), served
        progress.save(state)
    first = journey.pages(pinned.questionnaire, state.answers, state.today)[0]
    return redirect(
        url_for(
            "patient.answer_page", questionnaire_id=questionnaire_id, section_id=first.section.id
        )
    )


@bp.route("/q/<questionnaire_id>/p/<section_id>", methods=["GET", "POST"])
def answer_page(questionnaire_id: str, section_id: str) -> Page:
    """One page of questions; Next saves and moves on, Back saves what is valid and goes back."""
    found = _journey(questionnaire_id)
    if isinstance(found, Response):
        return found
    q, state = found
    page = journey.find_page(journey.pages(q, state.answers, state.today), section_id)
    if page is None:  # not a page, or no longer shown because of an answer
        return redirect(url_for("patient.review", questionnaire_id=q.id))
    stored = form_data(page, state.answers)
    # GET shows the stored answers; only a POST needs the form (its data and CSRF check).
    form = (
        page_form(q.sha256, page, data=stored) if request.method == "POST" else StoredValues(stored)
    )
    errors: dict[str, str] = {}
    if isinstance(form, FlaskForm) and form.validate_on_submit():
        going_back = request.form.get("action") == "back"
        state.answers, errors = journey.save_page(
            q,
            page,
            state.answers,
            submitted_values(form, page),
            state.today,
            check_required=not going_back,
        )
        state.reference = None  # answers changed: the result must be worked out again
        state.pending = None  # and stored under a new reference code
        progress.save(state)
        if going_back or not errors:
            return redirect(_neighbour(q, state, page, -1 if going_back else +1))
    return render_template(
        "patient/page.html", q=q, page=page, form=form, errors=errors, answers=state.answers
    ), (400 if errors else 200)


def _neighbour(q: Questionnaire, state: progress.Progress, page: journey.Page, step: int) -> str:
    answers = resolve(q, state.known_answers(q), today=state.today, partial=True)
    if step > 0 and check_eligibility(q, answers):
        return url_for("patient.not_eligible", questionnaire_id=q.id)
    ids = [p.section.id for p in journey.pages(q, state.answers, state.today)]
    target = (ids.index(page.section.id) if page.section.id in ids else -1) + step
    if target < 0:
        return url_for("patient.start", questionnaire_id=q.id)
    if target >= len(ids):
        return url_for("patient.review", questionnaire_id=q.id)
    return url_for("patient.answer_page", questionnaire_id=q.id, section_id=ids[target])


@bp.route("/q/<questionnaire_id>/review", methods=["GET", "POST"])
def review(questionnaire_id: str) -> Page:
    """Every answer with a link to change it; confirming stores the response and shows it."""
    found = _journey(questionnaire_id)
    if isinstance(found, Response):
        return found
    q, state = found
    incomplete = journey.first_incomplete(q, state.answers, state.today)
    if request.method == "POST" and incomplete is None:
        _store_response(q, state)
        return redirect(url_for("patient.result", questionnaire_id=q.id))
    if not state.preview and state.reference is None and state.pending is None:
        state.pending = new_reference()  # confirming twice stores once (see _store_response)
        progress.save(state)
    pages = journey.pages(q, state.answers, state.today)
    return render_template(
        "patient/review.html",
        q=q,
        rows=review_rows(q, pages, state.answers, state.today),
        incomplete=incomplete,
        total_pages=len(pages),
    )


def _store_response(q: Questionnaire, state: progress.Progress) -> None:
    """Keep the answers and result with a new reference code (nothing personal).
    A preview stores nothing."""
    state.day = state.today.isoformat()
    if state.preview:
        state.reference = state.reference or new_reference()
        progress.save(state)
        return
    answers = state.known_answers(q)
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


@bp.get("/q/<questionnaire_id>/not-for-you")
def not_eligible(questionnaire_id: str) -> Page:
    """This questionnaire is not the right tool for these answers: where to go instead."""
    found = _journey(questionnaire_id)
    if isinstance(found, Response):
        return found
    q, state = found
    outcome = evaluate(q, journey.current_answers(q, state.answers, state.today))
    if outcome.ineligible is None:
        return redirect(url_for("patient.start", questionnaire_id=q.id))
    other = catalogue().published(outcome.ineligible.redirect_questionnaire or "")
    return render_template(
        "patient/not_eligible.html",
        q=q,
        ineligible=outcome.ineligible,
        other=other.questionnaire if other else None,
        result=outcome,
    )


@bp.get("/q/<questionnaire_id>/result")
def result(questionnaire_id: str) -> Page:
    """The result: how soon to act, why, next steps, scales, sources, disclaimer."""
    found = _finished(questionnaire_id)
    if isinstance(found, Response):
        return found
    q, state, outcome = found
    if not outcome.eligible:
        return redirect(url_for("patient.not_eligible", questionnaire_id=q.id))
    return render_template("patient/result.html", q=q, result=outcome, reference=state.reference)


@bp.post("/q/<questionnaire_id>/restart")
def restart(questionnaire_id: str) -> Response:
    """Forget every answer and go back to the landing page."""
    _published(questionnaire_id)
    progress.clear()
    flash(_("Your answers have been cleared."), "info")
    return redirect(url_for("patient.index"))


@bp.post("/q/<questionnaire_id>/summary.pdf")
def summary_pdf(questionnaire_id: str) -> Page:
    """The PDF summary of the result; name and date of birth are printed, never stored."""
    found = _finished(questionnaire_id)
    if isinstance(found, Response):
        return found
    q, state, outcome = found
    assert state.reference is not None  # noqa: S101 - a finished journey has its reference
    name = request.form.get("name", "")[:120]
    try:
        born = parse_birth_date(request.form.get("birth_date", "")[:40], datetime.date.today())
    except BirthDateError as exc:
        return _pdf_form_problem(q, outcome, state.reference, name, _(exc.message))
    report = build_report(
        outcome,
        reference=state.reference,
        created=datetime.datetime.now(),
        name=name,
        birth_date=born,
        translate=_,
        locale=str(get_locale() or "en"),
    )
    return pdf_response(render_pdf(report), f"riskcheck-{q.id}-{state.today.isoformat()}.pdf")


def _pdf_form_problem(
    q: Questionnaire, outcome: Result, reference: str, name: str, message: str
) -> tuple[str, int]:
    """The result page again, the PDF form's problem shown by its field and the name kept."""
    page = render_template(
        "patient/result.html",
        q=q,
        result=outcome,
        reference=reference,
        pdf_error=message,
        pdf_name=name,
    )
    return page, 400


def pdf_response(pdf: bytes, filename: str) -> Response:
    """A PDF download that no cache keeps."""
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
