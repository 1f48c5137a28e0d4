"""Clinician accounts: roles, scrypt-hashed passwords, one-time setup links."""

from __future__ import annotations

import datetime
import hashlib
import secrets
import unicodedata

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.security import check_password_hash, generate_password_hash

from riskcheck.errors import RiskcheckError
from riskcheck.storage.sign_ins import SignInFailures
from riskcheck.storage.tables import User, utcnow

#: Each role can do everything the roles before it can.
ROLES = ("editor", "publisher", "admin")
SETUP_LINK_HOURS = 72
MIN_PASSWORD_LENGTH = 12

#: The most common passwords of 12+ characters in public breach lists; longer lists earn
#: little once length and the account's own email are checked.
COMMON_PASSWORDS = frozenset(
    {
        "123456789012",
        "1234567890123",
        "12345678901234",
        "qwertyuiopas",
        "qwertyuiop123",
        "password1234",
        "password12345",
        "passwordpassword",
        "1q2w3e4r5t6y",
        "1qaz2wsx3edc",
        "qazwsxedcrfv",
        "abcdefghijkl",
        "111111111111",
        "000000000000",
        "123123123123",
        "iloveyou1234",
        "welcome12345",
        "letmein12345",
        "administrator",
        "changeme1234",
        "football1234",
        "baseball1234",
        "trustno11234",
        "monkey123456",
        "sunshine1234",
        "princess1234",
        "dragon123456",
        "starwars1234",
        "qwerty123456",
        "asdfghjkl123",
        "zaq12wsxcde3",
        "passw0rd1234",
        "p@ssw0rd1234",
        "p@ssword1234",
        "riskcheck123",
        "riskcheck2026",
        "correcthorsebatterystaple",
    }
)


class AccountError(RiskcheckError):
    """An account operation that cannot be done; the message is for the person."""


def role_at_least(role: str, needed: str) -> bool:
    """Whether ``role`` includes ``needed`` (admin > publisher > editor)."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def password_problem(password: str, email: str = "") -> str | None:
    """Why ``password`` is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters (a few words make a good password)."
    if len(password) > 200:
        return "Use at most 200 characters."
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 4:
        return "This password is too common or too simple; choose another."
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and local in lowered:
        return "Do not use your email address in your password."
    return None


def canonical_email(email: str) -> str:
    """The form an address is stored and looked up in: NFKC, trimmed, lower case (the domain
    always; the local part too, as every mail system in practice treats it)."""
    return unicodedata.normalize("NFKC", email.strip()).lower()


def normalise_email(email: str) -> str:
    """The canonical form of an acceptable email address.

    :raises AccountError: if it does not look like an email address, holds an invisible or
        direction-changing character, or mixes scripts (two accounts must never look alike).
    """
    cleaned = canonical_email(email)
    local, at, domain = cleaned.partition("@")
    if not at or not local or "@" in domain or len(cleaned) > 254 or len(local) > 64:
        raise AccountError(NOT_AN_EMAIL)
    if any(_is_invisible(c) for c in cleaned):
        raise AccountError(
            "An email address cannot hold invisible, space or direction-changing characters "
            "(often pasted by accident): type it again."
        )
    labels = domain.split(".")
    if len(labels) < 2 or not all(_is_label(label) for label in labels):
        raise AccountError(NOT_AN_EMAIL)
    if not all(part and _is_local_part(part) for part in local.split(".")):
        raise AccountError(NOT_AN_EMAIL)
    if _has_stray_mark(cleaned):
        raise AccountError(
            "This address has an accent or mark that is not part of a letter (it can hide "
            "what the letter is): type it again."
        )
    if not _is_one_script(cleaned):
        raise AccountError(
            "This address mixes letters of different alphabets (Latin and Cyrillic, say), so "
            "it could look exactly like another one. Use the address as the mail system has it."
        )
    return cleaned


NOT_AN_EMAIL = "Enter an email address like name@example.org."
#: The characters besides letters and digits an unquoted local part may hold (RFC 5322 atext).
LOCAL_SYMBOLS = frozenset("!#$%&'*+/=?^_`{|}~-")
#: Invisible characters of categories other than Cf (Unicode "default ignorable" code points
#: and blank look-alikes): fillers, variation selectors, the combining grapheme joiner.
#: (Ranges, not a set of code points: a set of the 4,096 tags took 0.4 MB in every worker.)
INVISIBLE = (
    frozenset({0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0}),
    range(0x180B, 0x1810),
    range(0xFE00, 0xFE10),
    range(0xE0000, 0xE1000),
)
#: Scripts whose letters are written without combining marks once in NFKC: a mark left over
#: stacks a look-alike accent (or none at all) on a plain letter.
PRECOMPOSED_SCRIPTS = frozenset({"LATIN", "GREEK", "CYRILLIC"})
#: Scripts that may mix with Latin and each other in one address (Unicode TS 39's "highly
#: restrictive" level: Japanese, Chinese and Korean are written with several).
EAST_ASIAN = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO"})


def _is_invisible(char: str) -> bool:
    """Controls, format characters (zero-width, bidirectional: category Cf), separators,
    unassigned and private code points, and other invisible characters."""
    code = ord(char)
    return unicodedata.category(char)[0] in "CZ" or any(code in part for part in INVISIBLE)


def _is_label(label: str) -> bool:
    """A domain name label: letters (with their marks), digits and inner hyphens."""
    return (
        bool(label)
        and all(c.isalnum() or c == "-" or _is_mark(c) for c in label)
        and "-" not in (label[0], label[-1])
    )


def _is_local_part(part: str) -> bool:
    return all(c.isalnum() or c in LOCAL_SYMBOLS or _is_mark(c) for c in part)


def _is_mark(char: str) -> bool:
    return unicodedata.category(char)[0] == "M"


def _script(char: str) -> str | None:
    """The script of a letter or digit from its Unicode name (LATIN SMALL LETTER A: LATIN);
    None for ASCII digits and symbols, which every script uses."""
    if char.isascii() and not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    if name.startswith(("CJK ", "IDEOGRAPHIC ")):
        return "CJK"
    return name.split(" ", 1)[0] or None


def _scripts(address: str) -> set[str]:
    return {s for c in address if not _is_mark(c) and (s := _script(c)) is not None}


def _has_stray_mark(address: str) -> bool:
    """Whether a combining mark is left after NFKC beside letters of a script that writes
    its accented letters precomposed (so the mark is an overlay, or hides a look-alike)."""
    return any(_is_mark(c) for c in address) and bool(_scripts(address) & PRECOMPOSED_SCRIPTS)


def _is_one_script(address: str) -> bool:
    """Whether the letters of ``address`` come from one script (with East Asian scripts
    allowed together and beside Latin)."""
    scripts = _scripts(address)
    if scripts <= EAST_ASIAN | {"LATIN"}:
        return True
    return len(scripts) == 1


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccountStore:
    """Clinician accounts in the database."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        #: failed sign-ins per email address, and the pause they earn
        self.sign_ins = SignInFailures(sessions)

    def count(self) -> int:
        with self.sessions() as s:
            return s.scalar(select(func.count(User.id))) or 0

    def get(self, user_id: int) -> User | None:
        with self.sessions() as s:
            return s.get(User, user_id)

    def by_email(self, email: str) -> User | None:
        with self.sessions() as s:
            return s.scalar(select(User).where(User.email == canonical_email(email)))

    def all(self) -> list[User]:
        with self.sessions() as s:
            return list(s.scalars(select(User).order_by(User.email)))

    def create(self, email: str, role: str, password: str | None = None) -> tuple[User, str | None]:
        """A new account; without a password, also a one-time setup token (returned once)."""
        if role not in ROLES:
            raise AccountError(f"The role must be one of {', '.join(ROLES)}.")
        email = normalise_email(email)
        token = None
        user = User(email=email, role=role, active=True)
        if password is not None:
            problem = password_problem(password, email)
            if problem:
                raise AccountError(problem)
            user.password_hash = generate_password_hash(password, method="scrypt")
        else:
            token = secrets.token_urlsafe(32)
            user.setup_token_hash = _token_hash(token)
            user.setup_token_expires = utcnow() + datetime.timedelta(hours=SETUP_LINK_HOURS)
        try:
            with self.sessions.begin() as s:
                s.add(user)
        except IntegrityError:
            raise AccountError("There is already an account with this email address.") from None
        return user, token

    def new_setup_token(self, user_id: int) -> str:
        """A fresh one-time setup link token for an account (e.g. a forgotten password)."""
        token = secrets.token_urlsafe(32)
        with self.sessions.begin() as s:
            user = s.get(User, user_id)
            if user is None:
                raise AccountError("No such account.")
            user.setup_token_hash = _token_hash(token)
            user.setup_token_expires = utcnow() + datetime.timedelta(hours=SETUP_LINK_HOURS)
        return token

    def by_setup_token(self, token: str) -> User | None:
        """The account a valid, unused, unexpired setup token belongs to."""
        with self.sessions() as s:
            user = s.scalar(select(User).where(User.setup_token_hash == _token_hash(token)))
        if user is None or not user.active or user.setup_token_expires is None:
            return None
        expires = user.setup_token_expires
        if expires.tzinfo is None:  # SQLite keeps no time zone: stored as UTC
            expires = expires.replace(tzinfo=datetime.UTC)
        return user if expires > utcnow() else None

    def set_password_with_token(self, token: str, password: str) -> User:
        """Set the password of the token's account; the token stops working."""
        user = self.by_setup_token(token)
        if user is None:
            raise AccountError("This link has expired or has already been used.")
        problem = password_problem(password, user.email)
        if problem:
            raise AccountError(problem)
        with self.sessions.begin() as s:
            row = s.get(User, user.id)
            assert row is not None  # noqa: S101 - found just above
            row.password_hash = generate_password_hash(password, method="scrypt")
            row.setup_token_hash, row.setup_token_expires = None, None
            row.session_epoch += 1
            return row

    def end_sessions(self, user_id: int) -> None:
        """End every session of the account, on every device (sign-out): its session epoch
        moves on, so a copy of an old session cookie no longer signs anyone in."""
        with self.sessions.begin() as s:
            s.execute(
                update(User).where(User.id == user_id).values(session_epoch=User.session_epoch + 1)
            )

    def authenticate(self, email: str, password: str) -> User | None:
        """The active account with this email and password, or None."""
        user = self.by_email(email)
        if user is None or not user.active or not user.password_hash:
            # Spend the same time as a real check, so timing does not reveal accounts.
            check_password_hash(_DUMMY_HASH, password)
            return None
        return user if check_password_hash(user.password_hash, password) else None

    def update(self, user_id: int, *, role: str | None = None, active: bool | None = None) -> User:
        """Change an account's role or whether it may sign in."""
        if role is not None and role not in ROLES:
            raise AccountError(f"The role must be one of {', '.join(ROLES)}.")
        with self.sessions.begin() as s:
            user = s.get(User, user_id)
            if user is None:
                raise AccountError("No such account.")
            if role is not None:
                user.role = role
            if active is not None and active != user.active:
                user.active = active
                user.session_epoch += 1  # (de)activation ends the account's sessions
            return user


_DUMMY_HASH = generate_password_hash("not a real password, only for timing", method="scrypt")
