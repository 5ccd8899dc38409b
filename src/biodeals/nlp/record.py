"""Serialisation of an analysis as the SCHEMA.md record, with offsets into the original text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from biodeals.ingest.document import Document
from biodeals.nlp.dates import publication_date
from biodeals.nlp.deals import extract_deals
from biodeals.nlp.pipeline import Analysis, recognize
from biodeals.nlp.readouts import extract_readouts
from biodeals.nlp.sentences import split_sentences
from biodeals.nlp.spans import Entity
from biodeals.nlp.vocab import Vocabulary
from biodeals.nlp.windows import extract_in_windows

ENTITY_GROUPS = {
    "companies": "company",
    "assets": "drug",
    "targets": "target",
    "indications": "disease",
    "trials": "trial",
}


def _span(document: Document, start: int, end: int) -> dict[str, Any]:
    ostart, oend = document.to_original(start, end)
    return {"start": ostart, "end": oend, "text": document.original[ostart:oend]}


def entity_record(document: Document, entity: Entity) -> dict[str, Any]:
    """One entity: canonical name, aliases, standard id and mention spans (original offsets)."""
    return {
        "name": entity.name,
        "aliases": entity.aliases,
        "id": entity.standard_id,
        "mentions": [_span(document, m.start, m.end) for m in entity.mentions],
    }


def build_record(document: Document, analysis: Analysis) -> dict[str, Any]:
    """The SCHEMA.md record for ``document`` (deals and readouts filled by the extraction
    steps) plus an ``entities`` section."""
    published = document.published or publication_date(analysis.dates)
    spans = split_sentences(document.text)
    deals = extract_deals(document, analysis, spans, published)
    readouts = extract_readouts(document, analysis, spans)
    for item in [*deals, *readouts]:
        item["evidence"] = [
            {"field": ev["field"], **_span(document, ev["start"], ev["end"])} for ev in item["evidence"]
        ]
    entities: dict[str, Any] = {
        group: [entity_record(document, e) for e in analysis.of(label)] for group, label in ENTITY_GROUPS.items()
    }
    entities["modalities"] = sorted({e.name for e in analysis.of("modality")})
    entities["money"] = [
        {"amount": m.amount, "currency": m.currency, "per_share": m.per_share, **_span(document, m.start, m.end)}
        for m in analysis.money
    ]
    return {
        "id": document.name,
        "document_id": document.id,
        "title": document.title,
        "published": published.isoformat() if published else None,
        "language": document.language,
        "deals": deals,
        "readouts": readouts,
        "entities": entities,
    }


def record_spans(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every span a record points into its original text with: entity mentions, money mentions,
    and deal and readout evidence (each ``{"start", "end", "text", ...}``)."""
    for group in ENTITY_GROUPS:
        for entity in record["entities"][group]:
            yield from entity.get("mentions", ())
    yield from record["entities"]["money"]
    for item in [*record["deals"], *record["readouts"]]:
        yield from item["evidence"]


def extract_record(document: Document, vocab: Vocabulary | None = None) -> dict[str, Any]:
    """Document in, SCHEMA.md record out: the nlp layer's single entry point (a very long text
    is read in windows, ``nlp/windows.py``)."""
    return extract_in_windows(document, lambda part: build_record(part, recognize(part, vocab)))
