"""The clinician area: deny-by-default. Every endpoint needs a signed-in account with the
role its view declares (editor unless it says otherwise); only signing in is open."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, abort, request, session
from flask_login import current_user

from riskcheck.storage.accounts import role_at_least
from riskcheck.web.extensions import login_manager

bp = Blueprint("clinician", __name__, url_prefix="/clinician")

#: The only endpoints open to someone not signed in.
PUBLIC = frozenset({"clinician.login", "clinician.setup", "clinician.first_admin"})
#: endpoint -> the least role that may use it (set by @requires)
REQUIRED_ROLE: dict[str, str] = {}

View = TypeVar("View", bound=Callable[..., object])


def requires(role: str) -> Callable[[View], View]:
    """Declare the least role a view needs (admin > publisher > editor)."""

    def mark(view: View) -> View:
        REQUIRED_ROLE[f"clinician.{view.__name__}"] = role
        return view

    return mark


@bp.context_processor
def signed_in_user() -> dict[str, object]:
    """current_user for the clinician templates (the patient side never loads it)."""
    return {"current_user": current_user}


@bp.before_request
def deny_by_default() -> object:
    """Refuse anyone not signed in, or without the role the endpoint needs."""
    if request.endpoint in PUBLIC:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not role_at_least(current_user.role, REQUIRED_ROLE.get(request.endpoint or "", "editor")):
        abort(403)
    session.permanent = True  # the inactivity timeout restarts with each request
    return None


from riskcheck.web.clinician import accounts, auth, review, views  # noqa: E402,F401 - register routes
