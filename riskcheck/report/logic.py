"""Questionnaire -> LogicSummary: every condition, scale, rule and recommendation of one
version in plain words, for clinical review; and its PDF, drawn with the summary's machinery.

Each expression is shown as written and, where it is simple enough, in plain words built by
walking its syntax tree ("age >= 50 and rectal_bleeding" reads "age is 50 or more, and rectal
bleeding: yes"). Anything unusual keeps only the text as written: the words must never say
something the expression does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Table,
)

from riskcheck.expressions import Expression
from riskcheck.expressions.ast import (
    Arith,
    BoolOp,
    Call,
    Compare,
    Contains,
    ListLiteral,
    Literal,
    Name,
    Negate,
    Node,
    Not,
)
from riskcheck.model import Band, Eligibility, Option, Question, Rule, Scale, SourceRef
from riskcheck.questionnaire import Questionnaire
from riskcheck.questions import format_number
from riskcheck.report.pdf import (
    FONT,
    LINE,
    MUTED,
    URGENCY_COLOURS,
    ReportRenderer,
    _register_fonts,
    clean_text,
)
from riskcheck.urgency import WORDING, highest

DEFAULT_REASON = "Your answers match a combination that guidelines say should be checked."
HOW_TO_READ = (
    "Answers are checked first (hidden questions are not asked and not scored), then computed "
    "values are worked out, then eligibility is checked, then scales are summed and banded, "
    "and then every rule is tried. A result's urgency is the highest urgency of the band each "
    "score falls in and of every rule that fires. A condition that depends on an unanswered or "
    "hidden question is unknown, and an unknown condition does not hold. Plain words are given "
    "where the condition is simple; the text as written is what runs."
)


@dataclass(frozen=True)
class Condition:
    """An expression as written, and in plain words when it is simple enough."""

    text: str
    words: str | None


@dataclass(frozen=True)
class Cited:
    """The sources an item cites (their titles) and the exact place within the first."""

    sources: tuple[str, ...]
    citation: str | None


@dataclass(frozen=True)
class Ref:
    """A recommendation named by a rule or band: its id and title."""

    id: str
    title: str


@dataclass(frozen=True)
class LogicSource:
    id: str
    title: str
    url: str | None
    publisher: str | None
    attribution: str | None


@dataclass(frozen=True)
class LogicEligibility:
    id: str
    when: Condition
    message: str
    redirect: str | None
    cited: Cited


@dataclass(frozen=True)
class LogicQuestion:
    id: str
    type: str
    text: str
    #: what can be answered, e.g. "A whole number from 0 to 120 years"
    answer: str
    #: "value: label (points)" for each option
    options: tuple[str, ...]
    show_if: Condition | None
    notes: tuple[str, ...]


@dataclass(frozen=True)
class LogicSection:
    id: str
    title: str
    show_if: Condition | None
    questions: tuple[LogicQuestion, ...]


@dataclass(frozen=True)
class LogicComputed:
    id: str
    title: str
    unit: str | None
    value: Condition


@dataclass(frozen=True)
class LogicBand:
    id: str
    range: str
    label: str
    urgency: str
    description: str | None
    recommend: tuple[Ref, ...]
    flags: tuple[str, ...]


@dataclass(frozen=True)
class LogicScale:
    id: str
    title: str
    sum: tuple[str, ...]
    missing: str
    bands: tuple[LogicBand, ...]
    cited: Cited


@dataclass(frozen=True)
class LogicRule:
    id: str
    when: Condition
    #: the urgency it gives when it fires (None: it only raises flags)
    urgency: str | None
    #: True when the urgency is not written but taken from its recommendations
    urgency_from_recommendations: bool
    flags: tuple[str, ...]
    recommend: tuple[Ref, ...]
    reason: str
    reason_is_default: bool
    cited: Cited


@dataclass(frozen=True)
class LogicRecommendation:
    id: str
    title: str
    text: str
    urgency: str
    service: str | None
    ask_your_doctor: tuple[str, ...]
    cited: Cited
    #: "rule <id>" and "band <scale>.<band>" that recommend it
    used_by: tuple[str, ...]


@dataclass(frozen=True)
class LogicSummary:
    """Everything one questionnaire version decides, as plain data."""

    questionnaire_id: str
    title: str
    version: int
    description: str
    language: str
    disclaimer: str
    sha256: str
    sources: tuple[LogicSource, ...]
    eligibility: tuple[LogicEligibility, ...]
    sections: tuple[LogicSection, ...]
    computed: tuple[LogicComputed, ...]
    scales: tuple[LogicScale, ...]
    rules: tuple[LogicRule, ...]
    recommendations: tuple[LogicRecommendation, ...]

    @property
    def question_count(self) -> int:
        return sum(len(s.questions) for s in self.sections)


def urgency_label(urgency: str) -> str:
    """The urgency as patients read it, e.g. "Soon"."""
    return WORDING[urgency].label


def build_logic_summary(q: Questionnaire) -> LogicSummary:
    """The logic summary of ``q``: every part of the definition, in file order."""
    d = q.definition
    used_by: dict[str, list[str]] = {rid: [] for rid in d.recommendations}
    for scale in d.scales:
        for band in scale.bands:
            for rid in band.recommend:
                used_by[rid].append(f"band {scale.id}.{band.id}")
    for rule in d.rules:
        for rid in rule.recommend:
            used_by[rid].append(f"rule {rule.id}")
    return LogicSummary(
        questionnaire_id=d.id,
        title=d.title,
        version=d.version,
        description=d.description,
        language=d.language,
        disclaimer=d.disclaimer,
        sha256=q.sha256,
        sources=tuple(
            LogicSource(sid, s.title, s.url, s.publisher, s.attribution)
            for sid, s in d.sources.items()
        ),
        eligibility=tuple(_eligibility(q, e, expression) for e, expression in q.eligibility),
        sections=tuple(
            LogicSection(
                s.id,
                s.title,
                condition(q.section_show_if[s.id]) if s.id in q.section_show_if else None,
                tuple(_question(q, question) for question in s.questions),
            )
            for s in d.sections
        ),
        computed=tuple(
            LogicComputed(c.id, c.title, c.unit, condition(expression))
            for c, expression in q.computed
        ),
        scales=tuple(_scale(q, s) for s in d.scales),
        rules=tuple(_rule(q, r, expression) for r, expression in q.rules),
        recommendations=tuple(
            LogicRecommendation(
                rid,
                rec.title,
                rec.text,
                rec.urgency,
                rec.service,
                tuple(rec.ask_your_doctor),
                _cited(q, rec.source, rec.citation),
                tuple(used_by[rid]),
            )
            for rid, rec in d.recommendations.items()
        ),
    )


def _refs(q: Questionnaire, ids: Sequence[str]) -> tuple[Ref, ...]:
    return tuple(Ref(i, q.recommendations[i].title) for i in ids)


def _cited(q: Questionnaire, ref: SourceRef | None, citation: str | None) -> Cited:
    ids = [ref] if isinstance(ref, str) else list(ref or [])
    return Cited(tuple(q.sources[i].title for i in ids), citation)


def _eligibility(q: Questionnaire, e: Eligibility, expression: Expression) -> LogicEligibility:
    redirect = None
    if e.redirect is not None:
        where = [f"questionnaire {e.redirect.questionnaire}" if e.redirect.questionnaire else ""]
        where.append(e.redirect.url or "")
        redirect = " → ".join(x for x in (e.redirect.title, ", ".join(w for w in where if w)) if x)
    return LogicEligibility(
        e.id, condition(expression), e.message, redirect, _cited(q, e.source, None)
    )


def _rule(q: Questionnaire, rule: Rule, expression: Expression) -> LogicRule:
    recommendations = q.recommendations
    urgency = rule.urgency
    if urgency is None and rule.recommend:  # as scoring does: the highest it recommends
        urgency = highest(recommendations[i].urgency for i in rule.recommend)
    return LogicRule(
        id=rule.id,
        when=condition(expression),
        urgency=urgency,
        urgency_from_recommendations=rule.urgency is None and bool(rule.recommend),
        flags=tuple(rule.flags),
        recommend=_refs(q, rule.recommend),
        reason=rule.reason or DEFAULT_REASON,
        reason_is_default=rule.reason is None,
        cited=_cited(q, rule.source, rule.citation),
    )


def _question(q: Questionnaire, question: Question) -> LogicQuestion:
    entry = q.questions[question.id]
    options: list[Option] = getattr(question, "options", None) or []
    scored = any(o.points for o in options)
    notes = [
        "optional" if question.optional else "",
        "for the record (informational)" if question.informational else "",
    ]
    return LogicQuestion(
        id=question.id,
        type=question.type,
        text=question.text,
        answer=_answer(question),
        options=tuple(
            f"{o.value}: {o.label}"
            + (f" ({_points(o.points)})" if scored else "")
            + (" — only on its own" if o.exclusive else "")
            for o in options
        ),
        show_if=condition(entry.show_if) if entry.show_if else None,
        notes=tuple(n for n in notes if n),
    )


def _answer(question: Question) -> str:
    """What a patient can answer, in words."""
    if question.type == "yesno":
        parts = ["Yes or no"]
        if question.points:
            parts.append(f"yes gives {_points(question.points)}")
        if question.default is not None:
            parts.append(f"left unanswered it counts as {'yes' if question.default else 'no'}")
        return "; ".join(parts)
    if question.type in ("single", "multiple"):
        return "One option" if question.type == "single" else "Any of the options (points added up)"
    if question.type == "number":
        kind = "A whole number" if question.integer else "A number"
        return " ".join(
            x for x in (kind, _between(question.min, question.max), question.unit or "") if x
        )
    if question.type == "scale":
        ends = [f"{question.min}" + (f" ({question.min_label})" if question.min_label else "")]
        ends.append(f"{question.max}" + (f" ({question.max_label})" if question.max_label else ""))
        return f"A whole number from {ends[0]} to {ends[1]}"
    if question.type == "date":
        return " ".join(x for x in ("A date", _between(question.min, question.max)) if x)
    return f"Free text, up to {question.max_length} characters; never scored"


def _between(low: float | str | None, high: float | str | None) -> str:
    show = [
        None if v is None else format_number(v) if isinstance(v, int | float) else v
        for v in (low, high)
    ]
    if show[0] is not None and show[1] is not None:
        return f"from {show[0]} to {show[1]}"
    if show[0] is not None:
        return f"of at least {show[0]}"
    return f"of at most {show[1]}" if show[1] is not None else ""


def _points(points: float | int) -> str:
    return f"{format_number(points)} point" + ("" if points == 1 else "s")


def _scale(q: Questionnaire, scale: Scale) -> LogicScale:
    missing = scale.missing
    if missing == "refuse":
        meaning = "Not scored when any of its answers is missing."
    elif missing == "zero":
        meaning = "A missing answer counts as zero points."
    else:
        n = missing.prorate
        meaning = (
            f"With up to {n} missing answer{'s' if n != 1 else ''}, the score is scaled up from "
            "the answered ones (prorated, rounded to a whole number); with more, not scored."
        )
    return LogicScale(
        scale.id,
        scale.title,
        tuple(scale.sum),
        meaning,
        tuple(
            LogicBand(
                b.id,
                band_range(b),
                b.label,
                b.urgency,
                b.description,
                _refs(q, b.recommend),
                tuple(b.flags),
            )
            for b in scale.bands
        ),
        _cited(q, scale.source, scale.citation),
    )


def band_range(band: Band) -> str:
    """A band's values in words; bounds are inclusive."""
    low = format_number(band.min) if band.min is not None else None
    high = format_number(band.max) if band.max is not None else None
    if low is not None and high is not None:
        return low if low == high else f"{low} to {high}"
    if low is not None:
        return f"{low} or more"
    return f"{high} or less" if high is not None else "any value"


# -- expressions in plain words ------------------------------------------------------------


class _Unusual(Exception):
    """Part of an expression has no simple plain-words form."""


def condition(expression: Expression) -> Condition:
    """``expression`` as written (spaces tidied) and in plain words, when simple."""
    return Condition(" ".join(expression.text.split()), plain_words(expression))


def plain_words(expression: Expression) -> str | None:
    """Plain words for ``expression``, or None when any part of it is unusual."""
    try:
        if expression.type.kind == "bool":
            return _condition(expression.node)
        return _value(expression.node)
    except (_Unusual, RecursionError):
        return None


def _name(identifier: str) -> str:
    return identifier.replace("_", " ")


def _condition(node: Node) -> str:
    """Words for a yes/no condition."""
    if isinstance(node, Name):
        return f"{_name(node.id)}: yes"
    if isinstance(node, Not):
        inner = node.operand
        if isinstance(inner, Name):
            return f"{_name(inner.id)}: no"
        if isinstance(inner, Call) and inner.function == "answered":
            return f"{_value(inner.args[0])} not answered"
        return f"not ({_condition(inner)})"
    if isinstance(node, BoolOp):
        return f", {node.op} ".join(
            f"({_condition(o)})" if isinstance(o, BoolOp) else _condition(o) for o in node.operands
        )
    if isinstance(node, Compare):
        return _compare(node)
    if isinstance(node, Contains):
        return _contains(node)
    if isinstance(node, Call) and node.function == "answered":
        return f"{_value(node.args[0])} answered"
    if isinstance(node, Literal) and isinstance(node.value, bool):
        return "always" if node.value else "never"
    raise _Unusual


_COMPARE = {
    ">=": "is {} or more",
    ">": "is more than {}",
    "<=": "is {} or less",
    "<": "is less than {}",
    "==": "is {}",
    "!=": "is not {}",
}
_FLIPPED = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "==": "==", "!=": "!="}


def _compare(node: Compare) -> str:
    left, op, right = node.left, node.op, node.right
    if isinstance(left, Literal) and not isinstance(right, Literal):
        left, op, right = right, _FLIPPED[op], left
    if isinstance(right, Literal) and isinstance(right.value, bool) and op in ("==", "!="):
        yes = right.value == (op == "==")
        return f"{_value(left)}: {'yes' if yes else 'no'}"
    return f"{_value(left)} {_COMPARE[op].format(_value(right))}"


def _contains(node: Contains) -> str:
    if isinstance(node.container, ListLiteral):
        items = ", ".join(_value(i) for i in node.container.items)
        return f"{_value(node.item)} is {'none' if node.negated else 'one'} of ({items})"
    if isinstance(node.container, Name) and isinstance(node.item, Literal):
        verb = "does not include" if node.negated else "includes"
        return f"{_value(node.container)} {verb} {_value(node.item)}"
    raise _Unusual


_ARITH = {"+": "+", "-": "−", "*": "×", "/": "÷"}


def _value(node: Node) -> str:
    """Words for a value: a name, a number, a quoted option value, a sum, a function."""
    if isinstance(node, Name):
        return _name(node.id)
    if isinstance(node, Literal):
        if isinstance(node.value, bool):
            return "yes" if node.value else "no"
        if isinstance(node.value, str):
            return f"'{node.value}'"
        return format_number(node.value)
    if isinstance(node, Arith):
        return f"{_operand(node.left)} {_ARITH[node.op]} {_operand(node.right)}"
    if isinstance(node, Negate):
        return f"−{_operand(node.operand)}"
    if isinstance(node, Call):
        return _call(node)
    raise _Unusual


def _operand(node: Node) -> str:
    return f"({_value(node)})" if isinstance(node, Arith) else _value(node)


def _call(node: Call) -> str:
    args = node.args
    if node.function == "answered":
        return f"{_value(args[0])} answered"
    if node.function == "count":
        return f"number ticked in {_value(args[0])}"
    if node.function == "count_true":
        names = ", ".join(_value(a) if isinstance(a, Name) else f"({_condition(a)})" for a in args)
        return f"number of yes among ({names})"
    if node.function == "coalesce":
        return f"{_value(args[0])} (or, if unknown, {', then '.join(_value(a) for a in args[1:])})"
    if node.function in ("min", "max"):
        word = {"min": ("lower", "lowest"), "max": ("higher", "highest")}[node.function]
        if len(args) == 2:
            return f"the {word[0]} of {_value(args[0])} and {_value(args[1])}"
        return f"the {word[1]} of {', '.join(_value(a) for a in args)}"
    if node.function == "years_since":
        return f"years since {_value(args[0])}"
    if node.function == "round":
        digits = f" to {_value(args[1])} decimal places" if len(args) == 2 else ""
        return f"{_operand(args[0])} rounded{digits}"
    if node.function == "abs":
        return f"{_operand(args[0])} ignoring its sign"
    raise _Unusual


# -- PDF ------------------------------------------------------------------------------------


class LogicRenderer(ReportRenderer):
    """Draws a LogicSummary with the patient summary's fonts, styles, tables and page numbers."""

    def __init__(self, summary: LogicSummary) -> None:  # no Report: the hooks below replace it
        self.summary = summary
        _register_fonts()
        self.styles = self._stylesheet()

    def _stylesheet(self) -> dict[str, ParagraphStyle]:
        styles = super()._stylesheet()
        styles["h3"].spaceBefore = 9  # space between one rule (or recommendation) and the next
        styles["h2"].keepWithNext = 1  # never a part's heading alone at the foot of a page
        return styles

    def render(self) -> bytes:
        """The PDF as bytes."""
        s = self.summary
        return self._build(
            title=f"Logic summary – {s.title} (version {s.version})", subject=s.questionnaire_id
        )

    def _on_page(self, canvas: Canvas, document: SimpleDocTemplate) -> None:
        s = self.summary
        canvas.saveState()
        canvas.setStrokeColor(LINE)
        canvas.line(18 * mm, 15 * mm, A4[0] - 18 * mm, 15 * mm)
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(
            18 * mm,
            10 * mm,
            f"Logic summary of {s.questionnaire_id} version {s.version}, for clinical review",
        )
        canvas.drawString(18 * mm, 6.5 * mm, f"Definition SHA-256 {s.sha256[:16]}…")
        canvas.restoreState()

    def _story(self) -> list[Flowable]:
        s = self.summary
        counts = (
            f"{len(s.eligibility)} eligibility conditions · {s.question_count} questions in "
            f"{len(s.sections)} sections · {len(s.computed)} computed values · {len(s.scales)} "
            f"scales · {len(s.rules)} rules · {len(s.recommendations)} recommendations"
        )
        story: list[Flowable] = [
            self._p("Logic summary", "title"),
            self._p(f"{s.title} ({s.questionnaire_id}, version {s.version})", "h3"),
            self._p(s.description, "small"),
            self._p(counts, "small"),
            self._p(HOW_TO_READ),
            self._p("Sources", "h2"),
            self._bullets(
                [
                    " · ".join(x for x in (src.title, src.publisher, src.url, src.attribution) if x)
                    + f" (id: {src.id})"
                    for src in s.sources
                ],
                style="small",
            ),
        ]
        story += self._part(
            "Eligibility: when this is not the right tool",
            [self._eligibility(e) for e in s.eligibility],
            "No eligibility conditions: everyone may use it.",
        )
        story += self._questions_part()
        story += self._part("Computed values", [self._computed(c) for c in s.computed])
        story += self._part("Scales and bands", [self._scale(scale) for scale in s.scales])
        story += self._part(
            "Rules (every rule is tried; each that holds fires)",
            [self._rule(rule) for rule in s.rules],
            "No rules.",
        )
        story += self._part(
            "Recommendations",
            [self._recommendation(r) for r in s.recommendations],
            "No recommendations.",
        )
        story += [self._p("Disclaimer shown to patients", "h2"), self._p(s.disclaimer)]
        return story

    # -- parts ------------------------------------------------------------------------------

    def _part(self, heading: str, items: list[list[Flowable]], empty: str = "") -> list[Flowable]:
        """A part of the summary: each item kept together, the heading with the first one
        (KeepTogether ignores a heading's keepWithNext)."""
        if not items:
            return [self._p(heading, "h2"), self._p(empty)] if empty else []
        first, *rest = items
        return [KeepTogether([self._p(heading, "h2"), *first]), *map(KeepTogether, rest)]

    def _eligibility(self, e: LogicEligibility) -> list[Flowable]:
        block = [self._p(e.id, "h3"), *self._condition("Not for this patient when", e.when)]
        block.append(self._field("Message", e.message))
        if e.redirect:
            block.append(self._field("Sent to", e.redirect))
        return [*block, self._cited(e.cited)]

    def _questions_part(self) -> list[Flowable]:
        # Long tables split by row: a CondPageBreak, not KeepTogether, keeps each heading with
        # the first rows of its table without pushing a whole table to the next page.
        story: list[Flowable] = [CondPageBreak(60 * mm), self._p("Questions", "h2")]
        for number, section in enumerate(self.summary.sections):
            block: list[Flowable] = [CondPageBreak(40 * mm)] if number else []
            block.append(self._p(f"{section.title} (section {section.id})", "h3"))
            if section.show_if:
                block += self._condition("Page asked only when", section.show_if)
            rows = [
                [
                    self._markup(
                        f"<b>{clean_text(q.id)}</b> ({clean_text(q.type)})<br/>{clean_text(q.text)}"
                        + "".join(f"<br/><i>{clean_text(n)}</i>" for n in q.notes),
                    ),
                    self._markup("<br/>".join(clean_text(x) for x in (q.answer, *q.options))),
                    self._markup(self._condition_markup(q.show_if) if q.show_if else "Always"),
                ]
                for q in section.questions
            ]
            table = self._table(
                rows, [62 * mm, 62 * mm, None], ("Question", "Answers", "Asked when")
            )
            _split_long_rows(
                table,
                [
                    [q.text, *q.notes, q.answer, *q.options, *_texts(q.show_if)]
                    for q in section.questions
                ],
            )
            story += [*block, table]
        return story

    def _computed(self, c: LogicComputed) -> list[Flowable]:
        unit = f" ({c.unit})" if c.unit else ""
        return [
            self._p(f"{c.title}{unit} — {c.id}", "h3"),
            *self._condition("Worked out as", c.value),
        ]

    def _scale(self, scale: LogicScale) -> list[Flowable]:
        head = [
            self._p(f"{scale.title} — {scale.id}", "h3"),
            self._field("Adds up", " + ".join(scale.sum)),
            self._field("A missing answer", scale.missing),
            self._cited(scale.cited),
        ]
        if not scale.bands:
            return [*head, self._p("No bands: the score is shown without a meaning.")]
        rows = [
            [
                self._p(band.range, "cell_bold"),
                self._markup(f"{clean_text(band.label)}<br/>id: {clean_text(band.id)}"),
                self._markup(self._urgency(band.urgency)),
                self._markup(self._then(band.recommend, band.flags, band.description) or "—"),
            ]
            for band in scale.bands
        ]
        table = self._table(
            rows, [22 * mm, 50 * mm, 22 * mm, None], ("Score", "Band", "Urgency", "Then")
        )
        _split_long_rows(
            table,
            [[b.label, b.description or "", *(r.title for r in b.recommend)] for b in scale.bands],
        )
        return [*head, table]

    def _rule(self, rule: LogicRule) -> list[Flowable]:
        urgency = self._urgency(rule.urgency) + (
            " (from its recommendations)" if rule.urgency_from_recommendations else ""
        )
        reason = clean_text(rule.reason) + (
            " <i>(default wording)</i>" if rule.reason_is_default else ""
        )
        then = self._then(rule.recommend, rule.flags, None) or "only sets the urgency"
        return [
            self._markup(f"{clean_text(rule.id)} — {urgency}", "h3"),
            *self._condition("When", rule.when),
            self._markup(f"<b>Then:</b> {then}", "body"),
            self._markup(f"<b>Reason given:</b> {reason}", "body"),
            self._cited(rule.cited),
        ]

    def _recommendation(self, rec: LogicRecommendation) -> list[Flowable]:
        service = f" · service: {rec.service}" if rec.service else ""
        block = [
            self._markup(f"{clean_text(rec.title)} — {self._urgency(rec.urgency)}", "h3"),
            self._p(f"id {rec.id}{service}", "small"),
            self._p(rec.text),
        ]
        if rec.ask_your_doctor:
            block += [self._field("Questions to ask", ""), self._bullets(rec.ask_your_doctor)]
        used = ", ".join(rec.used_by) or "nothing (no rule or band recommends it)"
        return [*block, self._field("Used by", used, "small"), self._cited(rec.cited)]

    # -- pieces -----------------------------------------------------------------------------

    def _markup(self, markup: str, style: str = "cell") -> Paragraph:
        """A Paragraph from markup whose every outside string went through clean_text."""
        return Paragraph(markup, self.styles[style])

    def _field(self, label: str, value: str, style: str = "body") -> Paragraph:
        return self._markup(f"<b>{clean_text(label)}:</b> {clean_text(value)}", style)

    def _condition(self, label: str, cond: Condition) -> list[Flowable]:
        if cond.words is None:
            return [self._field(f"{label} (as written)", cond.text)]
        return [self._field(label, cond.words), self._field("As written", cond.text, "small")]

    def _condition_markup(self, cond: Condition) -> str:
        if cond.words is None:
            return clean_text(cond.text)
        return f"{clean_text(cond.words)}<br/><font size=7.5>{clean_text(cond.text)}</font>"

    def _cited(self, cited: Cited) -> Paragraph:
        sources = "; ".join(cited.sources) or "none given"
        citation = f" — {cited.citation}" if cited.citation else ""
        return self._field("Source", sources + citation, "small")

    @staticmethod
    def _urgency(urgency: str | None) -> str:
        if urgency is None:
            return "no urgency (flags only)"
        colour = URGENCY_COLOURS[urgency].hexval()[2:]
        return f'<font color="#{colour}"><b>{clean_text(urgency_label(urgency).upper())}</b></font>'

    @staticmethod
    def _then(recommend: tuple[Ref, ...], flags: tuple[str, ...], description: str | None) -> str:
        parts = []
        if recommend:
            names = "; ".join(f"{r.id} ({r.title})" for r in recommend)
            parts.append(f"recommends {clean_text(names)}")
        if flags:
            parts.append(
                f"raises flag{'s' if len(flags) > 1 else ''} {clean_text(', '.join(flags))}"
            )
        if description:
            parts.append(clean_text(description))
        return "; ".join(parts)


def _texts(cond: Condition | None) -> list[str]:
    return [cond.text, cond.words or ""] if cond else []


def _split_long_rows(table: Table, rows: list[list[str]]) -> None:
    """Let rows split across pages only when one might not fit on a page: a split row is
    harder to read (and ReportLab repeats the header row oddly), but a row taller than a
    page cannot be drawn at all."""
    table.splitInRow = int(any(sum(map(len, row)) > 1500 for row in rows))


def render_logic_pdf(summary: LogicSummary) -> bytes:
    """The logic summary as PDF bytes."""
    return LogicRenderer(summary).render()
