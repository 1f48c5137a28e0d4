"""Interruptions in the shipped questionnaires: an emergency or a crisis answered stops the
journey at once, before any further question (riskcheck.journey, no Flask)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from riskcheck.journey import Next, find_page, interruptions, next_after, pages, save_page
from riskcheck.loader import SHIPPED_DIR, find_questionnaire, shipped_paths
from riskcheck.questionnaire import Questionnaire
from riskcheck.scoring import score

TODAY = datetime.date(2026, 1, 15)
CRISIS = ("mental_health_crisis", "emergency")


@pytest.fixture(scope="module")
def symptom_check() -> Questionnaire:
    return find_questionnaire("symptom-check")


@pytest.fixture(scope="module")
def net_symptoms() -> Questionnaire:
    return find_questionnaire("net-symptoms")


@pytest.fixture(scope="module")
def phq9() -> Questionnaire:
    return find_questionnaire("phq9")


def answer_step(
    q: Questionnaire, stored: dict[str, Any], step_id: str, **submitted: Any
) -> dict[str, Any]:
    """Post one step as the patient would (tick boxes left out are unticked)."""
    page = find_page(pages(q, stored, TODAY), step_id)
    assert page is not None, f"step {step_id} is not asked"
    new, errors = save_page(q, page, stored, submitted, TODAY)
    assert errors == {}
    return new


def fired(q: Questionnaire, stored: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Rule id -> contacts of the interruptions the answers so far fire."""
    return {i.rule: i.contacts for i in interruptions(q, stored, TODAY)}


def later_questions(q: Questionnaire, section_id: str) -> set[str]:
    order = [s.id for s in q.sections]
    later = order[order.index(section_id) + 1 :]
    return {qid for qid, e in q.questions.items() if e.section.id in later}


# -- symptom-check ------------------------------------------------------------------------------


def test_red_flags_interrupt_right_after_their_page(symptom_check):
    # Given a 48-year-old who has answered "About you"
    stored = answer_step(symptom_check, {}, "about_you", age="48", smoker="never")
    assert fired(symptom_check, stored) == {}
    # When they tick sudden chest pain and vomiting blood on the red-flag page
    stored = answer_step(
        symptom_check, stored, "right_now", chest_pain_sudden_severe=True, vomiting_blood=True
    )
    # Then the journey stops there: no later page was answered, and both rules interrupt
    assert not later_questions(symptom_check, "right_now") & stored.keys()
    assert fired(symptom_check, stored) == {
        "emergency_chest_pain": ("emergency",),
        "emergency_vomiting_blood": ("emergency",),
    }
    stop = next_after(symptom_check, stored, TODAY, "right_now")
    assert stop == Next("interruption")
    assert set(stop.fired) == {"emergency_chest_pain", "emergency_vomiting_blood"}
    # And once acknowledged, the journey goes on to the next page with the answers kept,
    # still knowing which interruptions fire (to show them again on the result)
    acknowledged = frozenset({"emergency_chest_pain", "emergency_vomiting_blood"})
    after = next_after(symptom_check, stored, TODAY, "right_now", acknowledged=acknowledged)
    assert after == Next("page", "digestion")
    assert set(after.fired) == acknowledged


def test_red_flag_page_with_nothing_ticked_goes_on(symptom_check):
    stored = answer_step(symptom_check, {}, "about_you", age="48", smoker="never")
    stored = answer_step(symptom_check, stored, "right_now")
    assert fired(symptom_check, stored) == {}
    assert next_after(symptom_check, stored, TODAY, "right_now") == Next("page", "digestion")


def red_flags(q: Questionnaire) -> list[str]:
    return [e.question.id for e in q.questions.values() if e.section.id == "right_now"]


@pytest.mark.parametrize("name", ["symptom-check", "net-symptoms"])
def test_every_red_flag_alone_interrupts(name):
    q = find_questionnaire(name)
    for flag in red_flags(q):
        stored = answer_step(q, {}, "about_you", age="30", **_about(q))
        stored = answer_step(q, stored, "right_now", **{flag: True})
        contacts = set(fired(q, stored).values())
        expected = CRISIS if flag == "suicidal_thoughts_now" else ("emergency",)
        assert contacts == {expected}, flag


def _about(q: Questionnaire) -> dict[str, str]:
    return {"smoker": "never"} if "smoker" in q.questions else {}


@pytest.mark.parametrize("name", ["symptom-check", "net-symptoms"])
def test_every_emergency_rule_interrupts(name):
    q = find_questionnaire(name)
    recs = q.recommendations
    for rule, _ in q.rules:
        emergency = rule.urgency == "emergency" or any(
            recs[r].urgency == "emergency" for r in rule.recommend
        )
        if "suicidal_thoughts" in rule.flags:
            assert tuple(rule.interrupt) == CRISIS, rule.id
        elif emergency:
            assert tuple(rule.interrupt) == ("emergency",), rule.id
        else:
            assert rule.interrupt == [], rule.id  # only emergencies and crises interrupt


@pytest.mark.parametrize("name", ["symptom-check", "net-symptoms"])
def test_a_crisis_reading_interrupts_only_once_its_symptoms_are_answered(name):
    q = find_questionnaire(name)
    stored = answer_step(q, {}, "about_you", age="55", **_about(q))
    stored = answer_step(q, stored, "right_now")
    stored = answer_step(q, stored, "blood_pressure", systolic="185", diastolic="100")
    # The symptoms question is a follow-up step; not answered yet, it fires nothing
    assert "bp_symptoms" not in stored
    assert fired(q, stored) == {}
    with_pain = answer_step(q, stored, "blood_pressure-2", bp_symptoms=["chest_pain"])
    assert fired(q, with_pain) == {"hypertensive_emergency": ("emergency",)}
    without = answer_step(q, stored, "blood_pressure-2", bp_symptoms=["none"])
    assert fired(q, without) == {}


# -- phq9 ---------------------------------------------------------------------------------------

ITEMS = {f"q{i}": "1" for i in range(1, 9)}


def test_phq9_item9_asks_about_now_before_any_crisis_page(phq9):
    stored = answer_step(phq9, {}, "feelings", **ITEMS, q9="2")
    # Item 9 above 0 alone is urgent, not an interruption: the "right now" question decides
    assert fired(phq9, stored) == {}
    assert next_after(phq9, stored, TODAY, "feelings") == Next("page", "feelings-2")
    stored = answer_step(phq9, stored, "feelings-2")  # the difficulty question, skipped
    assert fired(phq9, stored) == {}
    assert next_after(phq9, stored, TODAY, "feelings-2") == Next("page", "safety")


def test_phq9_thinking_of_it_now_interrupts_with_the_crisis_line_first(phq9):
    stored = answer_step(phq9, {}, "feelings", **ITEMS, q9="1")
    stored = answer_step(phq9, stored, "safety", suicidal_thoughts_now="yes")
    assert fired(phq9, stored) == {"emergency_suicidal_thoughts": CRISIS}
    assert next_after(phq9, stored, TODAY, "safety") == Next("interruption")
    result = score(phq9, stored, today=TODAY)
    assert result.contacts[0] == "mental_health_crisis"
    assert [i.rule for i in result.interruptions] == ["emergency_suicidal_thoughts"]


def test_phq9_not_thinking_of_it_now_does_not_interrupt(phq9):
    stored = answer_step(phq9, {}, "feelings", **ITEMS, q9="1")
    stored = answer_step(phq9, stored, "safety", suicidal_thoughts_now="no")
    assert fired(phq9, stored) == {}
    assert next_after(phq9, stored, TODAY, "safety") == Next("review")


# -- unanswered questions never fire an interruption --------------------------------------------


@pytest.mark.parametrize("path", shipped_paths(SHIPPED_DIR), ids=lambda p: p.stem)
def test_no_answers_fire_no_interruption(path):
    q = find_questionnaire(str(path))
    assert fired(q, {}) == {}


def test_a_tick_box_not_yet_posted_is_unknown_not_no(symptom_check):
    # The definition's blood-pressure rules read the red flags too; with the red-flag page
    # not yet answered they are unknown, so a crisis reading plus a symptom still decides.
    stored = {"age": 60, "smoker": "never", "systolic": 190}
    assert fired(symptom_check, stored) == {}
    stored["bp_symptoms"] = ["weakness"]
    assert fired(symptom_check, stored) == {"hypertensive_emergency": ("emergency",)}
