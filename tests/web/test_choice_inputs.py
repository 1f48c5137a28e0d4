"""riskcheck.web.patient.inputs: the radio buttons and tick boxes escape everything they show."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from riskcheck.web.patient.inputs import choice_inputs

HOSTILE = '"><script>alert(1)</script><b x="'


def test_the_markup_of_a_radio_question():
    html = choice_inputs("smoker", [("never", "Never"), ("current", "Yes")], "radio", "current")
    assert isinstance(html, Markup)
    assert str(html) == (
        '<div class="choice"><input type="radio" name="smoker" id="f-smoker" value="never">'
        '<label for="f-smoker">Never</label></div>\n'
        '<div class="choice"><input type="radio" name="smoker" id="f-smoker-current" '
        'value="current" checked><label for="f-smoker-current">Yes</label></div>'
    )


def test_tick_boxes_check_every_chosen_value():
    choices = [("a", "A"), ("b", "B"), ("c", "C")]
    html = str(choice_inputs("q", choices, "checkbox", ["a", "c"]))
    assert html.count(" checked") == 2
    assert 'value="b" checked' not in html
    assert str(choice_inputs("q", choices, "checkbox", None)).count(" checked") == 0


@pytest.mark.parametrize("where", ["question_id", "value", "label", "input_type"])
def test_hostile_text_anywhere_is_escaped(where):
    parts = {"question_id": "q", "value": "v", "label": "L", "input_type": "radio"}
    parts[where] = HOSTILE
    html = str(
        choice_inputs(
            parts["question_id"], [(parts["value"], parts["label"])], parts["input_type"], None
        )
    )
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert '"><' not in html.replace('"><label', "").replace('"><input', "")


def test_a_label_that_is_already_markup_is_still_escaped():
    # str() of Markup is plain text again: a label can never smuggle markup in.
    html = str(choice_inputs("q", [("v", Markup("<b>bold</b>"))], "radio", None))
    assert "<b>" not in html
