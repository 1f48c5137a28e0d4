"""Patients' answers in progress, kept server-side for a while under a random token."""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from riskcheck.storage.tables import Journey, utcnow

#: a journey left this long is deleted (answers in progress are kept only while answering)
IDLE_LIMIT = datetime.timedelta(days=1)
#: seconds between two purges of idle journeys by one process
PURGE_EVERY = 60.0


class JourneyStore:
    """Progress by token; the token lives only in the patient's signed session cookie.

    Every page a patient shows or posts reads or writes here, so each is one statement built
    once (building a statement took most of the time of a write), and writes are not flushed
    to disk before the page answers (see ``_without_waiting_for_the_disk``).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._last_purge = 0.0
        self._lock = threading.Lock()
        insert = (postgresql if engine.dialect.name == "postgresql" else sqlite).insert(Journey)
        self._upsert = insert.on_conflict_do_update(
            index_elements=[Journey.token],
            set_={"data": insert.excluded.data, "updated_at": insert.excluded.updated_at},
        )
        self._select = select(Journey.data).where(Journey.token == bindparam("token"))
        self._delete = delete(Journey).where(Journey.token == bindparam("token"))

    def get(self, token: str) -> str | None:
        """The progress (JSON) kept under ``token``, or None (never kept, or deleted)."""
        with self.engine.connect() as connection:
            return connection.scalar(self._select, {"token": token})

    def put(self, token: str, data: str) -> None:
        """Keep ``data`` under ``token`` (replacing it); at most once a minute per process,
        also forget journeys left idle (``riskcheck purge`` does it too)."""
        row = {"token": token, "data": data, "updated_at": utcnow()}
        with _without_waiting_for_the_disk(self.engine) as connection:
            connection.execute(self._upsert, row)
        with self._lock:
            due = time.monotonic() - self._last_purge > PURGE_EVERY
            if due:
                self._last_purge = time.monotonic()
        if due:
            self.purge()

    def delete(self, token: str) -> None:
        """Forget the journey under ``token`` (finished or started again)."""
        with _without_waiting_for_the_disk(self.engine) as connection:
            connection.execute(self._delete, {"token": token})

    def purge(self, older_than: datetime.timedelta = IDLE_LIMIT) -> int:
        """Delete journeys idle for longer than ``older_than``; return how many."""
        with self.engine.begin() as connection:
            result = connection.execute(
                delete(Journey).where(Journey.updated_at < utcnow() - older_than)
            )
            return int(result.rowcount or 0)


@contextmanager
def _without_waiting_for_the_disk(engine: Engine) -> Iterator[Connection]:
    """A transaction that commits without waiting for the disk to confirm the write.

    Only for answers in progress: a power cut or operating-system crash in the moment after a
    page is posted may lose that page's answers (the patient is still in front of it), never
    corrupt the database; an application crash loses nothing. Waiting for the disk took about
    4 ms of every page posted on SQLite here, far more than building the page. Responses,
    definitions, accounts and the audit log keep the database's full durability: PostgreSQL's
    ``SET LOCAL synchronous_commit`` ends with the transaction, and SQLite's
    ``synchronous`` is set back to FULL before the connection is used again.
    """
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":  # outside any transaction; safe in WAL mode
            sqlite3 = connection.connection.driver_connection
            sqlite3.execute("PRAGMA synchronous=NORMAL")
            try:
                yield connection
                connection.commit()
            finally:
                connection.rollback()
                sqlite3.execute("PRAGMA synchronous=FULL")
        else:
            with connection.begin():
                if engine.dialect.name == "postgresql":
                    connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
                yield connection
