"""Text from a patient or a definition -> safe Paragraph markup, in any script.

ReportLab's Paragraph reads ``<`` and ``&`` as markup and knows nothing of scripts, so
every string goes through ``clean_text`` (or ``paragraph``) here:

- control and format characters (bidi overrides included) are removed;
- each run of characters is set in a font that has them (``<font name=...>`` runs;
  ``riskcheck.report.fonts`` loads the large fonts on first need);
- what no font can print (most emoji, scripts riskcheck has no font for) becomes a visible
  placeholder such as ``[grinning face]``, never ``?`` and never nothing;
- Arabic is shaped (arabic-reshaper turns letters into their joined presentation forms);
- everything else is escaped.

Right-to-left text (Arabic, Hebrew) is broken into lines in logical order, as typed, and
each line is reordered for display (Unicode bidi algorithm, python-bidi) only when it is
drawn: ``BidiParagraph``. Chinese and Japanese text may break between any two characters
(ReportLab's CJK wrapping, which keeps Latin words whole).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from riskcheck.report.fonts import ARABIC, CJK, FONT_BOLD, font_for, load, register_base

#: C0 controls other than newline, and DEL: the ASCII fast path must not meet them
_ASCII_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f]")
_NEWLINES = re.compile("\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
#: characters dropped without a trace: they modify a neighbour (emoji variation selectors
#: and skin tones, zero-width joiners) or are invisible (tags)
_MODIFIERS = frozenset(
    [*range(0xFE00, 0xFE10), *range(0x1F3FB, 0x1F400), *range(0xE0100, 0xE01F0), 0x200C, 0x200D]
)
#: how many unprintable characters of one run are named before the rest is counted
_NAMED = 5
#: how many placeholders one text may name: past that each run is "[…]" (2,000 emoji
#: between other characters would otherwise fill 20 pages with their names)
_NAMED_PER_TEXT = 20


@dataclass(frozen=True)
class Cleaned:
    """Markup for a Paragraph, and what the text needs to be laid out."""

    markup: str
    #: holds right-to-left characters: lines must be reordered when drawn
    has_rtl: bool = False
    #: the paragraph's direction (its first strong character) is right to left
    is_rtl: bool = False
    #: holds Chinese or Japanese: lines may break between any two characters
    has_cjk: bool = False


def clean_text(text: str, bold: bool = False) -> str:
    """Markup that prints ``text`` as typed (see the module's docstring); ``bold`` picks faces."""
    return clean(text, bold).markup


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of ``text`` in ``style``, right to left or CJK-wrapped when the text says so."""
    cleaned = clean(text, style.fontName == FONT_BOLD)
    return paragraph_of(cleaned, style)


def paragraph_of(cleaned: Cleaned, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of already cleaned text."""
    if not (cleaned.has_rtl or cleaned.has_cjk):
        return Paragraph(cleaned.markup, style)
    changes: dict[str, Any] = {}
    if cleaned.has_cjk and not cleaned.has_rtl:
        # ReportLab's CJK wrapping breaks anywhere but inside a Latin word; it would break
        # Arabic words too, so mixed Arabic and CJK text wraps at spaces (and splits words
        # longer than a line).
        changes["wordWrap"] = "CJK"
    if cleaned.is_rtl and style.alignment == TA_LEFT:
        changes["alignment"] = TA_RIGHT
    if changes:
        style = ParagraphStyle(f"{style.name}-{'-'.join(changes)}", parent=style, **changes)
    if cleaned.has_rtl:
        return (RtlParagraph if cleaned.is_rtl else BidiParagraph)(cleaned.markup, style)
    return Paragraph(cleaned.markup, style)


def clean(text: str, bold: bool = False) -> Cleaned:
    """``text`` as Paragraph markup, and what its layout needs."""
    if text.isascii():
        if not _ASCII_CONTROL.search(text):
            return Cleaned(escape(text).replace("\n", "<br/>"))  # the common case, kept fast
    elif _plain_chars().fullmatch(text) and unicodedata.is_normalized("NFC", text):
        return Cleaned(escape(text).replace("\n", "<br/>"))  # "—", "é", "µ": DejaVu as is
    base = register_base()
    text = unicodedata.normalize("NFC", _NEWLINES.sub("\n", text).replace("\t", " "))
    text = "".join(c for c in text if c == "\n" or _is_kept(c))
    has_rtl = is_rtl = False
    direction_known = False
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            has_rtl = True
            if not direction_known:
                is_rtl = direction_known = True
        elif kind == "L" and not direction_known:
            direction_known = True
        if has_rtl and direction_known:
            break
    if any(font_for(ord(c)) is ARABIC for c in text):
        text = _reshape(text)
    runs: list[str] = []
    has_cjk = False
    for font, chunk in _runs(text, base, bold):
        escaped = escape(chunk).replace("\n", "<br/>")
        if font is None:
            runs.append(escaped)
        else:
            has_cjk = has_cjk or font == CJK.name
            runs.append(f'<font name="{font}">{escaped}</font>')
    return Cleaned("".join(runs), has_rtl, is_rtl, has_cjk)


@cache
def _plain_chars() -> re.Pattern[str]:
    """Text made only of characters DejaVu Sans prints as they are: no control, no right to
    left, no joiner. A character class of ranges (a set of the characters took 0.4 MB)."""
    codes = sorted(
        code
        for code in {*register_base(), ord("\n")}
        if code == ord("\n")
        or unicodedata.category(chr(code)) not in ("Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp")
        and unicodedata.bidirectional(chr(code)) not in ("R", "AL", "B", "S")
        and code not in _MODIFIERS
    )
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    parts = (re.escape(chr(a)) + ("" if a == b else "-" + re.escape(chr(b))) for a, b in ranges)
    return re.compile(f"[{''.join(parts)}]*")


def _is_kept(char: str) -> bool:
    """False for what is removed: controls, format characters (bidi overrides), surrogates."""
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Cs"):
        return ord(char) in (0x200C, 0x200D)  # joiners steer Arabic shaping, dropped after
    return True


def _reshape(text: str) -> str:
    """Arabic letters in their joined (presentation) forms, vowel marks kept."""
    return _reshaper().reshape(text)


@cache
def _reshaper() -> Any:
    # Imported on first Arabic text: Latin-only workers never load it.
    from arabic_reshaper import ArabicReshaper

    return ArabicReshaper(
        configuration={"delete_harakat": False, "support_ligatures": True, "support_zwj": True}
    )


def _runs(text: str, base: Any, bold: bool) -> Iterator[tuple[str | None, str]]:
    """(font name or None for DejaVu, text) runs; unprintable runs become placeholders."""
    current: str | None = None
    chunk: list[str] = []
    unprintable: list[str] = []
    budget = [_NAMED_PER_TEXT]
    for char in text:
        code = ord(char)
        if code in _MODIFIERS:
            continue
        font = _font_of(char, code, base, bold)
        if font is False or (unprintable and char == " "):
            unprintable.append(char)
            continue
        if unprintable:
            if chunk:
                yield current, "".join(chunk)
                chunk = []
            current = None
            trailing = len(unprintable) - len("".join(unprintable).rstrip(" "))
            yield None, placeholder("".join(unprintable).rstrip(" "), budget) + " " * trailing
            unprintable = []
        if font != current and char != " " and char != "\n":
            if chunk:
                yield current, "".join(chunk)
                chunk = []
            current = font if isinstance(font, str) else None
        chunk.append(char)
    if chunk:
        yield current, "".join(chunk)
    if unprintable:
        yield None, placeholder("".join(unprintable).rstrip(" "), budget)


def _font_of(char: str, code: int, base: Any, bold: bool) -> str | None | bool:
    """The font name for ``char``, None for DejaVu Sans, False when no font has it."""
    if code < 0x80:
        return None
    font = font_for(code)
    if font is None:
        return None if code in base else False
    if code in load(font):
        return font.bold if bold else font.name
    return False


def placeholder(run: str, budget: list[int] | None = None) -> str:
    """Visible words for characters no font can print: the first few named, the rest counted.

    "😀😀" -> "[grinning face ×2]"; "🇬🇧" -> "[flag GB]"; a long run of a script riskcheck has
    no font for -> its first five characters named and "[and 57 more characters that
    cannot be printed]". ``budget`` holds how many more names the text may have; once
    spent, a run is "[…]".
    """
    budget = budget if budget is not None else [_NAMED]
    if budget[0] <= 0:
        return "[…]"
    items: list[str] = []
    chars = [c for c in run if c != " "]
    index = 0
    named = 0
    while index < len(chars) and named < min(_NAMED, budget[0]):
        char = chars[index]
        flag = _flag(chars, index)
        if flag:
            items.append(f"[flag {flag}]")
            index += 2
        else:
            count = 1
            while index + count < len(chars) and chars[index + count] == char:
                count += 1
            times = f" ×{count}" if count > 1 else ""
            items.append(f"[{_name(char)}{times}]")
            index += count
        named += 1
    budget[0] -= named
    rest = len(chars) - index
    if rest:
        items.append(f"[and {rest} more character{'s' if rest > 1 else ''} that cannot be printed]")
    return "".join(items)


def _flag(chars: list[str], index: int) -> str:
    """The two letters of a regional-indicator pair (a flag) at ``index``, or ""."""
    letters = chars[index : index + 2]
    if len(letters) == 2 and all(0x1F1E6 <= ord(c) <= 0x1F1FF for c in letters):
        return "".join(chr(ord(c) - 0x1F1E6 + ord("A")) for c in letters)
    return ""


def _name(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.lower() if name else f"U+{ord(char):04X}"


# -- right to left ------------------------------------------------------------------------------


class BidiParagraph(Paragraph):
    """A paragraph holding right-to-left text: lines broken in logical order, drawn reordered.

    Paragraph.split hands each part of a split the logical lines, so reordering only in
    ``draw`` keeps both parts right.
    """

    #: the paragraph direction: 0 left to right, 1 right to left
    base_level = 0

    def draw(self) -> None:
        logical = self.blPara
        self.blPara = visual_lines(logical, self.base_level)
        try:
            super().draw()
        finally:
            self.blPara = logical


class RtlParagraph(BidiParagraph):
    """A paragraph whose first strong letter is right to left (Arabic, Hebrew)."""

    base_level = 1


def visual_lines(para: Any, base_level: int) -> Any:
    """ReportLab's broken lines (kind 0: words; kind 1: fragments) in display order."""
    if para.kind == 0:
        lines = [
            (extra, [_visual_text(" ".join(words), base_level)]) for extra, words in para.lines
        ]
        return para.clone(lines=lines)
    return para.clone(lines=[_visual_fragments(line, base_level) for line in para.lines])


def _visual_text(text: str, base_level: int) -> str:
    return "".join(char for char, _ in visual_order([(c, 0) for c in text], base_level))


def _visual_fragments(line: Any, base_level: int) -> Any:
    words = list(line.words)
    texts = [i for i, w in enumerate(words) if getattr(w, "text", "") and not hasattr(w, "cbDefn")]
    if not texts:
        return line
    chars = [(c, i) for i in texts for c in words[i].text]
    reordered: list[Any] = []
    for char, source in visual_order(chars, base_level):
        if reordered and reordered[-1][0] == source:
            reordered[-1][1].append(char)
        else:
            reordered.append((source, [char]))
    new_words = [words[source].clone(text="".join(text)) for source, text in reordered]
    kept = set(texts)
    new_words += [w for i, w in enumerate(words) if i not in kept]
    return line.clone(words=new_words)


def visual_order(chars: list[tuple[str, Any]], base_level: int) -> list[tuple[str, Any]]:
    """(character, tag) pairs of one line in display order, mirrored where right to left.

    Unicode bidi rules W1-L2 and L4 (python-bidi's reference implementation, which keeps
    each character's record, so tags follow their characters) with N0, the paired
    brackets rule it lacks, and L3: nonspacing marks after their right-to-left base, where
    fonts without OpenType positioning expect them.
    """
    from bidi import algorithm as uba  # imported with the first right-to-left text

    storage = uba.get_empty_storage()
    storage["base_level"] = base_level
    storage["base_dir"] = ("L", "R")[base_level]
    uba.get_embedding_levels("".join(c for c, _ in chars), storage)
    for record, (_, tag) in zip(storage["chars"], chars, strict=True):
        record["tag"] = tag
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    _pair_brackets(storage["chars"], base_level)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    uba.reorder_resolved_levels(storage, False)
    uba.apply_mirroring(storage, False)
    out: list[tuple[str, Any]] = []
    marks: list[tuple[str, Any]] = []
    for record in storage["chars"]:
        item = (record["ch"], record["tag"])
        if record["level"] % 2 and unicodedata.category(record["ch"]) == "Mn":
            marks.append(item)
            continue
        out.append(item)
        out += reversed(marks)  # back in the order they were typed
        marks = []
    return out + marks


def _pair_brackets(records: list[dict[str, Any]], base_level: int) -> None:
    """Unicode bidi rule N0: a bracket pair takes the direction of the text it encloses.

    "(abc) def" in a right-to-left line keeps its brackets around "abc" (without N0 the
    closing bracket joined "def" and the opening one was mirrored to the far end).
    Brackets pair by their mirrored glyph (BD16, 63 levels deep at most).
    """
    from bidi.mirror import MIRRORED

    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for index, record in enumerate(records):
        char = record["ch"]
        if record["type"] != "ON":
            continue
        category = unicodedata.category(char)
        if category == "Ps" and char in MIRRORED:
            if len(stack) == 63:
                break
            stack.append((MIRRORED[char], index))
        elif category == "Pe":
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == char:
                    pairs.append((stack[depth][1], index))
                    del stack[depth:]
                    break
    embedding = "LR"[base_level % 2]
    for opening, closing in sorted(pairs):
        inside = {_strong(r["type"]) for r in records[opening + 1 : closing]} - {None}
        if not inside:
            continue
        direction = embedding
        if embedding not in inside:  # only the other direction inside: the context decides
            direction = next(
                (s for r in reversed(records[:opening]) if (s := _strong(r["type"]))), embedding
            )
        records[opening]["type"] = records[closing]["type"] = direction


def _strong(kind: str) -> str | None:
    """The strong direction a resolved bidi type counts as for N0 (numbers count as R)."""
    if kind == "L":
        return "L"
    if kind in ("R", "AL", "EN", "AN"):
        return "R"
    return None
