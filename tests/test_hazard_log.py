"""The hazard log (docs/clinical-safety.md) stays true: every test it names exists, and every
hazard names at least one test."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOG = (ROOT / "docs" / "clinical-safety.md").read_text(encoding="utf-8")
TEST_ID = re.compile(r"^\s*- (tests/[\w/]+\.py)::(\w+)", re.M)


def test_every_test_the_hazard_log_names_exists() -> None:
    named = TEST_ID.findall(LOG)
    assert len(named) > 40
    missing = [
        f"{path}::{name}"
        for path, name in named
        if not (ROOT / path).is_file()
        or not re.search(rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"), re.M)
    ]
    assert missing == []


def test_every_hazard_names_its_tests() -> None:
    hazards = re.split(r"^### ", LOG, flags=re.M)[1:]
    assert len(hazards) >= 18
    for hazard in hazards:
        title = hazard.splitlines()[0]
        assert "**Controls" in hazard, title
        assert TEST_ID.search(hazard), title
