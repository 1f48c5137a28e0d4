"""Patients' answers in progress, kept server-side for a while under a random token."""

from __future__ import annotations

import datetime
import threading
import time

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from riskcheck.storage.tables import Journey, utcnow

#: a journey left this long is deleted (answers in progress are kept only while answering)
IDLE_LIMIT = datetime.timedelta(days=1)
#: seconds between two purges of idle journeys by one process
PURGE_EVERY = 60.0


class JourneyStore:
    """Progress by token; the token lives only in the patient's signed session cookie."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self._last_purge = 0.0
        self._lock = threading.Lock()

    def get(self, token: str) -> str | None:
        """The progress (JSON) kept under ``token``, or None (never kept, or deleted)."""
        with self.sessions() as s:
            return s.scalar(select(Journey.data).where(Journey.token == token))

    def put(self, token: str, data: str) -> None:
        """Keep ``data`` under ``token`` (replacing it); at most once a minute per process,
        also forget journeys left idle (``riskcheck purge`` does it too)."""
        with self.sessions.begin() as s:
            s.merge(Journey(token=token, data=data, updated_at=utcnow()))
        with self._lock:
            due = time.monotonic() - self._last_purge > PURGE_EVERY
            if due:
                self._last_purge = time.monotonic()
        if due:
            self.purge()

    def delete(self, token: str) -> None:
        """Forget the journey under ``token`` (finished or started again)."""
        with self.sessions.begin() as s:
            s.execute(delete(Journey).where(Journey.token == token))

    def purge(self, older_than: datetime.timedelta = IDLE_LIMIT) -> int:
        """Delete journeys idle for longer than ``older_than``; return how many."""
        with self.sessions.begin() as s:
            result = s.execute(delete(Journey).where(Journey.updated_at < utcnow() - older_than))
            return int(result.rowcount or 0)
