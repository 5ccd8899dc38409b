"""biodeals: biopharma deals and clinical readouts from news text, with exact evidence spans."""

__version__ = "0.1.0"

from biodeals.errors import (
    BiodealsError,
    ConfigError,
    ExtractError,
    IngestError,
    InternalError,
    VocabularyError,
)
from biodeals.ingest import Document, ReadOptions, read_inputs
from biodeals.nlp import Entity, Mention, Money, extract_record, recognize

__all__ = [
    "BiodealsError",
    "ConfigError",
    "Document",
    "Entity",
    "ExtractError",
    "IngestError",
    "InternalError",
    "Mention",
    "Money",
    "ReadOptions",
    "VocabularyError",
    "__version__",
    "extract_record",
    "read_inputs",
    "recognize",
]
