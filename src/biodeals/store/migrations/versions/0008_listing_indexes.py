"""Indexes the deals page reads in order and counts from (``biodeals.service.facets``).

- ``ix_deals_listing`` serves ``ORDER BY year DESC NULLS LAST, announced DESC NULLS LAST, id
  DESC``, the default order of every deals list, so a page is read rather than sorted; it
  replaces ``ix_deals_year``, its first column. SQLite reads it ascending and backwards (its NULLs
  sort first); PostgreSQL, whose NULLs sort last, gets the order spelled out.
- ``ix_deals_facets`` covers the one grouped scan counting a selection by review state, status,
  stage and year (and trusted or not, from the confidence): SQLite groups in index order instead
  of sorting every deal.
- ``ix_deals_review_confidence`` replaces ``ix_deals_review``: the untrusted deals (rejected, or
  unreviewed with a low confidence) are two ranges of it.
- the types and modalities indexes carry the deal id, so the deals of a type or modality (and
  their counts) are read from the index alone.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_REPLACED = (  # table, old index, its columns, new index, its columns
    ("deals", "ix_deals_review", ["review"], "ix_deals_review_confidence", ["review", "confidence"]),
    ("deal_types", "ix_deal_types_type", ["type"], "ix_deal_types_type_deal", ["type", "deal_id"]),
    (
        "deal_modalities",
        "ix_deal_modalities_modality",
        ["modality"],
        "ix_deal_modalities_modality_deal",
        ["modality", "deal_id"],
    ),
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        listing = [sa.text("year DESC NULLS LAST"), sa.text("announced DESC NULLS LAST"), sa.text("id DESC")]
    else:
        listing = ["year", "announced", "id"]
    op.create_index("ix_deals_listing", "deals", listing)
    op.drop_index("ix_deals_year", table_name="deals")
    op.create_index("ix_deals_facets", "deals", ["review", "status", "stage", "year", "confidence"])
    for table, old, _, new, columns in _REPLACED:
        op.create_index(new, table, columns)
        op.drop_index(old, table_name=table)


def downgrade() -> None:
    for table, old, columns, new, _ in _REPLACED:
        op.create_index(old, table, columns)
        op.drop_index(new, table_name=table)
    op.drop_index("ix_deals_facets", table_name="deals")
    op.create_index("ix_deals_year", "deals", ["year"])
    op.drop_index("ix_deals_listing", table_name="deals")
