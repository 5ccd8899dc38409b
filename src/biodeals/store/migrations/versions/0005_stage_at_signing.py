"""Each deal and each of its reports keep the stage at signing of the deal's programme.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN, never batch mode's copy-and-drop (which on SQLite would cascade the drop
    # of ``deals`` to every child row); deals stored before have no stage (valuation asks for one)
    op.add_column("deals", sa.Column("stage", sa.String(16), nullable=True))
    op.add_column("deal_sources", sa.Column("stage", sa.String(16), nullable=True))
    op.create_index("ix_deals_stage", "deals", ["stage"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_deals_stage", table_name="deals")
    op.execute("ALTER TABLE deal_sources DROP COLUMN stage")
    op.execute("ALTER TABLE deals DROP COLUMN stage")
