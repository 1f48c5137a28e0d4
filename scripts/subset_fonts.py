"""Rebuild the fonts in riskcheck/report/fonts/ from Debian's packages (a developer's tool).

    apt-get install fonts-dejavu-core fonts-noto-core fonts-droid-fallback fonts-nanum
    pip install fonttools
    python scripts/subset_fonts.py

Each font keeps only the scripts riskcheck routes to it (ReportLab parses a whole font
into memory per process: fewer glyphs, smaller workers), without hinting or OpenType
layout tables (ReportLab uses neither). A subset is a modified font: fonts whose licence
reserves their name are renamed ("Riskcheck ..."); riskcheck/report/fonts/LICENSE holds
every licence and says what was changed. Droid Sans Fallback is copied unchanged.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parents[1] / "riskcheck" / "report" / "fonts"
DEBIAN = Path("/usr/share/fonts/truetype")

#: Latin (with IPA and combining marks), Greek (with polytonic), Cyrillic, Armenian, Hebrew,
#: Georgian, Latin Extended Additional, punctuation, super/subscripts, currency, letterlike
#: symbols, number forms, arrows, mathematical operators, technical symbols, enclosed
#: alphanumerics, box drawing, block elements, geometric shapes, miscellaneous symbols,
#: dingbats, Latin Extended-C and -D, Cyrillic Extended, Latin ligatures, Hebrew
#: presentation forms and the replacement character. Arabic has its own font.
LATIN = (
    "U+0000-036F,U+0370-03FF,U+0400-052F,U+0530-058F,U+0590-05FF,U+10A0-10FF,U+1D00-1DBF,"
    "U+1E00-1EFF,U+1F00-1FFF,U+2000-206F,U+2070-209F,U+20A0-20CF,U+2100-214F,U+2150-218F,"
    "U+2190-21FF,U+2200-22FF,U+2300-23FF,U+2460-24FF,U+2500-259F,U+25A0-25FF,U+2600-26FF,"
    "U+2700-27BF,U+2C60-2C7F,U+2DE0-2DFF,U+A640-A69F,U+A720-A7FF,U+FB00-FB4F,U+FFFD"
)
#: Arabic, Arabic Supplement and Extended-B, both presentation-form blocks (what
#: arabic-reshaper writes), and the spaces and joiners used between Arabic words.
ARABIC = "U+0020,U+00A0,U+0600-06FF,U+0750-077F,U+0870-08FF,U+FB50-FDFF,U+FE70-FEFF"
#: Hangul Jamo, compatibility Jamo, extended Jamo and the 11,172 syllables.
HANGUL = "U+0020,U+00A0,U+1100-11FF,U+3130-318F,U+A960-A97F,U+AC00-D7AF,U+D7B0-D7FF"


def build(source: Path, target: str, unicodes: str, rename: str | None = None) -> None:
    """Subset ``source`` to ``unicodes`` into OUT/``target``, renamed to ``rename`` if given."""
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "vhea", "vmtx", "DSIG"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(unicodes))
    subsetter.subset(font)
    if rename:
        _rename(font, rename)
    subset.save_font(font, str(OUT / target), options)
    print(f"{target}: {(OUT / target).stat().st_size:,} bytes")


def _rename(font: TTFont, family: str) -> None:
    """Family, full and PostScript names say riskcheck's subset, not the original font."""
    style = font["name"].getDebugName(2) or "Regular"
    names = {
        1: family,
        3: f"{family} {style}; riskcheck subset",
        4: f"{family} {style}",
        6: f"{family}-{style}".replace(" ", ""),
        16: family,
    }
    for record in list(font["name"].names):
        if record.nameID in names or record.nameID == 17 and style:
            font["name"].removeNames(nameID=record.nameID)
    for name_id, value in names.items():
        font["name"].setName(value, name_id, 3, 1, 0x409)
        font["name"].setName(value, name_id, 1, 0, 0)


def main() -> None:
    dejavu, noto = DEBIAN / "dejavu", DEBIAN / "noto"
    build(dejavu / "DejaVuSans.ttf", "DejaVuSans.ttf", LATIN)
    build(dejavu / "DejaVuSans-Bold.ttf", "DejaVuSans-Bold.ttf", LATIN)
    build(noto / "NotoSansArabic-Regular.ttf", "NotoSansArabic-Regular.ttf", ARABIC)
    build(noto / "NotoSansArabic-Bold.ttf", "NotoSansArabic-Bold.ttf", ARABIC)
    # OFL with Reserved Font Names (Nanum, NanumGothic): a subset must be renamed.
    build(DEBIAN / "nanum" / "NanumGothic.ttf", "RiskcheckHangul.ttf", HANGUL, "Riskcheck Hangul")
    droid = DEBIAN / "droid" / "DroidSansFallbackFull.ttf"
    shutil.copyfile(droid, OUT / droid.name)
    print(f"{droid.name}: {droid.stat().st_size:,} bytes (unchanged)")


if __name__ == "__main__":
    main()
