"""Result -> Report: the plain content of a patient's summary, before any drawing.

The PDF renderer draws exactly this; tests check the content here in depth.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from riskcheck.contacts import DEFAULT_REGIONS, contacts_for
from riskcheck.reference import format_reference
from riskcheck.report.dates import DEFAULT_LOCALE, format_created, format_day
from riskcheck.result import AnswerLine, Result
from riskcheck.urgency import WORDING

Translate = Callable[[str], str]


def _identity(text: str) -> str:
    return text


@dataclass(frozen=True)
class ReportRecommendation:
    title: str
    text: str
    urgency: str
    urgency_label: str
    #: each reason as a sentence, then the answers behind it as "question: answer"
    reasons: tuple[tuple[str, tuple[str, ...]], ...]
    citations: tuple[str, ...]


@dataclass(frozen=True)
class ReportScale:
    title: str
    value: str
    meaning: str


@dataclass(frozen=True)
class ReportAnswer:
    section: str
    question: str
    answer: str
    #: a row listing a page's unticked boxes together (question is the heading); these rows
    #: come after every other answer
    grouped: bool = False


@dataclass(frozen=True)
class Report:
    """Everything printed on a summary, as plain text."""

    heading: str
    questionnaire: str
    version: int
    created: str
    name: str | None
    birth_date: str | None
    urgency: str
    urgency_label: str
    urgency_action: str
    #: the clinician's summary at the top of page 1: the positive answers (ticked boxes,
    #: chosen options, the answers behind every recommendation) in questionnaire order,
    #: each once, then the scores with their bands
    findings: tuple[str, ...]
    score_findings: tuple[str, ...]
    emergency_notice: str | None
    #: said when the patient stopped before the end to get help
    ended_early: str | None
    recommendations: tuple[ReportRecommendation, ...]
    no_findings: str | None
    scales: tuple[ReportScale, ...]
    answers: tuple[ReportAnswer, ...]
    #: answers given to questions that did not apply, as "question: answer" (not used)
    set_aside: tuple[str, ...]
    ask_your_doctor: tuple[str, ...]
    sources: tuple[str, ...]
    disclaimer: str
    #: the code in groups of four, and the raw code for the QR symbol
    reference: str
    reference_raw: str
    footer: str
    #: headings and small words of the layout, translated (keys: see LABELS)
    labels: dict[str, str]


EMERGENCY_NOTICE = "Get help now. Do not wait to see if it gets better."
ENDED_EARLY = (
    "The patient stopped before the end of the questionnaire to get help. This summary "
    "holds only the answers they gave; questions not reached are not counted either way."
)
NO_FINDINGS = (
    "Your answers do not match any of the combinations that guidelines say should be "
    "checked soon. If you are worried, or a symptom gets worse or does not go away, "
    "talk to your doctor."
)


#: The layout's words; the web layer passes a translator so they appear in the reader's language.
LABELS = {
    "summary": "Summary for the clinician",
    "urgency": "Urgency",
    "findings": "Positive findings",
    "scores_found": "Scores",
    "none_found": "None reported",
    "not_ticked": "Not ticked (did not apply)",
    "created": "Created %(date)s",
    "version": "%(title)s (version %(version)s)",
    "name": "Name: %(name)s",
    "birth_date": "Date of birth: %(date)s",
    "reference": "Reference code",
    "how_soon": "How soon to act",
    "next_steps": "What to do next",
    "why": "Why: %(reason)s",
    "source": "Source: %(citations)s",
    "scores": "Your scores",
    "scale": "Scale",
    "score": "Score",
    "meaning": "Meaning",
    "ask": "Questions to ask your doctor",
    "answers": "Your answers",
    "question": "Question",
    "answer": "Your answer",
    "sources": "Where this advice comes from",
    "note": "Please note",
    "set_aside": "Answers given to questions that did not apply (not used)",
    "in_region": "In %(region)s:",
    "page": "Page %(page)d of %(pages)d",
}


def emergency_notice(result: Result, regions: tuple[str, ...], translate: Translate) -> str | None:
    """What to do now and the numbers to call, for each region, when the result needs help
    now (an emergency, or an interruption such as a crisis)."""
    if not result.contacts:
        return None
    _ = translate
    parts = [_(EMERGENCY_NOTICE)]
    for found in contacts_for(regions, result.contacts):
        if len(regions) > 1:
            parts.append(_(LABELS["in_region"]) % {"region": found.region.name})
        actions = [contact.action for contact in found.contacts]
        parts.extend(actions)
        said = " ".join(actions)
        numbers = dict.fromkeys(  # the numbers the sentences do not already give
            f"{n.label} ({n.note})" if n.note else n.label
            for contact in found.contacts
            for n in contact.numbers
            if n.shown not in said
        )
        if numbers:
            parts.append("; ".join(numbers) + ".")
    return " ".join(parts)


def build_report(
    result: Result,
    *,
    reference: str,
    created: datetime.datetime,
    name: str | None = None,
    birth_date: datetime.date | None = None,
    translate: Translate = _identity,
    locale: str = DEFAULT_LOCALE,
    regions: tuple[str, ...] = DEFAULT_REGIONS,
) -> Report:
    """The content of the summary of ``result``.

    ``created`` and ``birth_date`` are written in ``locale``'s words (the same on the web
    and the command line: ``riskcheck.report.dates``). ``name`` and ``birth_date`` are
    typed by the patient for the printout only and never stored. ``regions`` say whose
    emergency and crisis numbers to print (``riskcheck.contacts``).
    """
    _ = translate
    urgency = result.urgency or "routine"
    wording = WORDING[urgency]
    return Report(
        heading=_("Your health check summary"),
        questionnaire=result.title,
        version=result.version,
        created=format_created(created, locale),
        name=" ".join((name or "").split()) or None,  # one line: line breaks and tabs are spaces
        birth_date=format_day(birth_date, locale) if birth_date else None,
        urgency=urgency,
        urgency_label=_(wording.label),
        urgency_action=_(wording.action),
        findings=findings(result),
        score_findings=score_findings(result),
        emergency_notice=emergency_notice(result, regions, _),
        ended_early=None if result.complete else _(ENDED_EARLY),
        set_aside=tuple(f"{line.text} {line.answer}" for line in result.set_aside),
        recommendations=tuple(
            ReportRecommendation(
                title=rec.title,
                text=rec.text,
                urgency=rec.urgency,
                urgency_label=_(WORDING[rec.urgency].label),
                reasons=tuple(
                    (reason.text, tuple(f"{line.text} {line.answer}" for line in reason.answers))
                    for reason in rec.reasons
                ),
                citations=tuple(
                    dict.fromkeys(c for reason in rec.reasons for c in reason.citations)
                ),
            )
            for rec in result.recommendations
        ),
        no_findings=None if result.recommendations else (result.no_findings or _(NO_FINDINGS)),
        scales=tuple(
            ReportScale(
                s.title,
                "—" if s.value is None else _number(s.value),
                " ".join(x for x in (s.band_label or "", s.note) if x),
            )
            for s in result.scales
        ),
        answers=_answers(result, _),
        ask_your_doctor=tuple(result.ask_your_doctor()),
        sources=tuple(
            " ".join(x for x in (s.title, s.url or "", s.attribution or "") if x)
            for s in result.sources
        ),
        disclaimer=result.disclaimer,
        reference=format_reference(reference),
        reference_raw=reference,
        footer=_("riskcheck does not diagnose. Bring this summary to your appointment."),
        labels={key: _(text) for key, text in LABELS.items()},
    )


def findings(result: Result) -> tuple[str, ...]:
    """The positive answers, each once, in questionnaire order.

    Ticked boxes, the options chosen in multiple-choice questions (never an exclusive
    "None of these"), and every answer behind a recommendation's reasons (computed values
    after the questions; scale scores are left to ``score_findings``).
    """
    order = {line.question: index for index, line in enumerate(result.answers)}
    scales = {scale.id for scale in result.scales}
    chosen: dict[str, AnswerLine] = {
        line.question: line for line in result.answers if line.ticked or line.chosen
    }
    for recommendation in result.recommendations:
        for reason in recommendation.reasons:
            for line in reason.answers:
                if line.question not in scales:
                    chosen.setdefault(line.question, line)
    lines = sorted(chosen.values(), key=lambda line: order.get(line.question, len(order)))
    return tuple(_finding(line) for line in lines)


def _finding(line: AnswerLine) -> str:
    if line.ticked:
        return line.text
    answer = "; ".join(line.chosen) if line.chosen else line.answer
    joiner = " " if line.text.endswith(("?", ":")) else ": "
    return f"{line.text}{joiner}{answer}"


def score_findings(result: Result) -> tuple[str, ...]:
    """Each scale scored above zero: "PHQ-9 mood 17 — Moderately severe (15 to 19 out of 27)"."""
    return tuple(
        f"{s.title} {_number(s.value)}" + (f" — {s.band_label}" if s.band_label else "")
        for s in result.scales
        if s.value
    )


def _answers(result: Result, translate: Translate) -> tuple[ReportAnswer, ...]:
    """The answers in order, then each page's unticked boxes listed together in one row."""
    rows: list[ReportAnswer] = []
    unticked: dict[str, list[str]] = {}
    for line in result.answers:
        if line.unticked:
            unticked.setdefault(line.section, []).append(line.text)
        else:
            rows.append(ReportAnswer(line.section, line.text, line.answer))
    label = translate(LABELS["not_ticked"])
    rows += [
        ReportAnswer(section, label, "; ".join(texts), grouped=True)
        for section, texts in unticked.items()
    ]
    return tuple(rows)


def _number(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}"
