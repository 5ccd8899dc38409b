"""The partitions of inputs an ingest finished, so a re-run skips them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partitions",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("partitions")
