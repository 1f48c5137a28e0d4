"""Questionnaire versions for clinicians: list, edit, validate, publish, history, diff, roll back,
import and export; the audit log; looking up a patient's response by its reference code."""

from __future__ import annotations

import datetime
import difflib
import json

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from riskcheck import journey
from riskcheck.answers import resolve
from riskcheck.impact import StoredResponse
from riskcheck.impact import impact as compute_impact
from riskcheck.reference import format_reference, parse_reference
from riskcheck.report.content import build_report
from riskcheck.report.pdf import render_pdf
from riskcheck.scoring import evaluate
from riskcheck.storage.tables import QuestionnaireVersion
from riskcheck.storage.versions import Conflict, VersionError
from riskcheck.structured import StructuredEditError, apply_edits, editable_fields
from riskcheck.validation import validate_text
from riskcheck.web.catalogue import current_catalogue as catalogue
from riskcheck.web.clinician import bp, requires
from riskcheck.web.clinician.auth import Page, audit, store
from riskcheck.web.clinician.forms import (
    MAX_DEFINITION,
    EditorForm,
    ImportForm,
    LockForm,
    LookupForm,
)
from riskcheck.web.extensions import limiter
from riskcheck.web.patient import progress
from riskcheck.web.patient.views import pdf_response


def _settings():  # noqa: ANN202 - Settings
    return current_app.config["RISKCHECK_SETTINGS"]


@bp.errorhandler(CSRFError)
def session_ended(error: CSRFError) -> Page:
    """A form sent after the session ended (idle timeout, or signed out in another tab).
    Nothing is saved; a definition being edited is shown again, not lost, and the editor
    offers it back after signing in (it is also kept in the browser tab by riskcheck.js)."""
    questionnaire_id = (request.view_args or {}).get("questionnaire_id")
    text = request.form.get("text")
    if request.endpoint not in ("clinician.edit", "clinician.structured") or not text:
        return render_template(
            "errors/error.html", code=400, name="Bad Request", description=error.description
        ), 400
    return render_template(
        "clinician/session_ended.html",
        questionnaire_id=questionnaire_id,
        text=text.replace("\r\n", "\n"),
    ), 400


@bp.get("/")
def dashboard() -> str:
    """Every questionnaire with its published version, draft and last change."""
    rows = []
    names = {u.id: u.email for u in store().accounts.all()}
    for questionnaire_id in store().versions.questionnaire_ids():
        history = store().versions.history(questionnaire_id)
        published = next((v for v in history if v.status == "published"), None)
        draft = next((v for v in history if v.status == "draft"), None)
        latest = max(history, key=lambda v: v.updated_at)
        rows.append(
            {
                "id": questionnaire_id,
                "published": published,
                "draft": draft,
                "latest": latest,
                "by": names.get(latest.updated_by or 0, "riskcheck (shipped file)"),
            }
        )
    return render_template("clinician/dashboard.html", rows=rows, import_form=ImportForm())


@bp.get("/q/<questionnaire_id>")
def questionnaire(questionnaire_id: str) -> str:
    """A questionnaire's versions, newest first."""
    history = store().versions.history(questionnaire_id)
    if not history:
        abort(404)
    names = {u.id: u.email for u in store().accounts.all()}
    return render_template(
        "clinician/questionnaire.html",
        questionnaire_id=questionnaire_id,
        history=history,
        names=names,
        form=LockForm(),
        published_version=next((v.version for v in history if v.status == "published"), None),
    )


@bp.route("/q/<questionnaire_id>/edit", methods=["GET", "POST"])
def edit(questionnaire_id: str) -> Page:
    """The raw YAML editor: save validates, lints and runs the tests; invalid drafts may be
    saved but not published; a stale save is a conflict, never an overwrite."""
    versions = store().versions
    draft = versions.draft(questionnaire_id)
    base = draft or versions.published(questionnaire_id)
    if base is None:
        abort(404)
    form = EditorForm()
    if request.method == "GET":
        form.text.data = base.text
        form.base_lock.data = str(draft.lock_version) if draft else ""
        return render_template(
            "clinician/edit.html",
            form=form,
            questionnaire_id=questionnaire_id,
            draft=draft,
            report=validate_text(base.text),
            conflict=None,
        )
    if not form.validate_on_submit():
        return render_template(
            "clinician/edit.html",
            form=form,
            questionnaire_id=questionnaire_id,
            draft=draft,
            report=None,
            conflict=None,
        ), 400
    text = (form.text.data or "").replace("\r\n", "\n")
    lock = int(form.base_lock.data) if (form.base_lock.data or "").isdigit() else None
    return _save(questionnaire_id, text, lock, form, draft)


def _save(
    questionnaire_id: str,
    text: str,
    lock: int | None,
    form: EditorForm,
    draft: QuestionnaireVersion | None,
) -> Page:
    """Validate and save ``text`` as the draft; a stale lock shows the conflict in the editor."""
    form.text.data = text
    report = validate_text(text, f"{questionnaire_id} (draft)")
    if report.questionnaire is not None and report.questionnaire.id != questionnaire_id:
        flash(
            f"The id in the text is '{report.questionnaire.id}', not '{questionnaire_id}'. "
            "Import it as a new questionnaire instead.",
            "warning",
        )
        return render_template(
            "clinician/edit.html",
            form=form,
            questionnaire_id=questionnaire_id,
            draft=draft,
            report=report,
            conflict=None,
        ), 400
    try:
        saved = store().versions.save_draft(
            questionnaire_id, text, user_id=current_user.id, valid=report.is_valid(), base_lock=lock
        )
    except Conflict as conflict:
        audit("save_conflict", questionnaire_id)
        return render_template(
            "clinician/edit.html",
            form=form,
            questionnaire_id=questionnaire_id,
            draft=conflict.current,
            report=report,
            conflict=_diff(conflict.current.text, text, "their version", "yours"),
        ), 409
    audit("save_draft", f"{questionnaire_id} v{saved.version}", valid=saved.valid)
    flash(
        f"Draft version {saved.version} saved"
        + ("." if saved.valid else ": it has problems, so it cannot be published yet."),
        "info" if saved.valid else "warning",
    )
    return redirect(url_for("clinician.edit", questionnaire_id=questionnaire_id))


@bp.route("/q/<questionnaire_id>/structured", methods=["GET", "POST"])
def structured(questionnaire_id: str) -> Page:
    """Form fields for the common edits (wording, option points, band thresholds, rule
    conditions), applied to the YAML in place; saving works as in the YAML editor."""
    draft = store().versions.draft(questionnaire_id)
    base = draft or store().versions.published(questionnaire_id)
    if base is None:
        abort(404)
    try:
        fields = editable_fields(base.text)
    except StructuredEditError as exc:
        flash(
            f"The structured editor cannot read this draft ({exc}); use the YAML editor.", "error"
        )
        return redirect(url_for("clinician.edit", questionnaire_id=questionnaire_id))
    form = LockForm()
    if request.method == "POST" and form.validate_on_submit():
        lock = int(form.base_lock.data) if (form.base_lock.data or "").isdigit() else None
        edits = {f.key: request.form.get(f"f:{f.key}", f.value) for f in fields}
        try:
            text = apply_edits(base.text, edits)
        except StructuredEditError as exc:
            flash(str(exc), "error")
        else:
            return _save(questionnaire_id, text, lock, EditorForm(), draft)
    groups: dict[str, list[object]] = {}
    for field in fields:
        groups.setdefault(field.group, []).append(field)
    return render_template(
        "clinician/structured.html",
        questionnaire_id=questionnaire_id,
        groups=groups,
        draft=draft,
        lock=draft.lock_version if draft else "",
    )


@bp.post("/q/<questionnaire_id>/preview")
def preview(questionnaire_id: str) -> Response:
    """Take the draft (or, without one, the published version) as a patient would;
    nothing is stored."""
    if not LockForm().validate_on_submit():
        abort(400)
    row = store().versions.draft(questionnaire_id) or store().versions.published(questionnaire_id)
    served = catalogue().serve(row) if row is not None else None
    if served is None:
        flash(
            "This draft cannot be loaded, so it cannot be previewed: fix its errors first.", "error"
        )
        return redirect(url_for("clinician.edit", questionnaire_id=questionnaire_id))
    state = progress.Progress(questionnaire_id, row=served.row_id, preview=True)
    progress.save(state)
    first = journey.pages(served.questionnaire, {}, state.today)[0]
    return redirect(
        url_for("patient.answer_page", questionnaire_id=questionnaire_id, section_id=first.id)
    )


@bp.get("/q/<questionnaire_id>/impact")
def impact(questionnaire_id: str) -> Page:
    """How the draft would change the results of the published version's stored responses."""
    draft = store().versions.draft(questionnaire_id)
    published = store().versions.published(questionnaire_id)
    served = catalogue().serve(draft) if draft is not None else None
    if draft is None or published is None or served is None:
        flash("An impact report needs a draft that loads and a published version.", "warning")
        return redirect(url_for("clinician.edit", questionnaire_id=questionnaire_id))
    stored = (
        StoredResponse(json.loads(r.answers), json.loads(r.result))
        for r in store().responses.for_version(published.id)
    )
    report = compute_impact(served.questionnaire, stored)
    audit("impact_report", f"{questionnaire_id} v{draft.version}", responses=report.total)
    return render_template(
        "clinician/impact.html",
        questionnaire_id=questionnaire_id,
        draft=draft,
        published=published,
        report=report,
    )


@bp.post("/q/<questionnaire_id>/publish")
@requires("publisher")
def publish(questionnaire_id: str) -> Response:
    """Make the draft the publisher reviewed the version patients get. The store checks,
    in the transaction that publishes, that it is still that draft, valid, and (with the
    two-person rule) last edited by someone else."""
    form = LockForm()
    draft = store().versions.draft(questionnaire_id)
    lock = form.base_lock.data or ""
    if draft is None or not form.validate_on_submit() or not lock.isdigit():
        flash("There is no draft to publish, or it changed: check it before publishing.", "warning")
        return redirect(url_for("clinician.edit", questionnaire_id=questionnaire_id))
    try:
        row = store().versions.publish(
            questionnaire_id,
            draft.version,
            base_lock=int(lock),
            user_id=current_user.id,
            two_person_rule=_settings().two_person_rule,
        )
    except Conflict:
        audit("publish_conflict", questionnaire_id)
        flash(
            "The draft changed since you looked at it (someone saved it, or it was already "
            "published): nothing was published. Check it again before publishing.",
            "warning",
        )
        return redirect(url_for("clinician.edit", questionnaire_id=questionnaire_id))
    except VersionError as exc:
        flash(f"Not published: {exc}.", "error")
        return redirect(url_for("clinician.edit", questionnaire_id=questionnaire_id))
    audit("publish", f"{questionnaire_id} v{row.version}")
    flash(f"Version {row.version} is now what patients get.", "info")
    return redirect(url_for("clinician.questionnaire", questionnaire_id=questionnaire_id))


@bp.post("/q/<questionnaire_id>/discard")
def discard(questionnaire_id: str) -> Response:
    """Throw the draft away (only the draft you looked at)."""
    form = LockForm()
    lock = form.base_lock.data or ""
    if form.validate_on_submit() and lock.isdigit():
        try:
            store().versions.discard_draft(questionnaire_id, base_lock=int(lock))
            audit("discard_draft", questionnaire_id)
            flash("The draft was discarded.", "info")
        except Conflict:
            flash("The draft changed since you looked at it; it was not discarded.", "warning")
    return redirect(url_for("clinician.questionnaire", questionnaire_id=questionnaire_id))


@bp.post("/q/<questionnaire_id>/v<int:version>/rollback")
@requires("publisher")
def rollback(questionnaire_id: str, version: int) -> Response:
    """Publish an earlier version's text again, as a new version number."""
    form = LockForm()
    if not form.validate_on_submit():
        abort(400)
    seen = form.base_lock.data or ""
    try:
        row = store().versions.roll_back(
            questionnaire_id,
            version,
            published_version=int(seen) if seen.isdigit() else None,
            user_id=current_user.id,
        )
    except VersionError as exc:
        flash(f"Not published again: {exc}.", "error")
    else:
        audit("rollback", f"{questionnaire_id} v{row.version}", from_version=version)
        flash(f"Version {version} is published again as version {row.version}.", "info")
    return redirect(url_for("clinician.questionnaire", questionnaire_id=questionnaire_id))


@bp.get("/q/<questionnaire_id>/diff")
def diff(questionnaire_id: str) -> str:
    """A readable line-by-line difference between two versions."""
    a, b = request.args.get("a", type=int), request.args.get("b", type=int)
    old = store().versions.get(questionnaire_id, a or 0)
    new = store().versions.get(questionnaire_id, b or 0)
    if old is None or new is None:
        abort(404)
    return render_template(
        "clinician/diff.html",
        questionnaire_id=questionnaire_id,
        old=old,
        new=new,
        lines=_diff(old.text, new.text, f"version {a}", f"version {b}"),
    )


def _diff(old: str, new: str, old_name: str, new_name: str) -> list[tuple[str, str]]:
    """(kind, line) pairs: kind is add, remove, context or header."""
    lines = []
    for line in difflib.unified_diff(
        old.splitlines(), new.splitlines(), old_name, new_name, lineterm="", n=3
    ):
        kind = (
            "header"
            if line.startswith(("---", "+++", "@@"))
            else "add"
            if line.startswith("+")
            else "remove"
            if line.startswith("-")
            else "context"
        )
        lines.append((kind, line))
    return lines


@bp.get("/q/<questionnaire_id>/v<int:version>.yaml")
def export(questionnaire_id: str, version: int) -> Response:
    """Download a version exactly as stored."""
    row = store().versions.get(questionnaire_id, version)
    if row is None:
        abort(404)
    response = Response(row.text, mimetype="application/yaml")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{questionnaire_id}-v{version}.yaml"'
    )
    return response


@bp.post("/import")
def import_definition() -> Page:
    """Import a YAML file as a new draft (of a new or an existing questionnaire)."""
    form = ImportForm()
    if not form.validate_on_submit():
        flash("Choose a .yaml file to import.", "warning")
        return redirect(url_for("clinician.dashboard"))
    raw = form.file.data.read(MAX_DEFINITION + 1)
    if len(raw) > MAX_DEFINITION:
        flash("The file is larger than 2 MB: a definition is a few hundred kB at most.", "error")
        return redirect(url_for("clinician.dashboard"))
    try:
        text = raw.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        flash("The file is not UTF-8 text.", "error")
        return redirect(url_for("clinician.dashboard"))
    report = validate_text(text, form.file.data.filename or "upload.yaml")
    if report.questionnaire is None:
        return render_template("clinician/import_failed.html", report=report), 400
    questionnaire_id = report.questionnaire.id
    try:  # a new draft only: a draft someone is editing is never replaced
        saved = store().versions.save_draft(
            questionnaire_id,
            text,
            user_id=current_user.id,
            valid=report.is_valid(),
            base_lock=None,
            origin="import",
        )
    except Conflict as conflict:
        return _import_conflict(questionnaire_id, text, conflict.current)
    audit("import", f"{questionnaire_id} v{saved.version}", valid=saved.valid)
    flash(f"Imported as draft version {saved.version} of {questionnaire_id}.", "info")
    return redirect(url_for("clinician.edit", questionnaire_id=questionnaire_id))


def _import_conflict(questionnaire_id: str, text: str, draft: QuestionnaireVersion) -> Response:
    """Importing over an existing draft: nothing is replaced (the same file sent twice is
    the same import)."""
    edit = redirect(url_for("clinician.edit", questionnaire_id=questionnaire_id))
    if draft.text == text:
        flash(f"This file is already draft version {draft.version} of {questionnaire_id}.", "info")
        return edit
    audit("import_conflict", f"{questionnaire_id} v{draft.version}")
    flash(
        f"{questionnaire_id} already has a draft (version {draft.version}), so nothing was "
        "imported: the draft is never replaced. Publish or discard it first, or paste what "
        "you need from your file into it here.",
        "warning",
    )
    return edit


@bp.get("/audit")
@requires("admin")
def audit_log() -> str:
    """The audit log, newest first."""
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    entries = store().audit.entries(limit=100, offset=(page - 1) * 100)
    return render_template("clinician/audit.html", entries=entries, page=page)


#: One limit for every way of looking up a response by its code (the page and the PDF), so
#: that guessing codes through either costs the same.
lookup_limit = limiter.shared_limit("30 per minute", scope="response_lookup", methods=["POST"])


@bp.route("/lookup", methods=["GET", "POST"])
@lookup_limit
def lookup() -> Page:
    """Find a patient's response by the exact reference code on their summary."""
    form = LookupForm()
    if not form.validate_on_submit():
        return render_template("clinician/lookup.html", form=form, response=None)
    code = parse_reference(form.reference.data or "")
    found = store().responses.find(code) if code else None
    audit("response_lookup", format_reference(code) if code else "(not a code)", found=bool(found))
    if found is None:
        form.reference.errors = ["No response has this reference code."]
        return render_template("clinician/lookup.html", form=form, response=None), 404
    return render_template(
        "clinician/lookup.html",
        form=form,
        response=found,
        result=json.loads(found.result),
        reference=format_reference(found.reference),
    )


@bp.post("/responses/<reference>.pdf")
@lookup_limit
def response_pdf(reference: str) -> Response:
    """The patient's summary again, from the version they answered; every attempt audited,
    as a look-up is."""
    if not LockForm().validate_on_submit():
        abort(404)
    code = parse_reference(reference)
    found = store().responses.find(code) if code else None
    served = catalogue().by_row(found.version_row_id) if found else None
    if found is None or served is None:
        target = format_reference(code) if code else "(not a code)"
        audit("response_pdf", target, found=found is not None)
        abort(404)
    answers = json.loads(found.answers)
    stored = json.loads(found.result)
    day = datetime.date.fromisoformat(stored["assessed_on"])
    if stored.get("complete") is False:  # the patient stopped early to get help
        result = journey.result_so_far(served.questionnaire, answers, day)
    else:
        result = evaluate(served.questionnaire, resolve(served.questionnaire, answers, today=day))
    audit("response_pdf", format_reference(found.reference), found=True)
    report = build_report(
        result,
        reference=found.reference,
        created=found.created_at,
        regions=current_app.config["RISKCHECK_SETTINGS"].regions,
    )
    return pdf_response(render_pdf(report), f"riskcheck-{found.reference}.pdf")
