"""WTForms form classes generated from a page of the questionnaire.

The HTML ``name`` of each field is its question id. The forms collect raw values and
check the CSRF token; the engine's question types do the answer checking, so the page,
the API and the CLI give the same messages. Inputs are written by Jinja macros rather
than WTForms widget calls (measured: widget calls for 30 radio questions ran at 1.6 % of
a hello-world route; macros at 12 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from riskcheck.journey import Page, is_checklist_item
from riskcheck.questionnaire import QuestionEntry


def _field(entry: QuestionEntry) -> Field:
    question = entry.question
    kind = question.type
    if is_checklist_item(entry):
        return BooleanField(question.text, false_values=("", "no", "false"))
    if kind == "yesno":
        return RadioField(
            question.text,
            choices=[SelectChoice("yes", "Yes"), SelectChoice("no", "No")],
            validate_choice=False,
        )
    if kind == "single":
        choices = [SelectChoice(o.value, o.label) for o in question.options]
        return RadioField(question.text, choices=choices, validate_choice=False)
    if kind == "multiple":
        choices = [SelectChoice(o.value, o.label) for o in question.options]
        return SelectMultipleField(question.text, choices=choices, validate_choice=False)
    if kind == "scale":
        choices = [SelectChoice(str(v), str(v)) for v in range(question.min, question.max + 1)]
        return RadioField(question.text, choices=choices, validate_choice=False)
    if kind == "text" and question.multiline:
        return TextAreaField(question.text)
    return StringField(question.text)


_CLASSES: dict[tuple[str, str, tuple[str, ...]], type[FlaskForm]] = {}


def page_form(questionnaire_hash: str, page: Page, **kwargs: Any) -> FlaskForm:
    """A form for ``page``; the class is built once per definition and set of questions."""
    key = (questionnaire_hash, page.id, tuple(e.question.id for e in page.questions))
    form_class = _CLASSES.get(key)
    if form_class is None:
        if len(_CLASSES) > 2048:  # definitions change rarely; keep the cache bounded
            _CLASSES.clear()
        fields = {entry.question.id: _field(entry) for entry in page.questions}
        form_class = _CLASSES[key] = type(
            f"PageForm_{page.section.id}_{page.part}", (FlaskForm,), fields
        )
    return form_class(**kwargs)


def form_data(page: Page, stored: dict[str, Any]) -> dict[str, Any]:
    """Stored answers (JSON answer format) as the page's fields show them."""
    data: dict[str, Any] = {}
    for entry in page.questions:
        qid = entry.question.id
        value = stored.get(qid)
        if value is None:
            continue
        if entry.question.type == "yesno" and not is_checklist_item(entry):
            data[qid] = "yes" if value else "no"
        elif isinstance(value, (bool, list)):
            data[qid] = value
        elif isinstance(value, float) and value.is_integer():
            data[qid] = str(int(value))
        else:
            data[qid] = str(value)
    return data


def submitted_values(form: FlaskForm, page: Page) -> dict[str, Any]:
    """The raw value of each question on the page, as the engine expects it."""
    values: dict[str, Any] = {}
    for entry in page.questions:
        data = form[entry.question.id].data
        values[entry.question.id] = data
    return values


def page_groups(page: Page) -> list[tuple[str, list[QuestionEntry]]]:
    """The page's questions in display groups: runs of tick-box questions become one list."""
    groups: list[tuple[str, list[QuestionEntry]]] = []
    for entry in page.questions:
        if is_checklist_item(entry):
            if groups and groups[-1][0] == "checklist":
                groups[-1][1].append(entry)
                continue
            groups.append(("checklist", [entry]))
        else:
            groups.append(("question", [entry]))
    return groups


def depends_on_page(entry: QuestionEntry, page: Page) -> list[QuestionEntry]:
    """The questions on the same page that decide whether ``entry`` applies."""
    if entry.show_if is None:
        return []
    names = set(entry.show_if.names)
    return [other for other in page.questions if other.question.id in names]


@dataclass(frozen=True)
class StoredValue:
    """What the page macros read of a field: its data."""

    data: Any


class StoredValues:
    """Stored answers looked up like a form's fields (``values[qid].data``), for showing a
    page without building its form (measured: a tenth of a 30-question page's time)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, question_id: str) -> StoredValue:
        return StoredValue(self._data.get(question_id))
