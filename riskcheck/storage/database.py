"""Connecting to the database and bringing its schema up to date."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The instance folder beside the package: where `make run` keeps its SQLite file.
INSTANCE = Path(__file__).resolve().parents[2] / "instance"


def default_database_url() -> str:
    """A SQLite file in the instance folder (created if missing)."""
    INSTANCE.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{INSTANCE / 'riskcheck.db'}"


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (sqlite:///path or postgresql+psycopg://...), ready for a web app.

    PostgreSQL connections are checked before use (pool pre-ping), so the app recovers by
    itself after a database restart. SQLite gets foreign keys and a busy timeout. Statement
    parameters (a patient's answers, among others) are kept out of SQL logging and out of
    database exception messages, which end up in logged tracebacks (``hide_parameters``).
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": 15, "check_same_thread": False},
            hide_parameters=True,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=5,
        pool_recycle=1800,
        hide_parameters=True,
    )


def _sqlite_pragmas(connection: object, _record: object) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to ``engine``; objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    """Alembic's configuration for riskcheck's migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
