"""The audit log: who did what and when. It never holds a patient's answers."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from riskcheck.storage.tables import AuditEntry


class AuditLog:
    """Append-only entries, newest first when read."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def record(self, actor: str, action: str, target: str = "", **detail: Any) -> None:
        """Write one entry; ``detail`` is kept as JSON."""
        with self.sessions.begin() as s:
            s.add(
                AuditEntry(
                    actor=actor[:254],
                    action=action,
                    target=target[:254],
                    detail=json.dumps(detail, sort_keys=True, default=str),
                )
            )

    def entries(
        self, *, limit: int = 100, offset: int = 0, action: str | None = None
    ) -> list[AuditEntry]:
        with self.sessions() as s:
            query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
            if action:
                query = query.where(AuditEntry.action == action)
            return list(s.scalars(query))

    def count(self) -> int:
        with self.sessions() as s:
            return s.scalar(select(func.count(AuditEntry.id))) or 0
