"""Dates on a summary: one formatter, the reader's locale, and a date of birth checked as a date."""

from __future__ import annotations

import datetime

import pytest

from riskcheck.report.dates import (
    BirthDateError,
    format_created,
    format_day,
    parse_birth_date,
)

TODAY = datetime.date(2026, 11, 25)
WHEN = datetime.datetime(2026, 11, 25, 9, 30)


@pytest.mark.parametrize(
    ("locale", "created", "born"),
    [
        ("en", "Nov 25, 2026, 9:30\u202fAM", "Apr 2, 1965"),
        ("en_GB", "25 Nov 2026, 09:30", "2 Apr 1965"),
        ("en-GB", "25 Nov 2026, 09:30", "2 Apr 1965"),  # as a browser spells it
        ("de", "25.11.2026, 09:30", "02.04.1965"),
        ("fr", "25 nov. 2026, 09:30", "2 avr. 1965"),
        ("zz", "Nov 25, 2026, 9:30\u202fAM", "Apr 2, 1965"),  # unknown: English
    ],
)
def test_dates_are_written_in_the_locale_s_words(locale: str, created: str, born: str) -> None:
    assert format_created(WHEN, locale) == created
    assert format_day(datetime.date(1965, 4, 2), locale) == born


def test_a_date_of_birth_is_read_as_a_date() -> None:
    assert parse_birth_date("1965-04-02", TODAY) == datetime.date(1965, 4, 2)
    assert parse_birth_date(" 1965-04-02 ", TODAY) == datetime.date(1965, 4, 2)
    assert parse_birth_date("", TODAY) is None
    assert parse_birth_date("  ", TODAY) is None
    assert parse_birth_date("2026-11-25", TODAY) == TODAY  # born today


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2090", "real date"),
        ("2090-02-31", "real date"),
        ("yesterday", "real date"),
        ("1965", "real date"),
        ("19650402", "real date"),
        ("1965-4-2", "real date"),
        ("<script>", "real date"),
        ("2026-11-26", "cannot be in the future"),
        ("2090-01-01", "cannot be in the future"),
        ("1899-12-31", "Check the year"),
    ],
)
def test_a_date_of_birth_that_is_not_one_is_refused(text: str, message: str) -> None:
    with pytest.raises(BirthDateError, match=message) as caught:
        parse_birth_date(text, TODAY)
    assert caught.value.value == text
