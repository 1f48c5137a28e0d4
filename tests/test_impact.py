"""Impact of a draft on stored responses, without Flask."""

from __future__ import annotations

import datetime

from riskcheck.impact import StoredResponse, impact
from riskcheck.loader import load_text
from riskcheck.scoring import score
from tests.conftest import DATA

MOOD = (DATA / "mood.yaml").read_text()
DAY = datetime.date(2026, 1, 15)


def stored(q, answers):  # noqa: ANN001, ANN201
    return StoredResponse(answers, score(q, answers, today=DAY).to_dict())


def test_counts_urgency_band_and_recommendation_changes() -> None:
    published = load_text(MOOD)
    draft = load_text(
        MOOD.replace("{id: low, min: 0, max: 2", "{id: low, min: 0, max: 0").replace(
            "{id: high, min: 3, max: 6", "{id: high, min: 1, max: 6"
        )
    )
    responses = [
        stored(published, {"age": 40, "smoker": "never", "q1": "0", "q2": "1"}),  # 1: low -> high
        stored(published, {"age": 40, "smoker": "never", "q1": "0", "q2": "0"}),  # 0: unchanged
        stored(published, {"age": 40, "smoker": "never", "q1": "3", "q2": "2"}),  # 5: high stays
    ]
    report = impact(draft, responses)
    assert (report.total, report.unchanged, report.urgency_changed) == (3, 2, 1)
    assert report.urgency_moves == {("routine", "soon"): 1}
    assert report.recommendations_added == {"see_gp": 1}
    assert report.examples[0].bands_changed == ("total",)


def test_answers_the_draft_refuses_are_counted_not_crashing() -> None:
    published = load_text(MOOD)
    draft = load_text(MOOD.replace("min: 0, max: 120, unit: years", "min: 0, max: 30, unit: years"))
    report = impact(
        draft, [stored(published, {"age": 40, "smoker": "never", "q1": "0", "q2": "0"})]
    )
    assert report.not_scored == 1
