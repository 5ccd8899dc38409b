"""Deal parties indexed by company and deal: the deals of a company are read from the index
alone when a new report is matched against stored deals (no table lookup per deal).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_deal_parties_entity_deal", "deal_parties", ["entity_id", "deal_id"])
    op.drop_index("ix_deal_parties_entity", table_name="deal_parties")


def downgrade() -> None:
    op.create_index("ix_deal_parties_entity", "deal_parties", ["entity_id"])
    op.drop_index("ix_deal_parties_entity_deal", table_name="deal_parties")
