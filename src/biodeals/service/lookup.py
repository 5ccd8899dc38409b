"""Finding what a query names: entities by name or alias, documents by full-text search."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Engine, Select, func, literal_column, select, text

from biodeals.errors import ConfigError
from biodeals.store import schema as t
from biodeals.store.names import entity_key


def matching_entities(engine: Engine, kind: str, name: str) -> list[int]:
    """Entity ids ``name`` refers to: the entity owning its normalised key, else every entity
    of ``kind`` whose name contains it (case-insensitive)."""
    with engine.connect() as conn:
        exact = conn.scalar(
            select(t.entity_aliases.c.entity_id).where(
                t.entity_aliases.c.kind == kind, t.entity_aliases.c.key == entity_key(kind, name)
            )
        )
        if exact is not None:
            return [exact]
        pattern = f"%{name.lower()}%"
        return list(
            conn.scalars(
                select(t.entities.c.id).where(t.entities.c.kind == kind, func.lower(t.entities.c.name).like(pattern))
            )
        )


SEARCH_WORD = re.compile(r"\w+")


def full_text_documents(engine: Engine, query: str) -> Select[Any]:
    """A select of the ids of documents matching ``query`` (all of its words)."""
    words = SEARCH_WORD.findall(query)
    if not words:
        raise ConfigError(f"search text {query!r}: no words to search for")
    if engine.dialect.name == "sqlite":
        match = " ".join(f'"{word}"' for word in words)
        return (
            select(literal_column("rowid"))
            .select_from(text("documents_fts"))
            .where(text("documents_fts MATCH :q").bindparams(q=match))
        )
    return select(t.documents.c.id).where(
        text("to_tsvector('english', coalesce(title, '') || ' ' || text) @@ plainto_tsquery('english', :q)").bindparams(
            q=" ".join(words)
        )
    )
