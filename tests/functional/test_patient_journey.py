"""Every shipped questionnaire, taken in a real browser with its own definition tests' answers."""

from __future__ import annotations

import io

import pypdf
import pytest
from playwright.sync_api import Page, expect

from riskcheck.definition_tests import TEST_DAY
from riskcheck.loader import SHIPPED_DIR, load_questionnaire, shipped_paths
from riskcheck.scoring import score
from riskcheck.urgency import WORDING
from tests.functional.conftest import DATA
from tests.functional.navigators import PatientNavigator, assert_accessible

#: The shipped questionnaires, by name: a file renamed or removed fails here (it was quietly
#: left out of the end-to-end run when the list came from the folder).
SHIPPED = ["esas", "gad7", "net-symptoms", "phq9", "screening", "screening-acs", "symptom-check"]
QUESTIONNAIRES = [*(SHIPPED_DIR / f"{name}.yaml" for name in SHIPPED), DATA / "mood.yaml"]


def test_every_shipped_questionnaire_is_taken_end_to_end() -> None:
    assert sorted(path.stem for path in shipped_paths()) == sorted(SHIPPED)


def example_answers(path):  # noqa: ANN001, ANN201
    """The first definition test of the questionnaire that is eligible (each must have one:
    a questionnaire without one would otherwise never be taken in a browser)."""
    q = load_questionnaire(path)
    for test in q.definition.tests:
        if test.expect.eligible is not False and not test.expect.ineligible:
            return q, test.answers
    pytest.fail(f"{path.name} has no eligible definition test to take it end to end with")


@pytest.mark.parametrize("path", QUESTIONNAIRES, ids=lambda p: p.stem)
def test_each_questionnaire_end_to_end(page: Page, base_url: str, path) -> None:  # noqa: ANN001
    # Given a patient with the answers of one of the questionnaire's own tests
    q, answers = example_answers(path)
    patient = PatientNavigator(page, base_url, q)
    # When they take the questionnaire page by page and confirm their answers
    patient.start()
    stopped = patient.answer_all(answers)
    assert stopped.endswith("/review"), stopped
    patient.see_result()
    # Then the page shows the urgency the engine gives for the same answers
    expected = score(q, answers, today=TEST_DAY)
    expect(page.locator(".urgency-badge")).to_have_text(WORDING[expected.urgency].label)
    for rec in expected.recommendations:
        expect(page.locator(".recommendations")).to_contain_text(rec.title)
    # And the PDF downloads
    with page.expect_download() as download:
        page.click("button:has-text('Download PDF summary')")
    data = download.value.path().read_bytes()
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert f"How soon to act\n{WORDING[expected.urgency].label.upper()}\n" in text


def test_keyboard_only_journey(page: Page, base_url: str) -> None:
    # Given the mood check, used with the keyboard alone
    page.goto(f"{base_url}/q/mood/")
    page.keyboard.press("Tab")  # skip link
    page.focus("button:has-text('Start now')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/p/about_you")
    # When the patient types and uses arrow keys and space to answer
    page.focus("#f-age")
    page.keyboard.type("45")
    page.keyboard.press("Tab")  # to the first smoking option
    page.keyboard.press("Space")
    page.focus("button[value='next']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/p/feelings")
    for field in ("#f-q1", "#f-q2"):
        page.focus(field)
        page.keyboard.press("ArrowDown")  # "Several days"
    page.focus("button[value='next']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/review")
    page.focus("button:has-text('See my result')")
    page.keyboard.press("Enter")
    # Then the result is shown
    page.wait_for_url("**/result")
    expect(page.locator(".urgency-badge")).to_have_text("Routine")


def test_errors_are_announced_and_focused(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/q/mood/")
    page.click("button:has-text('Start now')")
    page.click("button[value='next']")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    assert_accessible(page)
    summary.locator("a").first.click()
    expect(page.locator("#f-age")).to_be_focused()


def test_works_at_320_pixels(page: Page, base_url: str) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{base_url}/q/mood/")
    page.click("button:has-text('Start now')")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
