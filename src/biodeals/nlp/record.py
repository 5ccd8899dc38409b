"""Serialisation of what the pipeline found as the SCHEMA.md record, with offsets into the
original text: the one place cleaned-text offsets become original-text offsets."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from biodeals.ingest.document import Document
from biodeals.model import Deal, EvidenceSpan, Readout, record_spans
from biodeals.nlp.analysis import Analysis
from biodeals.nlp.spans import Entity

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


def _to_original(document: Document, evidence: list[EvidenceSpan]) -> list[EvidenceSpan]:
    return [EvidenceSpan(span.field, **_span(document, span.start, span.end)) for span in evidence]


def entity_record(document: Document, entity: Entity) -> dict[str, Any]:
    """One entity: canonical name, aliases, standard id and mention spans (original offsets)."""
    return {
        "name": entity.name,
        "aliases": entity.aliases,
        "id": entity.standard_id,
        "mentions": [_span(document, m.start, m.end) for m in entity.mentions],
    }


def assemble_record(
    document: Document, analysis: Analysis, published: date | None, deals: list[Deal], readouts: list[Readout]
) -> dict[str, Any]:
    """The SCHEMA.md record for ``document`` plus an ``entities`` section; ``deals`` and
    ``readouts`` carry cleaned-text evidence, the record original-text evidence."""
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
        "deals": [replace(d, evidence=_to_original(document, d.evidence)).to_record() for d in deals],
        "readouts": [replace(r, evidence=_to_original(document, r.evidence)).to_record() for r in readouts],
        "entities": entities,
    }


__all__ = ["ENTITY_GROUPS", "assemble_record", "entity_record", "record_spans"]
