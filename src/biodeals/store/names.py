"""The keys under which the store resolves entities across documents: the shared keys of
``biodeals.names`` (the nlp layer links spellings within a document with the same ones)."""

from biodeals.names import MAX_KEY, company_key, company_marker, entity_key, plain_key

__all__ = ["MAX_KEY", "company_key", "company_marker", "entity_key", "plain_key"]
