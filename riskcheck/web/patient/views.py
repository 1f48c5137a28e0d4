"""Patient pages: landing, start, one page per step, interruptions, review, results, PDF.

Every form posts and then redirects (Post/Redirect/Get), also after a problem: browser
Back and refresh never ask to send a form again. The journey (riskcheck.journey) decides
what comes after each step; these views only carry it out.
"""

from __future__ import annotations

import datetime

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from riskcheck import journey
from riskcheck.answers import resolve
from riskcheck.contacts import RegionContacts, contacts_for
from riskcheck.errors import AnswerError
from riskcheck.questionnaire import Questionnaire
from riskcheck.reference import new_reference
from riskcheck.report.content import build_report
from riskcheck.report.dates import BirthDateError, parse_birth_date
from riskcheck.report.pdf import render_pdf
from riskcheck.result import Result
from riskcheck.scoring import evaluate
from riskcheck.web.catalogue import Served
from riskcheck.web.catalogue import current_catalogue as catalogue
from riskcheck.web.catalogue import current_store as store
from riskcheck.web.patient import bp, progress
from riskcheck.web.patient.forms import StoredValues, form_data, page_form, submitted_values
from riskcheck.web.patient.review import review_rows, set_aside_rows

Page = str | Response | tuple[str, int]
#: the session key that remembers a questionnaire the patient started again
_CLEARED = "cleared"


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
        if session.get(_CLEARED) != questionnaire_id:  # not simply after "Start again"
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
        progress.clear()
        state, pinned = progress.Progress(questionnaire_id, row=served.row_id), served
        progress.save(state)
    session.pop(_CLEARED, None)
    first = journey.pages(pinned.questionnaire, state.answers, state.today)[0]
    return redirect(_step_url(questionnaire_id, first.id))


def _step_url(questionnaire_id: str, step_id: str | None, *, changing: bool = False) -> str:
    """The URL of a step (or of the review page, for None)."""
    if step_id is None:
        return url_for("patient.review", questionnaire_id=questionnaire_id)
    args = {"change": "1"} if changing else {}
    return url_for(
        "patient.answer_page", questionnaire_id=questionnaire_id, section_id=step_id, **args
    )


@bp.route("/q/<questionnaire_id>/p/<section_id>", methods=["GET", "POST"])
def answer_page(questionnaire_id: str, section_id: str) -> Page:
    """One step of questions; Continue saves and moves on, Back saves what is valid and
    goes back. Problems are shown after a redirect, with what was typed kept."""
    found = _journey(questionnaire_id)
    if isinstance(found, Response):
        return found
    q, state = found
    changing = request.args.get("change") == "1"
    all_pages = journey.pages(q, state.answers, state.today)
    page = journey.find_page(all_pages, section_id)
    if page is None:  # not a step, or no longer asked because of an answer
        return redirect(url_for("patient.review", questionnaire_id=q.id))
    if request.method == "POST":
        return _save_step(q, state, page, changing)
    errors, typed = {}, {}
    if state.errors_page == page.id:  # the problems of the post just redirected from
        errors, typed = state.errors, state.typed
        state.errors_page, state.errors, state.typed = None, {}, {}
        progress.save(state)
    previous = journey.previous_page(all_pages, page.id)
    return render_template(
        "patient/page.html",
        q=q,
        page=page,
        form=StoredValues({**form_data(page, state.answers), **typed}),
        errors=errors,
        changing=changing,
        about=journey.follow_up_cause(q, page, state.answers, state.today),
        back_url=url_for("patient.review", questionnaire_id=q.id)
        if changing
        else _step_url(q.id, previous)
        if previous
        else url_for("patient.start", questionnaire_id=q.id),
    )


def _save_step(
    q: Questionnaire, state: progress.Progress, page: journey.Page, changing: bool
) -> Page:
    """Save a posted step, then redirect to what comes next (or back to it with problems)."""
    form: FlaskForm = page_form(q.sha256, page)
    if not form.validate_on_submit():  # the CSRF token expired: show what was typed again
        flash(
            _(
                "Nothing was saved: the page had been open too long. Please check your "
                "answers and press Continue again."
            ),
            "warning",
        )
        return render_template(
            "patient/page.html",
            q=q,
            page=page,
            form=form,
            errors={},
            changing=changing,
            about=journey.follow_up_cause(q, page, state.answers, state.today),
            back_url=url_for("patient.start", questionnaire_id=q.id),
        )
    going_back = request.form.get("action") == "back"
    submitted = submitted_values(form, page)
    before = dict(state.answers)
    state.answers, errors = journey.save_page(
        q, page, state.answers, submitted, state.today, check_required=not going_back
    )
    if state.answers != before:
        state.answers_changed()
    if errors and not going_back:
        state.errors_page, state.errors = page.id, errors
        state.typed = {k: _bounded(v) for k, v in submitted.items() if k in errors}
        progress.save(state)
        return redirect(_step_url(q.id, page.id, changing=changing))
    if going_back:
        progress.save(state)
        previous = journey.previous_page(journey.pages(q, state.answers, state.today), page.id)
        if changing:
            return redirect(url_for("patient.review", questionnaire_id=q.id))
        if previous is None:
            return redirect(url_for("patient.start", questionnaire_id=q.id))
        return redirect(_step_url(q.id, previous))
    return _go_on(q, state, page.id, changing)


def _bounded(value: object) -> object:
    """What was typed, kept to show again: never more than any text answer may hold."""
    return value[:10_000] if isinstance(value, str) else value


def _go_on(q: Questionnaire, state: progress.Progress, step_id: str, changing: bool) -> Response:
    """Carry out what the journey says follows the step ``step_id``."""
    fired = {i.rule for i in journey.interruptions(q, state.answers, state.today)}
    state.acknowledged = [rule for rule in state.acknowledged if rule in fired]
    following = journey.next_after(
        q,
        state.answers,
        state.today,
        step_id,
        acknowledged=frozenset(state.acknowledged),
        changing=changing,
    )
    if following.kind == "interruption":
        after = journey.next_after(
            q, state.answers, state.today, step_id, acknowledged=frozenset(fired), changing=changing
        )
        state.resume = after.page_id if after.kind == "page" else after.kind
        progress.save(state)
        return redirect(url_for("patient.interruption", questionnaire_id=q.id))
    progress.save(state)
    if following.kind == "not_eligible":
        return redirect(url_for("patient.not_eligible", questionnaire_id=q.id))
    return redirect(_step_url(q.id, following.page_id, changing=changing))


@bp.route("/q/<questionnaire_id>/help-now", methods=["GET", "POST"])
def interruption(questionnaire_id: str) -> Page:
    """Stop: what to do now, who to call, why; then get help now or continue."""
    found = _journey(questionnaire_id)
    if isinstance(found, Response):
        return found
    q, state = found
    fired = [
        i
        for i in journey.interruptions(q, state.answers, state.today)
        if i.rule not in state.acknowledged
    ]
    if not fired:  # answers changed, or already acknowledged: nothing to stop for
        return _resume(q, state)
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():
            abort(400)
        if request.form.get("action") == "stop":
            state.ended = True
            _store_response(q, state, journey.result_so_far(q, state.answers, state.today))
            return redirect(url_for("patient.result", questionnaire_id=q.id))
        state.acknowledged = list(dict.fromkeys([*state.acknowledged, *(i.rule for i in fired)]))
        if state.ended:  # came back after stopping: the full answers get a new reference
            state.answers_changed()
        return _resume(q, state)
    contacts = [c for i in fired for c in i.contacts]
    all_pages = journey.pages(q, state.answers, state.today)
    lines = [line for i in fired for line in i.reason.answers]
    change = journey.page_of(all_pages, lines[0].question) if lines else None
    return render_template(
        "patient/interruption.html",
        q=q,
        interruptions=fired,
        regions=region_contacts(contacts),
        crisis="mental_health_crisis" in contacts,
        change_url=_step_url(q.id, change.id) if change else None,
    )


def _resume(q: Questionnaire, state: progress.Progress) -> Response:
    """Go on from an interruption to the step after the one that fired it."""
    target, state.resume = state.resume, None
    progress.save(state)
    if target == "not_eligible":
        return redirect(url_for("patient.not_eligible", questionnaire_id=q.id))
    known = journey.find_page(journey.pages(q, state.answers, state.today), target or "")
    if known is not None:
        return redirect(_step_url(q.id, known.id))
    incomplete = journey.first_incomplete(q, state.answers, state.today)
    return redirect(_step_url(q.id, incomplete.id if incomplete else None))


@bp.route("/q/<questionnaire_id>/review", methods=["GET", "POST"])
def review(questionnaire_id: str) -> Page:
    """Every answer with a link to change it; confirming stores the response and shows it."""
    found = _journey(questionnaire_id)
    if isinstance(found, Response):
        return found
    q, state = found
    incomplete = journey.first_incomplete(q, state.answers, state.today)
    if request.method == "POST":
        if incomplete is None and FlaskForm().validate_on_submit():
            state.ended = False
            _store_response(q, state)
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


def _store_response(
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
        regions=region_contacts(outcome.contacts),
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
    _published(questionnaire_id)
    progress.clear()
    session[_CLEARED] = questionnaire_id  # Back to an old page then says nothing alarming
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
