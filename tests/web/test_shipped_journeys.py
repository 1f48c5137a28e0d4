"""The shipped symptom check and PHQ-9 through the web app: emergencies stop the journey on
the page where they are answered, and coughing up blood asks how much on a follow-up step."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from riskcheck.loader import SHIPPED_DIR


@pytest.fixture
def questionnaire_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    for name in ("symptom-check", "phq9"):
        shutil.copy(SHIPPED_DIR / f"{name}.yaml", folder / f"{name}.yaml")
    return folder


def post(client, questionnaire: str, step: str, **answers: object) -> str:  # noqa: ANN001
    response = client.post(f"/q/{questionnaire}/p/{step}", data={**answers, "action": "next"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


def start(client, questionnaire: str) -> None:  # noqa: ANN001
    assert client.post(f"/q/{questionnaire}/start", data={"action": "start"}).status_code == 302


def test_a_red_flag_stops_the_symptom_check_at_once(client) -> None:  # noqa: ANN001
    start(client, "symptom-check")
    post(client, "symptom-check", "about_you", age="48", smoker="never")
    where = post(client, "symptom-check", "right_now", chest_pain_sudden_severe="yes")
    assert where.endswith("/q/symptom-check/help-now")
    page = client.get(where).get_data(as_text=True)
    assert 'href="tel:999"' in page
    assert 'href="tel:911"' in page


def test_coughing_up_blood_asks_how_much_then_stops_for_more_than_a_few_spots(client) -> None:  # noqa: ANN001
    start(client, "symptom-check")
    post(client, "symptom-check", "about_you", age="52", smoker="former")
    post(client, "symptom-check", "right_now")
    post(client, "symptom-check", "digestion")
    where = post(client, "symptom-check", "breathing_chest", haemoptysis="yes")
    assert where.endswith("/q/symptom-check/p/breathing_chest-2")
    page = client.get(where).get_data(as_text=True)
    assert "How much blood have you been coughing up?" in page
    assert "Pain in your chest or upper back" in page
    where = post(client, "symptom-check", "breathing_chest-2", haemoptysis_amount="more_than_a_few")
    assert where.endswith("/q/symptom-check/help-now")


def test_a_few_spots_go_on_to_the_next_page(client) -> None:  # noqa: ANN001
    start(client, "symptom-check")
    post(client, "symptom-check", "about_you", age="52", smoker="never")
    post(client, "symptom-check", "right_now")
    post(client, "symptom-check", "digestion")
    post(client, "symptom-check", "breathing_chest", haemoptysis="yes")
    where = post(
        client,
        "symptom-check",
        "breathing_chest-2",
        haemoptysis_amount="few_spots",
        haemoptysis_with="none",
    )
    assert where.endswith("/q/symptom-check/p/general")


def test_phq9_thinking_of_it_now_shows_the_crisis_page(client) -> None:  # noqa: ANN001
    start(client, "phq9")
    items = {f"q{i}": "1" for i in range(1, 10)}
    assert post(client, "phq9", "feelings", **items).endswith("/q/phq9/p/feelings-2")
    assert post(client, "phq9", "feelings-2").endswith("/q/phq9/p/safety")
    where = post(client, "phq9", "safety", suicidal_thoughts_now="yes")
    assert where.endswith("/q/phq9/help-now")
    page = client.get(where).get_data(as_text=True)
    assert "Please get help now" in page
    assert "option 2" in page  # GB: NHS 111, option 2
    assert 'href="tel:988"' in page  # US: the 988 Lifeline
