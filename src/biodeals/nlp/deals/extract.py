"""Deal extraction in three steps: find candidates, score them, fill the slots of those kept.

Each step is a pipeline component (``nlp/steps.py``); ``extract_deals`` runs the three in a row.
Scoring is a named, swappable function of a candidate's features, so a learned scorer can
replace the rules without touching how candidates are found or filled.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from biodeals import fastre
from biodeals.ingest.document import Document
from biodeals.model import Amount, Deal, DealType, EvidenceSpan, MoneyKind, Named, Party, Role, Status
from biodeals.nlp.analysis import Analysis
from biodeals.nlp.deals.candidates import (
    SERVICE_TYPES,
    TYPE_PRIORITY,
    DealCandidate,
    attach_money_sentences,
    group_deals,
    merge_unit_deals,
    tells_results,
)
from biodeals.nlp.deals.facts import DocumentFacts
from biodeals.nlp.deals.relevance import is_biopharma
from biodeals.nlp.deals.roles import CONTRACT_MAKER, INVESTOR_NAME, SUBJECT_ROLES, assign_roles
from biodeals.nlp.deals.rounds import gather_rounds, round_subject
from biodeals.nlp.deals.scorer import context_features, deal_confidence
from biodeals.nlp.deals.sentences import find_deal_sentences, group_pairs
from biodeals.nlp.deals.stage import deal_stage, drug_mentions, stage_ranges
from biodeals.nlp.deals.subjects import asset_sentences, deal_modalities, mention_evidence, subject_scope, type_evidence
from biodeals.nlp.deals.terms import deal_status, money_terms, royalties_of
from biodeals.nlp.patterns import PERSON_TITLES
from biodeals.nlp.ranges import mentions_in
from biodeals.nlp.spans import Entity, Label, Mention, most_specific

Scorer = Callable[[dict[str, bool]], float]
ACCEPT_AT = 0.5
"""A candidate whose score reaches this is a deal."""
# the kinds of deal whose other side a text may leave unnamed
_LONE_KINDS = {"equity", "acquisition", "asset_purchase"}
# what a company's own financing is told with; "investment" alone may be spending on its plants
_FINANCING = fastre.compile(
    r"\b(?:rais(?:e|es|ed|ing)|round|offering|placement|financing|funding|Series [A-F]\b|shares|stock|warrants"
    r"|proceeds|IPO|seed|investors?)\b",
    re.I,
)
_TRIAL_SUPPLY = fastre.compile(r"\bclinical (?:trial )?(?:collaboration and )?supply agreements?\b", re.I)
_MAKER_AFTER = fastre.compile(r"\s+(?:maker|makers|developer|owner|seller)\b")


def _in_ranges(entity: Entity, ranges: list[tuple[int, int]]) -> list[Mention]:
    return [m for start, end in ranges for m in mentions_in(entity, start, end)]


# "in collaboration with Dr. Jane Roe": a person is no party to a deal
_WITH_PERSON = fastre.compile(rf"\bwith (?:(?:{PERSON_TITLES})\b|[A-Z][a-z]+ [A-Z]\. [A-Z][a-z]+)")


def find_candidates(
    document: Document, analysis: Analysis, spans: list[tuple[int, int]], published: date | None
) -> list[DealCandidate]:
    """Deal candidates: deal sentences grouped by the companies (and past year) they name, with
    the sentences that state their money."""
    candidates = group_deals(find_deal_sentences(document, analysis, spans), published.year if published else None)
    candidates = merge_unit_deals(candidates, group_pairs(analysis.of("company"), document.text))
    candidates = gather_rounds(candidates, analysis, document.text)
    attach_money_sentences(candidates, analysis, document.text, spans, document)
    return candidates


def rule_checks(candidate: DealCandidate, facts: DocumentFacts) -> dict[str, Callable[[], bool]]:
    """What the rules weigh, in the order a rejection names the first that fails:
    ``news_or_dated`` (asked of a deal whose sentences name one company: they must tell it as
    news), ``not_financial_results`` (a deal told only in results sentences, "charges related to
    the acquisitions of DICE, Versanis and Emergence", is background), ``partner_not_a_person``
    (a collaboration "with Dr. Jane Roe" is none; asked of one-company deals), ``lone_kind`` (a
    deal whose sentences name one company is a financing or a purchase, whose other side may go
    unnamed, "raised $15 million from investors", "acquired the drug"; a licence, collaboration or
    supply deal without its partner is a company's talk of its business, and so is an investment
    told without a financing word, "brings Lilly's total Limerick investment to $2 billion"), ``between_groups``
    (not a parent and its subsidiary in an undated deal; a dated acquisition is how a group came
    to be), ``typed`` (a sentence states a deal type) and ``biopharma`` (a deal about medicines,
    ``relevance.is_biopharma``)."""
    return {
        "news_or_dated": lambda: candidate.year is not None or candidate.this_year or candidate.is_news,
        "not_financial_results": lambda: not all(tells_results(s.text) for s in candidate.sentences if s.types),
        "partner_not_a_person": lambda: candidate.types != {"collaboration"} or not any(
            _WITH_PERSON.search(s.text) for s in candidate.sentences
        ),
        "lone_kind": lambda: bool(candidate.types & _LONE_KINDS)
        and (candidate.types & _LONE_KINDS != {"equity"} or any(_FINANCING.search(s.text) for s in candidate.sentences)),
        "between_groups": lambda: not (
            candidate.year is None
            and "acquisition" not in candidate.types
            and len(candidate.companies) == 2
            and facts.same_group(*candidate.companies)
        ),
        "typed": lambda: bool(candidate.types),
        "biopharma": lambda: is_biopharma(candidate, facts.analysis, facts.text, candidate.scope, facts),
    }


_ONE_SIDED_ONLY = ("news_or_dated", "partner_not_a_person", "lone_kind")


def candidate_features(candidate: DealCandidate, facts: DocumentFacts) -> dict[str, bool]:
    """Every rule check (``rule_checks``), ``rules`` (whether all those the rules ask of this
    candidate hold; the two of a one-company deal are asked of it alone) and what else the
    candidate shows (``scorer.context_features``), for a scorer to weigh."""
    features = {name: holds() for name, holds in rule_checks(candidate, facts).items()}
    asked = features if len(candidate.companies) == 1 else {k: v for k, v in features.items() if k not in _ONE_SIDED_ONLY}
    failed = next((name for name, holds in asked.items() if not holds), None)
    features["rules"] = failed is None
    features.update(context_features(candidate, facts))
    candidate.rule_failure = failed
    return features


def rule_score(features: dict[str, bool]) -> float:
    """1 when every check the rules ask holds, else 0."""
    return float(features["rules"])


def score_candidates(candidates: list[DealCandidate], facts: DocumentFacts, scorer: Scorer = rule_score) -> None:
    """Set each candidate's ``scope``, ``features``, ``score`` and, below ``ACCEPT_AT``, ``rejected``
    (the first rule check that fails, else the score)."""
    for candidate in candidates:
        candidate.scope = subject_scope(candidate, facts)
        candidate.features = candidate_features(candidate, facts)
        candidate.score = scorer(candidate.features)
        if candidate.score < ACCEPT_AT:
            candidate.rejected = f"not {candidate.rule_failure or 'scored a deal'}"


def _named(entity: Entity) -> Named:
    return Named(entity.name, tuple(entity.aliases))


def fill_deal(candidate: DealCandidate, facts: DocumentFacts, published: date | None) -> Deal | None:
    """The deal a kept candidate states: types, status, year, parties and roles, money, royalties,
    assets, targets, indications and modalities, each with its evidence span (cleaned-text
    offsets). None, with ``candidate.rejected`` set, when its subject side is no medicines
    company (a drug company buying a clinic or licensing a diagnostic test)."""
    analysis, text, scope = facts.analysis, facts.text, candidate.scope
    types = candidate.types
    primary = next(t for t in TYPE_PRIORITY if t in types)
    if primary in SERVICE_TYPES and "collaboration" in types and any(_TRIAL_SUPPLY.search(s.text) for s in candidate.sentences):
        primary = "collaboration"  # each supplies its drug to a combination trial: partners
    subject = None
    if primary == "equity" and candidate.investee is None and all(INVESTOR_NAME.search(c.name) for c in candidate.companies):
        # a stake whose sentences name only investors, in a deal that is more than a round
        subject = round_subject(analysis, {c.name for c in candidate.companies})
    if subject:
        candidate.companies.append(subject)
    news = candidate.year is None and candidate.is_news
    money = money_terms(candidate, analysis, text)
    split = money.pop("milestone_split", {})
    evidence = [{"field": "deal", "start": s.start, "end": s.end} for s in candidate.sentences]
    evidence += [{"field": k, "start": m.start, "end": m.end} for k, m in money.items()]
    evidence += [{"field": f"milestones_{k}", "start": m.start, "end": m.end} for k, m in split.items()]

    def inside(label: Label, ranges: list[tuple[int, int]] = scope) -> list[Entity]:
        seen: dict[str, Entity] = {}
        for start, end in ranges:
            for e in analysis.within(label, start, end):
                seen.setdefault(e.name, e)
        return list(seen.values())

    # "Ozempic maker Novo Nordisk": a drug that names its maker is no asset of the deal
    assets = [a for a in inside("drug") if not all(_MAKER_AFTER.match(text, m.end) for m in _in_ranges(a, scope))]
    in_scope = set(scope)
    asset_scope = scope + [span for span in asset_sentences(assets, facts) if span not in in_scope]
    targets = inside("target", asset_scope)
    indications = most_specific(inside("disease"))
    modalities, modality_evidence = deal_modalities(analysis, text, scope, assets)
    makers: list[Entity] = []
    if primary in SERVICE_TYPES:  # the parties described as contract manufacturers or suppliers
        makers = [c for c in candidate.companies[:2] if any(CONTRACT_MAKER.search(text, *s) for s in facts.descriptions(c))]
    parties = assign_roles(candidate, primary, text, makers[0] if len(makers) == 1 else None)
    if len(makers) == 2 and "collaboration" in types:
        # "AGC Biologics and BioConnection partner to offer end-to-end manufacturing": two contract
        # manufacturers joining their services are partners, neither one the other's client
        parties = [(e, Role.PARTNER) for e, _ in parties]
    if any(role in SUBJECT_ROLES and facts.kind(e) == "other" for e, role in parties):
        candidate.rejected = "subject is no medicines company"
        return None
    if [role for _, role in parties] == [Role.INVESTOR]:
        # "brings Lilly's total Limerick investment to $2 billion": spending, with no one funded
        candidate.rejected = "an investment in no company"
        return None
    sentence_spans = [(s.start, s.end) for s in candidate.sentences]
    evidence += type_evidence(candidate, types)
    subject_spans = [(m.start, m.end) for m in subject.mentions[:1]] if subject else []
    evidence += mention_evidence("parties", [e for e, _ in parties], sentence_spans + subject_spans)
    evidence += mention_evidence("assets", assets, scope)
    evidence += mention_evidence("targets", targets, asset_scope)
    evidence += mention_evidence("indications", indications, scope)
    evidence += modality_evidence
    # only of a deal the text reports as news: of one it recalls (dated before, or mentioned as
    # background, "emerged from the collaboration"), the stage it states is today's, not at signing
    stage = None
    if candidate.this_year or news:
        drugs = drug_mentions(analysis.of("drug"), assets)
        stage = deal_stage(text, stage_ranges(scope, assets, facts), drugs)
    if stage:
        evidence.append({"field": "stage", "start": stage.start, "end": stage.end})
    status = deal_status(candidate, news)
    return Deal(
        types=[DealType(t) for t in sorted(types, key=TYPE_PRIORITY.index)],
        parties=[Party(e.name, role, tuple(e.aliases)) for e, role in parties],
        status=Status(status) if status else None,
        year=candidate.year or (published.year if (news or candidate.this_year) and published else None),
        money={MoneyKind(kind): Amount(m.amount, m.currency) for kind, m in money.items()},
        milestone_split={kind: Amount(m.amount, m.currency) for kind, m in split.items()},
        royalties=royalties_of(" ".join(s.text for s in candidate.sentences)),
        assets=tuple(map(_named, assets)),
        targets=tuple(map(_named, targets)),
        indications=tuple(map(_named, indications)),
        modalities=tuple(modalities),
        evidence=[EvidenceSpan(e["field"], e["start"], e["end"]) for e in evidence],
        confidence=deal_confidence(candidate),
        stage=stage.stage if stage else None,
    )


def extract_deals(
    document: Document, analysis: Analysis, spans: list[tuple[int, int]], published: date | None
) -> list[Deal]:
    """The deals ``document`` states: candidates found, scored by the rules, kept ones filled."""
    facts = DocumentFacts(document, analysis, spans)
    candidates = find_candidates(document, analysis, spans, published)
    score_candidates(candidates, facts)
    filled = (fill_deal(c, facts, published) for c in candidates if c.rejected is None)
    return [deal for deal in filled if deal is not None]
