"""The one ordered urgency vocabulary shared by every questionnaire."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: Lowest first. A result's urgency is the highest any band or fired rule gives.
URGENCIES: tuple[str, ...] = ("routine", "soon", "urgent", "emergency")
RANK: dict[str, int] = {name: rank for rank, name in enumerate(URGENCIES)}


@dataclass(frozen=True)
class UrgencyWording:
    """How an urgency is said to a patient, in the same words everywhere."""

    label: str
    action: str


#: Plain words for patients; translated by the web layer.
WORDING: dict[str, UrgencyWording] = {
    "routine": UrgencyWording(
        "Routine",
        "No urgent action is needed. Mention these answers at your next routine appointment.",
    ),
    "soon": UrgencyWording("Soon", "Make an appointment with your doctor within the next 2 weeks."),
    "urgent": UrgencyWording(
        "Urgent", "Contact your doctor or care team today, or within 24 hours at the latest."
    ),
    "emergency": UrgencyWording(
        "Emergency", "Call emergency services or go to the nearest emergency department now."
    ),
}


def highest(urgencies: Iterable[str | None]) -> str:
    """The highest urgency among ``urgencies``; ``routine`` when there is none."""
    best = 0
    for urgency in urgencies:
        if urgency is not None and RANK[urgency] > best:
            best = RANK[urgency]
    return URGENCIES[best]
