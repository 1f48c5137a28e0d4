"""Report -> PDF: read the PDF back (text, pages) and check what a patient would see."""

from __future__ import annotations

import datetime
import io
import re
import textwrap
import unicodedata
from collections import Counter
from pathlib import Path

import pypdf
import pytest

from riskcheck.loader import load_questionnaire, load_text
from riskcheck.report.content import build_report
from riskcheck.report.pdf import clean_text, render_pdf
from riskcheck.scoring import score

MOOD = Path(__file__).resolve().parents[1] / "data" / "mood.yaml"
SYMPTOMS = Path(__file__).resolve().parents[2] / "questionnaires" / "symptom-check.yaml"
CODE = "7KQ2M9XD0000111122223333AB"
SHOWN_CODE = "7KQ2-M9XD-0000-1111-2222-3333-AB"
WHEN = datetime.datetime(2026, 11, 25, 9, 30)
HOSTILE = "<script>alert(1)</script> </para> <b>bold</b> & \"quotes\" 'single' <font size=40>"


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def body_of(pages: list[str]) -> str:
    """The pages' text in reading order without the page furniture and repeated table heads."""
    furniture = re.compile(
        r"^(riskcheck does not diagnose\..*|Reference code \S+|Page \d+ of \d+"
        r"|Question|Your answer)$"
    )
    return "\n".join(
        line for page in pages for line in page.splitlines() if not furniture.match(line.strip())
    )


def render(q, answers, **kwargs) -> bytes:  # noqa: ANN001, ANN003
    result = score(q, answers, today=WHEN.date())
    return render_pdf(build_report(result, reference=CODE, created=WHEN, **kwargs))


@pytest.fixture(scope="module")
def mood():  # noqa: ANN201
    return load_questionnaire(MOOD)


def test_pdf_holds_urgency_recommendations_answers_and_reference(mood) -> None:  # noqa: ANN001
    pdf = render(
        mood,
        {
            "age": 61,
            "smoker": "current",
            "packs_per_day": 1,
            "years_smoked": 30,
            "q1": "3",
            "q2": "2",
        },
    )
    assert pdf.startswith(b"%PDF-")
    text = "\n".join(pages_of(pdf))
    assert "How soon to act\nSOON\nMake an appointment with your doctor" in text
    assert "See your GP" in text
    assert "What could be causing this?" in text
    assert "How old are you?" in text
    assert "61 years" in text
    assert "7KQ2-M9XD-0000-1111-2222-3333-AB" in text
    assert "This check does not diagnose anything." in text
    assert "Mood check (version 2)" in text


def test_hostile_strings_appear_literally(mood) -> None:  # noqa: ANN001
    pdf = render(
        mood, {"age": 40, "smoker": "never", "q1": "0", "q2": "0", "notes": HOSTILE}, name=HOSTILE
    )
    text = "\n".join(pages_of(pdf)).replace("\n", " ")
    for fragment in (
        "<script>alert(1)</script>",
        "</para>",
        "<b>bold</b>",
        '& "quotes"',
        "<font size=40>",
    ):
        assert fragment in text


def test_unicode_is_kept_and_emoji_named(mood) -> None:  # noqa: ANN001
    note = "Zoë Ünïcödé Ελληνικά Русский 😀👍🏽 done"
    text = "\n".join(
        pages_of(render(mood, {"age": 40, "smoker": "never", "q1": "0", "q2": "0", "notes": note}))
    )
    assert "Zoë Ünïcödé Ελληνικά Русский" in text
    assert "[grinning face][thumbs up sign] done" in " ".join(text.split())
    assert "? done" not in text


def test_a_chinese_name_with_an_emoji_prints(mood) -> None:  # noqa: ANN001
    # It printed "Name: ??? ?": DejaVu has no CJK, and emoji were dropped or "?".
    pdf = render(mood, {"age": 40, "smoker": "never", "q1": "0", "q2": "0"}, name="王小明 😀")
    assert "Name: 王小明 [grinning face]" in pages_of(pdf)[0]


def test_clean_text_escapes_and_replaces() -> None:
    assert clean_text("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert clean_text("line\nbreak") == "line<br/>break"
    assert clean_text("中") == '<font name="RiskcheckCJK">中</font>'  # not "?"
    assert clean_text("x\u202ey\x00z") == "xyz"  # bidi override and NUL removed


ARABIC = (
    "أعاني من صداع شديد منذ ثلاثة أيام، ولا أستطيع النوم أكثر من 4 ساعات في الليلة. "
    "جرّبت الباراسيتامول 500 ملغ مرتين يومياً (دون فائدة). "
)
CHINESE = (
    "我已经头痛三天了，晚上睡不着。疼痛从左边开始，然后扩散到整个头部。"
    "吃了扑热息痛500毫克也没有用。"
)


def arabic_letters(text: str) -> Counter[str]:
    """Arabic letters (after NFKC: presentation forms back to letters), as a multiset."""
    return Counter(
        c
        for c in unicodedata.normalize("NFKC", text)
        if unicodedata.category(c) == "Lo" and unicodedata.bidirectional(c) == "AL"
    )


def test_a_2000_character_arabic_answer_prints_shaped_and_complete(symptoms) -> None:  # noqa: ANN001
    answer = (ARABIC * 20)[:2000]
    pages = pages_of(
        render(symptoms, {"age": 50, "smoker": "never", "pain_level": 2, "other_symptoms": answer})
    )
    printed = body_of(pages)
    assert arabic_letters(printed) == arabic_letters(answer)
    # shaped: letters were printed in their joined presentation forms, lam-alef as one glyph
    forms = [c for c in printed if 0xFE70 <= ord(c) <= 0xFEFF]
    assert len(forms) > 1000
    assert printed.count("\ufefb") + printed.count("\ufefc") == answer.count("\u0644\u0627")
    assert all(SHOWN_CODE in page for page in pages)


def test_a_2000_character_chinese_answer_prints_in_order(symptoms) -> None:  # noqa: ANN001
    answer = (CHINESE * 50)[:2000]
    pages = pages_of(
        render(symptoms, {"age": 50, "smoker": "never", "pain_level": 2, "other_symptoms": answer})
    )
    assert re.sub(r"\s+", "", answer) in re.sub(r"\s+", "", body_of(pages))
    assert all(SHOWN_CODE in page for page in pages)


def test_a_wrapped_hebrew_answer_keeps_its_lines_in_reading_order(symptoms) -> None:  # noqa: ANN001
    words = [f"מילה{n}" for n in range(60)]  # "word0", "word1", ... with digits to tell apart
    answer = " ".join(words)
    pages = pages_of(
        render(symptoms, {"age": 50, "smoker": "never", "pain_level": 2, "other_symptoms": answer})
    )
    lines = [line for line in body_of(pages).splitlines() if "מילה" in line]
    assert len(lines) > 3
    # each printed line, read right to left, continues where the line above stopped
    read = [w for line in lines for w in reversed(line.split())]
    assert [int(re.sub(r"\D", "", w)) for w in read] == list(range(60))


def test_same_input_same_bytes(mood) -> None:  # noqa: ANN001
    answers = {"age": 40, "smoker": "never", "q1": "1", "q2": "0"}
    assert render(mood, answers) == render(mood, answers)


def test_fifty_long_answers_flow_over_numbered_pages() -> None:
    questions = "\n".join(
        f"      - {{id: t{i}, type: text, optional: true, max_length: 2000, text: 'Question {i} "
        f"{'with a long wording ' * 6}'}}"
        for i in range(50)
    )
    definition = (
        textwrap.dedent("""\
        id: long
        title: Long
        description: Many long answers.
        version: 1
        disclaimer: Not a diagnosis.
        sources: {s: {title: Source}}
        sections:
          - id: only
            title: Only
            questions:
        """)
        + questions
        + "\n"
    )
    q = load_text(definition)
    answers = {f"t{i}": f"Answer {i}: " + "a long answer that goes on " * 40 for i in range(50)}
    pages = pages_of(render(q, answers))
    assert len(pages) >= 5
    for number, text in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in text
    joined = " ".join(pages)
    assert all(f"Answer {i}:" in joined for i in range(50))


@pytest.fixture(scope="module")
def symptoms():  # noqa: ANN201
    return load_questionnaire(SYMPTOMS)


#: symptom-check's free-text question allows 2,000 characters
LONG_ANSWERS = {
    "words": ("I have had this for weeks and it is getting worse. " * 40)[:2000],
    "one unbroken word": "a" * 2000,
    "short lines": "pain\n" * 400,
    "markup": ("<b>&amp;</para> " * 200)[:2000],
}


@pytest.mark.parametrize("answer", LONG_ANSWERS.values(), ids=LONG_ANSWERS.keys())
def test_a_long_answer_flows_over_pages(symptoms, answer: str) -> None:  # noqa: ANN001
    # A table row taller than a page raised ReportLab's LayoutError (issue: ~1,900 characters).
    pages = pages_of(
        render(symptoms, {"age": 50, "smoker": "never", "pain_level": 2, "other_symptoms": answer})
    )
    assert 2 <= len(pages) <= 10  # 400 short lines take 9 pages
    for number, text in enumerate(pages, 1):
        assert "7KQ2-M9XD-0000-1111-2222-3333-AB" in text
        assert f"Page {number} of {len(pages)}" in text
    assert re.sub(r"\s+", "", answer) in re.sub(r"\s+", "", body_of(pages))


def test_symptom_check_emergency_summary(symptoms) -> None:  # noqa: ANN001
    q = symptoms
    text = "\n".join(
        pages_of(
            render(
                q, {"age": 50, "smoker": "never", "pain_level": 2, "chest_pain_sudden_severe": True}
            )
        )
    )
    assert "How soon to act\nEMERGENCY\n" in text
    assert re.search(r"Call your local emergency number", text)


# -- the clinician's summary and readability ---------------------------------------------------


def sized_lines(pdf: bytes, page: int = 0) -> list[tuple[str, float]]:
    """(text, font size) of each text run drawn on ``page``."""
    runs: list[tuple[str, float]] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:  # noqa: ANN001
        if text.strip():
            runs.append((text.strip(), font_size * tm[3]))

    pypdf.PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return runs


FIT = {
    "age": 47,
    "smoker": "never",
    "rectal_bleeding": True,
    "change_in_bowel_habit": True,
    "fit_result": 38,
    "pain_level": 2,
    "pain_location": ["tummy"],
    "weight_loss": True,
    "fatigue": True,
}


def test_page_one_opens_with_the_clinician_summary(symptoms) -> None:  # noqa: ANN001
    text = pages_of(render(symptoms, FIT))[0]
    box = text[text.index("Summary for the clinician") : text.index("How soon to act")]
    assert "SOON — Make an appointment" in box
    for finding in (
        "Blood from your bottom, or blood in your poo",
        "Losing weight without trying",
        "38 µg Hb/g",
        "Tummy (abdomen)",
        "Pain 2 — Mild pain (1 to 3 out of 10)",
        SHOWN_CODE,
    ):
        assert finding in " ".join(box.split()), finding
    assert "Diarrhoea" not in box  # unticked: not a finding


def test_unticked_boxes_print_after_every_answer(symptoms) -> None:  # noqa: ANN001
    text = " ".join(body_of(pages_of(render(symptoms, FIT))).split())
    answers = text[text.index("Your answers") :]
    assert answers.index("Where is the pain?") < answers.index("Not ticked (did not apply)")
    assert "Your digestion — Not ticked (did not apply): Diarrhoea (runny poo)" in answers


def test_reasons_and_their_answers_print_at_9_5_points_or_more(symptoms) -> None:  # noqa: ANN001
    runs = sized_lines(render(symptoms, FIT))
    why = [size for text, size in runs if text.startswith("Why:")]
    assert why
    assert min(why) >= 9.5
    answer = [size for text, size in runs if text.startswith("Losing weight without trying Yes")]
    assert answer
    assert min(answer) >= 9.5


def contrast(a, b) -> float:  # noqa: ANN001
    """WCAG contrast ratio; luminance is also what is left of a colour in black and white."""

    def luminance(colour) -> float:  # noqa: ANN001
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        red, green, blue = (channel(v) for v in (colour.red, colour.green, colour.blue))
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_on_every_shaded_box_keeps_its_contrast_in_black_and_white() -> None:
    from reportlab.lib import colors

    from riskcheck.report.pdf import INK, MUTED, SHADE, URGENCY_COLOURS

    # white words on the urgency colours (the label box, the emergency notice)
    assert all(contrast(colors.white, c) >= 4.5 for c in URGENCY_COLOURS.values())
    assert contrast(INK, SHADE) >= 7  # unticked rows
    assert contrast(MUTED, colors.white) >= 4.5  # sources, dates, page numbers


def test_a_header_taller_than_a_page_still_renders(mood) -> None:  # noqa: ANN001
    # hypothesis found it: a name of 60 line breaks raised LayoutError in the header table.
    # The name is now one line (content); the header splits like any table if it must.
    import dataclasses

    result = score(mood, {"age": 40, "smoker": "never", "q1": "0", "q2": "0"}, today=WHEN.date())
    report = build_report(result, reference=CODE, created=WHEN)
    pages = pages_of(render_pdf(dataclasses.replace(report, name="x\n" * 80)))
    assert all(SHOWN_CODE in page for page in pages)


def test_the_pdf_opens_with_what_to_do_now_and_lists_answers_set_aside(mood) -> None:  # noqa: ANN001
    from riskcheck.journey import result_so_far

    stored = {
        "age": 40,
        "smoker": "never",
        "packs_per_day": 3,
        "q1": "3",
        "q2": "3",
        "crisis": True,
    }
    result = result_so_far(mood, stored, WHEN.date())
    text = "\n".join(pages_of(render_pdf(build_report(result, reference=CODE, created=WHEN))))
    assert text.index("Get help now") < text.index("Summary for the clinician")
    assert "Samaritans" in text
    assert "stopped before the end" in text
    assert "did not apply (not used)" in text
    assert "How many packs a day?" in text
