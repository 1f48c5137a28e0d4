"""Reference codes printed on a patient's summary: random, 130 bits, easy to read aloud."""

from __future__ import annotations

import re
import secrets

#: Crockford's base 32: no I, L, O or U, so a code read aloud or typed is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 26  # 26 symbols x 5 bits = 130 bits
_VALID = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")


def new_reference() -> str:
    """A new random reference code (26 symbols, 130 bits), without separators."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def format_reference(code: str) -> str:
    """The code in groups of four for printing: ``7KQ2-M9XD-...``."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def parse_reference(text: str) -> str | None:
    """A code as typed (any case, spaces or dashes, O for 0, I/L for 1), or None if invalid."""
    cleaned = re.sub(r"[\s-]", "", text.upper()).translate(str.maketrans("OIL", "011"))
    return cleaned if _VALID.match(cleaned) else None
