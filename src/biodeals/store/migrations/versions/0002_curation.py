"""Confidence and curation: each deal, deal source and readout keeps the extractor's confidence;
deals and readouts have a review state; ``edits`` records what people decided.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confidence", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("review", sa.String(length=16), nullable=False, server_default="unreviewed"))
        batch_op.create_index("ix_deals_review", ["review"], unique=False)
    with op.batch_alter_table("deal_sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confidence", sa.Float(), nullable=True))
    with op.batch_alter_table("readouts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confidence", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("review", sa.String(length=16), nullable=False, server_default="unreviewed"))
    op.create_table(
        "edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=True),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("previous", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("user", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("undone_by", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("edits", schema=None) as batch_op:
        batch_op.create_index("ix_edits_subject", ["subject", "subject_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("edits", schema=None) as batch_op:
        batch_op.drop_index("ix_edits_subject")
    op.drop_table("edits")
    with op.batch_alter_table("readouts", schema=None) as batch_op:
        batch_op.drop_column("review")
        batch_op.drop_column("confidence")
    with op.batch_alter_table("deal_sources", schema=None) as batch_op:
        batch_op.drop_column("confidence")
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.drop_index("ix_deals_review")
        batch_op.drop_column("review")
        batch_op.drop_column("confidence")
