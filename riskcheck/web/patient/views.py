"""Patient pages."""

from __future__ import annotations

from flask import current_app, render_template

from riskcheck.web.catalogue import Catalogue
from riskcheck.web.patient import bp


def catalogue() -> Catalogue:
    """The questionnaires this app serves."""
    found: Catalogue = current_app.extensions["riskcheck_catalogue"]
    return found


@bp.get("/")
def index() -> str:
    """Landing page: what riskcheck is and is not, and the questionnaires on offer."""
    return render_template("patient/index.html", questionnaires=catalogue().all())


@bp.get("/healthz")
def liveness() -> tuple[str, int, dict[str, str]]:
    """Liveness probe for load balancers."""
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}
