"""The patient-safety journeys in a real browser: emergencies interrupt at once, follow-up
questions only when they apply, Back and Change behave, long answers in any script reach
the PDF. Every page met is checked with axe."""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter

import pypdf
from playwright.sync_api import Page, expect

from riskcheck.loader import SHIPPED_DIR, load_questionnaire
from tests.functional.navigators import PatientNavigator, assert_accessible

SYMPTOMS = load_questionnaire(SHIPPED_DIR / "symptom-check.yaml")
PHQ9 = load_questionnaire(SHIPPED_DIR / "phq9.yaml")
QUIET = {"age": 48, "smoker": "never", "pain_level": 0}


def start(page: Page, base_url: str, questionnaire_id: str) -> None:
    page.goto(f"{base_url}/q/{questionnaire_id}/")
    button = page.locator("button[value='start'], button[value='restart']").first
    button.click()


def test_a_red_flag_on_the_second_page_interrupts_at_once(page: Page, base_url: str) -> None:
    # Given a 48-year-old on the red-flag page of the symptom check
    patient = PatientNavigator(page, base_url, SYMPTOMS)
    start(page, base_url, "symptom-check")
    patient.fill_current_page(QUIET)
    page.click("button[value='next']")
    expect(page.locator("h1")).to_have_text("Do you need help right now?")
    # When they tick sudden chest pain and vomiting blood, and continue
    patient.answer("chest_pain_sudden_severe", True)
    patient.answer("vomiting_blood", True)
    page.click("button[value='next']")
    # Then the very next page tells them to get help now, with numbers to tap
    expect(page).to_have_url(f"{base_url}/q/symptom-check/help-now")
    expect(page.locator("h1")).to_have_text("Get help now")
    assert page.locator("a[href='tel:999']").count() >= 1
    assert page.locator("a[href='tel:911']").count() >= 1
    expect(page.locator("main")).to_contain_text("sudden or severe chest pain")
    assert_accessible(page)
    # And "Continue" keeps their answers and goes on to the next page
    page.click("button[value='continue']")
    expect(page.locator("h1")).to_have_text("Your digestion")
    page.go_back()
    page.goto(f"{base_url}/q/symptom-check/p/right_now")
    expect(page.locator("#f-chest_pain_sudden_severe")).to_be_checked()
    expect(page.locator("#f-vomiting_blood")).to_be_checked()


def test_suicidal_thoughts_right_now_lead_straight_to_the_crisis_page(
    page: Page, base_url: str
) -> None:
    patient = PatientNavigator(page, base_url, PHQ9)
    start(page, base_url, "phq9")
    answers = {f"q{i}": "1" for i in range(1, 10)}
    patient.fill_current_page(answers)
    page.click("button[value='next']")
    patient.check()  # how difficult: a follow-up of the items, optional
    page.click("button[value='next']")
    patient.check()  # the safety question
    patient.answer("suicidal_thoughts_now", True)
    page.click("button[value='next']")
    expect(page).to_have_url(f"{base_url}/q/phq9/help-now")
    expect(page.locator("h1")).to_have_text("Please get help now")
    assert page.locator("a[href='tel:116123']").count() == 1  # Samaritans
    assert page.locator("a[href='tel:988']").count() == 1
    assert_accessible(page)
    # Getting help now ends on a result with the same numbers, and a PDF
    page.click("button[value='stop']")
    expect(page.locator(".emergency-notice")).to_contain_text("988")
    expect(page.locator(".ended-early")).to_be_visible()
    assert_accessible(page)
    # Printed, the emergency box reads black on white (browsers drop backgrounds)
    page.emulate_media(media="print")
    box = page.locator(".emergency-notice")
    expect(box).to_be_visible()
    for selector in (".emergency-notice h2", ".emergency-notice .contact-action"):
        colour = page.eval_on_selector(selector, "e => getComputedStyle(e).color")
        assert colour == "rgb(0, 0, 0)", (selector, colour)
    assert box.evaluate("e => getComputedStyle(e).backgroundColor") in (
        "rgb(255, 255, 255)",
        "rgba(0, 0, 0, 0)",
    )


def test_the_blood_pressure_follow_up_comes_only_after_a_high_reading(
    page: Page, base_url: str
) -> None:
    patient = PatientNavigator(page, base_url, SYMPTOMS)
    start(page, base_url, "symptom-check")
    for _ in range(10):
        if page.locator("h1").inner_text() == "Your blood pressure":
            break
        patient.fill_current_page(QUIET)
        page.click("button[value='next']")
    expect(page.locator("h1")).to_have_text("Your blood pressure")
    assert page.locator("#q-bp_symptoms").count() == 0  # never asked before a reading
    page.fill("#f-systolic", "185")
    page.fill("#f-diastolic", "125")
    page.click("button[value='next']")
    expect(page.locator("#q-bp_symptoms")).to_be_visible()
    expect(page.locator("main")).to_contain_text("185")
    assert_accessible(page)


def test_back_after_an_error_never_asks_to_resubmit(page: Page, base_url: str) -> None:
    start(page, base_url, "mood")
    page.fill("#f-age", "abc")
    page.click("button[value='next']")
    expect(page.locator(".error-summary")).to_be_visible()
    # the error page came by a redirect: reloading it sends no form
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.method))
    page.reload()
    assert "POST" not in requests
    page.go_back()
    expect(page.locator("h1")).to_be_visible()
    assert "POST" not in requests
    # the Back link at the top goes back without losing what was typed on the page
    page.goto(f"{base_url}/q/mood/p/about_you")
    page.fill("#f-age", "40")
    page.check("#f-smoker")
    page.click("button[value='next']")
    page.check("#f-q1")
    page.click("a.back-link")
    expect(page).to_have_url(f"{base_url}/q/mood/p/about_you")
    page.click("button[value='next']")
    expect(page.locator("#f-q1")).to_be_checked()


def test_change_from_the_review_returns_to_the_review(page: Page, base_url: str) -> None:
    start(page, base_url, "mood")
    page.fill("#f-age", "40")
    page.check("#f-smoker")  # never
    page.click("button[value='next']")
    page.check("#f-q1")
    page.check("#f-q2")
    page.click("button[value='next']")
    expect(page).to_have_url(f"{base_url}/q/mood/review")
    page.click("a[href*='/p/about_you?change=1']")
    page.fill("#f-age", "41")
    page.click("button[value='next']")
    expect(page).to_have_url(re.compile(r".*/q/mood/review(#.*)?$"))
    expect(page.locator("main")).to_contain_text("41 years")


def test_the_symptom_check_review_is_short_on_a_phone(page: Page, base_url: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    patient = PatientNavigator(page, base_url, SYMPTOMS)
    start(page, base_url, "symptom-check")
    answers = {**QUIET, "cough": True, "fatigue": True}
    stopped = patient.answer_all(answers)
    assert stopped.endswith("/review"), stopped
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 3800, height  # it was about 7,600 px before unticked boxes were folded
    assert_accessible(page)


def pdf_text(data: bytes) -> str:
    return "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_a_2000_character_answer_in_arabic_and_chinese_reaches_the_pdf(
    page: Page, base_url: str
) -> None:
    arabic = ("أشعر بألم في البطن منذ ثلاثة أسابيع مع فقدان الشهية " * 60)[:1000]
    chinese = ("我的胃痛了三个星期，食欲不振，体重减轻。" * 60)[:999]
    text = f"{arabic}\n{chinese}"
    patient = PatientNavigator(page, base_url, SYMPTOMS)
    start(page, base_url, "symptom-check")
    stopped = patient.answer_all({**QUIET, "cough": True, "other_symptoms": text})
    assert stopped.endswith("/review"), stopped
    patient.see_result()
    page.fill("#f-name", "王小明 😀")
    with page.expect_download() as download:
        page.click("button:has-text('Download PDF summary')")
    found = pdf_text(download.value.path().read_bytes())
    assert "王小明" in found
    assert chinese[:40] in found.replace("\n", "")
    letters = Counter(c for c in unicodedata.normalize("NFKC", found) if "\u0600" <= c <= "\u06ff")
    wanted = Counter(c for c in arabic if "\u0600" <= c <= "\u06ff")
    assert all(letters[c] >= n for c, n in wanted.items()), wanted - letters
