"""One object holding every store over one database."""

from __future__ import annotations

from sqlalchemy import Engine, text

from riskcheck.storage.accounts import AccountStore
from riskcheck.storage.audit import AuditLog
from riskcheck.storage.database import make_engine, migrate, session_factory
from riskcheck.storage.journeys import JourneyStore
from riskcheck.storage.responses import ResponseStore
from riskcheck.storage.versions import VersionStore


class Store:
    """Accounts, versions, responses, journeys in progress and the audit log over one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        sessions = session_factory(engine)
        self.accounts = AccountStore(sessions)
        self.versions = VersionStore(sessions)
        self.responses = ResponseStore(sessions)
        self.audit = AuditLog(sessions)
        self.journeys = JourneyStore(engine)

    @classmethod
    def connect(cls, url: str, *, upgrade: bool = True) -> Store:
        """Open the database at ``url``; with ``upgrade``, bring its schema up to date first."""
        engine = make_engine(url)
        if upgrade:
            migrate(engine)
        return cls(engine)

    def is_ready(self) -> bool:
        """Whether the database answers (for the readiness probe)."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any failure means not ready
            return False
        return True
