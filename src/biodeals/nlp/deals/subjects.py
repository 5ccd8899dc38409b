"""What a deal is about: its assets, targets, indications and modalities, each with the
evidence span that names it."""

from __future__ import annotations

import bisect
import re
from typing import Any

from biodeals import fastre
from biodeals.nlp.analysis import Analysis
from biodeals.nlp.deals.candidates import TYPE_PRIORITY, DealCandidate
from biodeals.nlp.deals.facts import DocumentFacts
from biodeals.nlp.deals.sentences import POSSESSIVE_AFTER
from biodeals.nlp.deals.words import words
from biodeals.nlp.patterns import INN_STEM_MODALITIES
from biodeals.nlp.ranges import mentions_in, section_at
from biodeals.nlp.spans import Entity

_FOLLOWING = 2  # sentences after a deal sentence that usually describe what the deal is about
_BULLET = fastre.compile(r"\s*(?:[*•▪◦·-]|\d{1,2}[.)])\s")  # "* ", "- ", "2. ", not "**Bold heading"


def subject_scope(candidate: DealCandidate, facts: DocumentFacts) -> list[tuple[int, int]]:
    """Where a deal's assets, targets and indications are read: its own sentences and, for the
    deal the document announces (not one it dates or tells as before its news), the body
    sentences right after each of them ("Versanis' lead
    asset is bimagrumab, a monoclonal antibody ...") and those that refer back to the deal and
    name no other company ("the net proceeds from the offering")."""
    scope = [(s.start, s.end) for s in candidate.sentences]
    if candidate.year is not None or candidate.past:
        return scope
    spans, in_scope = facts.spans, set(scope)
    names = {c.name for c in candidate.companies}
    for span in facts.deal_anaphors():  # "Edesa expects to use the net proceeds from the offering to fund EB06"
        if span not in in_scope and all(c.name in names for c in facts.analysis.within("company", *span)):
            scope.append(span)
            in_scope.add(span)
    for span in _owned_asset_sentences(candidate, facts):  # "Imago's lead candidate bomedemstat, ..."
        if span not in in_scope:
            scope.append(span)
            in_scope.add(span)
    starts = {s.start for s in candidate.sentences if s.types}
    for start in sorted(starts):
        index = bisect.bisect_left(facts._span_starts, start)
        if index == len(spans) or spans[index][0] != start:
            continue
        for following in spans[index + 1 : index + 1 + _FOLLOWING]:
            if _BULLET.match(facts.text, following[0]):
                break  # the next item of a list tells other news ("* The company also sold ...")
            if any(c.name not in names for c in facts.analysis.within("company", *following)):
                break  # another company's story ("The biotech acquired Quillmate's Restora in 2018")
            if section_at(facts.document, following[0]) is None and following not in in_scope:
                scope.append(following)
                in_scope.add(following)
    return scope


# "Imago's lead candidate bomedemstat", "Versanis' lead asset": a party's drug, named in its own words
_PLATFORM = fastre.compile(r"\b(?:platforms?|technolog(?:y|ies))\b", re.I)
_OWNED_REACH = 60  # characters from a party's possessive to the drug it owns
_RESULTS = words("news.financial_results")


def _owned_asset_sentences(candidate: DealCandidate, facts: DocumentFacts) -> list[tuple[int, int]]:
    """Body sentences that name a drug of one of the deal's parties ("Imago's lead candidate
    bomedemstat, an investigational LSD1 inhibitor, is in Phase 2 trials for ...") and no company
    outside the deal: the issue says what the deal is about wherever the text describes it."""
    if candidate.types == {"equity"}:
        return []  # a round funds the company, whatever its drugs
    names = {c.name for c in candidate.companies}
    text, analysis, found = facts.text, facts.analysis, []
    for company in candidate.companies:
        for index in facts.body_spans(company):
            start, end = facts.spans[index]
            if not all(c.name in names for c in analysis.within("company", start, end)):
                continue
            if _RESULTS.search(text, start, end):
                continue  # "revenue from Biogen's rare-disease medication Skyclarys came to $102 million"
            for m in mentions_in(company, start, end):
                owned = analysis.within("drug", m.end, min(end, m.end + _OWNED_REACH)) if POSSESSIVE_AFTER.match(text, m.end) else []
                if any(not _PLATFORM.search(drug.name) for drug in owned):  # its platform is no asset of the deal
                    found.append((start, end))
                    break
    return found


# A modality named in a list of product classes ("medicines and vaccines", "pharmaceuticals,
# vaccines and animal intelligence solutions") describes a company's portfolio, not the deal.
_PRODUCT_CLASSES = (
    r"(?:medicines|pharmaceuticals|therapeutics|therapies|treatments|drugs|devices|diagnostics|products"
    r"|solutions|biologics|vaccines|animal health)"
)
_PORTFOLIO_BEFORE = fastre.compile(rf"\b{_PRODUCT_CLASSES},?\s+(?:and\s+|or\s+)?(?:\w+\s+)?$", re.I)
_PORTFOLIO_AFTER = fastre.compile(rf"^,?\s+(?:and|or)\s+(?:\w+\s+)?{_PRODUCT_CLASSES}\b|^,\s+\w+(?:\s+\w+)?,", re.I)


def _stem_modality(asset: Entity) -> str | None:
    """The modality the stem of one of the asset's names states ("velarutinib" -> small molecule)."""
    for name in asset.names:
        word = name.lower().rsplit(maxsplit=1)[-1] if name.strip() else ""
        for stems, modality in INN_STEM_MODALITIES:
            if word.endswith(stems):
                return modality
    return None


# "novel, potent SARM1 inhibitors", "ZN-c3, a selective Wee1 inhibitor": an inhibitor drug is a small
# molecule, unless it blocks an immune checkpoint (antibodies) or is an ADC's payload
_INHIBITOR = fastre.compile(r"\binhibitors?\b", re.I)
_NOT_SMALL_INHIBITOR = fastre.compile(
    r"\b(?:checkpoint|PD-L?1|CTLA-?4|LAG-?3|TIGIT|TIM-?3|antibod(?:y|ies)|monoclonal|ADCs?|payloads?|conjugates?)\b[^.;,]{0,20}$", re.I
)


def _inhibitor_evidence(text: str, scope: list[tuple[int, int]]) -> dict[str, Any] | None:
    """Where the deal's scope first names a small-molecule inhibitor, if it does."""
    for start, end in scope:
        for m in _INHIBITOR.finditer(text, start, end):
            if not _NOT_SMALL_INHIBITOR.search(text, max(start, m.start() - 40), m.start()):
                return {"field": "modalities", "start": m.start(), "end": m.end()}
    return None


def deal_modalities(
    analysis: Analysis, text: str, scope: list[tuple[int, int]], assets: list[Entity]
) -> tuple[list[str], list[dict[str, Any]]]:
    """The deal's modalities with evidence: modality words in its scope (not those listing a
    company's product classes) and the modality the INN stems of its assets state."""
    found: dict[str, dict[str, Any]] = {}
    for start, end in scope:
        for entity in analysis.within("modality", start, end):
            for m in mentions_in(entity, start, end):
                if entity.name in found:
                    continue
                if _PORTFOLIO_BEFORE.search(text[max(0, m.start - 40) : m.start]) or _PORTFOLIO_AFTER.search(
                    text[m.end : m.end + 40]
                ):
                    continue
                found[entity.name] = {"field": "modalities", "start": m.start, "end": m.end}
    for asset in assets:
        modality = _stem_modality(asset)
        if modality and modality not in found:
            first = asset.mentions[0]  # mentions are in text order
            found[modality] = {"field": "modalities", "start": first.start, "end": first.end}
    if not found.keys() & {"small molecule", "antibody-drug conjugate", "antibody"} and (at := _inhibitor_evidence(text, scope)):
        found["small molecule"] = at
    return sorted(found), list(found.values())


def asset_sentences(assets: list[Entity], facts: DocumentFacts) -> list[tuple[int, int]]:
    """Body sentences that name one of the deal's assets: where the text says what it targets
    ("patritumab deruxtecan (HER3-DXd), a HER3 directed DXd ADC")."""
    indexes = sorted({index for asset in assets for index in facts.body_spans(asset)})
    return [facts.spans[index] for index in indexes]


def mention_evidence(field: str, entities: list[Entity], ranges: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """For each entity, its first mention inside ``ranges``: where the text names that value."""
    evidence = []
    for entity in entities:
        mentions, starts = entity.mentions, entity.mention_starts()  # in text order
        best: tuple[int, int] | None = None  # (start, index) of the first mention inside a range
        for start, end in ranges:
            low = bisect.bisect_left(starts, start)
            for index in range(low, bisect.bisect_right(starts, end, low)):
                if mentions[index].end <= end:
                    if best is None or (mentions[index].start, index) < best:
                        best = (mentions[index].start, index)
                    break
        if best is not None:
            mention = mentions[best[1]]
            evidence.append({"field": field, "start": mention.start, "end": mention.end})
    return evidence


def type_evidence(candidate: DealCandidate, types: set[str]) -> list[dict[str, Any]]:
    """For each deal type, the first words of the deal's sentences that state it."""
    evidence = []
    for kind in sorted(types, key=TYPE_PRIORITY.index):
        span = next((s.type_spans[kind] for s in candidate.sentences if kind in s.type_spans), None)
        if span:
            evidence.append({"field": "types", "start": span[0], "end": span[1]})
    return evidence
