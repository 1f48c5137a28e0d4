"""Patient pages: landing, start, one page per section, review, results."""

from __future__ import annotations

import datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from riskcheck import journey
from riskcheck.answers import resolve
from riskcheck.errors import AnswerError
from riskcheck.questionnaire import Questionnaire
from riskcheck.reference import new_reference
from riskcheck.report.content import build_report
from riskcheck.report.pdf import render_pdf
from riskcheck.scoring import check_eligibility, evaluate
from riskcheck.web.catalogue import Catalogue
from riskcheck.web.patient import bp, progress
from riskcheck.web.patient.forms import form_data, page_form, submitted_values
from riskcheck.web.patient.review import review_rows

Page = str | Response | tuple[str, int]


def catalogue() -> Catalogue:
    """The questionnaires this app serves."""
    found: Catalogue = current_app.extensions["riskcheck_catalogue"]
    return found


def _questionnaire(questionnaire_id: str) -> Questionnaire:
    questionnaire = catalogue().get(questionnaire_id)
    if questionnaire is None:
        abort(404)
    return questionnaire


def _progress_or_restart(q: Questionnaire) -> progress.Progress | Response:
    found = progress.load(q)
    if found is None:
        flash(
            _("Your answers were not kept: your session may have expired. Please start again."),
            "warning",
        )
        return redirect(url_for("patient.start", questionnaire_id=q.id))
    return found


@bp.get("/")
def index() -> str:
    """Landing page: what riskcheck is and is not, and the questionnaires on offer."""
    return render_template("patient/index.html", questionnaires=catalogue().all())


@bp.get("/healthz")
def liveness() -> tuple[str, int, dict[str, str]]:
    """Liveness probe for load balancers."""
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.get("/q/<questionnaire_id>/")
def start(questionnaire_id: str) -> str:
    """About this questionnaire, and the button to start it."""
    q = _questionnaire(questionnaire_id)
    return render_template("patient/start.html", q=q, in_progress=progress.load(q) is not None)


@bp.post("/q/<questionnaire_id>/start")
def begin(questionnaire_id: str) -> Response:
    """Start (or start again): forget earlier answers and go to the first page."""
    q = _questionnaire(questionnaire_id)
    if request.form.get("action") != "continue" or progress.load(q) is None:
        progress.save(progress.Progress(q.id))
    stored = progress.load(q)
    assert stored is not None  # noqa: S101 - saved just above
    pages = journey.pages(q, stored.answers, datetime.date.today())
    return redirect(
        url_for("patient.answer_page", questionnaire_id=q.id, section_id=pages[0].section.id)
    )


@bp.route("/q/<questionnaire_id>/p/<section_id>", methods=["GET", "POST"])
def answer_page(questionnaire_id: str, section_id: str) -> Page:
    """One page of questions; Next saves and moves on, Back saves what is valid and goes back."""
    q = _questionnaire(questionnaire_id)
    state = _progress_or_restart(q)
    if isinstance(state, Response):
        return state
    today = state.today
    pages = journey.pages(q, state.answers, today)
    page = journey.find_page(pages, section_id)
    if page is None:  # not a page, or no longer shown because of an answer
        return redirect(url_for("patient.review", questionnaire_id=q.id))
    form = page_form(q.sha256, page, data=form_data(page, state.answers))
    errors: dict[str, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        going_back = request.form.get("action") == "back"
        state.answers, errors = journey.save_page(
            q,
            page,
            state.answers,
            submitted_values(form, page),
            today,
            check_required=not going_back,
        )
        state.reference = None  # answers changed: the result must be worked out again
        progress.save(state)
        if going_back:
            return redirect(_neighbour(q, state, page, -1))
        if not errors:
            return redirect(_neighbour(q, state, page, +1))
    status = 200 if not errors else 400
    return render_template(
        "patient/page.html", q=q, page=page, form=form, errors=errors, answers=state.answers
    ), status


def _neighbour(q: Questionnaire, state: progress.Progress, page: journey.Page, step: int) -> str:
    answers = resolve(
        q,
        {k: v for k, v in state.answers.items() if k in q.questions},
        today=state.today,
        partial=True,
    )
    if step > 0 and check_eligibility(q, answers):
        return url_for("patient.not_eligible", questionnaire_id=q.id)
    pages = journey.pages(q, state.answers, state.today)
    ids = [p.section.id for p in pages]
    position = ids.index(page.section.id) if page.section.id in ids else -1
    target = position + step
    if target < 0:
        return url_for("patient.start", questionnaire_id=q.id)
    if target >= len(pages):
        return url_for("patient.review", questionnaire_id=q.id)
    return url_for(
        "patient.answer_page", questionnaire_id=q.id, section_id=pages[target].section.id
    )


@bp.route("/q/<questionnaire_id>/review", methods=["GET", "POST"])
def review(questionnaire_id: str) -> Page:
    """Every answer with a link to change it; confirming shows the results."""
    q = _questionnaire(questionnaire_id)
    state = _progress_or_restart(q)
    if isinstance(state, Response):
        return state
    incomplete = journey.first_incomplete(q, state.answers, state.today)
    if request.method == "POST" and incomplete is None:
        state.reference = state.reference or new_reference()
        state.day = state.today.isoformat()
        progress.save(state)
        return redirect(url_for("patient.result", questionnaire_id=q.id))
    pages = journey.pages(q, state.answers, state.today)
    return render_template(
        "patient/review.html",
        q=q,
        rows=review_rows(q, pages, state.answers, state.today),
        incomplete=incomplete,
        total_pages=len(pages),
    )


@bp.get("/q/<questionnaire_id>/not-for-you")
def not_eligible(questionnaire_id: str) -> Page:
    """This questionnaire is not the right tool for these answers: where to go instead."""
    q = _questionnaire(questionnaire_id)
    state = _progress_or_restart(q)
    if isinstance(state, Response):
        return state
    outcome = evaluate(q, journey.current_answers(q, state.answers, state.today))
    if outcome.ineligible is None:
        return redirect(url_for("patient.start", questionnaire_id=q.id))
    other = catalogue().get(outcome.ineligible.redirect_questionnaire or "")
    return render_template(
        "patient/not_eligible.html", q=q, ineligible=outcome.ineligible, other=other, result=outcome
    )


@bp.get("/q/<questionnaire_id>/result")
def result(questionnaire_id: str) -> Page:
    """The result: how soon to act, why, next steps, scales, sources, disclaimer."""
    q = _questionnaire(questionnaire_id)
    state = _progress_or_restart(q)
    if isinstance(state, Response):
        return state
    if state.reference is None:
        return redirect(url_for("patient.review", questionnaire_id=q.id))
    try:
        answers = resolve(
            q, {k: v for k, v in state.answers.items() if k in q.questions}, today=state.today
        )
    except AnswerError:
        return redirect(url_for("patient.review", questionnaire_id=q.id))
    outcome = evaluate(q, answers)
    if not outcome.eligible:
        return redirect(url_for("patient.not_eligible", questionnaire_id=q.id))
    return render_template("patient/result.html", q=q, result=outcome, reference=state.reference)


@bp.post("/q/<questionnaire_id>/restart")
def restart(questionnaire_id: str) -> Response:
    """Forget every answer and go back to the landing page."""
    _questionnaire(questionnaire_id)
    progress.clear()
    flash(_("Your answers have been cleared."), "info")
    return redirect(url_for("patient.index"))


@bp.post("/q/<questionnaire_id>/summary.pdf")
def summary_pdf(questionnaire_id: str) -> Page:
    """The PDF summary of the result; name and date of birth are printed, never stored."""
    q = _questionnaire(questionnaire_id)
    state = _progress_or_restart(q)
    if isinstance(state, Response):
        return state
    if state.reference is None:
        return redirect(url_for("patient.review", questionnaire_id=q.id))
    try:
        answers = resolve(
            q, {k: v for k, v in state.answers.items() if k in q.questions}, today=state.today
        )
    except AnswerError:
        return redirect(url_for("patient.review", questionnaire_id=q.id))
    form = request.form
    report = build_report(
        evaluate(q, answers),
        reference=state.reference,
        created=format_datetime(datetime.datetime.now(), "medium"),
        name=form.get("name", "")[:120],
        birth_date=form.get("birth_date", "")[:40],
        translate=_,
    )
    response = Response(render_pdf(report), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="riskcheck-{q.id}-{state.today.isoformat()}.pdf"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
