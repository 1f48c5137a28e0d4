"""Hand-worked examples: `riskcheck score` on tests/data/examples/*.json gives what they expect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskcheck.cli import main

EXAMPLES = Path(__file__).resolve().parent / "data" / "examples"
CASES = sorted(p for p in EXAMPLES.glob("*.json") if not p.name.endswith(".expected.json"))


@pytest.mark.parametrize("answers", CASES, ids=lambda p: p.stem)
def test_cli_score_matches_the_hand_worked_example(answers: Path) -> None:
    questionnaire = _questionnaire_of(answers)
    expected = json.loads(answers.with_suffix(".expected.json").read_text())
    run = CliRunner().invoke(main, ["score", questionnaire, str(answers), "--today", "2026-01-15"])
    assert run.exit_code == 0, run.output
    result = json.loads(run.stdout)
    assert result["urgency"] == expected["urgency"]
    assert sorted(r["id"] for r in result["recommendations"]) == sorted(expected["recommendations"])
    assert sorted(result["flags"]) == sorted(expected.get("flags", []))
    for scale, band in expected.get("bands", {}).items():
        assert result["bands"][scale] == band


def _questionnaire_of(path: Path) -> str:
    """Examples are named <questionnaire id>-<case>.json; ids may contain '-'."""
    shipped = sorted(
        (p.stem for p in (EXAMPLES.parents[2] / "questionnaires").glob("*.yaml")),
        key=len,
        reverse=True,
    )
    return next(q for q in shipped if path.stem.startswith(q + "-"))


def test_there_are_examples() -> None:
    assert len(CASES) >= 4
