"""Clinician actions in a real browser, in the vocabulary of the clinician area."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask
from playwright.sync_api import Locator, Page, expect

from tests.functional.navigators import assert_accessible

PASSWORD = "correct horse battery"  # noqa: S105 - a test account's password


def account(app: Flask, role: str) -> str:
    """The email of a test account with ``role`` (created the first time)."""
    email = f"browser-{role}@example.org"
    accounts = app.extensions["riskcheck_store"].accounts
    if accounts.by_email(email) is None:
        accounts.create(email, role, password=PASSWORD)
    return email


class ClinicianNavigator:
    """Drives the clinician area; checks accessibility on every page it sees."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.pages_seen: list[str] = []

    def check(self) -> None:
        self.pages_seen.append(self.page.url)
        assert_accessible(self.page)

    def visit(self, path: str) -> int:
        """Open a clinician page by its address; the HTTP status."""
        response = self.page.goto(f"{self.base_url}{path}")
        assert response is not None
        self.check()
        return response.status

    # Signing in and out

    def sign_in(self, email: str, password: str = PASSWORD) -> None:
        self.visit("/clinician/login")
        self.page.fill("#email", email)
        self.page.fill("#password", password)
        self.page.click("main button:has-text('Sign in')")
        expect(self.page.locator("h1")).to_have_text("Questionnaires")
        self.check()

    def sign_in_wrongly(self, email: str, password: str) -> None:
        """A sign-in that is refused: the page says so next to the password."""
        self.page.fill("#email", email)
        self.page.fill("#password", password)
        self.page.click("main button:has-text('Sign in')")
        expect(self.page.locator("#password-error")).to_contain_text("not right")
        self.check()

    def sign_in_with_keyboard(self, email: str, password: str = PASSWORD) -> None:
        """Tab to the form from the top of the page, type, and press Enter."""
        self.page.goto(f"{self.base_url}/clinician/login")
        for _ in range(10):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("document.activeElement.id") == "email":
                break
        expect(self.page.locator("#email")).to_be_focused()
        self.page.keyboard.type(email)
        self.page.keyboard.press("Tab")
        expect(self.page.locator("#password")).to_be_focused()
        self.page.keyboard.type(password)
        self.page.keyboard.press("Enter")

    def sign_out(self) -> None:
        self.page.click("nav button:has-text('Sign out')")
        expect(self.page.locator("h1")).to_have_text("Sign in")
        self.check()

    # Questionnaires

    def open_dashboard(self) -> None:
        self.page.click("nav a:has-text('Questionnaires')")
        expect(self.page.locator("h1")).to_have_text("Questionnaires")
        self.check()

    def import_definition(self, path: Path) -> None:
        """Import a YAML file from the dashboard; it opens in the editor as a draft."""
        self.page.set_input_files("#file", path)
        self.page.click("button:has-text('Import as draft')")
        expect(self.page.locator("h1")).to_contain_text("Edit")
        self.check()

    def open_questionnaire(self, questionnaire_id: str) -> None:
        self.page.click(f"table.data a[href='/clinician/q/{questionnaire_id}']")
        expect(self.page.locator("h1")).to_have_text(questionnaire_id)
        self.check()

    def open_editor(self, questionnaire_id: str) -> None:
        """The YAML editor, from the questionnaire's version history."""
        self.page.click(f"main a[href='/clinician/q/{questionnaire_id}/edit']")
        expect(self.page.locator("#text")).to_be_visible()
        self.check()

    def open_structured_editor(self, questionnaire_id: str) -> None:
        """The form-field editor, from the questionnaire's version history."""
        self.page.click(f"main a[href='/clinician/q/{questionnaire_id}/structured']")
        expect(self.page.locator("fieldset").first).to_be_visible()
        self.check()

    def definition(self) -> str:
        return self.page.input_value("#text")

    def edit_definition(self, change: Callable[[str], str]) -> None:
        """Change the YAML in the editor and save the draft."""
        before = self.definition()
        after = change(before)
        assert after != before, "the change did not apply"
        self.page.fill("#text", after)
        self.page.click("button:has-text('Save draft')")
        expect(self.page.locator(".flash")).to_contain_text("saved")
        self.check()

    def publish_button(self) -> Locator:
        return self.page.locator("button:has-text('Publish version')")

    def publish(self) -> None:
        self.publish_button().click()
        expect(self.page.locator(".flash")).to_contain_text("is now what patients get")
        self.check()

    def open_impact(self) -> None:
        """From the editor: what the draft would change for stored responses."""
        self.page.click("main a[href$='/impact']")
        expect(self.page.locator("h1")).to_contain_text("What draft version")
        self.check()

    def open_changes(self, old: int, new: int) -> None:
        """From a questionnaire's version history: the diff between two versions."""
        self.page.click(f"a:has-text('Changes from version {old}')")
        expect(self.page.locator("h1")).to_have_text(f"Changes from version {old} to version {new}")
        self.check()

    # Responses

    def open_lookup(self) -> None:
        self.page.click("nav a:has-text('Look up a response')")
        expect(self.page.locator("h1")).to_have_text("Look up a response")
        self.check()

    def look_up(self, reference: str) -> None:
        self.page.fill("#reference", reference)
        self.page.click("main button:has-text('Look up')")
        self.check()

    # Admin

    def open_accounts(self) -> None:
        self.page.click("nav a:has-text('Accounts')")
        expect(self.page.locator("h1")).to_have_text("Accounts")
        self.check()

    def add_account(self, email: str, role: str) -> str:
        """Add an account; the one-time setup link to pass on."""
        self.page.fill("#email", email)
        self.page.select_option("#role", role)
        self.page.click("button:has-text('Add account')")
        link = self.page.locator("code.setup-link")
        expect(link).to_be_visible()
        self.check()
        return link.inner_text()

    def open_audit_log(self) -> None:
        self.page.click("nav a:has-text('Audit log')")
        expect(self.page.locator("h1")).to_have_text("Audit log")
        self.check()
