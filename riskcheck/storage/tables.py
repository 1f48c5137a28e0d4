"""The database tables (SQLAlchemy 2 declarative models)."""

from __future__ import annotations

import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime.datetime:
    """Now, timezone-aware UTC (stored as such)."""
    return datetime.datetime.now(datetime.UTC)


class Base(DeclarativeBase):
    pass


class User(Base):
    """A clinician account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: scrypt hash; None until the person sets a password through their setup link
    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: editor, publisher or admin
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: sha256 of a one-time setup token, and when it stops working
    setup_token_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    setup_token_expires: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    #: changes at every password change and sign-out everywhere: old sessions stop working
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class QuestionnaireVersion(Base):
    """One version of a questionnaire definition, exactly as written."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (
        UniqueConstraint("questionnaire_id", "version"),
        # At most one draft and one published version, enforced by the database so that two
        # requests racing to create a draft (a save and an import) cannot both succeed.
        *(
            Index(
                f"uq_questionnaire_versions_one_{status}",
                "questionnaire_id",
                unique=True,
                sqlite_where=text(f"status = '{status}'"),
                postgresql_where=text(f"status = '{status}'"),
            )
            for status in ("draft", "published")
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    #: draft, published or retired
    status: Mapped[str] = mapped_column(String(16), index=True)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    #: whether the text passed validation (and its tests) when last saved
    valid: Mapped[bool] = mapped_column(Boolean, default=False)
    #: shipped, editor, import or rollback
    origin: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    #: optimistic locking: bumped by every save; a save naming an older value is a conflict
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": lock_version}  # noqa: RUF012 - SQLAlchemy's API


class ShippedFile(Base):
    """The hash of each shipped file last imported, to notice when a shipped file changes."""

    __tablename__ = "shipped_files"

    questionnaire_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Response(Base):
    """A patient's answers and result, pinned to the version answered; nothing personal."""

    __tablename__ = "responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    questionnaire_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    version_row_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_versions.id"), index=True)
    #: answers in the JSON answer format, and the Result as JSON
    answers: Mapped[str] = mapped_column(Text)
    result: Mapped[str] = mapped_column(Text)
    urgency: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


class Journey(Base):
    """A patient's answers in progress: kept here under a random token that only their
    session cookie holds (nothing readable reaches the browser), and deleted when they start
    again or leave it for a day."""

    __tablename__ = "journeys"

    #: 256-bit random token (URL-safe base64), the only link to the patient's browser
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: the progress as JSON (answers in the JSON answer format): nothing personal
    data: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


class AuditEntry(Base):
    """Who did what, when: never a patient's answers."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    #: the account's email at the time (kept even if the account goes), or "system"
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(254), default="")
    detail: Mapped[str] = mapped_column(Text, default="")


class SignInFailure(Base):
    """Recent failed sign-ins for one email address (whether or not it has an account), so
    that each instance slows down guessing at the same account (riskcheck.storage.sign_ins)."""

    __tablename__ = "sign_in_failures"

    #: sha256 of the normalised email address: no address is kept here
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: failures since the last success, forgotten an hour after the last one
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    #: sign-ins for this address are refused, unchecked, until then
    blocked_until: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
