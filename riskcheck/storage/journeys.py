"""Answers in progress that do not fit in a session cookie, kept server-side for a while."""

from __future__ import annotations

import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from riskcheck.storage.tables import Journey, utcnow

#: a journey left this long is deleted (answers in progress are kept only while answering)
IDLE_LIMIT = datetime.timedelta(days=1)


class JourneyStore:
    """Progress by token; the token lives only in the patient's signed session cookie."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def get(self, token: str) -> str | None:
        """The progress (JSON) kept under ``token``, or None (never kept, or deleted)."""
        with self.sessions() as s:
            return s.scalar(select(Journey.data).where(Journey.token == token))

    def put(self, token: str, data: str) -> None:
        """Keep ``data`` under ``token`` (replacing it), and forget journeys left idle."""
        now = utcnow()
        with self.sessions.begin() as s:
            s.execute(delete(Journey).where(Journey.updated_at < now - IDLE_LIMIT))
            s.merge(Journey(token=token, data=data, updated_at=now))

    def delete(self, token: str) -> None:
        """Forget the journey under ``token`` (finished or started again)."""
        with self.sessions.begin() as s:
            s.execute(delete(Journey).where(Journey.token == token))

    def purge(self, older_than: datetime.timedelta = IDLE_LIMIT) -> int:
        """Delete journeys idle for longer than ``older_than``; return how many."""
        with self.sessions.begin() as s:
            result = s.execute(delete(Journey).where(Journey.updated_at < utcnow() - older_than))
            return int(result.rowcount or 0)
