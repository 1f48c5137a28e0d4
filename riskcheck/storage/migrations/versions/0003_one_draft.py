"""at most one draft and one published version per questionnaire, enforced by the database

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 22:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

STATUSES = ("draft", "published")


def upgrade() -> None:
    for status in STATUSES:
        where = sa.text(f"status = '{status}'")
        op.create_index(
            f"uq_questionnaire_versions_one_{status}",
            "questionnaire_versions",
            ["questionnaire_id"],
            unique=True,
            sqlite_where=where,
            postgresql_where=where,
        )


def downgrade() -> None:
    for status in STATUSES:
        op.drop_index(f"uq_questionnaire_versions_one_{status}", "questionnaire_versions")
