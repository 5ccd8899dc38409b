"""Running the extraction pipeline: a ``Document`` in, its analysis or its SCHEMA.md record out.

The steps are the components registered in ``nlp/steps.py`` (``biodeals pipeline`` lists them);
a very long text is read in windows (``nlp/windows.py``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from biodeals.ingest.document import Document
from biodeals.nlp import steps
from biodeals.nlp.analysis import Analysis
from biodeals.nlp.components import Annotations, Pipeline
from biodeals.nlp.vocab import Vocabulary, load_vocabulary
from biodeals.nlp.windows import extract_in_windows


@cache
def default_pipeline() -> Pipeline:
    """The pipeline ``extract_record`` runs (``steps.DEFAULT_PIPELINE``)."""
    return Pipeline(steps.DEFAULT_PIPELINE)


@cache
def _recognition() -> Pipeline:
    return Pipeline(steps.RECOGNITION)


def annotate(document: Document, vocab: Vocabulary | None = None, pipeline: Pipeline | None = None) -> Annotations:
    """Everything the pipeline's components find in ``document`` (one pass, no windows)."""
    return (pipeline or default_pipeline()).annotate(document, vocab or load_vocabulary())


def recognize(document: Document, vocab: Vocabulary | None = None) -> Analysis:
    """Entities (companies, drugs, targets, diseases, trials, modalities), money and dates in
    ``document.text``."""
    return annotate(document, vocab, _recognition()).analysis


def extract_record(document: Document, vocab: Vocabulary | None = None) -> dict[str, Any]:
    """Document in, SCHEMA.md record out: the nlp layer's single entry point."""
    vocab = vocab or load_vocabulary()

    def extract(part: Document) -> dict[str, Any]:
        record = default_pipeline().annotate(part, vocab).record
        assert record is not None  # the record component ends the default pipeline
        return record

    return extract_in_windows(document, extract)
