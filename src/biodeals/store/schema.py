"""The knowledge base's tables (SQLAlchemy Core). Alembic migrations create them; this module is
the description queries and writers are built from.

Deals are cross-document: one ``deals`` row per real deal, with one ``deal_sources`` row per
document that reports it (its status in that document is the status history) and money terms
kept per source, so conflicting figures stay visible instead of being overwritten. The money
columns on ``deals`` are the current figures (latest source that states them), there to filter
and sort on.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from biodeals.model import MONEY_KINDS

metadata = MetaData()

ENTITY_KINDS = ("company", "asset", "target", "indication", "trial")
REVIEW_STATES = ("unreviewed", "confirmed", "rejected", "edited")

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("title", Text),
    Column("published", Date),
    Column("language", String(16)),
    Column("text", Text, nullable=False),  # the text as read, HTML entities decoded: evidence offsets index it
    Column("error", Text),  # set when extraction failed; the document is kept regardless
    Column("ingested_at", DateTime, nullable=False),
)

entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("standard_id", String(64)),
    Index("ix_entities_kind_name", "kind", "name"),
)

# Every normalised name (and standard id) an entity is known by; one entity per key and kind.
entity_aliases = Table(
    "entity_aliases",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("entity_id", Integer, ForeignKey("entities.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("alias", Text, nullable=False),
)

deals = Table(
    "deals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("status", String(16)),
    Column("year", Integer),
    Column("announced", Date),
    Column("royalties", Boolean),
    Column("stage", String(16)),  # its programme's stage at signing (model.DEAL_STAGES), its first report's
    Column("confidence", Float),  # the surest of its sources' extraction confidences
    Column("review", String(16), nullable=False, server_default="unreviewed"),  # REVIEW_STATES
    *(
        column
        for kind in MONEY_KINDS
        for column in (Column(f"{kind}_amount", Float), Column(f"{kind}_currency", String(3)))
    ),
    Index("ix_deals_announced", "announced"),
    Index("ix_deals_review_confidence", "review", "confidence"),  # the untrusted deals are two ranges
    Index("ix_deals_stage", "stage"),
    Index("ix_deals_facets", "review", "status", "stage", "year", "confidence"),  # a selection counted in one scan
)
# The lists' default order, newest first, read from the index instead of sorted. On SQLite,
# whose NULLs sort first, migration 0008 makes it ascending and SQLite reads it backwards.
Index(
    "ix_deals_listing",
    deals.c.year.desc().nulls_last(),
    deals.c.announced.desc().nulls_last(),
    deals.c.id.desc(),
)

deal_types = Table(
    "deal_types",
    metadata,
    Column("deal_id", Integer, ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True),
    Column("type", String(16), primary_key=True),
    Index("ix_deal_types_type_deal", "type", "deal_id"),
)

deal_parties = Table(
    "deal_parties",
    metadata,
    Column("deal_id", Integer, ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True),
    Column("entity_id", Integer, ForeignKey("entities.id"), primary_key=True),
    Column("role", String(16), nullable=False),
    Index("ix_deal_parties_entity_deal", "entity_id", "deal_id"),  # a company's deals from the index alone
)

# Assets, targets and indications of a deal (the entity's kind says which).
deal_entities = Table(
    "deal_entities",
    metadata,
    Column("deal_id", Integer, ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True),
    Column("entity_id", Integer, ForeignKey("entities.id"), primary_key=True),
    Index("ix_deal_entities_entity", "entity_id"),
)

deal_modalities = Table(
    "deal_modalities",
    metadata,
    Column("deal_id", Integer, ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True),
    Column("modality", String(32), primary_key=True),
    Index("ix_deal_modalities_modality_deal", "modality", "deal_id"),
)

# One row per document reporting a deal: together they are the deal's status history.
deal_sources = Table(
    "deal_sources",
    metadata,
    Column("deal_id", Integer, ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("status", String(16)),
    Column("year", Integer),
    Column("published", Date),
    Column("stage", String(16)),  # the stage at signing this document states
    Column("confidence", Float),  # how sure the extraction from this document was
    Index("ix_deal_sources_document", "document_id"),
)

money_terms = Table(
    "money_terms",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("deal_id", Integer, ForeignKey("deals.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("amount", Float, nullable=False),
    Column("currency", String(3), nullable=False),
    UniqueConstraint("deal_id", "document_id", "kind"),
)

readouts = Table(
    "readouts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("trial_id", Integer, ForeignKey("entities.id")),
    Column("phase", String(8)),
    Column("confidence", Float),
    Column("review", String(16), nullable=False, server_default="unreviewed"),  # REVIEW_STATES
    Column("sponsor_id", Integer, ForeignKey("entities.id", name="fk_readouts_sponsor_id_entities"), index=True),
)

readout_entities = Table(
    "readout_entities",
    metadata,
    Column("readout_id", Integer, ForeignKey("readouts.id", ondelete="CASCADE"), primary_key=True),
    Column("entity_id", Integer, ForeignKey("entities.id"), primary_key=True),
    Index("ix_readout_entities_entity", "entity_id"),
)

endpoints = Table(
    "endpoints",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("readout_id", Integer, ForeignKey("readouts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("value", Float, nullable=False),
    Column("unit", String(32)),
)

# Where every stored field value was read: a [start, end) range of documents.text.
evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("deal_id", Integer, ForeignKey("deals.id", ondelete="CASCADE"), index=True),
    Column("readout_id", Integer, ForeignKey("readouts.id", ondelete="CASCADE"), index=True),
    Column("field", String(32), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

# What people decided: one row per review, edit, merge or undo, never changed by an ingest (the
# writer re-applies the deal edits still in force after every new report of the deal). ``value``
# and ``previous`` are JSON: what the action set, and what it replaced (what an undo restores).
edits = Table(
    "edits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subject", String(16), nullable=False),  # "deal", "readout" or "company"
    Column("subject_id", Integer, nullable=False),
    Column("action", String(24), nullable=False),  # biodeals.store.curation.ACTIONS
    Column("field", String(32)),
    Column("value", Text),
    Column("previous", Text),
    Column("evidence", Text),  # JSON {document_id, start, end, text}: the quote the person pointed to
    Column("note", Text),
    Column("user", Text, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("undone_by", Integer),  # the id of the undo that reverted this one
    Index("ix_edits_subject", "subject", "subject_id"),
)

# A saved deal query: its filters (``DealQuery`` values, as JSON), when it was last run, and the
# URL told of each matching deal an ingest stores
watchlists = Table(
    "watchlists",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("filters", Text, nullable=False),
    Column("webhook", Text),
    Column("created_at", DateTime, nullable=False),
    Column("last_run_at", DateTime),
)

# One alert per watchlist and deal, ever (the unique key): claimed as "sending" before it is sent,
# so a process killed mid-send never sends it again; then "sent" or "failed" after its attempts
DELIVERY_STATES = ("pending", "sending", "sent", "failed")
watch_deliveries = Table(
    "watch_deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("watchlist_id", Integer, ForeignKey("watchlists.id", ondelete="CASCADE"), nullable=False),
    # no foreign key: a deal merged away and back by a person keeps its alert (never sent again)
    Column("deal_id", Integer, nullable=False),
    Column("status", String(16), nullable=False, server_default="pending"),  # DELIVERY_STATES
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    Column("queued_at", DateTime, nullable=False),
    Column("sent_at", DateTime),
    UniqueConstraint("watchlist_id", "deal_id", name="uq_watch_deliveries_watchlist_deal"),
    Index("ix_watch_deliveries_status", "status"),
)

# The partitions of inputs an ingest finished (``biodeals.ingest.partitions``): written in the
# transaction that stores their documents, so a re-run after a crash skips exactly those
partitions = Table(
    "partitions",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("label", Text, nullable=False),
    Column("documents", Integer, nullable=False),  # read from it (stored, skipped or failed)
    Column("finished_at", DateTime, nullable=False),
)
