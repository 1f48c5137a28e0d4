"""The structured editor's core: fields offered, edits applied in place, nothing else changed."""

from __future__ import annotations

import difflib

import pytest

from riskcheck.loader import load_text, shipped_paths
from riskcheck.structured import StructuredEditError, apply_edits, editable_fields
from tests.conftest import DATA

MOOD = (DATA / "mood.yaml").read_text()


def changed_lines(old: str, new: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
        if line.startswith("+") and not line.startswith("+++")
    ]


def test_offers_wording_points_thresholds_and_conditions() -> None:
    keys = {f.key: f for f in editable_fields(MOOD)}
    assert keys["sections/0/questions/0/text"].value == "How old are you?"
    assert keys["scales/0/bands/0/max"].kind == "number"
    assert keys["rules/1/when"].value == "pack_years >= 20 and age >= 50"
    assert keys["recommendations/see_gp/text"].kind == "textarea"
    # q2's options are an alias of q1's: offered once, where they are written
    assert "sections/1/questions/0/options/1/label" in keys
    assert "sections/1/questions/1/options/1/label" not in keys


def test_a_threshold_edit_changes_only_that_value() -> None:
    new = apply_edits(MOOD, {"scales/0/bands/0/max": "3", "scales/0/bands/1/min": "4"})
    assert changed_lines(MOOD, new) == [
        "+      - {id: low, min: 0, max: 3, label: Low, urgency: routine}",
        "+      - {id: high, min: 4, max: 6, label: High, urgency: soon, recommend: [see_gp]}",
    ]
    assert "# A small but complete definition" in new  # comments kept
    q = load_text(new)
    assert [b.max for b in q.scales[0].bands] == [3, 6]


@pytest.mark.parametrize(
    "text",
    [
        "Several: days",
        "a, b [c] {d}",
        "yes",
        "123",
        "It's 'quoted' and \"double\"",
        "#hash",
        "- dash",
    ],
)
def test_awkward_text_reads_back_exactly(text: str) -> None:
    new = apply_edits(MOOD, {"sections/1/questions/0/options/1/label": text})
    assert load_text(new).question("q1").options[1].label == text


def test_bad_number_and_unknown_field_are_refused() -> None:
    with pytest.raises(StructuredEditError, match="must be a number"):
        apply_edits(MOOD, {"scales/0/bands/0/max": "three"})
    with pytest.raises(StructuredEditError, match="not a field"):
        apply_edits(MOOD, {"id": "other"})
    with pytest.raises(StructuredEditError, match="cannot be empty"):
        apply_edits(MOOD, {"sections/0/questions/0/text": "  "})


def test_no_change_returns_the_text_unchanged() -> None:
    fields = editable_fields(MOOD)
    assert apply_edits(MOOD, {f.key: f.value for f in fields}) == MOOD


@pytest.mark.parametrize("path", shipped_paths(), ids=lambda p: p.stem)
def test_every_field_of_every_shipped_file_can_be_edited(path) -> None:  # noqa: ANN001
    text = path.read_text()
    edits = {f.key: f.value + " (edited)" for f in editable_fields(text) if f.kind != "number"}
    new = apply_edits(text, edits)
    assert new.count("(edited)") >= len(edits)
