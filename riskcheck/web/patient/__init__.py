"""The patient side: anonymous, no account."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, session

from riskcheck.reference import format_reference
from riskcheck.urgency import WORDING

bp = Blueprint("patient", __name__)


@bp.app_template_filter("choices")
def choices(options: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    """Options as (value, label) pairs for the choice macros."""
    return [(option.value, option.label) for option in options]


@bp.app_context_processor
def page_helpers() -> dict[str, object]:
    """Helpers the page templates call to lay out questions."""
    from riskcheck.web.patient.forms import depends_on_page, page_groups

    journey = session.get("journey")
    return {
        "emergency_numbers": emergency_numbers,
        "previewing": isinstance(journey, dict) and journey.get("pv") is True,
        "page_groups": page_groups,
        "depends_on_page": depends_on_page,
        "urgency_wording": WORDING,
    }


@dataclass(frozen=True)
class EmergencyNumber:
    """A region's emergency number, for the strip at the top of every patient page."""

    number: str
    #: "999 in the UK"
    phrase: str


def emergency_numbers() -> list[EmergencyNumber]:
    """The first emergency number of each region this deployment serves."""
    from riskcheck.contacts import region

    found = []
    for code in current_app.config["RISKCHECK_SETTINGS"].regions:
        served = region(code)
        numbers = served.contacts["emergency"].numbers
        if numbers:
            found.append(EmergencyNumber(numbers[0].shown, f"{numbers[0].shown} in {served.name}"))
    return found


@bp.app_template_global("choice_inputs")
def _choice_inputs(*args: object) -> object:
    """The inputs of a choice question (a global: the macros are imported without context)."""
    from riskcheck.web.patient.inputs import choice_inputs

    return choice_inputs(*args)  # type: ignore[arg-type]


@bp.app_template_filter("reference")
def reference(code: str) -> str:
    """A reference code in groups of four."""
    return format_reference(code)


from riskcheck.web.patient import steps, views  # noqa: E402,F401 - registers the routes on bp
