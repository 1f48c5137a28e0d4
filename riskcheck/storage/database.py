"""Connecting to the database and bringing its schema up to date."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The newest migration; a test checks it against Alembic's own view of the scripts. Knowing
#: it lets a web worker skip importing Alembic (about 9 MB) when the schema is current.
HEAD_REVISION = "0004"
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
    cursor.execute("PRAGMA synchronous=FULL")  # every commit on disk (journeys: see journeys.py)
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to ``engine``; objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    """Alembic's configuration for riskcheck's migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def is_current(engine: Engine) -> bool:
    """Whether the schema is at HEAD_REVISION already."""
    try:
        with engine.connect() as connection:
            found = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:  # no alembic_version table yet
        return False
    return found == HEAD_REVISION


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    if is_current(engine):
        return
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
