"""Questionnaire -> LogicSummary -> PDF: every part of a definition, in plain words, for review."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pypdf
import pytest

from riskcheck.loader import load_questionnaire, load_text
from riskcheck.model import Band
from riskcheck.questionnaire import Questionnaire
from riskcheck.report.logic import (
    DEFAULT_REASON,
    LogicSummary,
    band_range,
    build_logic_summary,
    render_logic_pdf,
)

ROOT = Path(__file__).resolve().parents[2]
MOOD = ROOT / "tests" / "data" / "mood.yaml"
SYMPTOMS = ROOT / "questionnaires" / "symptom-check.yaml"
HOSTILE = '<script>alert(1)</script> </para> <b>bold</b> & "quotes" <font size=40>'


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def titles(q: Questionnaire, ref: str | list[str] | None) -> tuple[str, ...]:
    ids = [ref] if isinstance(ref, str) else list(ref or [])
    return tuple(q.sources[i].title for i in ids)


@pytest.fixture(scope="module", params=[MOOD, SYMPTOMS], ids=["mood", "symptom-check"])
def questionnaire(request: pytest.FixtureRequest) -> Questionnaire:
    return load_questionnaire(request.param)


@pytest.fixture(scope="module")
def summary(questionnaire: Questionnaire) -> LogicSummary:
    return build_logic_summary(questionnaire)


# -- content --------------------------------------------------------------------------------


def test_every_rule_appears_with_its_condition_outcome_and_source(
    questionnaire: Questionnaire, summary: LogicSummary
) -> None:
    rules = {r.id: r for r in summary.rules}
    assert list(rules) == [rule.id for rule in questionnaire.definition.rules]
    for rule in questionnaire.definition.rules:
        shown = rules[rule.id]
        assert shown.when.text == " ".join(rule.when.split())
        assert [r.id for r in shown.recommend] == rule.recommend
        assert shown.flags == tuple(rule.flags)
        assert shown.reason == (rule.reason or DEFAULT_REASON)
        assert shown.cited.sources == titles(questionnaire, rule.source)
        assert shown.cited.citation == rule.citation
        if rule.urgency:
            assert shown.urgency == rule.urgency
            assert not shown.urgency_from_recommendations


def test_every_scale_and_band_appears_with_its_source(
    questionnaire: Questionnaire, summary: LogicSummary
) -> None:
    assert [s.id for s in summary.scales] == [s.id for s in questionnaire.scales]
    for scale, shown in zip(questionnaire.scales, summary.scales, strict=True):
        assert shown.cited.sources == titles(questionnaire, scale.source)
        assert shown.cited.citation == scale.citation
        assert shown.sum == tuple(scale.sum)
        assert shown.missing
        assert [(b.id, b.label, b.urgency) for b in shown.bands] == [
            (b.id, b.label, b.urgency) for b in scale.bands
        ]
        for band, shown_band in zip(scale.bands, shown.bands, strict=True):
            assert [r.id for r in shown_band.recommend] == band.recommend
            assert shown_band.flags == tuple(band.flags)


def test_every_recommendation_appears_with_its_source_and_what_uses_it(
    questionnaire: Questionnaire, summary: LogicSummary
) -> None:
    recommendations = {r.id: r for r in summary.recommendations}
    assert list(recommendations) == list(questionnaire.recommendations)
    for rid, rec in questionnaire.recommendations.items():
        shown = recommendations[rid]
        assert (shown.title, shown.text, shown.urgency, shown.service) == (
            rec.title,
            rec.text,
            rec.urgency,
            rec.service,
        )
        assert shown.ask_your_doctor == tuple(rec.ask_your_doctor)
        assert shown.cited.sources == titles(questionnaire, rec.source)
        users = {f"rule {r.id}" for r in questionnaire.definition.rules if rid in r.recommend}
        users |= {
            f"band {s.id}.{b.id}"
            for s in questionnaire.scales
            for b in s.bands
            if rid in b.recommend
        }
        assert set(shown.used_by) == users


def test_every_question_computed_value_and_eligibility_condition_appears(
    questionnaire: Questionnaire, summary: LogicSummary
) -> None:
    shown = [q for section in summary.sections for q in section.questions]
    assert [q.id for q in shown] == list(questionnaire.questions)
    for question in shown:
        condition = questionnaire.question(question.id).show_if
        assert (question.show_if.text if question.show_if else None) == (
            " ".join(condition.split()) if condition else None
        )
    assert [c.id for c in summary.computed] == [c.id for c, _ in questionnaire.computed]
    assert [e.id for e in summary.eligibility] == [e.id for e, _ in questionnaire.eligibility]
    for e, _ in questionnaire.eligibility:
        found = next(x for x in summary.eligibility if x.id == e.id)
        assert found.message == e.message
        assert found.cited.sources == titles(questionnaire, e.source)
    assert {s.id for s in summary.sources} == set(questionnaire.sources)


def test_mood_in_detail() -> None:
    summary = build_logic_summary(load_questionnaire(MOOD))
    under_18 = summary.eligibility[0]
    assert (under_18.when.text, under_18.when.words) == ("age < 18", "age is less than 18")
    assert under_18.redirect == "Talk to your child's doctor"
    total = summary.scales[0]
    assert [b.range for b in total.bands] == ["0 to 2", "3 to 6"]
    assert "prorated" in total.missing
    crisis = next(q for s in summary.sections for q in s.questions if q.id == "crisis")
    assert crisis.show_if is not None
    assert crisis.show_if.words == "q2 is '3'"
    symptoms = next(q for s in summary.sections for q in s.questions if q.id == "symptoms")
    assert symptoms.options[-1] == "none: None of these (0 points) — only on its own"
    assert "optional" in symptoms.notes
    heavy = next(r for r in summary.rules if r.id == "heavy_smoker")
    assert (heavy.urgency, heavy.urgency_from_recommendations) == ("soon", True)
    assert heavy.reason_is_default
    assert heavy.when.words == "pack years is 20 or more, and age is 50 or more"
    see_gp = next(r for r in summary.recommendations if r.id == "see_gp")
    assert see_gp.used_by == ("band total.high", "rule heavy_smoker")
    assert summary.computed[0].value.words == "packs per day × years smoked"


# -- plain words ----------------------------------------------------------------------------

WORDS = {
    "age >= 50 and (rectal_bleeding or change_in_bowel_habit)": (
        "age is 50 or more, and (rectal bleeding: yes, or change in bowel habit: yes)"
    ),
    "not answered(fit_result) and not rectal_bleeding": (
        "fit result not answered, and rectal bleeding: no"
    ),
    "18 > age": "age is less than 18",
    "smoker != 'never' or smoker in ['current', 'former']": (
        "smoker is not 'never', or smoker is one of ('current', 'former')"
    ),
    "smoker not in ['never']": "smoker is none of ('never')",
    "'none' not in symptoms and count(symptoms) >= 2": (
        "symptoms does not include 'none', and number ticked in symptoms is 2 or more"
    ),
    "'weight_loss' in symptoms": "symptoms includes 'weight_loss'",
    "rectal_bleeding == true and change_in_bowel_habit != true": (
        "rectal bleeding: yes, and change in bowel habit: no"
    ),
    "coalesce(fit_result, 0) < 10": "fit result (or, if unknown, 0) is less than 10",
    "count_true(rectal_bleeding, age >= 60) >= 1": (
        "number of yes among (rectal bleeding, (age is 60 or more)) is 1 or more"
    ),
    "years_since(first_noticed) >= 1": "years since first noticed is 1 or more",
    "max(age, fit_result) > 2.5": "the higher of age and fit result is more than 2.5",
    "round(fit_result / (age - 1), 1) <= -3": (
        "(fit result ÷ (age − 1)) rounded to 1 decimal places is −3 or less"
    ),
    "not (age >= 50 or rectal_bleeding)": "not (age is 50 or more, or rectal bleeding: yes)",
    # Unusual: comparing two conditions. The words would mislead; only the text is shown.
    "(age >= 50) == rectal_bleeding": None,
}


@pytest.fixture(scope="module")
def words_questionnaire() -> Questionnaire:
    rules = "\n".join(
        f"  - {{id: r{i}, flags: [f], when: {when!r}}}" for i, when in enumerate(WORDS)
    )
    return load_text(
        textwrap.dedent("""\
        id: words
        title: Words
        description: Expressions in plain words.
        version: 1
        disclaimer: Not a diagnosis.
        sources: {s: {title: Source}}
        sections:
          - id: only
            title: Only
            questions:
              - {id: age, type: number, text: Age?}
              - {id: rectal_bleeding, type: yesno, text: Bleeding?}
              - {id: change_in_bowel_habit, type: yesno, text: Change?}
              - {id: fit_result, type: number, optional: true, text: FIT?}
              - id: smoker
                type: single
                text: Smoke?
                options: [{value: never, label: No}, {value: current, label: Yes},
                          {value: former, label: Used to}]
              - id: symptoms
                type: multiple
                text: Which?
                options: [{value: weight_loss, label: Weight loss}, {value: none, label: None}]
              - {id: first_noticed, type: date, text: When?}
        rules:
        """)
        + rules
        + "\n"
    )


@pytest.mark.parametrize(("index", "when"), list(enumerate(WORDS)))
def test_conditions_in_plain_words(
    words_questionnaire: Questionnaire, index: int, when: str
) -> None:
    rule = build_logic_summary(words_questionnaire).rules[index]
    assert rule.when.text == when
    assert rule.when.words == WORDS[when]


@pytest.mark.parametrize(
    ("low", "high", "words"),
    [
        (0, 2, "0 to 2"),
        (5, 5, "5"),
        (7, None, "7 or more"),
        (None, 4.5, "4.5 or less"),
        (None, None, "any value"),
    ],
)
def test_band_ranges_in_words(low: float | None, high: float | None, words: str) -> None:
    assert band_range(Band(id="b", label="B", min=low, max=high, urgency="routine")) == words


# -- PDF ------------------------------------------------------------------------------------


def test_pdf_reads_back_with_numbered_pages(
    questionnaire: Questionnaire, summary: LogicSummary
) -> None:
    pdf = render_logic_pdf(summary)
    assert pdf.startswith(b"%PDF-")
    pages = pages_of(pdf)
    for number, text in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in text
    text = " ".join(" ".join(pages).split())
    assert f"{questionnaire.title} ({questionnaire.id}, version {questionnaire.version})" in text
    for rule in summary.rules:
        assert rule.id in text
    for rec in summary.recommendations:
        assert " ".join(rec.title.split()) in text
    for scale in summary.scales:
        for band in scale.bands:
            assert " ".join(band.label.split()) in text
    for source in summary.sources:
        assert source.id in text


def test_same_summary_same_bytes() -> None:
    summary = build_logic_summary(load_questionnaire(MOOD))
    assert render_logic_pdf(summary) == render_logic_pdf(summary)


def test_hostile_and_very_long_text_is_escaped_and_drawn() -> None:
    quoted = "'" + HOSTILE.replace("'", "''") + "'"
    long_text = "'" + "a long question " * 300 + "'"
    text = (
        MOOD.read_text()
        .replace("title: Mood check", f"title: {quoted}")
        .replace("label: High,", f"label: {quoted},")
        .replace("reason: You said you are thinking of ending your life now.", f"reason: {quoted}")
        .replace("text: Anything else?", f"text: {long_text}")
        .replace("title: See your GP", f"title: {quoted}")
    )
    summary = build_logic_summary(load_text(text))
    assert summary.title == HOSTILE  # plain data: escaping is the renderer's job
    joined = " ".join(pages_of(render_logic_pdf(summary))).replace("\n", " ")
    for fragment in (
        "<script>alert(1)</script>",
        "</para>",
        "<b>bold</b>",
        '& "quotes"',
        "<font size=40>",
    ):
        assert fragment in joined
    # drawn in full, over a page break (where page furniture may interrupt a phrase or two)
    assert joined.count("a long question") >= 295
