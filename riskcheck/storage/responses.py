"""Patient responses: answers and result, pinned to the version answered, found by reference."""

from __future__ import annotations

import datetime
import json
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from riskcheck.storage.tables import Response, utcnow


class ResponseStore:
    """Stored responses; nothing personal (no name, no date of birth, no contact details)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def add(
        self,
        *,
        reference: str,
        version_row_id: int,
        questionnaire_id: str,
        version: int,
        answers: dict[str, Any],
        result: dict[str, Any],
    ) -> bool:
        """Store a response once; False if that reference is already stored (a repeat)."""
        try:
            with self.sessions.begin() as s:
                s.add(
                    Response(
                        reference=reference,
                        version_row_id=version_row_id,
                        questionnaire_id=questionnaire_id,
                        version=version,
                        answers=json.dumps(answers, sort_keys=True),
                        result=json.dumps(result, sort_keys=True),
                        urgency=result.get("urgency"),
                    )
                )
        except IntegrityError:
            return False
        return True

    def find(self, reference: str) -> Response | None:
        """The response with exactly this reference code."""
        with self.sessions() as s:
            return s.scalar(select(Response).where(Response.reference == reference))

    def for_version(self, version_row_id: int, *, limit: int | None = None) -> list[Response]:
        """Responses answered against one version, oldest first."""
        with self.sessions() as s:
            query = (
                select(Response)
                .where(Response.version_row_id == version_row_id)
                .order_by(Response.id)
            )
            if limit is not None:
                query = query.limit(limit)
            return list(s.scalars(query))

    def count(self, version_row_id: int | None = None) -> int:
        with self.sessions() as s:
            query = select(func.count(Response.id))
            if version_row_id is not None:
                query = query.where(Response.version_row_id == version_row_id)
            return s.scalar(query) or 0

    def purge(self, older_than: datetime.timedelta, *, now: datetime.datetime | None = None) -> int:
        """Delete responses created before now - ``older_than``; return how many."""
        cutoff = (now or utcnow()) - older_than
        with self.sessions.begin() as s:
            result = s.execute(delete(Response).where(Response.created_at < cutoff))
            return int(result.rowcount or 0)
