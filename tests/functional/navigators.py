"""Patient actions in a real browser, in the vocabulary of the product."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from riskcheck.questionnaire import Questionnaire

WCAG = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
_axe = Axe()


def assert_accessible(page: Page) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the current page."""
    results = _axe.run(page, options=WCAG)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def input_id(q: Questionnaire, question_id: str, value: Any) -> str:
    """The id of the radio or checkbox for ``value`` (the first choice has the plain id)."""
    question = q.question(question_id)
    if question.type == "yesno":
        values = ["yes", "no"]
        value = "yes" if value else "no"
    elif question.type == "scale":
        values = [str(v) for v in range(question.min, question.max + 1)]
        value = str(value)
    else:
        values = [o.value for o in question.options]
    return f"#f-{question_id}" if value == values[0] else f"#f-{question_id}-{value}"


class PatientNavigator:
    """Drives the patient journey; checks accessibility on every page it sees."""

    def __init__(self, page: Page, base_url: str, questionnaire: Questionnaire) -> None:
        self.page = page
        self.base_url = base_url
        self.q = questionnaire
        self.pages_seen: list[str] = []

    def check(self) -> None:
        self.pages_seen.append(self.page.url)
        assert_accessible(self.page)

    def start(self) -> None:
        self.page.goto(f"{self.base_url}/")
        self.check()
        self.page.click(f"a[href='/q/{self.q.id}/']")
        self.check()
        self.page.click("button:has-text('Start now')")

    def fill_current_page(self, answers: dict[str, Any]) -> None:
        """Answer the questions on the current page that ``answers`` gives values for."""
        for question_id in self.page.eval_on_selector_all(
            "[id^='q-']", "els => els.map(e => e.id.slice(2))"
        ):
            if question_id not in answers or question_id not in self.q.questions:
                continue
            self.answer(question_id, answers[question_id])

    def answer(self, question_id: str, value: Any) -> None:
        question = self.q.question(question_id)
        entry = self.q.questions[question_id]
        if question.type == "yesno" and getattr(question, "default", None) is False:
            self.page.set_checked(f"#f-{question_id}", bool(value))
        elif question.type in ("yesno", "single", "scale"):
            self.page.check(input_id(self.q, question_id, value))
        elif question.type == "multiple":
            for option in question.options:
                self.page.set_checked(
                    input_id(self.q, question_id, option.value), option.value in value
                )
        else:
            self.page.fill(f"#f-{question_id}", str(value))
        del entry

    def answer_all(self, answers: dict[str, Any], limit: int = 60) -> str:
        """Answer page after page until the review page; return where the journey stopped."""
        for _ in range(limit):
            if "/p/" not in self.page.url:
                return self.page.url
            self.check()
            self.fill_current_page(answers)
            self.page.click("button[value='next']")
        raise AssertionError("the questionnaire did not end")

    def see_result(self) -> None:
        self.check()  # the review page
        self.page.click("button:has-text('See my result')")
        self.check()
