"""Questionnaire versions: drafts, publishing, history, roll back, and importing shipped files.

Rules (README, "Versions"):
- Patients always get the published version; at most one version of a questionnaire is
  published and at most one is a draft.
- A save names the draft's ``lock_version`` it started from; if someone saved since, the
  save is refused with StoreConflictError (no silent overwrite).
- Shipped files: the first start imports each as published version 1. A later change to a
  shipped file becomes a draft for clinicians to review, never published over their edits
  (and never replacing a draft a clinician is editing).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from riskcheck.errors import DefinitionError, RiskcheckError, StoreConflictError
from riskcheck.loader import load_text
from riskcheck.storage.tables import QuestionnaireVersion, ShippedFile, utcnow

log = logging.getLogger(__name__)
_PUBLISHED_CHANGED = (
    "the published version changed since you looked (another roll back or publish, or this "
    "one already done): nothing was done"
)


def sha256(text: str) -> str:
    """The hash of a definition text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class VersionError(RiskcheckError):
    """A version operation that is not allowed (e.g. publishing an invalid draft)."""


class Conflict(StoreConflictError):
    """Someone saved the draft since it was opened; ``current`` is their version."""

    def __init__(self, current: QuestionnaireVersion) -> None:
        super().__init__("the draft was changed by someone else since you opened it")
        self.current = current


class VersionStore:
    """Questionnaire versions in the database."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    # -- reading ----------------------------------------------------------------------------

    def published(self, questionnaire_id: str) -> QuestionnaireVersion | None:
        """The version patients get."""
        with self.sessions() as s:
            return _one(s, questionnaire_id, "published")

    def all_published(self) -> list[QuestionnaireVersion]:
        """Every published version, one per questionnaire."""
        with self.sessions() as s:
            return list(
                s.scalars(
                    select(QuestionnaireVersion)
                    .where(QuestionnaireVersion.status == "published")
                    .order_by(QuestionnaireVersion.questionnaire_id)
                )
            )

    def draft(self, questionnaire_id: str) -> QuestionnaireVersion | None:
        """The draft being edited, if any."""
        with self.sessions() as s:
            return _one(s, questionnaire_id, "draft")

    def get(self, questionnaire_id: str, version: int) -> QuestionnaireVersion | None:
        """One version by number."""
        with self.sessions() as s:
            return s.scalar(
                select(QuestionnaireVersion).where(
                    QuestionnaireVersion.questionnaire_id == questionnaire_id,
                    QuestionnaireVersion.version == version,
                )
            )

    def by_row(self, row_id: int) -> QuestionnaireVersion | None:
        """One version by its row id (responses are pinned to it)."""
        with self.sessions() as s:
            return s.get(QuestionnaireVersion, row_id)

    def history(self, questionnaire_id: str) -> list[QuestionnaireVersion]:
        """Every version, newest first."""
        with self.sessions() as s:
            return list(
                s.scalars(
                    select(QuestionnaireVersion)
                    .where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
                    .order_by(QuestionnaireVersion.version.desc())
                )
            )

    def questionnaire_ids(self) -> list[str]:
        """Every questionnaire with at least one version."""
        with self.sessions() as s:
            return list(
                s.scalars(
                    select(QuestionnaireVersion.questionnaire_id)
                    .distinct()
                    .order_by(QuestionnaireVersion.questionnaire_id)
                )
            )

    # -- writing ----------------------------------------------------------------------------

    def save_draft(
        self,
        questionnaire_id: str,
        text: str,
        *,
        user_id: int | None,
        valid: bool,
        base_lock: int | None,
        origin: str = "editor",
    ) -> QuestionnaireVersion:
        """Create or update the draft. ``base_lock`` is the draft's lock_version the editor
        started from (None when starting a new draft).

        :raises Conflict: the draft changed since (or appeared since) the editor opened it.
        """
        try:
            return self._save_draft(questionnaire_id, text, user_id, valid, base_lock, origin)
        except IntegrityError:  # two new drafts at the same moment: the other one won
            current = self.draft(questionnaire_id)
            if current is None:
                raise
            raise Conflict(current) from None

    def _save_draft(
        self,
        questionnaire_id: str,
        text: str,
        user_id: int | None,
        valid: bool,
        base_lock: int | None,
        origin: str,
    ) -> QuestionnaireVersion:
        with self.sessions.begin() as s:
            draft = _one(s, questionnaire_id, "draft", lock=True)
            if draft is not None:
                if base_lock != draft.lock_version:
                    raise _conflict(s, draft)
                draft.text, draft.sha256, draft.valid = text, sha256(text), valid
                draft.updated_by, draft.updated_at, draft.origin = user_id, utcnow(), origin
                return _loaded(s, draft)
            if base_lock is not None:  # the draft the editor opened was published or removed
                current = self._latest(s, questionnaire_id)
                assert current is not None  # noqa: S101 - a lock means a version existed
                raise _conflict(s, current)
            return self._add(s, questionnaire_id, text, "draft", user_id, valid, origin)

    def publish(
        self,
        questionnaire_id: str,
        version: int,
        *,
        base_lock: int,
        user_id: int | None,
        two_person_rule: bool = False,
    ) -> QuestionnaireVersion:
        """Make the draft the publisher reviewed the version patients get; the previous one
        is retired. Every rule is checked in the one transaction that publishes, on the
        locked row: the draft must still be the one reviewed (``version`` and its
        ``lock_version`` ``base_lock``), valid with its tests passing, and, with the
        two-person rule, last edited by someone else.

        :raises Conflict: the draft changed (or was published or discarded) since it was
            reviewed; nothing was published.
        :raises VersionError: it is invalid, or the two-person rule forbids it.
        """
        try:
            with self.sessions.begin() as s:
                row = s.scalar(
                    select(QuestionnaireVersion)
                    .where(
                        QuestionnaireVersion.questionnaire_id == questionnaire_id,
                        QuestionnaireVersion.version == version,
                    )
                    .with_for_update()
                )
                if row is None:
                    raise VersionError("there is no such draft")
                if row.status != "draft" or row.lock_version != base_lock:
                    raise _conflict(s, row)
                if not row.valid or not _is_valid(row.text):
                    raise VersionError(
                        "this draft has errors or failing tests: it cannot be published"
                    )
                if two_person_rule and row.updated_by == user_id:
                    raise VersionError(
                        "another publisher must publish a draft you edited last (two-person rule)"
                    )
                self._retire_published(s, questionnaire_id)
                row.status, row.published_by, row.published_at = "published", user_id, utcnow()
                return _loaded(s, row)
        except StaleDataError:  # SQLite: saved by someone else between our read and write
            current = self.get(questionnaire_id, version)
            assert current is not None  # noqa: S101 - a version is never deleted once published
            raise Conflict(current) from None

    def roll_back(
        self,
        questionnaire_id: str,
        version: int,
        *,
        published_version: int | None,
        user_id: int | None,
    ) -> QuestionnaireVersion:
        """Publish the text of an earlier version again, as a new version number.

        ``published_version`` is the version the publisher saw published: if another roll
        back or publish happened since (a second press of the button, or a colleague),
        nothing is done, so a roll back never runs twice.

        :raises VersionError: naming why nothing was done.
        """
        try:
            return self._roll_back(questionnaire_id, version, published_version, user_id)
        except StaleDataError:  # SQLite: published by someone else between read and write
            raise VersionError(_PUBLISHED_CHANGED) from None

    def _roll_back(
        self,
        questionnaire_id: str,
        version: int,
        published_version: int | None,
        user_id: int | None,
    ) -> QuestionnaireVersion:
        with self.sessions.begin() as s:
            current = _one(s, questionnaire_id, "published", lock=True)
            if (current.version if current else None) != published_version:
                raise VersionError(_PUBLISHED_CHANGED)
            old = s.scalar(
                select(QuestionnaireVersion).where(
                    QuestionnaireVersion.questionnaire_id == questionnaire_id,
                    QuestionnaireVersion.version == version,
                )
            )
            if old is None or old.status == "draft":
                raise VersionError("choose an earlier published version to roll back to")
            if not old.valid:
                raise VersionError("that version is not valid: it cannot be published again")
            if current is not None:  # the row checked above, so a change since is noticed
                current.status = "retired"
                s.flush()
            draft = _one(s, questionnaire_id, "draft", lock=True)
            number = self._next_number(s, questionnaire_id)
            if draft is not None:  # the draft stays the newest: it moves above the roll-back
                number, draft.version = draft.version, number
                s.flush()
            row = self._add(
                s, questionnaire_id, old.text, "published", user_id, True, "rollback", number=number
            )
            row.published_by, row.published_at = user_id, utcnow()
            return _loaded(s, row)

    def discard_draft(self, questionnaire_id: str, *, base_lock: int) -> None:
        """Delete the draft (only the one the editor saw)."""
        with self.sessions.begin() as s:
            draft = _one(s, questionnaire_id, "draft")
            if draft is None:
                return
            if draft.lock_version != base_lock:
                raise _conflict(s, draft)
            s.delete(draft)

    def import_shipped(self, paths: list[Path]) -> list[str]:
        """Import shipped definition files (the rule is in the module docstring); say what
        happened to each."""
        said = []
        for path in paths:
            text = path.read_text("utf-8")
            try:
                questionnaire_id = load_text(text, str(path)).id
            except DefinitionError as exc:
                said.append(f"{path.name}: not imported, it is invalid: {exc.problems[0]}")
                continue
            said.extend(self._import_one(questionnaire_id, text, path.name))
        return said

    def _import_one(self, questionnaire_id: str, text: str, name: str) -> list[str]:
        digest = sha256(text)
        try:
            with self.sessions.begin() as s:
                shipped = s.get(ShippedFile, questionnaire_id)
                if shipped is not None and shipped.sha256 == digest:
                    return []
                latest = self._latest(s, questionnaire_id)
                if latest is None:
                    self._add(s, questionnaire_id, text, "published", None, True, "shipped")
                    message = f"{name}: imported as published version 1"
                else:
                    message = self._shipped_change(s, questionnaire_id, text, name)
                if shipped is None:
                    s.add(ShippedFile(questionnaire_id=questionnaire_id, sha256=digest))
                else:
                    shipped.sha256, shipped.imported_at = digest, utcnow()
                return [message]
        except IntegrityError:  # another instance imported it at the same moment
            return []

    def _shipped_change(self, s: Session, questionnaire_id: str, text: str, name: str) -> str:
        draft = _one(s, questionnaire_id, "draft")
        valid = _is_valid(text)
        if draft is None:
            row = self._add(s, questionnaire_id, text, "draft", None, valid, "shipped")
            return (
                f"{name}: the shipped file changed; imported as draft version {row.version} "
                "for review"
            )
        if draft.origin == "shipped":
            draft.text, draft.sha256, draft.valid, draft.updated_at = (
                text,
                sha256(text),
                valid,
                utcnow(),
            )
            return f"{name}: the shipped file changed again; draft version {draft.version} updated"
        return (
            f"{name}: the shipped file changed, but a clinician is editing draft version "
            f"{draft.version}; not imported (import the file by hand when ready)"
        )

    # -- helpers ----------------------------------------------------------------------------

    def _retire_published(self, s: Session, questionnaire_id: str) -> None:
        current = _one(s, questionnaire_id, "published", lock=True)
        if current is not None:
            current.status = "retired"
            s.flush()

    def _latest(self, s: Session, questionnaire_id: str) -> QuestionnaireVersion | None:
        return s.scalar(
            select(QuestionnaireVersion)
            .where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
            .order_by(QuestionnaireVersion.version.desc())
            .limit(1)
        )

    def _next_number(self, s: Session, questionnaire_id: str) -> int:
        latest = s.scalar(
            select(func.max(QuestionnaireVersion.version)).where(
                QuestionnaireVersion.questionnaire_id == questionnaire_id
            )
        )
        return (latest or 0) + 1

    def _add(
        self,
        s: Session,
        questionnaire_id: str,
        text: str,
        status: str,
        user_id: int | None,
        valid: bool,
        origin: str,
        *,
        number: int | None = None,
    ) -> QuestionnaireVersion:
        row = QuestionnaireVersion(
            questionnaire_id=questionnaire_id,
            version=number or self._next_number(s, questionnaire_id),
            status=status,
            text=text,
            sha256=sha256(text),
            valid=valid,
            origin=origin,
            created_by=user_id,
            updated_by=user_id,
        )
        s.add(row)
        return _loaded(s, row)


def _one(
    s: Session, questionnaire_id: str, status: str, *, lock: bool = False
) -> QuestionnaireVersion | None:
    """The questionnaire's version with ``status`` (there is at most one draft and one
    published version); ``lock`` holds its row until the transaction ends."""
    query = select(QuestionnaireVersion).where(
        QuestionnaireVersion.questionnaire_id == questionnaire_id,
        QuestionnaireVersion.status == status,
    )
    return s.scalar(query.with_for_update() if lock else query)


def _conflict(s: Session, current: QuestionnaireVersion) -> Conflict:
    """A Conflict carrying ``current`` detached as it is now (the rollback must not expire it)."""
    s.expunge(current)
    return Conflict(current)


def _loaded(s: Session, row: QuestionnaireVersion) -> QuestionnaireVersion:
    """Write ``row`` and read it back whole, so it stays usable after the session closes."""
    s.flush()
    s.refresh(row)
    return row


def _is_valid(text: str) -> bool:
    from riskcheck.validation import validate_text

    return validate_text(text).is_valid()
