"""Deal extraction from candidates to SCHEMA.md deal records."""

from __future__ import annotations

from datetime import date
from typing import Any

from biodeals.ingest.document import Document
from biodeals.nlp.deals.candidates import TYPE_PRIORITY, attach_money_sentences, group_deals
from biodeals.nlp.deals.facts import DocumentFacts
from biodeals.nlp.deals.relevance import is_biopharma
from biodeals.nlp.deals.roles import SUBJECT_ROLES, assign_roles, round_subject
from biodeals.nlp.deals.sentences import find_deal_sentences
from biodeals.nlp.deals.subjects import asset_sentences, deal_modalities, mention_evidence, subject_scope, type_evidence
from biodeals.nlp.deals.terms import deal_status, money_terms, royalties_of
from biodeals.nlp.pipeline import Analysis
from biodeals.nlp.spans import Entity, Label, most_specific


def named_record(entity: Entity) -> dict[str, Any]:
    return {"name": entity.name, "aliases": entity.aliases}


def extract_deals(
    document: Document, analysis: Analysis, spans: list[tuple[int, int]], published: date | None
) -> list[dict[str, Any]]:
    """SCHEMA.md deal records, each with ``evidence`` spans in cleaned-text offsets (mapped to
    the original text by ``record.py``)."""
    published_year = published.year if published else None
    candidates = group_deals(find_deal_sentences(document, analysis, spans), published_year)
    attach_money_sentences(candidates, analysis, document.text, spans, document)
    facts = DocumentFacts(document, analysis, spans)
    deals = []
    for candidate in candidates:
        types = candidate.types
        scope = subject_scope(candidate, facts)
        if candidate.year is None and len(candidate.companies) == 2 and facts.same_group(*candidate.companies):
            continue  # (a dated acquisition is how the group came to be)
        if not types or not is_biopharma(candidate, analysis, document.text, scope, facts):
            continue
        primary = next(t for t in TYPE_PRIORITY if t in types)
        subject = round_subject(candidate, analysis) if primary == "equity" else None
        if subject:
            candidate.companies.append(subject)
        news = candidate.year is None and candidate.is_news
        text_of = " ".join(s.text for s in candidate.sentences)
        money = money_terms(candidate, analysis, document.text)
        evidence = [{"field": "deal", "start": s.start, "end": s.end} for s in candidate.sentences]
        evidence += [{"field": k, "start": m.start, "end": m.end} for k, m in money.items()]

        def inside(label: Label, scope: list[tuple[int, int]] = scope) -> list[Entity]:
            seen: dict[str, Entity] = {}
            for start, end in scope:
                for e in analysis.within(label, start, end):
                    seen.setdefault(e.name, e)
            return list(seen.values())

        assets = inside("drug")
        in_scope = set(scope)
        asset_scope = scope + [span for span in asset_sentences(assets, facts) if span not in in_scope]
        targets = inside("target", asset_scope)
        indications = most_specific(inside("disease"))
        modalities, modality_evidence = deal_modalities(analysis, document.text, scope, assets)
        parties = assign_roles(candidate, primary, document.text)
        if any(role in SUBJECT_ROLES and facts.kind(e) == "other" for e, role in parties):
            continue  # a drug company buying a clinic or licensing a diagnostic test
        sentence_spans = [(s.start, s.end) for s in candidate.sentences]
        evidence += type_evidence(candidate, types)
        subject_spans = [(m.start, m.end) for m in subject.mentions[:1]] if subject else []
        evidence += mention_evidence("parties", [e for e, _ in parties], sentence_spans + subject_spans)
        evidence += mention_evidence("assets", assets, scope)
        evidence += mention_evidence("targets", targets, asset_scope)
        evidence += mention_evidence("indications", indications, scope)
        evidence += modality_evidence

        royalties = royalties_of(text_of)
        deals.append(
            {
                "types": sorted(types, key=TYPE_PRIORITY.index),
                "status": deal_status(candidate) if news else None,
                "year": candidate.year or (published_year if news else None),
                "parties": [{**named_record(e), "role": role.value} for e, role in parties],
                "upfront": money["upfront"].as_record() if "upfront" in money else None,
                "equity": money["equity"].as_record() if "equity" in money else None,
                "milestones": money["milestones"].as_record() if "milestones" in money else None,
                "total_value": money["total_value"].as_record() if "total_value" in money else None,
                "royalties": royalties,
                "assets": [named_record(e) for e in assets],
                "targets": [named_record(e) for e in targets],
                "indications": [named_record(e) for e in indications],
                "modalities": modalities,
                "evidence": evidence,
            }
        )
    return deals
