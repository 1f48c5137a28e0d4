"""riskcheck: symptom and cancer-risk self-assessment.

Importing this package never imports Flask: the domain core (model, loader, expressions,
scoring, report) is usable on its own. ``create_app`` loads the web layer on first use,
so ``flask --app riskcheck run`` works.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from flask import Flask


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the Flask application (imports the web layer lazily)."""
    from riskcheck.web import create_app as _create_app

    return _create_app(overrides)
