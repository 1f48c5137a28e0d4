"""The step pages and the interruption page: answer a step, then whatever the journey says
comes next. Every form posts and then redirects (Post/Redirect/Get), also after a problem:
browser Back and refresh never ask to send a form again."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from riskcheck import journey
from riskcheck.questionnaire import Questionnaire
from riskcheck.web.extensions import csrf
from riskcheck.web.patient import bp, progress
from riskcheck.web.patient.forms import StoredValues, form_data, page_form, submitted_values
from riskcheck.web.patient.state import (
    current_journey,
    region_contacts,
    step_url,
    store_response,
)

Page = str | Response | tuple[str, int]


@bp.route("/q/<questionnaire_id>/p/<section_id>", methods=["GET", "POST"])
@csrf.exempt  # checked by the page's form instead, so that a stale token loses nothing typed
def answer_page(questionnaire_id: str, section_id: str) -> Page:
    """One step of questions; Continue saves and moves on, Back saves what is valid and
    goes back. Problems are shown after a redirect, with what was typed kept."""
    found = current_journey(questionnaire_id)
    if isinstance(found, Response):
        _refuse_forged_post()
        return found
    q, state = found
    changing = request.args.get("change") == "1"
    all_pages = journey.pages(q, state.answers, state.today)
    page = journey.find_page(all_pages, section_id)
    if page is None:  # not a step, or no longer asked because of an answer
        _refuse_forged_post()
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
        back_url=_back_url(q.id, previous, changing),
    )


def _refuse_forged_post() -> None:
    """A post whose token is stale or forged, with no page to show again: the 400 of every
    other form. (A step or the interruption page checks its own token only to show what was
    typed again; without a journey there is nothing to show, and a forged post must not be
    answered as a genuine one is.)"""
    if request.method == "POST":
        csrf.protect()


def _back_url(questionnaire_id: str, previous: str | None, changing: bool) -> str:
    """Where Back goes: the review page when changing an answer from it, else the step
    before (or the start page from the first)."""
    if changing:
        return url_for("patient.review", questionnaire_id=questionnaire_id)
    if previous is None:
        return url_for("patient.start", questionnaire_id=questionnaire_id)
    return step_url(questionnaire_id, previous)


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
            back_url=_back_url(q.id, None, changing),
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
        return redirect(step_url(q.id, page.id, changing=changing))
    if going_back:
        progress.save(state)
        previous = journey.previous_page(journey.pages(q, state.answers, state.today), page.id)
        return redirect(_back_url(q.id, previous, changing))
    return _go_on(q, state, page.id, changing)


def _bounded(value: object) -> object:
    """What was typed, kept to show again: never more than any text answer may hold."""
    return value[:10_000] if isinstance(value, str) else value


def _go_on(q: Questionnaire, state: progress.Progress, step_id: str, changing: bool) -> Response:
    """Carry out what the journey says follows the step ``step_id``."""
    following = journey.next_after(
        q,
        state.answers,
        state.today,
        step_id,
        acknowledged=frozenset(state.acknowledged),
        changing=changing,
    )
    # an acknowledged interruption that no longer fires is shown again if it fires again
    state.acknowledged = [rule for rule in state.acknowledged if rule in following.fired]
    if following.kind == "interruption":
        after = journey.next_after(
            q,
            state.answers,
            state.today,
            step_id,
            acknowledged=frozenset(following.fired),
            changing=changing,
        )
        state.resume = after.page_id if after.kind == "page" else after.kind
        progress.save(state)
        return redirect(url_for("patient.interruption", questionnaire_id=q.id))
    progress.save(state)
    if following.kind == "not_eligible":
        return redirect(url_for("patient.not_eligible", questionnaire_id=q.id))
    return redirect(step_url(q.id, following.page_id, changing=changing))


@bp.route("/q/<questionnaire_id>/help-now", methods=["GET", "POST"])
@csrf.exempt  # checked below: a stale token shows the page again, never an error page
def interruption(questionnaire_id: str) -> Page:
    """Stop: what to do now, who to call, why; then get help now or continue."""
    found = current_journey(questionnaire_id)
    if isinstance(found, Response):
        _refuse_forged_post()
        return found
    q, state = found
    fired = [
        i
        for i in journey.interruptions(q, state.answers, state.today)
        if i.rule not in state.acknowledged
    ]
    if not fired:  # answers changed, or already acknowledged: nothing to stop for
        _refuse_forged_post()
        return _resume(q, state)
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():  # the page was open too long: show it again
            flash(_("Please choose again: the page had been open too long."), "warning")
            return redirect(url_for("patient.interruption", questionnaire_id=q.id))
        if request.form.get("action") == "stop":
            state.ended = True
            store_response(q, state, journey.result_so_far(q, state.answers, state.today))
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
        change_url=step_url(q.id, change.id) if change else None,
    )


def _resume(q: Questionnaire, state: progress.Progress) -> Response:
    """Go on from an interruption to the step after the one that fired it."""
    target, state.resume = state.resume, None
    progress.save(state)
    if target == "not_eligible":
        return redirect(url_for("patient.not_eligible", questionnaire_id=q.id))
    known = journey.find_page(journey.pages(q, state.answers, state.today), target or "")
    if known is not None:
        return redirect(step_url(q.id, known.id))
    incomplete = journey.first_incomplete(q, state.answers, state.today)
    return redirect(step_url(q.id, incomplete.id if incomplete else None))
