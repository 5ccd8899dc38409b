"""The knowledge base: schema and migrations, opening a database, and writing extraction records
with cross-document resolution. Queries live in ``biodeals.service``."""

from biodeals.store.db import DB_ENV, DEFAULT_DB, connect, database_url, upgrade
from biodeals.store.names import company_key, company_marker, entity_key, plain_key
from biodeals.store.writer import Extracted, FinishedPartition, WriteCounts, Writer

__all__ = [
    "DB_ENV",
    "DEFAULT_DB",
    "Extracted",
    "FinishedPartition",
    "WriteCounts",
    "Writer",
    "company_key",
    "company_marker",
    "connect",
    "database_url",
    "entity_key",
    "plain_key",
    "upgrade",
]
