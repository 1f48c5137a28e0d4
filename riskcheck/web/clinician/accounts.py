"""Accounts, for admins: create (with a one-time setup link), change role, stop sign-in."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from riskcheck.storage.accounts import AccountError
from riskcheck.web.clinician import bp, requires
from riskcheck.web.clinician.auth import Page, audit, store
from riskcheck.web.clinician.forms import AccountForm, RoleForm


def setup_link(token: str) -> str:
    """The address of a setup link, as people reach the app."""
    base = current_app.config["RISKCHECK_SETTINGS"].base_url
    return f"{base}{url_for('clinician.setup', token=token)}"


@bp.route("/accounts", methods=["GET", "POST"])
@requires("admin")
def accounts() -> Page:
    """Every account; create one and get its setup link to pass on."""
    form = AccountForm()
    link = None
    if form.validate_on_submit():
        try:
            user, token = store().accounts.create(form.email.data or "", form.role.data or "")
        except AccountError as exc:
            form.email.errors = [str(exc)]
        else:
            assert token is not None  # noqa: S101 - no password given, so a setup token
            audit("account_create", user.email, role=user.role)
            link = setup_link(token)
    return render_template(
        "clinician/accounts.html", form=form, users=store().accounts.all(), link=link, role_forms={}
    )


@bp.post("/accounts/<int:user_id>")
@requires("admin")
def update_account(user_id: int) -> Response:
    """Change an account's role, or whether it can sign in."""
    form = RoleForm()
    if form.validate_on_submit():
        if user_id == current_user.id and (form.role.data != "admin" or form.active.data != "yes"):
            flash("You cannot remove your own admin role or sign-in.", "warning")
            return redirect(url_for("clinician.accounts"))
        try:
            user = store().accounts.update(
                user_id, role=form.role.data, active=form.active.data == "yes"
            )
        except AccountError as exc:
            flash(str(exc), "error")
        else:
            audit("account_update", user.email, role=user.role, active=user.active)
            flash(f"{user.email} updated.", "info")
    return redirect(url_for("clinician.accounts"))


@bp.post("/accounts/<int:user_id>/setup-link")
@requires("admin")
def new_setup_link(user_id: int) -> Page:
    """A new one-time setup link (e.g. for a forgotten password)."""
    form = AccountForm()
    user = store().accounts.get(user_id)
    if user is None:
        flash("No such account.", "error")
        return redirect(url_for("clinician.accounts"))
    token = store().accounts.new_setup_token(user_id)
    audit("account_setup_link", user.email)
    return render_template(
        "clinician/accounts.html",
        form=form,
        users=store().accounts.all(),
        link=setup_link(token),
        role_forms={},
    )
