"""Accounts: roles, password rules, hashing, setup links (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime

import pytest

from riskcheck.storage.accounts import AccountError, password_problem, role_at_least
from riskcheck.storage.store import Store
from riskcheck.storage.tables import User

GOOD = "correct horse battery"


def test_setup_link_works_once(store: Store) -> None:
    user, token = store.accounts.create("Admin@Example.org ", "admin")
    assert user.email == "admin@example.org"
    assert user.password_hash is None
    assert store.accounts.by_setup_token(token).id == user.id
    store.accounts.set_password_with_token(token, GOOD)
    assert store.accounts.by_setup_token(token) is None
    with pytest.raises(AccountError, match="expired or has already been used"):
        store.accounts.set_password_with_token(token, GOOD + "!")
    assert store.accounts.authenticate("admin@example.org", GOOD).id == user.id


def test_passwords_are_hashed_with_scrypt_and_checked(store: Store) -> None:
    user, _ = store.accounts.create("ed@example.org", "editor", password=GOOD)
    assert user.password_hash.startswith("scrypt:")
    assert GOOD not in user.password_hash
    assert store.accounts.authenticate("ED@example.org", GOOD) is not None
    assert store.accounts.authenticate("ed@example.org", "wrong password here") is None
    assert store.accounts.authenticate("nobody@example.org", GOOD) is None


def test_inactive_accounts_cannot_sign_in(store: Store) -> None:
    user, _ = store.accounts.create("ed@example.org", "editor", password=GOOD)
    store.accounts.update(user.id, active=False)
    assert store.accounts.authenticate("ed@example.org", GOOD) is None


def test_only_a_change_of_sign_in_ends_sessions(store: Store) -> None:
    # The accounts page always sends "active": saving a row unchanged (an admin's own one,
    # say) or changing only the role must not sign that person out everywhere.
    user, _ = store.accounts.create("ed@example.org", "editor", password=GOOD)
    assert store.accounts.update(user.id, role="publisher", active=True).session_epoch == 0
    assert store.accounts.update(user.id, active=False).session_epoch == 1
    assert store.accounts.update(user.id, active=True).session_epoch == 2


def test_an_expired_setup_link_does_not_work(store: Store) -> None:
    user, token = store.accounts.create("late@example.org", "editor")
    with store.accounts.sessions.begin() as s:
        s.get(User, user.id).setup_token_expires = datetime.datetime(
            2020, 1, 1, tzinfo=datetime.UTC
        )
    assert store.accounts.by_setup_token(token) is None


def test_duplicate_email_and_bad_role_are_refused(store: Store) -> None:
    store.accounts.create("a@example.org", "editor", password=GOOD)
    with pytest.raises(AccountError, match="already an account"):
        store.accounts.create("A@example.org", "editor", password=GOOD)
    with pytest.raises(AccountError, match="role"):
        store.accounts.create("b@example.org", "superuser", password=GOOD)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "at least 12"),
        ("password1234", "too common"),
        ("aaaaaaaaaaaaaaaa", "too common"),
        ("my name is alice!", "email"),
        ("x" * 201, "at most 200"),
    ],
)
def test_password_rules(password: str, problem: str) -> None:
    assert problem in password_problem(password, "alice@example.org")


def test_roles_are_ordered() -> None:
    assert role_at_least("admin", "publisher")
    assert role_at_least("publisher", "editor")
    assert not role_at_least("editor", "publisher")
    assert not role_at_least("forged", "editor")
