"""riskcheck.scoring.score: answers -> Result (urgency, scales, bands, recommendations, reasons)."""

from __future__ import annotations

import datetime
import json

import pytest

from riskcheck.answers import resolve
from riskcheck.errors import AnswerError
from riskcheck.result import Result
from riskcheck.scoring import check_eligibility, score
from tests.factories import RECOMMENDATIONS, make_questionnaire, single, yesno

TODAY = datetime.date(2026, 1, 15)

#: mood.yaml answers with no finding at all
CALM = {"age": 30, "smoker": "never", "q1": "0", "q2": "1"}


def score_mood(mood, **answers) -> Result:
    return score(mood, {**CALM, **answers}, today=TODAY)


def answer_errors(questionnaire, answers) -> dict[str, str]:
    with pytest.raises(AnswerError) as caught:
        score(questionnaire, answers, today=TODAY)
    return caught.value.by_question()


# -- urgency --------------------------------------------------------------------------------------


def test_no_findings_is_routine(mood):
    result = score_mood(mood)
    assert result.urgency == "routine"
    assert result.bands == {"total": "low"}
    assert result.recommendations == ()
    assert result.flags == ()
    assert result.rules == ()


def test_a_band_sets_the_urgency(mood):
    result = score_mood(mood, q1="2", q2="2")
    assert (result.scores, result.bands, result.urgency) == (
        {"total": 4},
        {"total": "high"},
        "soon",
    )


def test_the_highest_of_band_and_rule_wins(mood):
    result = score_mood(mood, q1="3", q2="3", crisis=True)
    assert result.bands == {"total": "high"}  # soon
    assert result.urgency == "emergency"  # from the rule crisis_now
    assert result.is_emergency
    assert result.flags == ("crisis",)
    assert result.rules == ("crisis_now",)


def test_a_rule_with_nothing_to_recommend_still_sets_the_urgency():
    questionnaire = make_questionnaire(
        questions=[yesno("cough"), yesno("fever")],
        rules=[
            {"id": "fever_now", "when": "fever", "urgency": "urgent", "source": "guide"},
            {"id": "coughing", "when": "cough", "recommend": ["see_gp"], "source": "guide"},
        ],
        recommendations=RECOMMENDATIONS,
    )
    result = score(questionnaire, {"cough": True, "fever": True}, today=TODAY)
    assert result.urgency == "urgent"
    assert result.rules == ("fever_now", "coughing")
    assert result.recommendation_ids() == ["see_gp"]


def test_a_rule_without_urgency_takes_its_recommendations_highest():
    questionnaire = make_questionnaire(
        rules=[
            {"id": "r", "when": "cough", "recommend": ["leaflet", "call_today"], "source": "guide"}
        ],
        recommendations=RECOMMENDATIONS,
    )
    assert score(questionnaire, {"cough": True}, today=TODAY).urgency == "urgent"
    assert score(questionnaire, {"cough": False}, today=TODAY).urgency == "routine"


def test_a_band_above_a_rule_wins():
    questionnaire = make_questionnaire(
        questions=[single("pain", {"none": 0, "bad": 5}), yesno("cough")],
        scales=[
            {
                "id": "pain_score",
                "title": "Pain",
                "sum": ["pain"],
                "bands": [
                    {"id": "low", "max": 4, "label": "Low", "urgency": "routine"},
                    {"id": "high", "min": 5, "label": "High", "urgency": "urgent"},
                ],
            }
        ],
        rules=[{"id": "r", "when": "cough", "recommend": ["see_gp"], "source": "guide"}],
        recommendations=RECOMMENDATIONS,
    )
    result = score(questionnaire, {"pain": "bad", "cough": True}, today=TODAY)
    assert result.urgency == "urgent"
    assert result.bands == {"pain_score": "high"}
    assert score(questionnaire, {"pain": "none", "cough": True}, today=TODAY).urgency == "soon"


def test_a_score_outside_every_band_says_so():
    questionnaire = make_questionnaire(
        questions=[single("pain", {"none": 0, "bad": 5})],
        scales=[
            {
                "id": "pain_score",
                "title": "Pain",
                "sum": ["pain"],
                "bands": [{"id": "low", "max": 4, "label": "Low", "urgency": "routine"}],
            }
        ],
    )
    result = score(questionnaire, {"pain": "bad"}, today=TODAY)
    (scale,) = result.scales
    assert (scale.value, scale.band, scale.status) == (5, None, "scored")
    assert scale.note == "The score is outside every band."
    assert result.bands == {}
    assert result.urgency == "routine"


# -- branching ----------------------------------------------------------------------------------


def test_hidden_questions_are_ignored_and_left_out(mood):
    # packs_per_day and years_smoked are asked only of smokers; crisis only when q2 is 3
    result = score_mood(mood, packs_per_day=5, years_smoked="not a number", crisis=True)
    assert result.urgency == "routine"
    shown = [line.question for line in result.answers]
    assert shown == ["age", "smoker", "q1", "q2", "symptoms"]
    assert "crisis" not in result.flags


def test_answers_list_what_was_shown_as_the_patient_reads_it(mood):
    result = score_mood(
        mood, smoker="current", packs_per_day="1,5", years_smoked=10, notes="  Tired <b>&</b> 😴  "
    )
    lines = {line.question: line for line in result.answers}
    assert list(lines) == [
        "age",
        "smoker",
        "packs_per_day",
        "years_smoked",
        "q1",
        "q2",
        "symptoms",
        "notes",
    ]
    assert lines["age"].answer == "30 years"
    assert lines["smoker"].answer == "Yes"
    assert lines["packs_per_day"].answer == "1.5"
    assert lines["q2"].answer == "Several days"
    assert lines["symptoms"].answer == "None chosen"  # optional multiple choice left empty
    assert lines["notes"].answer == "Tired <b>&</b> 😴"
    assert (lines["q1"].text, lines["q1"].section) == (
        "Little interest or pleasure in doing things",
        "Your feelings",
    )


def test_a_hidden_question_is_not_part_of_its_scale():
    questionnaire = make_questionnaire(
        questions=[
            single("a", {"no": 0, "yes": 2}),
            single("b", {"no": 0, "yes": 3}, show_if="a == 'yes'"),
        ],
        scales=[{"id": "total", "title": "Total", "sum": ["a", "b"]}],
    )
    (scale,) = score(questionnaire, {"a": "no", "b": "yes"}, today=TODAY).scales
    assert (scale.value, scale.status, scale.missing) == (0, "scored", ())
    (scale,) = score(questionnaire, {"a": "yes", "b": "yes"}, today=TODAY).scales
    assert scale.value == 5


def test_a_hidden_section_hides_its_questions():
    questionnaire = make_questionnaire(
        sections=[
            {"id": "one", "title": "One", "questions": [yesno("smokes")]},
            {"id": "two", "title": "Two", "show_if": "smokes", "questions": [yesno("cough")]},
        ]
    )
    result = score(questionnaire, {"smokes": False, "cough": "maybe"}, today=TODAY)
    assert [line.question for line in result.answers] == ["smokes"]
    assert answer_errors(questionnaire, {"smokes": True}) == {"cough": "Select yes or no."}


# -- missing answers ----------------------------------------------------------------------------


def scaled(missing, **extra):
    """Three optional questions worth 0-3 points each, summed with the ``missing`` policy."""
    points = {"0": 0, "1": 1, "2": 2, "3": 3}
    return make_questionnaire(
        questions=[single(q, points, optional=True) for q in ("q1", "q2", "q3")],
        scales=[
            {
                "id": "total",
                "title": "Total",
                "sum": ["q1", "q2", "q3"],
                "missing": missing,
                "bands": [
                    {"id": "low", "max": 4, "label": "Low", "urgency": "routine"},
                    {"id": "high", "min": 5, "label": "High", "urgency": "soon"},
                ],
            }
        ],
        **extra,
    )


def only_scale(questionnaire, answers):
    result = score(questionnaire, answers, today=TODAY)
    (scale,) = result.scales
    return result, scale


def test_all_answered_is_scored_whatever_the_policy():
    for policy in ("refuse", "zero", {"prorate": 1}):
        _, scale = only_scale(scaled(policy), {"q1": "1", "q2": "2", "q3": "3"})
        assert (scale.value, scale.status, scale.note, scale.band) == (6, "scored", "", "high")


def test_missing_refuse():
    result, scale = only_scale(scaled("refuse"), {"q1": "3", "q3": "3"})
    assert (scale.value, scale.status, scale.band, scale.urgency) == (
        None,
        "not_scored",
        None,
        None,
    )
    assert scale.missing == ("q2",)
    assert scale.note == "Not scored: 1 answer is missing."
    assert result.scores == {"total": None}
    assert result.bands == {"total": None}
    assert result.urgency == "routine"


def test_missing_zero():
    _, scale = only_scale(scaled("zero"), {"q1": "3"})
    assert (scale.value, scale.status, scale.band) == (3, "scored", "low")
    assert scale.missing == ("q2", "q3")
    assert scale.note == "2 answers are missing and counted as zero."


def test_missing_prorate_rounds_half_up():
    # 3 points from 2 of 3 questions: 3 * 3 / 2 = 4.5, which rounds up to 5 (Python's round gives 4)
    result, scale = only_scale(scaled({"prorate": 1}), {"q1": "1", "q2": "2"})
    assert (scale.value, scale.status, scale.band) == (5, "prorated", "high")
    assert scale.missing == ("q3",)
    assert (
        scale.note == "1 answer is missing: the score was scaled up from the 2 answered (prorated)."
    )
    assert result.urgency == "soon"
    _, scale = only_scale(scaled({"prorate": 1}), {"q1": "1", "q2": "0"})
    assert scale.value == 2  # 1.5 -> 2


def test_more_missing_than_prorate_allows_is_not_scored():
    _, scale = only_scale(scaled({"prorate": 1}), {"q1": "3"})
    assert (scale.value, scale.status) == (None, "not_scored")
    assert scale.note == "Not scored: 2 answers are missing."
    _, scale = only_scale(scaled({"prorate": 3}), {})
    assert (scale.value, scale.status) == (None, "not_scored")  # nothing to scale up from


def test_a_scale_whose_questions_were_all_hidden_is_not_scored():
    questionnaire = make_questionnaire(
        questions=[yesno("asked"), single("a", {"x": 1, "y": 2}, show_if="asked")],
        scales=[{"id": "total", "title": "Total", "sum": ["a"], "missing": "zero"}],
    )
    _, scale = only_scale(questionnaire, {"asked": False})
    assert (scale.value, scale.status) == (None, "not_scored")
    assert scale.note == "Not scored: none of its questions were asked."


def test_scales_can_sum_numbers_computed_values_and_other_scales():
    questionnaire = make_questionnaire(
        questions=[{"id": "n", "type": "number", "text": "N?"}, yesno("y", points=1.5)],
        computed=[{"id": "double", "title": "Double", "value": "n * 2"}],
        scales=[
            {"id": "first", "title": "First", "sum": ["n", "y"]},
            {"id": "second", "title": "Second", "sum": ["first", "double"]},
        ],
    )
    result = score(questionnaire, {"n": 2, "y": True}, today=TODAY)
    assert result.scores == {"first": 3.5, "second": 7.5}
    result = score(questionnaire, {"n": 2, "y": False}, today=TODAY)
    assert result.scores == {"first": 2, "second": 6}
    assert type(result.scores["first"]) is int


# -- eligibility ----------------------------------------------------------------------------------


def test_an_ineligible_result_has_no_score(mood):
    result = score(mood, {"age": 12, "smoker": "never", "q1": "3", "q2": "3"}, today=TODAY)
    assert result.eligible is False
    assert result.urgency is None
    assert (result.scales, result.recommendations, result.flags, result.rules) == ((), (), (), ())
    assert result.ineligible.id == "under_18"
    assert result.ineligible.message == "This check is for adults."
    assert result.ineligible.redirect_title == "Talk to your child's doctor"
    assert result.ineligible.redirect_url is None
    assert [line.question for line in result.answers][:2] == ["age", "smoker"]


def test_check_eligibility_on_its_own(mood):
    assert (
        check_eligibility(mood, resolve(mood, {"age": 17}, today=TODAY, partial=True)).id
        == "under_18"
    )
    assert check_eligibility(mood, resolve(mood, {"age": 18}, today=TODAY, partial=True)) is None
    assert check_eligibility(mood, resolve(mood, {}, today=TODAY, partial=True)) is None


# -- recommendations and reasons -----------------------------------------------------------------


def recommending(rules, questions=None):
    return make_questionnaire(
        questions=questions or [yesno("cough"), yesno("fever"), yesno("weight_loss")],
        rules=[{"source": "guide", **rule} for rule in rules],
        recommendations=RECOMMENDATIONS,
    )


def test_a_recommendation_is_listed_once_with_every_reason():
    questionnaire = recommending(
        [
            {"id": "by_cough", "when": "cough", "recommend": ["see_gp"]},
            {
                "id": "by_fever",
                "when": "fever",
                "recommend": ["see_gp"],
                "reason": "You have a fever.",
            },
        ]
    )
    result = score(questionnaire, {"cough": True, "fever": True, "weight_loss": False}, today=TODAY)
    (recommendation,) = result.recommendations
    assert recommendation.id == "see_gp"
    assert [r.id for r in recommendation.reasons] == ["by_cough", "by_fever"]
    assert recommendation.reasons[1].text == "You have a fever."
    assert recommendation.reasons[0].text.startswith("Your answers match a combination")
    assert recommendation.reasons[0].citations == ("Some published guidance",)


def test_recommendations_are_ordered_by_urgency_then_catalogue():
    questionnaire = recommending(
        [
            {"id": "r1", "when": "cough", "recommend": ["leaflet", "see_gp"]},
            {"id": "r2", "when": "fever", "recommend": ["call_today"]},
            {"id": "r3", "when": "weight_loss", "recommend": ["see_gp"]},
        ]
    )
    result = score(questionnaire, {"cough": True, "fever": True, "weight_loss": True}, today=TODAY)
    assert result.recommendation_ids() == ["call_today", "see_gp", "leaflet"]
    assert [r.urgency for r in result.recommendations] == ["urgent", "soon", "routine"]


def test_catalogue_order_breaks_ties():
    questionnaire = make_questionnaire(
        questions=[yesno("cough"), yesno("fever")],
        rules=[
            {"id": "r1", "when": "fever", "recommend": ["b"], "source": "guide"},
            {"id": "r2", "when": "cough", "recommend": ["a"], "source": "guide"},
        ],
        recommendations={
            "a": {"title": "A", "text": "A.", "urgency": "soon"},
            "b": {"title": "B", "text": "B.", "urgency": "soon"},
        },
    )
    assert score(
        questionnaire, {"cough": True, "fever": True}, today=TODAY
    ).recommendation_ids() == ["a", "b"]


@pytest.mark.parametrize(
    ("when", "answers", "deciding"),
    [
        ("cough or fever", {"cough": False, "fever": True}, ["fever"]),
        ("cough or fever", {"cough": True, "fever": False}, ["cough"]),
        ("cough or fever", {"cough": True, "fever": True}, ["cough"]),
        ("cough and fever", {"cough": True, "fever": True}, ["cough", "fever"]),
        (
            "(cough or fever) and not weight_loss",
            {"cough": False, "fever": True, "weight_loss": False},
            ["fever", "weight_loss"],
        ),
    ],
)
def test_reasons_name_the_answers_that_decided(when, answers, deciding):
    questionnaire = recommending([{"id": "r", "when": when, "recommend": ["see_gp"]}])
    result = score(
        questionnaire,
        {"cough": False, "fever": False, "weight_loss": False, **answers},
        today=TODAY,
    )
    (reason,) = result.recommendations[0].reasons
    assert [line.question for line in reason.answers] == deciding
    assert all(line.answer in ("Yes", "No") for line in reason.answers)


def test_a_reason_shows_a_computed_value_as_worked_out(mood):
    result = score_mood(mood, age=60, smoker="current", packs_per_day=1, years_smoked=25)
    (recommendation,) = result.recommendations
    (reason,) = recommendation.reasons
    assert reason.id == "heavy_smoker"
    assert [(line.question, line.answer) for line in reason.answers] == [
        ("pack_years", "25"),
        ("age", "60 years"),
    ]
    assert reason.answers[0].text == "Pack-years (worked out from your answers)"


def test_a_band_reason_states_the_score(mood):
    result = score_mood(mood, q1="3", q2="1")
    (reason,) = result.recommendations[0].reasons
    assert (reason.kind, reason.id, reason.text) == (
        "band",
        "total.high",
        "Your Mood score is 4: High.",
    )
    assert reason.citations == (
        "Kroenke K, Spitzer RL. The PHQ-9. J Gen Intern Med 2001;16:606-613",
    )


# -- invalid answers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "errors"),
    [
        ({"age": 130}, {"age": "Enter a number no more than 120 years."}),
        ({"age": -1}, {"age": "Enter a number of at least 0 years."}),
        ({"age": 30.5}, {"age": "Enter a whole number."}),
        ({"age": "thirty"}, {"age": "Enter a number, using digits (for example 12 or 12.5)."}),
        ({"age": True}, {"age": "Enter a number."}),
        ({"age": "nan"}, {"age": "Enter a number, using digits (for example 12 or 12.5)."}),
        ({"age": "1,000"}, {"age": "Write the number without a comma (for example 1000 or 1.5)."}),
        ({"age": "1e2"}, {"age": "Enter a number, using digits (for example 12 or 12.5)."}),
        ({"age": float("inf")}, {"age": "Enter a realistic number."}),
        ({"smoker": "sometimes"}, {"smoker": "Choose one of the options."}),
        ({"smoker": ["never"]}, {"smoker": "Choose one of the options."}),
        ({"q1": 0}, {"q1": "Choose one of the options."}),
        ({"q2": "3", "crisis": "perhaps"}, {"crisis": "Choose yes or no."}),
        ({"q2": "3", "crisis": 1}, {"crisis": "Choose yes or no."}),
        (
            {"symptoms": ["headache", "none"]},
            {"symptoms": "“None of these” cannot be chosen with other options."},
        ),
        ({"symptoms": ["rash"]}, {"symptoms": "Choose only from the options shown."}),
        ({"symptoms": {"headache": True}}, {"symptoms": "Choose from the options."}),
        ({"notes": 42}, {"notes": "Enter text."}),
        ({"notes": "x" * 1001}, {"notes": "Use no more than 1000 characters (you used 1001)."}),
        (
            {"agee": 30},
            {"agee": "There is no question 'agee' in this questionnaire. Did you mean 'age'?"},
        ),
        ({"mood": 1}, {"mood": "There is no question 'mood' in this questionnaire."}),
        ({"q2": "3"}, {"crisis": "Select yes or no."}),
        ({"q2": "3", "crisis": ""}, {"crisis": "Select yes or no."}),
        ({"age": "   "}, {"age": "Enter a number."}),
        ({"age": None}, {"age": "Enter a number."}),
    ],
)
def test_answer_errors_name_each_question(mood, answers, errors):
    assert answer_errors(mood, {**CALM, **answers}) == errors


def test_every_invalid_answer_is_reported_at_once(mood):
    errors = answer_errors(mood, {"age": 300, "smoker": "maybe", "extra": 1})
    assert list(errors) == ["extra", "age", "smoker", "q1", "q2"]
    assert errors["q1"] == errors["q2"] == "Select an answer."


def test_answers_in_form_text_are_accepted(mood):
    result = score(
        mood,
        {
            "age": " 30 ",
            "smoker": "current",
            "packs_per_day": "0,5",
            "years_smoked": "40",
            "q1": "0",
            "q2": "3",
            "crisis": "No",
            "symptoms": "fatigue",
        },
        today=TODAY,
    )
    assert result.urgency == "soon"
    assert {line.question: line.answer for line in result.answers}["symptoms"] == "Tiredness"


def test_an_unanswered_yesno_takes_its_default():
    questionnaire = make_questionnaire(
        questions=[yesno("cough", default=False)],
        rules=[{"id": "r", "when": "not cough", "recommend": ["leaflet"], "source": "guide"}],
        recommendations=RECOMMENDATIONS,
    )
    assert score(questionnaire, {}, today=TODAY).recommendation_ids() == ["leaflet"]


def test_dates_are_checked_against_their_bounds():
    questionnaire = make_questionnaire(
        questions=[
            {"id": "born", "type": "date", "min": "1900-01-01", "max": "today", "text": "Born?"}
        ],
        computed=[{"id": "age", "title": "Age", "value": "years_since(born)"}],
    )
    assert answer_errors(questionnaire, {"born": "2026-01-16"}) == {
        "born": "Enter a date that is not in the future."
    }
    assert answer_errors(questionnaire, {"born": "1899-12-31"}) == {
        "born": "Enter a date on or after 1900-01-01."
    }
    assert answer_errors(questionnaire, {"born": "2023-02-29"}) == {
        "born": "Enter a real date, for example 2024-03-27."
    }
    result = score(questionnaire, {"born": "2026-01-15"}, today=TODAY)
    assert result.answers[0].answer == "2026-01-15"


# -- the whole Result -----------------------------------------------------------------------


def test_scoring_is_deterministic(mood):
    answers = {**CALM, "q1": "3", "q2": "3", "crisis": True, "symptoms": ["fatigue", "headache"]}
    first, second = score(mood, answers, today=TODAY), score(mood, dict(answers), today=TODAY)
    assert first == second
    assert json.dumps(first.to_dict()) == json.dumps(second.to_dict())


def test_scoring_does_not_change_the_answers_given(mood):
    answers = {**CALM, "symptoms": ["fatigue"]}
    before = json.dumps(answers)
    score(mood, answers, today=TODAY)
    assert json.dumps(answers) == before


def test_today_defaults_to_the_current_day(mood):
    result = score(mood, CALM)
    assert result.assessed_on == datetime.date.today().isoformat()


def test_result_to_dict_shape(mood):
    data = score_mood(mood, q1="3", q2="3", crisis=True).to_dict()
    json.dumps(data)  # JSON-ready
    assert {
        "questionnaire",
        "version",
        "urgency",
        "scores",
        "bands",
        "recommendations",
        "flags",
    } <= set(data)
    assert (data["questionnaire"], data["version"], data["urgency"]) == ("mood", 2, "emergency")
    assert data["scores"] == {"total": 6}
    assert data["bands"] == {"total": "high"}
    assert data["flags"] == ["crisis"]
    assert data["eligible"] is True
    assert data["assessed_on"] == "2026-01-15"
    assert data["disclaimer"] == "This check does not diagnose anything."
    assert [s["id"] for s in data["sources"]] == ["phq"]
    first, second = data["recommendations"]
    assert {"id", "title", "text", "urgency", "reasons"} <= set(first)
    assert (first["id"], first["title"], first["text"], first["urgency"]) == (
        "emergency",
        "Get help now",
        "Call emergency services.",
        "emergency",
    )
    assert first["reasons"][0]["id"] == "crisis_now"
    assert first["reasons"][0]["answers"][0]["question"] == "crisis"
    assert second["id"] == "see_gp"
    assert second["ask_your_doctor"] == ["What could be causing this?"]


def test_ask_your_doctor_lists_each_question_once():
    recommendations = {
        "a": {
            "title": "A",
            "text": "A.",
            "urgency": "soon",
            "ask_your_doctor": ["Why?", "What next?"],
        },
        "b": {
            "title": "B",
            "text": "B.",
            "urgency": "soon",
            "ask_your_doctor": ["What next?", "When?"],
        },
    }
    questionnaire = make_questionnaire(
        rules=[{"id": "r", "when": "cough", "recommend": ["a", "b"], "source": "guide"}],
        recommendations=recommendations,
    )
    result = score(questionnaire, {"cough": True}, today=TODAY)
    assert result.ask_your_doctor() == ["Why?", "What next?", "When?"]


def test_a_huge_computed_value_does_not_crash_scoring():
    questionnaire = make_questionnaire(
        questions=[
            {"id": "weight", "type": "number", "min": 0, "text": "Weight?"},
            {"id": "height", "type": "number", "min": 0, "text": "Height?"},
        ],
        computed=[{"id": "bmi", "title": "BMI", "value": "weight / (height * height)"}],
        rules=[{"id": "r", "when": "bmi > 40", "recommend": ["see_gp"], "source": "guide"}],
        recommendations=RECOMMENDATIONS,
    )
    assert score(questionnaire, {"weight": 100, "height": 1e-154}, today=TODAY).urgency == "routine"
    result = score(questionnaire, {"weight": 100, "height": 1e-150}, today=TODAY)
    assert result.urgency == "soon"


# -- eligibility never hides an emergency, and needs no other answers ------------------------


def test_ineligible_answers_need_no_other_required_answers(mood) -> None:  # noqa: ANN001
    result = score(mood, {"age": 12}, today=TODAY)
    assert result.eligible is False
    assert result.ineligible.id == "under_18"
    assert result.urgency is None
    assert result.scales == ()


def test_missing_answers_are_still_an_error_when_eligible(mood) -> None:  # noqa: ANN001
    with pytest.raises(AnswerError) as caught:
        score(mood, {"age": 40}, today=TODAY)
    assert {p.question for p in caught.value.problems} == {"smoker", "q1", "q2"}


def test_an_emergency_rule_still_fires_when_ineligible(mood) -> None:  # noqa: ANN001
    result = score(
        mood, {"age": 12, "smoker": "never", "q1": "3", "q2": "3", "crisis": True}, today=TODAY
    )
    assert result.eligible is False
    assert result.urgency == "emergency"
    assert result.recommendation_ids() == ["emergency"]  # the soon band is not scored
    assert result.flags == ("crisis",)


# -- found by mutation testing (docs/mutation-testing.md) ----------------------------------------


def by_birth_date(**extra):
    """Adults only (worked out from a date of birth), and one required question after it."""
    fields = {
        "questions": [{"id": "dob", "type": "date", "text": "Date of birth?"}, yesno("cough")],
        "eligibility": [
            {"id": "child", "when": "years_since(dob) < 18", "message": "Adults only."}
        ],
        **extra,
    }
    return make_questionnaire(**fields)


def test_an_ineligible_result_with_answers_missing_is_assessed_on_the_day_given():
    # 17 on TODAY, 18 from June 2026: the day given decides, never the clock.
    result = score(by_birth_date(), {"dob": "2008-06-01"}, today=TODAY)
    assert result.eligible is False
    assert result.ineligible.id == "child"
    assert result.assessed_on == "2026-01-15"


def test_check_eligibility_works_out_ages_on_the_day_of_the_answers():
    questionnaire = by_birth_date()
    answers = resolve(questionnaire, {"dob": "2008-06-01"}, today=TODAY, partial=True)
    assert check_eligibility(questionnaire, answers).id == "child"
    later = resolve(
        questionnaire, {"dob": "2008-06-01"}, today=datetime.date(2026, 6, 1), partial=True
    )
    assert check_eligibility(questionnaire, later) is None


def test_a_reason_names_a_date_of_birth_that_decided_an_age_rule():
    questionnaire = by_birth_date(
        eligibility=None,
        rules=[
            {
                "id": "over_50_cough",
                "when": "years_since(dob) >= 50 and cough",
                "recommend": ["see_gp"],
                "source": "guide",
            }
        ],
        recommendations=RECOMMENDATIONS,
    )
    result = score(questionnaire, {"dob": "1970-03-01", "cough": True}, today=TODAY)
    (reason,) = result.recommendations[0].reasons
    assert [line.question for line in reason.answers] == ["dob", "cough"]


def test_a_whole_score_is_a_whole_number_even_from_decimal_values():
    # 4.0 typed, and 4 / 2 worked out, are whole: the API says 4 and 2, never 4.0 and 2.0.
    questionnaire = make_questionnaire(
        questions=[{"id": "n", "type": "number", "text": "N?"}],
        computed=[{"id": "half", "title": "Half", "value": "n / 2"}],
        scales=[
            {"id": "typed", "title": "Typed", "sum": ["n"]},
            {"id": "worked_out", "title": "Worked out", "sum": ["half"]},
        ],
    )
    result = score(questionnaire, {"n": "4.0"}, today=TODAY)
    assert json.dumps(result.to_dict()["scores"]) == '{"typed": 4, "worked_out": 2}'
    result = score(questionnaire, {"n": "5"}, today=TODAY)
    assert json.dumps(result.to_dict()["scores"]) == '{"typed": 5, "worked_out": 2.5}'


def test_a_hidden_question_in_the_middle_of_a_scale_does_not_end_the_sum():
    questionnaire = make_questionnaire(
        questions=[
            single("a", {"no": 0, "yes": 2}),
            single("b", {"no": 0, "yes": 3}, show_if="a == 'yes'"),
            single("c", {"no": 0, "yes": 4}),
        ],
        scales=[{"id": "total", "title": "Total", "sum": ["a", "b", "c"]}],
    )
    result = score(questionnaire, {"a": "no", "c": "yes"}, today=TODAY)
    assert result.scores == {"total": 4}


def test_a_result_lists_its_sources_with_title_address_and_attribution():
    questionnaire = make_questionnaire(
        sources={
            "guide": {
                "title": "Some published guidance",
                "url": "https://example.org/guide",
                "attribution": "Reproduced under licence.",
            }
        }
    )
    result = score(questionnaire, {"cough": False}, today=TODAY)
    assert [(s.id, s.title, s.url, s.attribution) for s in result.sources] == [
        (
            "guide",
            "Some published guidance",
            "https://example.org/guide",
            "Reproduced under licence.",
        )
    ]
    assert result.title == "Tiny check"


def test_an_interruption_carries_its_rule_urgency(mood):
    result = score_mood(mood, q1="3", q2="3", crisis=True)
    (interruption,) = result.interruptions
    assert (interruption.rule, interruption.urgency) == ("crisis_now", "emergency")
    assert interruption.contacts == ("mental_health_crisis", "emergency")


def test_a_band_reports_its_urgency_on_the_scale(mood):
    (scale,) = score_mood(mood, q1="2", q2="2").scales
    assert (scale.band, scale.band_label, scale.urgency) == ("high", "High", "soon")


def test_a_prorated_score_outside_every_band_gives_both_notes():
    questionnaire = make_questionnaire(
        questions=[single(q, {"0": 0, "3": 3}, optional=True) for q in ("q1", "q2", "q3")],
        scales=[
            {
                "id": "total",
                "title": "Total",
                "sum": ["q1", "q2", "q3"],
                "missing": {"prorate": 1},
                "bands": [{"id": "low", "max": 4, "label": "Low", "urgency": "routine"}],
            }
        ],
    )
    (scale,) = score(questionnaire, {"q1": "3", "q2": "3"}, today=TODAY).scales
    assert (scale.value, scale.status, scale.band) == (9, "prorated", None)
    assert scale.note == (
        "1 answer is missing: the score was scaled up from the 2 answered (prorated)."
        " The score is outside every band."
    )


def test_each_finding_cites_its_own_source_and_place_in_it():
    questionnaire = make_questionnaire(
        questions=[single("pain", {"none": 0, "bad": 5}), yesno("fever"), yesno("rash")],
        sources={
            "guide": {"title": "Some published guidance"},
            "other": {"title": "Other guidance"},
        },
        scales=[
            {
                "id": "pain_score",
                "title": "Pain",
                "sum": ["pain"],
                "source": "guide",
                "citation": "table 2",
                "bands": [
                    {
                        "id": "high",
                        "min": 5,
                        "label": "High",
                        "urgency": "soon",
                        "recommend": ["see_gp"],
                    }
                ],
            }
        ],
        rules=[
            {"id": "by_fever", "when": "fever", "recommend": ["see_gp"], "source": "other"},
            {"id": "by_rash", "when": "rash", "recommend": ["see_gp"], "citation": "NICE NG12"},
        ],
        recommendations=RECOMMENDATIONS,
    )
    result = score(questionnaire, {"pain": "bad", "fever": True, "rash": True}, today=TODAY)
    (recommendation,) = result.recommendations
    assert {reason.id: reason.citations for reason in recommendation.reasons} == {
        "pain_score.high": ("Some published guidance, table 2",),
        "by_fever": ("Other guidance",),
        "by_rash": ("NICE NG12",),
    }


def test_a_reason_shows_worked_out_values_as_the_patient_reads_them():
    questionnaire = make_questionnaire(
        questions=[{"id": "n", "type": "number", "text": "N?"}, single("a", {"x": 1, "y": 2})],
        computed=[
            {"id": "third", "title": "A third", "value": "n / 3", "unit": "kg"},
            {"id": "big", "title": "Big", "value": "n > 0", "unit": "kg"},
            {"id": "small", "title": "Small", "value": "n > 5"},
        ],
        scales=[{"id": "total", "title": "Total", "sum": ["a"]}],
        rules=[
            {
                "id": "r",
                "when": "third > 0 and big and not small and total >= 2",
                "recommend": ["see_gp"],
                "source": "guide",
            }
        ],
        recommendations=RECOMMENDATIONS,
    )
    result = score(questionnaire, {"n": 1, "a": "y"}, today=TODAY)
    (reason,) = result.recommendations[0].reasons
    assert [(line.question, line.text, line.answer) for line in reason.answers] == [
        ("third", "A third (worked out from your answers)", "0.33 kg"),
        ("big", "Big (worked out from your answers)", "Yes"),
        ("small", "Small (worked out from your answers)", "No"),
        ("total", "Total (score)", "2"),
    ]


def test_an_emergency_rule_after_a_skipped_rule_still_fires_when_ineligible():
    questionnaire = by_birth_date(
        rules=[
            {"id": "coughing", "when": "cough", "recommend": ["see_gp"], "source": "guide"},
            {"id": "cough_now", "when": "cough", "urgency": "emergency", "source": "guide"},
        ],
        recommendations=RECOMMENDATIONS,
    )
    result = score(questionnaire, {"dob": "2015-01-01", "cough": True}, today=TODAY)
    assert result.eligible is False
    assert (result.rules, result.urgency) == (("cough_now",), "emergency")


def test_an_ineligible_result_names_where_to_go_instead():
    questionnaire = make_questionnaire(
        eligibility=[
            {
                "id": "coughing",
                "when": "cough",
                "message": "This check is not for coughs.",
                "redirect": {
                    "title": "The cough check",
                    "questionnaire": "cough-check",
                    "url": "https://example.org/cough",
                },
            }
        ]
    )
    ineligible = score(questionnaire, {"cough": True}, today=TODAY).ineligible
    assert (
        ineligible.redirect_title,
        ineligible.redirect_questionnaire,
        ineligible.redirect_url,
    ) == ("The cough check", "cough-check", "https://example.org/cough")


def test_an_answer_set_aside_keeps_its_section(mood):
    result = score_mood(mood, q2="1", crisis=True)  # crisis is asked only when q2 is 3
    (line,) = result.set_aside
    assert (line.question, line.answer, line.section) == ("crisis", "Yes", "Your feelings")


def test_a_question_named_in_the_patients_words_never_shows_another_patients_words():
    questionnaire = make_questionnaire(
        questions=[
            {"id": "other", "type": "text", "text": "Any other problem?", "optional": True},
            {**single("other_score", {"0": 0, "3": 3}), "named_by": "other"},
        ],
    )

    def line_for(words):
        result = score(questionnaire, {"other": words, "other_score": "3"}, today=TODAY)
        return {line.question: line.text for line in result.answers}["other_score"]

    assert line_for("back pain") == "other_score?: back pain"
    assert line_for("itching") == "other_score?: itching"


def test_a_recommendation_carries_its_service_and_its_own_citations():
    questionnaire = make_questionnaire(
        questions=[yesno("cough"), yesno("fever")],
        sources={"guide": {"title": "Some published guidance"}, "other": {"title": "Other"}},
        rules=[
            {"id": "r1", "when": "cough", "recommend": ["a"], "source": "guide"},
            {"id": "r2", "when": "fever", "recommend": ["b"], "source": "guide"},
        ],
        recommendations={
            "a": {"title": "A", "text": "A.", "urgency": "soon", "service": "respiratory"},
            "b": {
                "title": "B",
                "text": "B.",
                "urgency": "soon",
                "source": "other",
                "citation": "p. 4",
            },
            "c": {"title": "C", "text": "C.", "urgency": "soon", "source": "guide"},
        },
    )
    result = score(questionnaire, {"cough": True, "fever": True}, today=TODAY)
    assert [(r.id, r.service, r.citations) for r in result.recommendations] == [
        ("a", "respiratory", ()),
        ("b", None, ("Other, p. 4",)),
    ]
