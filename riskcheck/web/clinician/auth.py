"""Signing in and out, first-admin and setup links; sessions tied to the account's epoch."""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import UserMixin, current_user, login_user, logout_user
from werkzeug.wrappers import Response

from riskcheck.storage.accounts import AccountError, normalise_email
from riskcheck.storage.tables import User
from riskcheck.web.catalogue import current_store as store
from riskcheck.web.clinician import bp
from riskcheck.web.clinician.forms import FirstAdminForm, LoginForm, PasswordForm
from riskcheck.web.extensions import limiter, login_manager

log = logging.getLogger(__name__)
Page = str | Response | tuple[str, int]


@dataclass
class Account(UserMixin):
    """The signed-in clinician; the id carries the account's session epoch."""

    id: int
    email: str
    role: str
    epoch: int

    def get_id(self) -> str:
        return f"{self.id}:{self.epoch}"


def account_of(user: User) -> Account:
    return Account(user.id, user.email, user.role, user.session_epoch)


@login_manager.user_loader
def load_account(value: str) -> Account | None:
    """The account in the session, unless it was deactivated or its sessions were ended."""
    user_id, _, epoch = value.partition(":")
    if not user_id.isdigit() or not epoch.isdigit():
        return None
    user = store().accounts.get(int(user_id))
    if user is None or not user.active or user.session_epoch != int(epoch):
        return None
    return account_of(user)


def audit(action: str, target: str = "", **detail: object) -> None:
    """An audit entry by the signed-in clinician."""
    actor = current_user.email if current_user.is_authenticated else "anonymous"
    store().audit.record(actor, action, target, **detail)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
def login() -> Page:
    """Sign in; failures are logged and audited without the password."""
    if store().accounts.count() == 0:
        return redirect(url_for("clinician.first_admin", token="-"))  # noqa: S106 - "no link"
    form = LoginForm()
    if form.validate_on_submit():
        user = store().accounts.authenticate(form.email.data or "", form.password.data or "")
        if user is None:
            who = _typed_email(form.email.data or "")
            log.warning("failed sign-in for %s from %s", who, request.remote_addr)
            store().audit.record(who, "sign_in_failed")
            form.password.errors = ["The email address or password is not right."]
            return render_template("clinician/login.html", form=form), 400
        session.clear()  # a fresh session at sign-in: nothing carries over
        login_user(account_of(user))
        session.permanent = True
        store().audit.record(user.email, "sign_in")
        return redirect(_safe_next(request.args.get("next")))
    return render_template("clinician/login.html", form=form)


def _typed_email(typed: str) -> str:
    """What was typed as the email, for the log, unless it does not look like one (a password
    typed into the wrong field must never reach the log)."""
    try:
        return normalise_email(typed)
    except AccountError:
        return "(not an email address)"


def _safe_next(target: str | None) -> str:
    """Only a path inside the clinician area: never an open redirect."""
    if target and target.startswith("/clinician/") and not target.startswith("//"):
        return target
    return url_for("clinician.dashboard")


@bp.post("/logout")
def logout() -> Response:
    """Sign out."""
    audit("sign_out")
    logout_user()
    session.clear()
    flash("You have signed out.", "info")
    return redirect(url_for("clinician.login"))


def first_admin_token() -> str:
    """The setup token for the first admin: the same on every worker, useless once any
    account exists."""
    return first_admin_token_for(current_app.config["SECRET_KEY"])


def first_admin_token_for(secret_key: str) -> str:
    """The first-admin token derived from the app's secret key."""
    return hmac.new(secret_key.encode(), b"riskcheck first admin", hashlib.sha256).hexdigest()[:40]


@bp.route("/first-admin/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def first_admin(token: str) -> Page:
    """Create the first admin account with the link printed on the console."""
    if store().accounts.count() > 0:
        flash("The first account already exists. Sign in.", "info")
        return redirect(url_for("clinician.login"))
    if not hmac.compare_digest(token, first_admin_token()):
        return render_template("clinician/first_admin.html", form=None), 404
    form = FirstAdminForm()
    if form.validate_on_submit():
        try:
            user, _ = store().accounts.create(
                form.email.data or "", "admin", password=form.password.data
            )
        except AccountError as exc:
            form.password.errors = [str(exc)]
        else:
            store().audit.record(user.email, "account_create", user.email, role="admin", first=True)
            session.clear()
            login_user(account_of(user))
            return redirect(url_for("clinician.dashboard"))
    return render_template("clinician/first_admin.html", form=form)


@bp.route("/setup/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def setup(token: str) -> Page:
    """Set a password with a one-time link an admin gave out."""
    user = store().accounts.by_setup_token(token)
    if user is None:
        return render_template("clinician/setup.html", form=None, email=None), 404
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            updated = store().accounts.set_password_with_token(token, form.password.data or "")
        except AccountError as exc:
            form.password.errors = [str(exc)]
        else:
            store().audit.record(updated.email, "password_set", updated.email)
            flash("Your password is set. Sign in.", "info")
            return redirect(url_for("clinician.login"))
    return render_template("clinician/setup.html", form=form, email=user.email)
