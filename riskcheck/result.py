"""Result: what scoring says, in one structure that the page, the PDF and the API all render."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class AnswerLine:
    """A question shown and the answer given, as a patient reads it."""

    question: str
    text: str
    answer: str
    section: str = ""
    #: a tick box left unticked ("does not apply"), which summaries may list together
    unticked: bool = False
    #: a tick box that was ticked: a symptom or fact the patient has
    ticked: bool = False
    #: multiple choice: the options chosen, without an exclusive one ("None of these")
    chosen: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reason:
    """Why something was recommended: the rule or band that fired and the answers behind it."""

    #: "rule" or "band"
    kind: str
    id: str
    text: str
    answers: tuple[AnswerLine, ...] = ()
    #: how the source is cited, e.g. "NICE NG12, recommendation 1.3.1"
    citations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Interruption:
    """A rule that stops the questionnaire at once: who to contact, and why."""

    rule: str
    #: contact ids (``emergency``, ``mental_health_crisis`` ...), the first said first
    contacts: tuple[str, ...]
    urgency: str | None
    reason: Reason


@dataclass(frozen=True)
class RecommendationResult:
    """A recommended next step with its reasons."""

    id: str
    title: str
    text: str
    urgency: str
    service: str | None
    ask_your_doctor: tuple[str, ...]
    reasons: tuple[Reason, ...]
    citations: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScaleResult:
    """A scale's value and band, or why it could not be scored."""

    id: str
    title: str
    value: float | int | None
    #: "scored", "prorated" or "not_scored"
    status: str
    band: str | None = None
    band_label: str | None = None
    urgency: str | None = None
    #: ids of the questions that were not answered
    missing: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Ineligible:
    """This questionnaire is not the right tool for these answers, and where to go instead."""

    id: str
    message: str
    redirect_title: str | None = None
    redirect_questionnaire: str | None = None
    redirect_url: str | None = None


@dataclass(frozen=True)
class SourceCitation:
    """A published source a result relies on."""

    id: str
    title: str
    url: str | None = None
    attribution: str | None = None


@dataclass(frozen=True)
class Result:
    """The outcome of scoring one set of answers against one questionnaire version."""

    questionnaire: str
    version: int
    title: str
    assessed_on: str
    eligible: bool
    urgency: str | None
    scales: tuple[ScaleResult, ...] = ()
    recommendations: tuple[RecommendationResult, ...] = ()
    flags: tuple[str, ...] = ()
    answers: tuple[AnswerLine, ...] = ()
    ineligible: Ineligible | None = None
    sources: tuple[SourceCitation, ...] = ()
    disclaimer: str = ""
    #: ids of the rules that fired, in definition order (a rule may only set an urgency)
    rules: tuple[str, ...] = ()
    #: the rules that fired and stop the questionnaire at once (shown again on the result)
    interruptions: tuple[Interruption, ...] = ()
    #: answers given to questions that did not apply, so not scored (never dropped silently)
    set_aside: tuple[AnswerLine, ...] = ()
    #: False when the patient stopped before the end to get help: only the answers given
    complete: bool = True
    #: what to say when no recommendation applies (the definition's words, or empty)
    no_findings: str = ""

    @property
    def scores(self) -> dict[str, float | int | None]:
        """Scale id -> value (None when not scored)."""
        return {s.id: s.value for s in self.scales}

    @property
    def bands(self) -> dict[str, str | None]:
        """Scale id -> band id (None when not scored or in no band)."""
        return {s.id: s.band for s in self.scales if s.band is not None or s.value is None}

    @property
    def is_emergency(self) -> bool:
        return self.urgency == "emergency"

    @property
    def contacts(self) -> tuple[str, ...]:
        """Who to contact now: the interruptions' contacts, and emergency services for an
        emergency (empty when nothing needs help now)."""
        found = [c for i in self.interruptions for c in i.contacts]
        if self.is_emergency:
            found.append("emergency")
        return tuple(dict.fromkeys(found))

    def recommendation_ids(self) -> list[str]:
        return [r.id for r in self.recommendations]

    def ask_your_doctor(self) -> list[str]:
        """Every question to ask, once, in the order of the recommendations."""
        return list(dict.fromkeys(q for r in self.recommendations for q in r.ask_your_doctor))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: the shape of DESIGN.md's Result, plus detail."""
        data: dict[str, Any] = _plain(asdict(self))
        data["scores"] = self.scores
        data["bands"] = self.bands
        return data


def _plain(value: Any) -> Any:
    """Tuples as lists, recursively, so the data equals its JSON round trip."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
