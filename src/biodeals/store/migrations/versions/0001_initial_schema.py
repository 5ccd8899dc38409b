"""Initial schema: the tables of biodeals.store.schema plus full-text search over documents
(an FTS5 table kept in step by triggers on SQLite, a GIN expression index on PostgreSQL).

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("announced", sa.Date(), nullable=True),
        sa.Column("royalties", sa.Boolean(), nullable=True),
        sa.Column("upfront_amount", sa.Float(), nullable=True),
        sa.Column("upfront_currency", sa.String(length=3), nullable=True),
        sa.Column("equity_amount", sa.Float(), nullable=True),
        sa.Column("equity_currency", sa.String(length=3), nullable=True),
        sa.Column("milestones_amount", sa.Float(), nullable=True),
        sa.Column("milestones_currency", sa.String(length=3), nullable=True),
        sa.Column("total_value_amount", sa.Float(), nullable=True),
        sa.Column("total_value_currency", sa.String(length=3), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.create_index("ix_deals_announced", ["announced"], unique=False)
        batch_op.create_index("ix_deals_year", ["year"], unique=False)

    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("ingested_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("content_hash"),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("standard_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.create_index("ix_entities_kind_name", ["kind", "name"], unique=False)

    op.create_table(
        "deal_entities",
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
        ),
        sa.PrimaryKeyConstraint("deal_id", "entity_id"),
    )
    with op.batch_alter_table("deal_entities", schema=None) as batch_op:
        batch_op.create_index("ix_deal_entities_entity", ["entity_id"], unique=False)

    op.create_table(
        "deal_modalities",
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("modality", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("deal_id", "modality"),
    )
    with op.batch_alter_table("deal_modalities", schema=None) as batch_op:
        batch_op.create_index("ix_deal_modalities_modality", ["modality"], unique=False)

    op.create_table(
        "deal_parties",
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
        ),
        sa.PrimaryKeyConstraint("deal_id", "entity_id"),
    )
    with op.batch_alter_table("deal_parties", schema=None) as batch_op:
        batch_op.create_index("ix_deal_parties_entity", ["entity_id"], unique=False)

    op.create_table(
        "deal_sources",
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("deal_id", "document_id"),
    )
    with op.batch_alter_table("deal_sources", schema=None) as batch_op:
        batch_op.create_index("ix_deal_sources_document", ["document_id"], unique=False)

    op.create_table(
        "deal_types",
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("deal_id", "type"),
    )
    with op.batch_alter_table("deal_types", schema=None) as batch_op:
        batch_op.create_index("ix_deal_types_type", ["type"], unique=False)

    op.create_table(
        "entity_aliases",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("kind", "key"),
    )
    with op.batch_alter_table("entity_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entity_aliases_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "money_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("deal_id", "document_id", "kind"),
    )
    with op.batch_alter_table("money_terms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_money_terms_deal_id"), ["deal_id"], unique=False)

    op.create_table(
        "readouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("trial_id", sa.Integer(), nullable=True),
        sa.Column("phase", sa.String(length=8), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["trial_id"],
            ["entities.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("readouts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_readouts_document_id"), ["document_id"], unique=False)

    op.create_table(
        "endpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("readout_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["readout_id"], ["readouts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("endpoints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_endpoints_readout_id"), ["readout_id"], unique=False)

    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=True),
        sa.Column("readout_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["deal_id"], ["deals.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["readout_id"], ["readouts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_deal_id"), ["deal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_readout_id"), ["readout_id"], unique=False)

    op.create_table(
        "readout_entities",
        sa.Column("readout_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
        ),
        sa.ForeignKeyConstraint(["readout_id"], ["readouts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("readout_id", "entity_id"),
    )
    with op.batch_alter_table("readout_entities", schema=None) as batch_op:
        batch_op.create_index("ix_readout_entities_entity", ["entity_id"], unique=False)
    _create_full_text_search()


SQLITE_FULL_TEXT = [
    "CREATE VIRTUAL TABLE documents_fts USING fts5("
    "title, text, content='documents', content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER documents_fts_update AFTER UPDATE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
]
POSTGRES_FULL_TEXT = [
    "CREATE INDEX ix_documents_fulltext ON documents "
    "USING gin (to_tsvector('english', coalesce(title, '') || ' ' || text))",
]


def _create_full_text_search() -> None:
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_FULL_TEXT, "postgresql": POSTGRES_FULL_TEXT}.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS documents_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_documents_fulltext")
    with op.batch_alter_table("readout_entities", schema=None) as batch_op:
        batch_op.drop_index("ix_readout_entities_entity")

    op.drop_table("readout_entities")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_readout_id"))
        batch_op.drop_index(batch_op.f("ix_evidence_deal_id"))

    op.drop_table("evidence")
    with op.batch_alter_table("endpoints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_endpoints_readout_id"))

    op.drop_table("endpoints")
    with op.batch_alter_table("readouts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_readouts_document_id"))

    op.drop_table("readouts")
    with op.batch_alter_table("money_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_money_terms_deal_id"))

    op.drop_table("money_terms")
    with op.batch_alter_table("entity_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_aliases_entity_id"))

    op.drop_table("entity_aliases")
    with op.batch_alter_table("deal_types", schema=None) as batch_op:
        batch_op.drop_index("ix_deal_types_type")

    op.drop_table("deal_types")
    with op.batch_alter_table("deal_sources", schema=None) as batch_op:
        batch_op.drop_index("ix_deal_sources_document")

    op.drop_table("deal_sources")
    with op.batch_alter_table("deal_parties", schema=None) as batch_op:
        batch_op.drop_index("ix_deal_parties_entity")

    op.drop_table("deal_parties")
    with op.batch_alter_table("deal_modalities", schema=None) as batch_op:
        batch_op.drop_index("ix_deal_modalities_modality")

    op.drop_table("deal_modalities")
    with op.batch_alter_table("deal_entities", schema=None) as batch_op:
        batch_op.drop_index("ix_deal_entities_entity")

    op.drop_table("deal_entities")
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.drop_index("ix_entities_kind_name")

    op.drop_table("entities")
    op.drop_table("documents")
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.drop_index("ix_deals_year")
        batch_op.drop_index("ix_deals_announced")

    op.drop_table("deals")
