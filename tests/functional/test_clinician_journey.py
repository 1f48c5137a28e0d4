"""The clinician area in a real browser: change a questionnaire, publish it, patients get it;
every page passes axe; signing in with the keyboard; signing out.

The live server is shared with the patient tests: these tests change only their own
questionnaire, ``mood-copy``, imported through the clinician Import form."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from riskcheck.loader import load_text
from riskcheck.urgency import WORDING
from tests.functional.clinician import PASSWORD, ClinicianNavigator, account
from tests.functional.conftest import DATA
from tests.functional.navigators import PatientNavigator

MOOD = (DATA / "mood.yaml").read_text()
COPY = MOOD.replace("id: mood\n", "id: mood-copy\n", 1).replace(
    "title: Mood check\n", "title: Mood check (copy)\n", 1
)
LOW_MOOD = {"age": 30, "smoker": "never", "q1": "0", "q2": "1"}  # total 1
#: set RISKCHECK_SCREENSHOTS to a folder to keep screenshots of the dashboard and editor
SCREENSHOTS = os.environ.get("RISKCHECK_SCREENSHOTS")


def move_bands(text: str) -> str:
    """Band ``low`` ends at 0 and ``high`` starts at 1: the 'low mood' test now fails."""
    return text.replace("{id: low, min: 0, max: 2", "{id: low, min: 0, max: 0").replace(
        "{id: high, min: 3, max: 6", "{id: high, min: 1, max: 6"
    )


def expect_soon_for_low_mood(text: str) -> str:
    """The 'low mood' test's expectation, fixed for the moved bands."""
    return text.replace(
        "expect: {urgency: routine, bands: {total: low}, scores: {total: 1}}",
        "expect: {urgency: soon, bands: {total: high}, scores: {total: 1}}",
    ).replace("absent: {recommendations: [see_gp]}", "absent: {recommendations: [emergency]}")


def screenshot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(SCREENSHOTS) / f"{name}.png", full_page=True)


@pytest.fixture
def server_without_accounts(tmp_path: Path) -> Iterator[str]:
    """A server of its own on a new database: no account yet, whichever tests ran before (the
    shared server has accounts once any clinician test ran, and this test used to skip then)."""
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    shutil.copy(DATA / "mood.yaml", folder / "mood.yaml")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RISKCHECK_ENV", "testing")
        mp.setenv("RISKCHECK_QUESTIONNAIRES", str(folder))
        mp.setenv("RISKCHECK_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite'}")
        from riskcheck import create_app

        app = create_app({"TESTING": True})
    assert app.extensions["riskcheck_store"].accounts.count() == 0
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.extensions["riskcheck_store"].engine.dispose()


def test_before_the_first_account_sign_in_explains_how_to_create_one(
    page: Page, server_without_accounts: str
) -> None:
    clinician = ClinicianNavigator(page, server_without_accounts)
    # Given no account yet, when someone opens the sign-in page
    status = clinician.visit("/clinician/login")
    # Then they get the first-admin page without a form (a 404: the link is not valid)
    assert status == 404
    expect(page.locator("h1")).to_have_text("Create the first admin account")
    expect(page.locator("main")).to_contain_text("riskcheck create-user --role admin")
    expect(page.locator("main form")).to_have_count(0)


def take_low_mood(new_context, base_url: str, text: str) -> tuple[str, str]:  # noqa: ANN001
    """A patient in a browser of their own takes mood-copy with a total of 1: the urgency
    shown and the reference code."""
    page = new_context().new_page()
    patient = PatientNavigator(page, base_url, load_text(text, "mood-copy.yaml"))
    patient.start()
    assert patient.answer_all(LOW_MOOD).endswith("/review")
    patient.see_result()
    urgency = (page.locator(".urgency-badge").text_content() or "").strip()
    reference = page.locator(".reference code").inner_text()
    page.context.close()
    return urgency, reference


def test_a_publisher_changes_a_band_and_patients_get_it(
    page: Page, base_url: str, live_app: Flask, new_context, tmp_path: Path
) -> None:  # noqa: ANN001
    clinician = ClinicianNavigator(page, base_url)
    # Given a publisher who imports a copy of the mood check and publishes it
    clinician.sign_in(account(live_app, "publisher"))
    screenshot(page, "dashboard")
    (tmp_path / "mood-copy.yaml").write_text(COPY)
    clinician.import_definition(tmp_path / "mood-copy.yaml")
    expect(page.locator("h1")).to_have_text("Edit mood-copy: draft version 1")
    clinician.publish()
    expect(page.locator("h1")).to_have_text("mood-copy")
    # And a patient with a total of 1 who gets 'Routine' from it
    before, _ = take_low_mood(new_context, base_url, COPY)
    assert before == WORDING["routine"].label

    # When the publisher moves the band thresholds in the editor and saves
    clinician.open_editor("mood-copy")
    clinician.edit_definition(move_bands)
    # Then they see the failing test, and cannot publish
    problems = page.locator(".problems")
    expect(problems).to_contain_text("tests 2/3 passed")
    expect(problems).to_contain_text("test 'low mood' failed: expected urgency routine, got soon")
    expect(clinician.publish_button()).to_be_disabled()
    screenshot(page, "editor-with-problems")
    # When they fix the test's expectation and save again
    clinician.edit_definition(expect_soon_for_low_mood)
    expect(problems).to_contain_text("tests 3/3 passed")
    expect(clinician.publish_button()).to_be_enabled()
    fixed = clinician.definition()
    # Then the impact report shows the stored response would move from routine to soon
    clinician.open_impact()
    expect(page.locator("main")).to_contain_text("routine → soon: 1")
    page.go_back()
    # And they can publish it, and the history shows the new version
    clinician.publish()
    rows = page.locator("table.data tbody tr")
    expect(rows.nth(0).locator("th")).to_have_text("2")
    expect(rows.nth(0)).to_contain_text("published")
    expect(rows.nth(1)).to_contain_text("retired")
    clinician.open_changes(1, 2)
    expect(page.locator(".diff-remove").first).to_contain_text("{id: low, min: 0, max: 2")
    expect(page.locator(".diff-add").first).to_contain_text("{id: low, min: 0, max: 0")

    # And a patient with a total of 1 now gets 'Soon'
    after, reference = take_low_mood(new_context, base_url, fixed)
    assert after == WORDING["soon"].label
    # And the clinician finds that response by its reference code
    clinician.open_lookup()
    clinician.look_up(reference)
    expect(page.locator("main")).to_contain_text("mood-copy version 2")
    expect(page.locator("main")).to_contain_text("Urgency: soon")


def test_admin_pages_are_accessible(page: Page, base_url: str, live_app: Flask) -> None:
    clinician = ClinicianNavigator(page, base_url)
    # Given an admin
    clinician.sign_in(account(live_app, "admin"))
    # When they add an account, then open its setup link and the audit log
    clinician.open_accounts()
    link = clinician.add_account("new-colleague@example.org", "editor")
    clinician.open_audit_log()
    expect(page.locator("table.data")).to_contain_text("account_create")
    assert clinician.visit(urlparse(link).path) == 200
    expect(page.locator("h1")).to_have_text("Set your password")
    expect(page.locator("main")).to_contain_text("new-colleague@example.org")
    # And the structured editor of a questionnaire (only looked at)
    page.goto(f"{base_url}/clinician/")
    clinician.open_questionnaire("mood")
    clinician.open_structured_editor("mood")
    # And a look-up of a code that does not exist says so
    clinician.open_lookup()
    clinician.look_up("0" * 26)
    expect(page.locator(".field-error")).to_contain_text("No response has this reference code")
    # Then every page passed axe (checked on each)
    assert len(clinician.pages_seen) >= 6


def test_sign_in_with_the_keyboard_only(page: Page, base_url: str, live_app: Flask) -> None:
    clinician = ClinicianNavigator(page, base_url)
    # When an editor signs in with the keyboard alone
    clinician.sign_in_with_keyboard(account(live_app, "editor"))
    # Then they reach the questionnaires
    expect(page.locator("h1")).to_have_text("Questionnaires")
    expect(page.locator("nav")).to_contain_text("Sign out")


def test_signing_out_ends_the_session(page: Page, base_url: str, live_app: Flask) -> None:
    clinician = ClinicianNavigator(page, base_url)
    # Given a signed-in editor
    clinician.sign_in(account(live_app, "editor"))
    # When they sign out
    clinician.sign_out()
    expect(page.locator(".flash")).to_have_text("You have signed out.")
    # Then the dashboard sends them to sign in
    page.goto(f"{base_url}/clinician/")
    expect(page).to_have_url(f"{base_url}/clinician/login?next=%2Fclinician%2F")
    expect(page.locator("h1")).to_have_text("Sign in")
    # And a wrong password is refused, next to the field
    clinician.sign_in_wrongly(account(live_app, "editor"), "not the password")
    expect(page.locator("#password")).to_have_attribute("aria-describedby", "password-error")


def test_edits_survive_a_session_that_ended_before_saving(
    page: Page, base_url: str, live_app: Flask
) -> None:
    clinician = ClinicianNavigator(page, base_url)
    # Given an editor with unsaved changes in the YAML editor
    email = account(live_app, "editor")
    clinician.sign_in(email)
    clinician.visit("/clinician/q/gad7/edit")
    edited = clinician.definition() + "\n# a careful change, typed over half an hour\n"
    page.fill("#text", edited)
    # When their session ends (idle timeout) before they press Save
    page.context.clear_cookies()
    page.click("button:has-text('Save draft')")
    # Then nothing is saved, the page says so and shows their text
    expect(page.locator("h1")).to_have_text("Your session ended, so nothing was saved")
    assert page.input_value("#kept-text") == edited
    clinician.check()
    assert live_app.extensions["riskcheck_store"].versions.draft("gad7") is None
    # And after signing in again the editor offers their text back
    page.click("a:has-text('Sign in again')")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button:has-text('Sign in')")
    expect(page.locator("#restore-notice")).to_be_visible()
    page.click("#restore-text")
    assert clinician.definition() == edited
