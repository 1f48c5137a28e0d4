"""Signing in and out, first-admin and setup links; sessions tied to the account's epoch."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
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
#: A session ends this long after signing in, however busy. The inactivity timeout
#: (RISKCHECK_SESSION_MINUTES) slides, so that a clinician at work is not cut off mid-edit;
#: this absolute limit ends a copied cookie that is kept alive by use. Signing out, a new
#: password and deactivation end every session of the account at once (the session epoch).
SESSION_MAX_SECONDS = 12 * 3600
#: Where a sign-in may send the browser on: a plain path inside the clinician area (no
#: control characters, backslashes, spaces or percent-escapes that a browser would decode into
#: one; "." and ".." segments are checked apart), and an optional simple query.
SAFE_NEXT = re.compile(r"/clinician/[A-Za-z0-9._~/-]*(\?[A-Za-z0-9._~%=&+-]*)?")


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
    if not _is_recent(session.get("signed_in_at")) or session.get("client") != _client():
        return None
    user = store().accounts.get(int(user_id))
    if user is None or not user.active or user.session_epoch != int(epoch):
        return None
    return account_of(user)


def _is_recent(signed_in_at: object) -> bool:
    """Whether a session signed in at ``signed_in_at`` (seconds since the epoch) is still
    within SESSION_MAX_SECONDS."""
    if not isinstance(signed_in_at, int):
        return False
    return 0 <= time.time() - signed_in_at < SESSION_MAX_SECONDS


def _client() -> str:
    """Who is asking, as far as a session can tell: the client's address and user agent.

    Flask-Login's "strong" session protection checks the same, but lets a permanent session
    (which the inactivity timeout needs) through when they change; a session used from
    another address or browser is refused here instead, as a copied cookie would be.
    """
    seen = f"{request.remote_addr}|{request.user_agent.string}"
    return hashlib.sha256(seen.encode()).hexdigest()


def start_session(user: User) -> None:
    """Sign ``user`` in, in a fresh session: nothing carries over from before."""
    session.clear()
    login_user(account_of(user))
    session["signed_in_at"] = int(time.time())
    session["client"] = _client()
    session.permanent = True


def audit(action: str, target: str = "", **detail: object) -> None:
    """An audit entry by the signed-in clinician."""
    actor = current_user.email if current_user.is_authenticated else "anonymous"
    store().audit.record(actor, action, target, **detail)


def is_failed_sign_in(response: Response) -> bool:
    """The sign-in limit counts failures (400) and refusals (429), never a sign-in."""
    return response.status_code in (400, 429)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"], deduct_when=is_failed_sign_in)
def login() -> Page:
    """Sign in; failures are logged and audited without the password."""
    if store().accounts.count() == 0:
        return redirect(url_for("clinician.first_admin", token="-"))  # noqa: S106 - "no link"
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("clinician/login.html", form=form)
    email = _typed_email(form.email.data or "")
    paused = store().accounts.sign_ins.paused_for(email) if email else 0
    if paused:
        # Refused without checking the password: guessing gains nothing meanwhile.
        store().audit.record(email, "sign_in_paused", seconds=paused)
        form.password.errors = [_pause_message(paused)]
        return render_template("clinician/login.html", form=form), 429
    user = store().accounts.authenticate(form.email.data or "", form.password.data or "")
    if user is None:
        return _failed_sign_in(form, email)
    store().accounts.sign_ins.clear(user.email)
    start_session(user)
    store().audit.record(user.email, "sign_in")
    return redirect(_safe_next(request.args.get("next")))


def _failed_sign_in(form: LoginForm, email: str | None) -> tuple[str, int]:
    """Log, audit and count a failed sign-in (under the normalised address, never raw input)."""
    who = email or "(not an email address)"
    log.warning("failed sign-in for %s from %s", who, request.remote_addr)
    store().audit.record(who, "sign_in_failed")
    paused = store().accounts.sign_ins.record_failure(email) if email else 0
    form.password.errors = ["The email address or password is not right."]
    if paused:
        form.password.errors.append(_pause_message(paused))
    return render_template("clinician/login.html", form=form), 400


def _pause_message(seconds: int) -> str:
    wait = f"{seconds} seconds" if seconds < 90 else f"{round(seconds / 60)} minutes"
    return (
        "There have been several failed sign-ins for this email address, so sign-in for it "
        f"is paused. Try again in {wait}."
    )


def _typed_email(typed: str) -> str | None:
    """The normalised form of what was typed as the email, for the log and the back-off;
    None unless it is an acceptable address (a password typed into the wrong field, or
    characters that hide or reorder text, must never reach the log)."""
    try:
        return normalise_email(typed)
    except AccountError:
        return None


def _safe_next(target: str | None) -> str:
    """Only a safe path inside the clinician area: never an open redirect, never a header
    split (a control character in the Location header)."""
    if target and SAFE_NEXT.fullmatch(target):
        path = target.partition("?")[0]
        if not {".", ".."} & set(path.split("/")):
            return target
    return url_for("clinician.dashboard")


@bp.post("/logout")
def logout() -> Response:
    """Sign out, everywhere: every copy of this session (and any other of the account's)
    stops working, server-side."""
    audit("sign_out")
    store().accounts.end_sessions(current_user.id)
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
            start_session(user)
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
