"""Readers that turn files, folders, feeds and URLs into cleaned ``Document``s."""

from biodeals.ingest.cleanup import clean_text, decode_entities, find_sections, guess_language
from biodeals.ingest.document import Document, Edit, OffsetMap, Section, content_hash
from biodeals.ingest.formats import READERS, ReadResult, decode, make_document, register_reader
from biodeals.ingest.sources import DEFAULT_MAX_BYTES, ReadOptions, read_inputs, read_path, read_url

__all__ = [
    "DEFAULT_MAX_BYTES",
    "READERS",
    "Document",
    "Edit",
    "OffsetMap",
    "ReadOptions",
    "ReadResult",
    "Section",
    "clean_text",
    "content_hash",
    "decode",
    "decode_entities",
    "find_sections",
    "guess_language",
    "make_document",
    "read_inputs",
    "read_path",
    "read_url",
    "register_reader",
]
