"""Each readout keeps its sponsor: the company whose trial it is.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # never batch mode's copy-and-drop: on SQLite, dropping ``readouts`` would cascade to its
    # endpoints, entities and evidence; SQLite adds a column with its reference in one statement
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE readouts ADD COLUMN sponsor_id INTEGER"
            " CONSTRAINT fk_readouts_sponsor_id_entities REFERENCES entities (id)"
        )
    else:
        op.add_column("readouts", sa.Column("sponsor_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_readouts_sponsor_id_entities", "readouts", "entities", ["sponsor_id"], ["id"])
    op.create_index("ix_readouts_sponsor_id", "readouts", ["sponsor_id"], unique=False)


def downgrade() -> None:
    # as the upgrade, never a copy-and-drop of ``readouts``: SQLite (3.35+) drops the column in place
    op.drop_index("ix_readouts_sponsor_id", table_name="readouts")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_readouts_sponsor_id_entities", "readouts", type_="foreignkey")
    op.execute("ALTER TABLE readouts DROP COLUMN sponsor_id")
