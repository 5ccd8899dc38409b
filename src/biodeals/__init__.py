"""biodeals: biopharma deals and clinical readouts from news text, with exact evidence spans.

The names below are imported on first use (PEP 562), so ``import biodeals`` stays cheap for
commands that only query the knowledge base.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "BiodealsError": "biodeals.errors",
    "ConfigError": "biodeals.errors",
    "ExtractError": "biodeals.errors",
    "IngestError": "biodeals.errors",
    "InternalError": "biodeals.errors",
    "VocabularyError": "biodeals.errors",
    "Document": "biodeals.ingest",
    "ReadOptions": "biodeals.ingest",
    "read_inputs": "biodeals.ingest",
    "Entity": "biodeals.nlp",
    "Mention": "biodeals.nlp",
    "Money": "biodeals.nlp",
    "extract_record": "biodeals.nlp",
    "recognize": "biodeals.nlp",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'biodeals' has no attribute {name!r}")
