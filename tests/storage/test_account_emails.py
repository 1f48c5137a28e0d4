"""Account email addresses: one canonical form, and none that could look like another
(invisible, direction-changing or mixed-script characters are refused)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskcheck.cli import main
from riskcheck.storage.accounts import AccountError, normalise_email
from riskcheck.storage.store import Store

GOOD = "correct horse battery"
INVISIBLE = "invisible, space or direction-changing"
MIXED = "mixes letters of different alphabets"
NOT_AN_EMAIL = "like name@example.org"
STRAY_MARK = "accent or mark that is not part of a letter"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (" Ann@Example.ORG ", "ann@example.org"),
        ("ＡＮＮ@ｅｘａｍｐｌｅ.org", "ann@example.org"),  # full-width letters (NFKC)
        ("ann@exam\ufb01le.org", "ann@examfile.org"),  # the "fi" ligature
        ("jose\u0301@example.org", "josé@example.org"),  # a combining accent, composed
        ("José.Müller+rc@Example.DE", "josé.müller+rc@example.de"),
        ("пример@почта.рф", "пример@почта.рф"),
        ("山田太郎@例え.jp", "山田太郎@例え.jp"),
        ("yamada太郎@example.jp", "yamada太郎@example.jp"),
    ],
)
def test_addresses_are_stored_in_one_canonical_form(typed: str, stored: str) -> None:
    assert normalise_email(typed) == stored


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("a\u200bnn@example.org", INVISIBLE),  # zero-width space
        ("ann\u202e@example.org", INVISIBLE),  # right-to-left override
        ("ann@example\u2066.org", INVISIBLE),  # left-to-right isolate
        ("ann\u2069@example.org", INVISIBLE),  # pop directional isolate
        ("ann\u200d@example.org", INVISIBLE),  # zero-width joiner
        ("\ufeffann@example.org", INVISIBLE),  # byte order mark
        ("ann\u00ad@example.org", INVISIBLE),  # soft hyphen
        ("ann\u2060@example.org", INVISIBLE),  # word joiner
        ("ann\u180e@example.org", INVISIBLE),  # Mongolian vowel separator
        ("ann\U000e0041@example.org", INVISIBLE),  # a tag character
        ("ann\u3164@example.org", INVISIBLE),  # Hangul filler
        ("ann\u034f@example.org", INVISIBLE),  # combining grapheme joiner
        ("ann\ufe0f@example.org", INVISIBLE),  # variation selector
        ("ann\u0007@example.org", INVISIBLE),  # a control character
        ("ann\u00a0@example.org", INVISIBLE),  # no-break space
        ("an n@example.org", INVISIBLE),
        ("\u0430nn@example.org", MIXED),  # Cyrillic a
        ("ann@ex\u0430mple.org", MIXED),
        ("\u0430\u0441\u0435@example.org", MIXED),  # all-Cyrillic "ace" beside a Latin domain
        ("ann@examp\u04cfe.org", MIXED),  # Cyrillic palochka for l
        ("\u03bfscar@example.org", MIXED),  # Greek omicron
        ("ann\u0336@example.org", STRAY_MARK),  # a combining stroke over a Latin letter
        ("ann@example.org\u20dd", STRAY_MARK),  # an enclosing circle
        ("\u0663@example.org", MIXED),  # an Arabic-Indic digit
        ("ann@example@org.org", NOT_AN_EMAIL),
        ("ann@example", NOT_AN_EMAIL),
        ("ann..lee@example.org", NOT_AN_EMAIL),
        ("@example.org", NOT_AN_EMAIL),
        ("ann@-example.org", NOT_AN_EMAIL),
        ("ann@example.org.", NOT_AN_EMAIL),
        ('"ann"@example.org', NOT_AN_EMAIL),
        ("<ann>@example.org", NOT_AN_EMAIL),
        ("ann\\lee@example.org", NOT_AN_EMAIL),
        ("a" * 65 + "@example.org", NOT_AN_EMAIL),
    ],
)
def test_addresses_that_could_look_like_another_are_refused(typed: str, problem: str) -> None:
    with pytest.raises(AccountError, match=problem):
        normalise_email(typed)


def test_no_two_accounts_look_alike(store: Store) -> None:
    store.accounts.create("Ann@Example.org", "editor", password=GOOD)
    for look_alike in ("ＡＮＮ@example.org", " ann@EXAMPLE.org"):
        with pytest.raises(AccountError, match="already an account"):
            store.accounts.create(look_alike, "admin")
    for look_alike in ("\u0430nn@example.org", "ann\u200b@example.org"):
        with pytest.raises(AccountError, match=f"{INVISIBLE}|{MIXED}"):
            store.accounts.create(look_alike, "admin")
    assert [user.email for user in store.accounts.all()] == ["ann@example.org"]
    # The canonical form also finds the account at sign-in
    assert store.accounts.authenticate("ＡＮＮ@Example.org", GOOD) is not None


@pytest.mark.parametrize(
    ("typed", "problem"),
    [("\u0430dmin@example.org", MIXED), ("admin\u202e@example.org", INVISIBLE)],
)
def test_the_command_line_refuses_such_an_address(tmp_path: Path, typed: str, problem: str) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    run = CliRunner().invoke(main, ["create-user", "--role", "admin", typed, "--database-url", url])
    assert run.exit_code == 1
    assert re.search(problem, run.output)
    store = Store.connect(url)
    assert store.accounts.count() == 0
    store.engine.dispose()
