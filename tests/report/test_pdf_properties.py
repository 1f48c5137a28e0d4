"""Report -> PDF, property based: any answer up to its field's limit, in any script, renders.

Each example renders a whole summary (tens of milliseconds, more for long CJK text), so
the example counts stay small: these tests add a few seconds to the suite, not minutes.
"""

from __future__ import annotations

import datetime
import functools
import io
import re
from pathlib import Path
from typing import Any

import pypdf
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from riskcheck.loader import load_questionnaire
from riskcheck.questionnaire import Questionnaire
from riskcheck.report.content import build_report
from riskcheck.report.pdf import render_pdf
from riskcheck.scoring import score

ROOT = Path(__file__).resolve().parents[2]
CODE = "7KQ2M9XD0000111122223333AB"
SHOWN_CODE = "7KQ2-M9XD-0000-1111-2222-3333-AB"
WHEN = datetime.datetime(2026, 11, 25, 9, 30)

#: code point ranges of the scripts a patient may type, plus emoji
SCRIPTS = {
    "latin": (0x20, 0x24F),
    "greek": (0x370, 0x3FF),
    "cyrillic": (0x400, 0x4FF),
    "hebrew": (0x5D0, 0x5EA),
    "arabic": (0x621, 0x64A),
    "chinese": (0x4E00, 0x9FFF),
    "japanese": (0x3041, 0x30FA),
    "korean": (0xAC00, 0xD7A3),
    "emoji": (0x1F300, 0x1FAFF),
}
MARKUP = st.sampled_from(list("<>&;\"'/=  \n"))


def script_text(low: int, high: int) -> st.SearchStrategy[str]:
    return st.text(st.characters(min_codepoint=low, max_codepoint=high) | MARKUP, min_size=1)


#: one script with spaces and markup characters, a mix of every script, or anything at all
PIECES = st.one_of(
    *(script_text(low, high) for low, high in SCRIPTS.values()),
    st.text(
        st.one_of(*(st.characters(min_codepoint=a, max_codepoint=b) for a, b in SCRIPTS.values()))
        | MARKUP,
        min_size=1,
    ),
    st.text(min_size=1),
)


@st.composite
def answer_text(draw: st.DrawFn, limit: int) -> str:
    """Text of any length up to ``limit``: a drawn piece, repeated to a drawn length."""
    piece = draw(PIECES)
    length = draw(st.one_of(st.just(limit), st.integers(1, limit)))
    return (piece * (length // len(piece) + 1))[:length]


@functools.cache
def shipped(name: str) -> Questionnaire:
    # Not a fixture: hypothesis would print the whole questionnaire with a failing example.
    return load_questionnaire(ROOT / "questionnaires" / f"{name}.yaml")


def render(questionnaire: str, answers: dict[str, Any], **details: Any) -> list[str]:
    result = score(shipped(questionnaire), answers, today=WHEN.date())
    pdf = render_pdf(build_report(result, reference=CODE, created=WHEN, **details))
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def most_pages(text: str) -> int:
    """A generous bound: ~1,000 characters or ~45 lines of an answer fill a page."""
    breaks = len(re.findall("[\n\r\x0b\x0c\x85\u2028\u2029]", text))  # all print as new lines
    return 5 + len(text) // 800 + breaks // 45


def assert_sane(pages: list[str], most: int) -> None:
    assert 1 <= len(pages) <= most
    for number, text in enumerate(pages, 1):
        assert SHOWN_CODE in text
        assert f"Page {number} of {len(pages)}" in text


#: No shrinking: each step renders a PDF, and shrinking a 2,000-character failure took
#: minutes. A failure is reported as found (its seed reproduces it).
SETTINGS = settings(
    deadline=None,
    max_examples=12,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(text=answer_text(2000))
def test_any_other_symptoms_answer_renders(text: str) -> None:
    answers = {"age": 50, "smoker": "never", "pain_level": 2}
    if text.strip():
        answers["other_symptoms"] = text
    assert_sane(render("symptom-check", answers), most_pages(text))


@SETTINGS
@given(text=answer_text(200))
@example(text="\u05d0\n" * 100)  # found: the name's 100 lines were repeated in each label
def test_any_esas_other_problem_renders(text: str) -> None:
    answers: dict[str, Any] = dict.fromkeys(
        (
            "pain",
            "tiredness",
            "drowsiness",
            "nausea",
            "lack_of_appetite",
            "shortness_of_breath",
            "depression",
            "anxiety",
            "wellbeing",
            "distress_thermometer",
        ),
        3,
    )
    if text.strip():
        answers["other_problem_name"] = text
        answers["other_problem"] = 5
    assert_sane(render("esas", answers), most_pages(text))


@SETTINGS
@given(
    name=answer_text(120),
    birth_date=st.dates(datetime.date(1900, 1, 1), WHEN.date()),
    locale=st.sampled_from(["en", "en_GB", "de", "fr", "ar", "zh", "ja", "ko", "he", "ru"]),
)
def test_any_name_and_birth_date_render(name: str, birth_date: datetime.date, locale: str) -> None:
    answers = {"age": 50, "smoker": "never", "pain_level": 2}
    pages = render("symptom-check", answers, name=name, birth_date=birth_date, locale=locale)
    assert_sane(pages, 4)
