"""riskcheck.lint: warnings about definitions that load but are probably wrong."""

from __future__ import annotations

import pytest

from riskcheck.definition_tests import run_definition_tests
from riskcheck.lint import lint
from riskcheck.validation import validate_text
from tests.conftest import DATA
from tests.factories import RECOMMENDATIONS, make_definition, make_questionnaire, single, yesno

POINTS = {"0": 0, "1": 1, "2": 2, "3": 3}


def warnings_of(questionnaire, results=None) -> list[tuple[str, str]]:
    problems = lint(questionnaire, results)
    assert all(p.severity == "warning" for p in problems)
    return [(p.path, p.message) for p in problems]


def banded(*bands, questions=("q1", "q2")):
    """A scale of 0-3 point questions (0 to 6 for two) with ``bands`` (min, max) and a source."""
    return make_questionnaire(
        questions=[single(q, POINTS) for q in questions],
        scales=[
            {
                "id": "total",
                "title": "Total",
                "sum": list(questions),
                "source": "guide",
                "bands": [
                    {
                        "id": f"b{i}",
                        "label": f"B{i}",
                        "urgency": "routine",
                        **({"min": low} if low is not None else {}),
                        **({"max": high} if high is not None else {}),
                    }
                    for i, (low, high) in enumerate(bands)
                ],
            }
        ],
    )


def test_bands_covering_the_scale_exactly_are_clean():
    assert warnings_of(banded((0, 2), (3, 4), (5, 6))) == []
    assert warnings_of(banded((None, 2), (3, None))) == []


def test_band_gap():
    assert warnings_of(banded((0, 2), (4, 6))) == [("scales[0].bands[1]", "no band covers 3")]
    assert warnings_of(banded((0, 1), (4, 6))) == [("scales[0].bands[1]", "no band covers 2 to 3")]


def test_band_not_starting_at_the_lowest_score():
    assert warnings_of(banded((1, 6))) == [("scales[0].bands[0]", "no band covers 0")]


def test_band_overlap():
    assert warnings_of(banded((0, 3), (3, 6))) == [
        ("scales[0].bands[1]", "bands 'b0' and 'b1' overlap")
    ]


def test_bands_not_reaching_the_scale_max():
    assert warnings_of(banded((0, 2), (3, 5))) == [("scales[0].bands[1]", "no band covers 6")]
    problem = lint(banded((0, 2), (3, 4)))[0]
    assert problem.hint == "raise the max of band 'b1' to 6, or add a band"


def test_bands_in_any_order_are_sorted_first():
    assert warnings_of(banded((5, 6), (0, 2), (3, 4))) == []


def test_bands_over_decimal_points_leave_no_gap_between_whole_numbers():
    questionnaire = make_questionnaire(
        questions=[single("q", {"a": 0, "b": 0.5, "c": 1})],
        scales=[
            {
                "id": "total",
                "title": "T",
                "sum": ["q"],
                "source": "guide",
                "bands": [
                    {"id": "low", "max": 0, "label": "L", "urgency": "routine"},
                    {"id": "high", "min": 1, "label": "H", "urgency": "soon"},
                ],
            }
        ],
    )
    assert warnings_of(questionnaire) == [
        ("scales[0].bands[1]", "no band covers the values between 0 and 1")
    ]


def test_unused_recommendation():
    questionnaire = make_questionnaire(
        rules=[{"id": "r", "when": "cough", "recommend": ["see_gp"], "source": "guide"}],
        recommendations=RECOMMENDATIONS,
    )
    assert warnings_of(questionnaire) == [
        ("recommendations.call_today", "recommendation 'call_today' is never used"),
        ("recommendations.leaflet", "recommendation 'leaflet' is never used"),
    ]


def test_a_recommendation_used_by_a_band_is_used():
    questionnaire = make_questionnaire(
        questions=[single("q", {"a": 0, "b": 1})],
        scales=[
            {
                "id": "total",
                "title": "T",
                "sum": ["q"],
                "source": "guide",
                "bands": [
                    {"id": "low", "max": 0, "label": "L", "urgency": "routine"},
                    {
                        "id": "high",
                        "min": 1,
                        "label": "H",
                        "urgency": "soon",
                        "recommend": ["see_gp"],
                    },
                ],
            }
        ],
        recommendations={"see_gp": RECOMMENDATIONS["see_gp"]},
    )
    assert warnings_of(questionnaire) == []


def test_unused_question():
    questionnaire = make_questionnaire(
        questions=[
            yesno("cough"),
            yesno("fever"),
            yesno("asked", informational=True),
            {"id": "notes", "type": "text", "text": "Notes?"},
        ],
        rules=[{"id": "r", "when": "cough", "recommend": ["see_gp"], "source": "guide"}],
        recommendations={"see_gp": RECOMMENDATIONS["see_gp"]},
    )
    # informational questions and free text are asked for the record
    assert warnings_of(questionnaire) == [
        (
            "sections[0].questions[1]",
            "question 'fever' is not used by any rule, scale, computed value or condition",
        )
    ]


def test_a_question_used_only_by_a_show_if_is_used():
    questionnaire = make_questionnaire(
        questions=[yesno("smokes"), yesno("cough", show_if="smokes")],
        rules=[{"id": "r", "when": "cough", "recommend": ["see_gp"], "source": "guide"}],
        recommendations={"see_gp": RECOMMENDATIONS["see_gp"]},
    )
    assert warnings_of(questionnaire) == []


SMOKER = single("smoker", {"never": 0, "former": 0, "current": 0})


def test_rule_that_can_never_fire():
    questionnaire = make_questionnaire(
        questions=[SMOKER, yesno("cough", show_if="smoker == 'never'")],
        rules=[
            {
                "id": "impossible",
                "when": "smoker == 'current' and cough",
                "recommend": ["see_gp"],
                "source": "guide",
            }
        ],
        recommendations={"see_gp": RECOMMENDATIONS["see_gp"]},
    )
    problems = lint(questionnaire)
    assert [(p.path, p.message) for p in problems] == [
        ("rules[0]", "rule 'impossible' can never fire")
    ]
    assert "show_if" in problems[0].hint


def test_rule_on_numbers_that_contradict():
    questionnaire = make_questionnaire(
        questions=[
            {"id": "age", "type": "number", "integer": True, "min": 18, "max": 120, "text": "Age?"}
        ],
        rules=[
            {
                "id": "young_old",
                "when": "age < 30 and age > 40",
                "urgency": "soon",
                "source": "guide",
            },
            {"id": "child", "when": "age < 18", "urgency": "soon", "source": "guide"},
            {"id": "fine", "when": "age >= 50 and age <= 50", "urgency": "soon", "source": "guide"},
        ],
    )
    assert warnings_of(questionnaire) == [
        ("rules[0]", "rule 'young_old' can never fire"),
        ("rules[1]", "rule 'child' can never fire"),
    ]


def test_question_that_can_never_be_shown():
    questionnaire = make_questionnaire(
        questions=[SMOKER, yesno("cough", show_if="smoker == 'never' and smoker == 'current'")],
        rules=[
            {
                "id": "r",
                "when": "smoker == 'current' or cough",
                "urgency": "soon",
                "source": "guide",
            }
        ],
    )
    problems = lint(questionnaire)
    assert [(p.path, p.message) for p in problems] == [
        ("sections[0].questions[1]", "question 'cough' can never be shown")
    ]


def test_question_hidden_by_a_question_that_is_itself_never_shown():
    questionnaire = make_questionnaire(
        questions=[
            SMOKER,
            yesno("cough", show_if="smoker == 'never' and smoker == 'current'"),
            yesno("blood", show_if="cough"),
        ],
        rules=[
            {
                "id": "r",
                "when": "blood or smoker == 'current'",
                "urgency": "soon",
                "source": "guide",
            }
        ],
    )
    assert [m for _, m in warnings_of(questionnaire)] == [
        "question 'cough' can never be shown",
        "question 'blood' can never be shown",
    ]


def test_rule_and_banded_scale_without_source():
    questionnaire = make_questionnaire(
        questions=[single("q", {"a": 0, "b": 1})],
        scales=[
            {
                "id": "total",
                "title": "T",
                "sum": ["q"],
                "bands": [{"id": "all", "label": "All", "urgency": "routine"}],
            }
        ],
        rules=[{"id": "unsourced", "when": "q == 'b'", "urgency": "soon"}],
    )
    assert warnings_of(questionnaire) == [
        ("rules[0]", "rule 'unsourced' cites no source"),
        ("scales[0]", "scale 'total' has bands but cites no source"),
    ]


def coverage_of(**overrides) -> list[tuple[str, str]]:
    questionnaire = make_questionnaire(**overrides)
    results = [o.result for o in run_definition_tests(questionnaire)]
    return [w for w in warnings_of(questionnaire, results) if "definition test" in w[1]]


SCALED = {
    "questions": [single("q", {"a": 0, "b": 1}), yesno("cough"), yesno("fever")],
    "scales": [
        {
            "id": "total",
            "title": "T",
            "sum": ["q"],
            "source": "guide",
            "bands": [
                {"id": "low", "max": 0, "label": "L", "urgency": "routine"},
                {"id": "high", "min": 1, "label": "H", "urgency": "soon"},
            ],
        }
    ],
    "rules": [
        {"id": "recommends", "when": "cough", "recommend": ["see_gp"], "source": "guide"},
        {"id": "urgency_only", "when": "fever", "urgency": "urgent", "source": "guide"},
        {"id": "flag_only", "when": "fever and cough", "flags": ["both"], "source": "guide"},
    ],
    "recommendations": {"see_gp": RECOMMENDATIONS["see_gp"]},
}


def test_untested_rules_and_bands():
    assert coverage_of(
        **SCALED, tests=[{"name": "low", "answers": {"q": "a", "cough": False, "fever": False}}]
    ) == [
        ("rules[0]", "no definition test makes rule 'recommends' fire"),
        ("rules[1]", "no definition test makes rule 'urgency_only' fire"),
        ("rules[2]", "no definition test makes rule 'flag_only' fire"),
        ("scales[0].bands[1]", "no definition test reaches band 'high' of 'total'"),
    ]


def test_every_rule_and_band_tested_is_clean():
    # The urgency-only rule counts as tested although it recommends nothing.
    assert (
        coverage_of(
            **SCALED,
            tests=[
                {"name": "low", "answers": {"q": "a", "cough": False, "fever": True}},
                {"name": "high", "answers": {"q": "b", "cough": True, "fever": True}},
            ],
        )
        == []
    )


def test_a_rule_counts_as_tested_only_when_it_fires():
    assert ("rules[2]", "no definition test makes rule 'flag_only' fire") in coverage_of(
        **SCALED,
        tests=[
            {"name": "one", "answers": {"q": "a", "cough": True, "fever": False}},
            {"name": "two", "answers": {"q": "b", "cough": False, "fever": True}},
        ],
    )


def clean_mood_text() -> str:
    """mood.yaml with its two real findings fixed (an unused question, an untested rule)."""
    text = (DATA / "mood.yaml").read_text()
    text = text.replace(
        "      - id: symptoms\n", "      - id: symptoms\n        informational: true\n"
    )
    return text + (
        "  - name: heavy smoker\n"
        "    answers: {age: 60, smoker: current, packs_per_day: 1, years_smoked: 30,\n"
        "              q1: '0', q2: '0'}\n"
        "    expect: {urgency: soon, recommendations: [see_gp], flags: [heavy_smoker]}\n"
    )


def test_mood_has_exactly_its_two_real_findings(mood):
    results = [o.result for o in run_definition_tests(mood)]
    assert warnings_of(mood, results) == [
        (
            "sections[1].questions[3]",
            "question 'symptoms' is not used by any rule, scale, computed value or condition",
        ),
        ("rules[1]", "no definition test makes rule 'heavy_smoker' fire"),
    ]


def test_a_clean_definition_gives_no_warnings():
    report = validate_text(clean_mood_text(), "mood.yaml")
    assert report.errors == []
    assert report.warnings == []
    assert all(outcome.passed for outcome in report.outcomes)
    assert report.is_valid(strict=True)


@pytest.mark.parametrize(
    "definition",
    [
        make_definition(),
        make_definition(
            questions=[yesno("a"), yesno("b", show_if="a"), yesno("c", show_if="a and b")],
            rules=[{"id": "r", "when": "c", "urgency": "soon", "source": "guide"}],
        ),
        make_definition(
            questions=[{"id": "born", "type": "date", "max": "today", "text": "Born?"}],
            computed=[{"id": "age", "title": "Age", "value": "years_since(born)"}],
            rules=[{"id": "r", "when": "age >= 50", "urgency": "soon", "source": "guide"}],
        ),
    ],
    ids=["minimal", "chained show_if", "dates"],
)
def test_no_false_alarms_about_reachability(definition):
    report = validate_text(definition)
    assert not [w for w in report.warnings if "never" in w.message]


def checklist(rule: str, options: str = "abc"):
    """A multiple-choice question (options plus an exclusive 'none') and one rule over it."""
    choices = [{"value": v, "label": v.upper()} for v in options]
    choices.append({"value": "none", "label": "None of these", "exclusive": True})
    return make_questionnaire(
        questions=[
            {"id": "s", "type": "multiple", "optional": True, "text": "S?", "options": choices}
        ],
        rules=[{"id": "r", "when": rule, "urgency": "soon", "source": "guide"}],
    )


@pytest.mark.parametrize(
    "rule",
    [
        "'b' in s and 'c' in s and 'a' not in s",  # a combination that is not a prefix of the list
        "count(s) == 2 and 'a' not in s",
        "count(s) == 3",
        "'none' in s",
        "count(s) == 0",
    ],
)
def test_rules_over_any_combination_of_ticks_can_fire(rule):
    assert warnings_of(checklist(rule)) == []


@pytest.mark.parametrize("rule", ["'none' in s and 'a' in s", "count(s) > 3"])
def test_rules_needing_ticks_that_cannot_go_together_never_fire(rule):
    assert warnings_of(checklist(rule)) == [("rules[0]", "rule 'r' can never fire")]


def test_too_many_options_to_try_gives_no_warning():
    assert warnings_of(checklist("'none' in s and 'a' in s", "abcdefghijklmnop")) == []


# -- a symptom asked in two places ---------------------------------------------------------------

HINT = (
    "ask it once, read both in the same rule, or list the other under not_same_as if they "
    "ask different things"
)


def tickbox(question_id: str, text: str, **fields):  # noqa: ANN003, ANN201
    return {"id": question_id, "type": "yesno", "default": False, "text": text, **fields}


def checklist_of(question_id: str, *labels: str, **fields):  # noqa: ANN003, ANN201
    options = [{"value": f"o{i}", "label": label} for i, label in enumerate(labels)]
    options.append({"value": "none", "label": "None of these", "exclusive": True})
    return {
        "id": question_id,
        "type": "multiple",
        "optional": True,
        "text": "Any of these?",
        "options": options,
        **fields,
    }


def old_blood_pressure_page(**bp_fields) -> dict:  # noqa: ANN003
    """The shape of symptom-check before: a red-flag page, then a blood-pressure page whose
    follow-up asks again about chest pain and weakness, each read by its own rule."""
    return {
        "questions": [
            tickbox(
                "chest_pain_now",
                "Sudden or severe chest pain, or chest pain that spreads to your arm",
            ),
            tickbox("stroke_signs", "Sudden weakness or numbness, or difficulty speaking"),
            {"id": "systolic", "type": "number", "optional": True, "text": "Top number?"},
            checklist_of(
                "bp_symptoms",
                "Chest pain",
                "Weakness",
                "Headache",
                show_if="systolic >= 180",
                **bp_fields,
            ),
        ],
        "rules": [
            {
                "id": "red_flag",
                "when": "chest_pain_now or stroke_signs",
                "urgency": "emergency",
                "source": "guide",
            },
            {
                "id": "crisis",
                "when": "systolic >= 180 and count(bp_symptoms) >= 1 and 'none' not in bp_symptoms",
                "urgency": "emergency",
                "source": "guide",
            },
        ],
    }


def asked_twice(questionnaire) -> list[tuple[str, str]]:
    return [w for w in warnings_of(questionnaire) if "asked in two places" in w[1]]


def test_a_symptom_asked_again_on_the_blood_pressure_page_is_a_warning():
    questionnaire = make_questionnaire(**old_blood_pressure_page())
    assert asked_twice(questionnaire) == [
        (
            "sections[0].questions[3].options[0]",
            "'chest pain' is asked in two places whose answers could disagree: here "
            "('bp_symptoms') and at factory.yaml:14 sections[0].questions[0] ('chest_pain_now')",
        ),
        (
            "sections[0].questions[3].options[1]",
            "'weakness' is asked in two places whose answers could disagree: here "
            "('bp_symptoms') and at factory.yaml:18 sections[0].questions[1] ('stroke_signs')",
        ),
    ]
    problem = next(p for p in lint(questionnaire) if "chest pain" in p.message)
    assert problem.hint == HINT
    assert (problem.file, problem.line) == ("factory.yaml", 31)


def test_a_rule_reading_both_places_scores_both():
    page = old_blood_pressure_page()
    page["rules"][1]["when"] = (
        "systolic >= 180 and ((count(bp_symptoms) >= 1 and 'none' not in bp_symptoms) "
        "or chest_pain_now or stroke_signs)"
    )
    assert asked_twice(make_questionnaire(**page)) == []


@pytest.mark.parametrize("side", ["bp_symptoms", "chest_pain_now"])
def test_not_same_as_says_two_questions_differ(side):
    page = old_blood_pressure_page()
    by_id = {q["id"]: q for q in page["questions"]}
    other = "chest_pain_now" if side == "bp_symptoms" else "bp_symptoms"
    by_id[side]["not_same_as"] = [other]
    by_id["stroke_signs"]["not_same_as"] = ["bp_symptoms"]
    assert asked_twice(make_questionnaire(**page)) == []


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Difficulty swallowing", "Severe difficulty breathing"),  # a qualifier, not a symptom
        ("Has a doctor or nurse told you that you have anaemia?", "A lump a doctor or nurse found"),
        ("A cough", "Coughing up blood"),  # whole words only
        ("Diarrhoea (runny poo)", "Runny poo after eating"),  # an aside in parentheses is dropped
        ("Chest", "Chest pain that comes and goes"),  # one word of fewer than eight letters
    ],
)
def test_words_in_common_that_name_no_symptom_are_not_a_warning(first, second):
    questionnaire = make_questionnaire(
        questions=[tickbox("a", first), tickbox("b", second)],
        rules=[
            {"id": "r", "when": "a", "urgency": "soon", "source": "guide"},
            {"id": "s", "when": "b", "urgency": "soon", "source": "guide"},
        ],
    )
    assert asked_twice(questionnaire) == []


@pytest.mark.parametrize(
    ("first", "second", "phrase"),
    [
        ("Numbness", "Sudden weakness or numbness in your face", "numbness"),
        ("Pain in your tummy (abdomen)", "Sudden, severe pain in your tummy", "pain in your tummy"),
        ("Back pain", "Chest pain or back pain", "back pain"),
    ],
)
def test_a_phrase_of_two_words_or_one_long_word_is_a_warning(first, second, phrase):
    questionnaire = make_questionnaire(
        questions=[tickbox("a", first), tickbox("b", second)],
        rules=[
            {"id": "r", "when": "a", "urgency": "soon", "source": "guide"},
            {"id": "s", "when": "b", "urgency": "soon", "source": "guide"},
        ],
    )
    ((path, message),) = asked_twice(questionnaire)
    assert path == "sections[0].questions[1]"
    assert message.startswith(f"'{phrase}' is asked in two places")


def test_only_yes_no_texts_and_non_exclusive_options_are_compared():
    questionnaire = make_questionnaire(
        questions=[
            checklist_of("first", "Chest pain", "Back pain"),  # options of one question: not a pair
            checklist_of("second", "Headache"),  # both have an exclusive "None of these"
            single(
                "how_often",
                {"chest_pain": 0, "back_pain": 0},
                text="How often do you have chest pain?",
            ),
            tickbox("cough", "A cough"),
        ],
        rules=[
            {
                "id": "r",
                "when": "count(first) + count(second) >= 1 or cough or how_often == 'chest_pain'",
                "urgency": "soon",
                "source": "guide",
            }
        ],
    )
    assert asked_twice(questionnaire) == []


def test_boilerplate_shared_by_many_questions_is_not_compared():
    # "Have you noticed a change in ..." on every question is wording, not one symptom
    questions = [tickbox(f"q{i}", f"Have you noticed a change in topic {i}?") for i in range(40)]
    rules = [
        {"id": f"r{i}", "when": f"q{i}", "urgency": "soon", "source": "guide"} for i in range(40)
    ]
    assert asked_twice(make_questionnaire(questions=questions, rules=rules)) == []


@pytest.mark.parametrize(
    ("not_same_as", "message", "hint"),
    [
        (["chest_pain_nw"], "'chest_pain_nw' is not a question", "did you mean 'chest_pain_now'?"),
        (["bp_symptoms"], "a question cannot differ from itself", "remove it"),
    ],
)
def test_not_same_as_must_name_another_question(not_same_as, message, hint):
    from riskcheck.errors import DefinitionError
    from riskcheck.loader import load_text
    from tests.factories import make_definition

    text = make_definition(**old_blood_pressure_page(not_same_as=not_same_as))
    with pytest.raises(DefinitionError) as caught:
        load_text(text, "factory.yaml")
    (problem,) = caught.value.problems
    assert problem.path == "sections[0].questions[3].not_same_as[0]"
    assert (problem.message, problem.hint) == (message, hint)
