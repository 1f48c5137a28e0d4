"""Storage tests run on SQLite and on PostgreSQL (127.0.0.1:5432, database test).

On CI (CI=true) PostgreSQL must be there: its tests fail instead of skipping.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from riskcheck.storage.store import Store

POSTGRES_URL = os.environ.get(
    "RISKCHECK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def reset_postgres(url: str) -> None:
    """An empty public schema, so that migrations run from scratch."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def postgres_available(url: str = POSTGRES_URL) -> bool:
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception:  # noqa: BLE001 - any failure: not available
        return False
    return True


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'riskcheck.db'}"
        return
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL}")
        pytest.skip("PostgreSQL is not reachable")
    reset_postgres(POSTGRES_URL)
    yield POSTGRES_URL


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    connected = Store.connect(database_url)
    yield connected
    connected.engine.dispose()
