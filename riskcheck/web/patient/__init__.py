"""The patient side: anonymous, no account."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("patient", __name__)

from riskcheck.web.patient import views  # noqa: E402,F401 - registers the routes on bp
