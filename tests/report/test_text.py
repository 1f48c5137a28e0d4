"""Text -> Paragraph markup: escaping, a font per script, placeholders, right-to-left order."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path

import pytest

from riskcheck.report.fonts import CJK, HANGUL, font_for
from riskcheck.report.text import (
    BidiParagraph,
    RtlParagraph,
    clean,
    clean_text,
    paragraph,
    placeholder,
    visual_order,
)

ROOT = Path(__file__).resolve().parents[2]


def visual(text: str, base_level: int) -> str:
    return "".join(char for char, _ in visual_order([(c, 0) for c in text], base_level))


# -- markup ----------------------------------------------------------------------------------


def test_ascii_is_escaped_as_before() -> None:
    assert clean_text("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert clean_text("line\nbreak") == "line<br/>break"
    assert clean_text("</para><b>x</b>") == "&lt;/para&gt;&lt;b&gt;x&lt;/b&gt;"


def test_text_dejavu_prints_as_is_takes_the_fast_path_unchanged() -> None:
    assert clean_text("Pain 2 — Mild (1 to 3) µg <b> é") == "Pain 2 — Mild (1 to 3) µg &lt;b&gt; é"
    assert clean_text("e\u0301") == "\u00e9"  # composed (NFC)
    assert clean_text("a\u2028b — c") == "a<br/>b — c"  # a line separator is a new line


def test_controls_and_bidi_overrides_are_removed() -> None:
    assert clean_text("x\u202ey\x00z\u2066w\u200b") == "xyzw"
    assert clean_text("tab\there\r\nand\rthere") == "tab here<br/>and<br/>there"


def test_each_script_gets_a_font_that_has_it() -> None:
    assert clean_text("Zoë Ελληνικά Русский שלום") == "Zoë Ελληνικά Русский שלום"
    assert clean_text("王小明") == '<font name="RiskcheckCJK">王小明</font>'
    assert clean_text("日本語です") == '<font name="RiskcheckCJK">日本語です</font>'
    assert clean_text("한국어") == '<font name="RiskcheckHangul">한국어</font>'
    # bold text picks the bold face where the font has one
    assert clean_text("سلام", bold=True).startswith('<font name="RiskcheckArabic-Bold">')


def test_mixed_text_switches_font_per_run_and_escapes_inside_runs() -> None:
    markup = clean_text("Dr 王 <3 & 2 مرة")
    assert markup.startswith('Dr <font name="RiskcheckCJK">王 </font>&lt;3 &amp; 2 ')
    assert '<font name="RiskcheckArabic">' in markup


def test_arabic_is_shaped_into_joined_forms() -> None:
    markup = clean_text("سلام")  # seen, lam, alef, meem: joined forms, not the base letters
    letters = markup.removeprefix('<font name="RiskcheckArabic">').removesuffix("</font>")
    assert all(0xFE70 <= ord(c) <= 0xFEFF for c in letters)
    assert unicodedata.normalize("NFKC", letters) == "سلام"
    assert clean_text("لا") == '<font name="RiskcheckArabic">\ufefb</font>'  # lam-alef


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("😀", "[grinning face]"),
        ("ok 😀😀😀 ok", "ok [grinning face ×3] ok"),
        ("👍🏽", "[thumbs up sign]"),  # the skin tone modifies it
        ("👨‍👩‍👧", "[man][woman][girl]"),  # zero-width joiners dropped
        ("🇬🇧", "[flag GB]"),
        ("✅ ❤️", "[white heavy check mark] ❤"),  # DejaVu draws the heart
        ("☺", "☺"),
        ("\ue000", "[U+E000]"),  # private use: no name
        ("\U000e0100", ""),  # a variation selector alone modifies nothing
    ],
)
def test_what_no_font_has_becomes_a_visible_placeholder(text: str, shown: str) -> None:
    assert clean_text(text) == shown


def test_a_long_run_of_an_unprinted_script_names_five_and_counts_the_rest() -> None:
    thai = "สวัสดีครับ ผมปวดหัว"
    shown = clean_text(thai)
    assert shown.startswith("[thai character so sua][thai character wo waen]")
    assert shown.endswith("[and 13 more characters that cannot be printed]")
    assert "?" not in shown
    assert placeholder("ก") == "[thai character ko kai]"


def test_a_text_names_twenty_placeholders_then_marks_the_rest() -> None:
    shown = clean_text(";🌂" * 1000)
    assert shown.count("[closed umbrella]") == 20
    assert shown.count("[…]") == 980
    assert len(shown) < 6000


def test_cleaned_text_says_how_to_lay_it_out() -> None:
    assert clean("plain") == clean("plain")
    assert (clean("plain").has_rtl, clean("plain").has_cjk) == (False, False)
    arabic = clean("مرحبا 2024")
    assert (arabic.has_rtl, arabic.is_rtl) == (True, True)
    mixed = clean("Name: محمد")
    assert (mixed.has_rtl, mixed.is_rtl) == (True, False)
    assert clean("中文 text").has_cjk


def test_paragraph_picks_the_class_and_alignment() -> None:
    from reportlab.lib.enums import TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    style = ParagraphStyle("body", fontName="RiskcheckSans", alignment=TA_LEFT)
    rtl = paragraph("مرحبا بالعالم", style)
    assert isinstance(rtl, RtlParagraph)
    assert rtl.style.alignment == TA_RIGHT
    ltr = paragraph("Hello مرحبا", style)
    assert type(ltr) is BidiParagraph
    assert ltr.style.alignment == TA_LEFT
    assert paragraph("中文", style).style.wordWrap == "CJK"
    assert paragraph("plain", style).style is style


# -- right to left ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "base_level", "shown"),
    [
        ("אבג דה", 1, "הד גבא"),
        ("Hebrew: שלום עולם 123, x", 0, "Hebrew: 123 םלוע םולש, x"),
        ("אבג (דה) 12.5%", 1, "12.5% (הד) גבא"),  # brackets mirrored, numbers left to right
        ("שלום 123 (abc) end", 1, "end (abc) 123 םולש"),  # paired brackets (N0)
        ("abc (אבג) דה", 0, "abc (גבא) הד"),
    ],
)
def test_visual_order_follows_the_bidi_algorithm(text: str, base_level: int, shown: str) -> None:
    assert visual(text, base_level) == shown


def test_vowel_marks_follow_their_base_letter_when_reversed() -> None:
    # shin + qamats + shin dot, lamed, vav + holam, mem: the clusters reverse, not the marks
    clusters = ["\u05e9\u05b8\u05c1", "\u05dc", "\u05d5\u05b9", "\u05dd"]
    assert visual("".join(clusters), 1) == "".join(reversed(clusters))


def test_tags_follow_their_characters() -> None:
    pairs = visual_order([("א", 1), ("ב", 1), (" ", 1), ("x", 2)], 1)
    assert pairs == [("x", 2), (" ", 1), ("ב", 1), ("א", 1)]


def test_fonts_route_by_script() -> None:
    assert font_for(ord("a")) is None
    assert font_for(ord("中")) is CJK
    assert font_for(ord("한")) is HANGUL


# -- lazy fonts, in a fresh process ----------------------------------------------------------

PROBE = textwrap.dedent("""\
    import datetime, json, sys, threading
    from riskcheck.loader import load_questionnaire
    from riskcheck.report import fonts
    from riskcheck.report.content import build_report
    from riskcheck.report.pdf import render_pdf
    from riskcheck.scoring import score

    def rss_mb():
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS"):
                    return int(line.split()[1]) / 1024

    q = load_questionnaire(sys.argv[1])
    def render(text):
        answers = {"age": 50, "smoker": "never", "pain_level": 2, "other_symptoms": text}
        result = score(q, answers, today=datetime.date(2026, 11, 25))
        when = datetime.datetime(2026, 11, 25, 9, 30)
        return render_pdf(build_report(result, reference="7KQ2M9XD0000111122223333AB",
                                       created=when))
    out = {}
    render("Headaches for three weeks, worse in the morning.")
    out["latin_fonts"] = sorted(fonts.loaded())
    out["latin_modules"] = [m for m in ("bidi", "arabic_reshaper") if m in sys.modules]
    out["latin_rss"] = rss_mb()
    loads = []
    real = fonts.TTFont
    fonts.TTFont = lambda name, path: loads.append(name) or real(name, path)
    threads = [threading.Thread(target=render, args=("头痛三个星期了。" * 50,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out["cjk_fonts"] = sorted(fonts.loaded())
    out["cjk_loads"] = loads
    out["cjk_rss"] = rss_mb()
    print(json.dumps(out))
""")


def test_large_fonts_load_once_and_only_when_a_text_needs_them() -> None:
    completed = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", PROBE, str(ROOT / "questionnaires" / "symptom-check.yaml")],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    out = json.loads(completed.stdout)
    assert out["latin_fonts"] == []
    assert out["latin_modules"] == []
    # four threads rendering Chinese at once: the font is read and registered once
    assert out["cjk_fonts"] == ["RiskcheckCJK"]
    assert out["cjk_loads"] == ["RiskcheckCJK"]
    assert out["cjk_rss"] - out["latin_rss"] < 40
