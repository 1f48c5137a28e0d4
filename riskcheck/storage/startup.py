"""Starting a process on the database: wait for it, and migrate one process at a time.

Used by the web app at start-up and by the operator commands (`riskcheck migrate`, ...),
so that an upgrade never runs the same migration twice at once.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator

from sqlalchemy import Engine, text

from riskcheck.storage.store import Store

try:
    import fcntl
except ImportError:  # Windows: no lock file (run one process there)
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)
#: PostgreSQL advisory lock held while a process migrates and imports shipped files
STARTUP_LOCK = 0x5249534B434845  # "RISKCHE"
#: Seconds a starting process waits for the database to answer (a restart takes a few).
#: A gunicorn worker that fails to boot stops the whole instance ("Worker failed to boot"),
#: so a worker replaced while the database restarts must wait, not fail; kept below
#: gunicorn's 30 s worker timeout.
STARTUP_WAIT = 20.0


def wait_for_database(store: Store, seconds: float = STARTUP_WAIT) -> None:
    """Wait up to ``seconds`` for the database to answer; then go on, and the start-up work
    raises the real error (a wrong URL or password still fails, only later)."""
    if store.is_ready():
        return
    log.warning("database not answering at start-up; trying again for up to %.0f s", seconds)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(1.0)
        if store.is_ready():
            return


@contextlib.contextmanager
def startup_lock(engine: Engine) -> Iterator[None]:
    """One process at a time migrates and imports shipped files. Workers and instances
    starting together on a new database (or after an upgrade) would otherwise run the same
    migration at once, and the losers would fail to boot (gunicorn then stops altogether).
    PostgreSQL: an advisory lock; SQLite: a lock file beside the database file."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": STARTUP_LOCK})
            connection.commit()  # the lock is the session's: it outlives the transaction
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": STARTUP_LOCK})
                connection.commit()
        return
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if fcntl is None or not database or database == ":memory:":
        yield
        return
    with open(f"{database}.startup-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
        yield
