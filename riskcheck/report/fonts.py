"""The fonts a summary embeds: DejaVu Sans always, the large ones only when a text needs them.

ReportLab parses a whole TrueType font into memory (the Chinese and Japanese font costs a
worker about 18 MB, the Hangul one about 7 MB), so a font other than DejaVu is loaded the
first time a character of its scripts is printed, once per process, under a lock (gthread
workers render in several threads). A summary in Latin, Greek or Cyrillic never loads them.
The files and their licences: fonts/LICENSE; how they were made: scripts/subset_fonts.py.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT, FONT_BOLD = "RiskcheckSans", "RiskcheckSans-Bold"


@dataclass(frozen=True)
class Font:
    """A font loaded on first need, and the code points riskcheck sends to it."""

    #: the registered name of the regular face (also the family's name)
    name: str
    #: the registered name of the bold face (``name`` when the font has no bold)
    bold: str
    regular_file: str
    bold_file: str | None
    #: inclusive code point ranges of the scripts this font prints
    ranges: tuple[tuple[int, int], ...]


ARABIC = Font(
    "RiskcheckArabic",
    "RiskcheckArabic-Bold",
    "NotoSansArabic-Regular.ttf",
    "NotoSansArabic-Bold.ttf",
    ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
)
HANGUL = Font(
    "RiskcheckHangul",
    "RiskcheckHangul",
    "RiskcheckHangul.ttf",
    None,
    ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF)),
)
#: Chinese and Japanese: ideographs, kana, bopomofo, CJK punctuation and full-width forms
CJK = Font(
    "RiskcheckCJK",
    "RiskcheckCJK",
    "DroidSansFallbackFull.ttf",
    None,
    (
        (0x2E80, 0x2FFF),
        (0x3000, 0x312F),
        (0x3190, 0x33FF),
        (0x3400, 0x4DBF),
        (0x4E00, 0x9FFF),
        (0xF900, 0xFAFF),
        (0xFE30, 0xFE4F),
        (0xFF00, 0xFFEF),
        (0x20000, 0x3134F),
    ),
)
#: in the order they are tried
LAZY_FONTS = (ARABIC, HANGUL, CJK)

_LOCK = threading.Lock()
#: registered name of a lazy font -> its code point -> glyph map, once loaded
_LOADED: dict[str, Mapping[int, int]] = {}


@cache
def register_base() -> Mapping[int, int]:
    """Register DejaVu Sans (regular and bold) once; return the code points it can draw."""
    regular = TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )
    return regular.face.charToGlyph


def font_for(code: int) -> Font | None:
    """The lazy font whose scripts hold ``code``, or None (DejaVu Sans's business)."""
    if code < 0x0600:
        return None
    for font in LAZY_FONTS:
        for low, high in font.ranges:
            if low <= code <= high:
                return font
    return None


def load(font: Font) -> Mapping[int, int]:
    """Register ``font`` on first use (thread-safe); return the code points it can draw."""
    found = _LOADED.get(font.name)
    if found is not None:
        return found
    with _LOCK:
        found = _LOADED.get(font.name)
        if found is None:
            regular = TTFont(font.name, str(FONT_DIR / font.regular_file))
            pdfmetrics.registerFont(regular)
            if font.bold_file:
                pdfmetrics.registerFont(TTFont(font.bold, str(FONT_DIR / font.bold_file)))
            pdfmetrics.registerFontFamily(
                font.name, normal=font.name, bold=font.bold, italic=font.name, boldItalic=font.bold
            )
            found = _LOADED[font.name] = regular.face.charToGlyph
    return found


def loaded() -> frozenset[str]:
    """Names of the lazy fonts this process has loaded so far."""
    return frozenset(_LOADED)
