"""Alembic environment: run by riskcheck.storage.database.migrate with a live connection."""

from __future__ import annotations

from alembic import context

from riskcheck.storage.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
)
with context.begin_transaction():
    context.run_migrations()
