"""Which language to answer in: the best match of the browser's languages we have."""

from __future__ import annotations

from pathlib import Path

from flask import request

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
DEFAULT = "en"


def available_locales() -> list[str]:
    """English plus every language with a compiled catalogue under riskcheck/translations/."""
    found = [p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.mo")]
    return [DEFAULT, *sorted(set(found) - {DEFAULT})]


def select_locale() -> str:
    """The locale for this request (Accept-Language, limited to available languages)."""
    return request.accept_languages.best_match(available_locales()) or DEFAULT
