"""Patient pages: landing, start, review, results and the PDF (the step pages and the
interruption page are in steps.py). The journey (riskcheck.journey) decides what comes
after each step; these views only carry it out."""

from __future__ import annotations

import datetime

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from riskcheck import journey
from riskcheck.questionnaire import Questionnaire
from riskcheck.reference import new_reference
from riskcheck.report.content import build_report
from riskcheck.report.dates import BirthDateError, parse_birth_date
from riskcheck.report.pdf import render_pdf
from riskcheck.result import Result
from riskcheck.scoring import evaluate
from riskcheck.web.catalogue import current_catalogue as catalogue
from riskcheck.web.catalogue import current_store as store
from riskcheck.web.patient import bp, progress
from riskcheck.web.patient.review import review_rows, set_aside_rows
from riskcheck.web.patient.state import (
    CLEARED,
    current_journey,
    finished_journey,
    published,
    region_contacts,
    step_url,
    store_response,
)

Page = str | Response | tuple[str, int]


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
    q = published(questionnaire_id).questionnaire
    return render_template("patient/start.html", q=q, in_progress=progress.load(q) is not None)


@bp.post("/q/<questionnaire_id>/start")
def begin(questionnaire_id: str) -> Response:
    """Start (or start again) on the published version; Continue keeps earlier answers."""
    served = published(questionnaire_id)
    state = progress.load(served.questionnaire)
    keep = request.form.get("action") == "continue" and state is not None and state.row
    pinned = catalogue().by_row(state.row) if keep and state and state.row else None
    if state is None or pinned is None:
        progress.clear()
        state, pinned = progress.Progress(questionnaire_id, row=served.row_id), served
        progress.save(state)
    session.pop(CLEARED, None)
    first = journey.pages(pinned.questionnaire, state.answers, state.today)[0]
    return redirect(step_url(questionnaire_id, first.id))


@bp.route("/q/<questionnaire_id>/review", methods=["GET", "POST"])
def review(questionnaire_id: str) -> Page:
    """Every answer with a link to change it; confirming stores the response and shows it."""
    found = current_journey(questionnaire_id)
    if isinstance(found, Response):
        return found
    q, state = found
    incomplete = journey.first_incomplete(q, state.answers, state.today)
    if request.method == "POST":
        if incomplete is None and FlaskForm().validate_on_submit():
            state.ended = False
            store_response(q, state)
            return redirect(url_for("patient.result", questionnaire_id=q.id))
        return redirect(url_for("patient.review", questionnaire_id=q.id))
    if not state.preview and state.reference is None and state.pending is None:
        state.pending = new_reference()  # confirming twice stores once (see _store_response)
        progress.save(state)
    pages = journey.pages(q, state.answers, state.today)
    return render_template(
        "patient/review.html",
        q=q,
        rows=review_rows(q, pages, state.answers, state.today),
        set_aside=set_aside_rows(q, state.answers, state.today),
        incomplete=incomplete,
        total_pages=len(pages),
    )


@bp.get("/q/<questionnaire_id>/not-for-you")
def not_eligible(questionnaire_id: str) -> Page:
    """This questionnaire is not the right tool for these answers: where to go instead."""
    found = current_journey(questionnaire_id)
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
        regions=region_contacts(outcome.contacts),
    )


@bp.get("/q/<questionnaire_id>/result")
def result(questionnaire_id: str) -> Page:
    """The result: how soon to act, why, next steps, scales, sources, disclaimer."""
    found = finished_journey(questionnaire_id)
    if isinstance(found, Response):
        return found
    q, state, outcome = found
    if not outcome.eligible:
        return redirect(url_for("patient.not_eligible", questionnaire_id=q.id))
    return render_template(
        "patient/result.html",
        q=q,
        result=outcome,
        reference=state.reference,
        regions=region_contacts(outcome.contacts),
    )


@bp.post("/q/<questionnaire_id>/restart")
def restart(questionnaire_id: str) -> Response:
    """Forget every answer and go back to the landing page."""
    published(questionnaire_id)
    progress.clear()
    session[CLEARED] = questionnaire_id  # Back to an old page then says nothing alarming
    flash(_("Your answers have been cleared."), "info")
    return redirect(url_for("patient.index"))


@bp.post("/q/<questionnaire_id>/summary.pdf")
def summary_pdf(questionnaire_id: str) -> Page:
    """The PDF summary of the result; name and date of birth are printed, never stored."""
    found = finished_journey(questionnaire_id)
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
        regions=current_app.config["RISKCHECK_SETTINGS"].regions,
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
        regions=region_contacts(outcome.contacts),
    )
    return page, 400


def pdf_response(pdf: bytes, filename: str) -> Response:
    """A PDF download that no cache keeps."""
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
