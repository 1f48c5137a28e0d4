"""Dates on a summary: one formatter for the web and the command line, in the reader's locale.

A summary printed from the web and one written by ``riskcheck pdf`` for the same locale
show the same date in the same words. Dates are written with the month as a word where
the locale does so ("Nov 25, 2026" in English), so that 02/03 is never read both ways.
"""

from __future__ import annotations

import datetime
import re

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time, get_datetime_format

from riskcheck.errors import RiskcheckError

DEFAULT_LOCALE = "en"
#: what an HTML date input sends
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)


class BirthDateError(RiskcheckError, ValueError):
    """A date of birth that is not a real date, is in the future or is implausibly old."""

    def __init__(self, value: str, message: str) -> None:
        #: what was typed
        self.value = value
        #: what to tell the patient (English; the web layer translates it)
        self.message = message
        super().__init__(message)


def parse_birth_date(text: str, today: datetime.date) -> datetime.date | None:
    """The date of birth typed as ``YYYY-MM-DD`` (an HTML date input), or None when empty.

    :raises BirthDateError: when it is not a real date, is after ``today`` or before 1900.
    """
    value = text.strip()
    if not value:
        return None
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise BirthDateError(
            text, "Enter the date of birth as a real date, for example 1965-04-02."
        ) from None
    if day > today:
        raise BirthDateError(text, "The date of birth cannot be in the future.")
    if day < EARLIEST_BIRTH_DATE:
        raise BirthDateError(text, "Check the year of the date of birth.")
    return day


def format_created(when: datetime.datetime, locale: str = DEFAULT_LOCALE) -> str:
    """The time a summary was made: the locale's medium date and short time.

    ``en``: "Nov 25, 2026, 9:30 AM"; ``en_GB``: "25 Nov 2026, 09:30"; ``de``:
    "25.11.2026, 09:30".
    """
    place = _locale(locale)
    pattern = get_datetime_format("medium", locale=place)
    return pattern.replace("{1}", format_date(when, "medium", locale=place)).replace(
        "{0}", format_time(when, "short", locale=place)
    )


def format_day(day: datetime.date, locale: str = DEFAULT_LOCALE) -> str:
    """A date (of birth) in the same words as ``format_created``'s date: "Apr 2, 1965"."""
    return format_date(day, "medium", locale=_locale(locale))


def _locale(locale: str) -> Locale:
    try:
        return Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse(DEFAULT_LOCALE)
