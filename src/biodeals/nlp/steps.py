"""The built-in pipeline components, registered in the order the default pipeline runs them.

Each is a thin wrapper: the work is done by a pure function of its own module, which is where
its rules and tests live. ``biodeals pipeline`` lists them; ``tests/nlp/pipeline_steps.json``
is the snapshot of this registry.
"""

from __future__ import annotations

from biodeals import fastre
from biodeals.nlp.analysis import Analysis
from biodeals.nlp.components import Annotations, component
from biodeals.nlp.contexts import common_phrase, find_companies_in_context
from biodeals.nlp.dates import find_dates, publication_date
from biodeals.nlp.deals.extract import fill_deal, find_candidates, score_candidates
from biodeals.nlp.deals.facts import DocumentFacts
from biodeals.nlp.deals.scorer import learned_scorer
from biodeals.nlp.drug_contexts import find_drugs_in_context
from biodeals.nlp.gazetteer import longest_first, match_gazetteer
from biodeals.nlp.mentions import (
    as_modifier,
    in_job_title,
    in_ticker_or_link,
    names_no_gene,
    split_joined_names,
    trim_to_known,
)
from biodeals.nlp.money import find_money
from biodeals.nlp.patterns import (
    find_code_names,
    find_companies,
    find_drug_names,
    find_mechanism_assets,
    find_programs,
    find_trials,
)
from biodeals.nlp.readouts import extract_readouts
from biodeals.nlp.record import assemble_record
from biodeals.nlp.resolve import resolve_entities
from biodeals.nlp.sentences import split_sentences


@component("biodeals.sentences.v1", produces=["sentences"])
def sentences(a: Annotations) -> None:
    """Sentence spans of the cleaned text (boilerplate sections come marked from ingest)."""
    a.sentences = split_sentences(a.document.text)


@component("biodeals.gazetteer.v1", produces=["known"])
def gazetteer(a: Annotations) -> None:
    """Vocabulary names (companies, drugs, targets, diseases, modalities) in one automaton pass;
    a capitalised disease in a job title, or a company right after one, is left out, and so is a
    drug named as half of a modifier ("lysine-specific demethylase 1"), a ticker, a web address
    or a person's title that spells a disease's acronym ("NYSE:PFE", "Drs."), and a gene symbol
    that is a company's, a city's or a practice's word ("EVA Pharma", "TEL AVIV,", "GMP manufacturing")."""
    text = a.document.text
    a.known = [
        m
        for m in match_gazetteer(text, a.vocab)
        if not in_job_title(text, m)
        and not as_modifier(text, m)
        and not in_ticker_or_link(text, m)
        and not names_no_gene(text, m)
    ]


_MARK_AFTER = fastre.compile(r"\s?(?:®|™|\(R\))")


@component("biodeals.name_patterns.v1", requires=["known"], produces=["found"])
def name_patterns(a: Annotations) -> None:
    """Names no vocabulary lists, by shape: companies (designators, legal forms, tickers,
    appositions, partners, their part in a deal; two joined by "and" split; cut to a known
    company they swallowed; none right after a job title), code names, INN stems and brands
    (marked, or named after a product noun: "its HPV vaccine Gardasil"), programs and trials."""
    text = a.document.text
    common = a.vocab.common_words
    # "Alzheimer's drugs": an eponym of a disease the text names is no company
    eponyms = {m.text.split()[0].removesuffix("’s").removesuffix("'s") for m in a.known if m.label == "disease"}
    in_context = [c for c in find_companies_in_context(text, common) if c.text not in eponyms]
    shaped = find_companies(text) + in_context
    companies = [
        c
        for c in trim_to_known(split_joined_names(shaped), a.known)
        if not in_job_title(text, c) and not (c.source == "partner" and common_phrase(c.text, common, one_word_ok=True))
    ]
    codes = find_code_names(text)
    exclude = {m.text for m in a.known if m.label in ("target", "company")} | {c.text for c in codes if len(c.text) < 8}
    not_drugs = {m.text for m in [*a.known, *companies] if m.label != "drug"}
    drugs = find_drug_names(text) + find_programs(text) + find_drugs_in_context(text, common, not_drugs)
    # "the TheraCour(R) technology of TheraCour, which TheraCour licenses": where a company's name
    # starts with a brand, the unmarked name is the company's short form
    company_words = {m.text.split()[0] for m in [*a.known, *companies] if m.label == "company" and " " in m.text}
    drugs = [d for d in drugs if not (d.source == "brand" and d.text in company_words and not _MARK_AFTER.match(text, d.end))]
    a.found = [*companies, *codes, *drugs, *find_trials(text, exclude)]


@component("biodeals.longest_first.v1", requires=["known", "found"], produces=["mentions"])
def overlap(a: Annotations) -> None:
    """One mention per stretch of text: the longest, the vocabulary's on a tie."""
    a.mentions = longest_first([*a.known, *a.found])


@component("biodeals.mechanism_assets.v1", requires=["mentions"], produces=["mentions"])
def mechanism_assets(a: Annotations) -> None:
    """Assets named by target and mechanism ("SARM1 inhibitors"), nested around the target."""
    named = [(m.start, m.end) for m in a.mentions if m.label == "drug"]
    a.mentions = sorted(a.mentions + find_mechanism_assets(a.document.text, named), key=lambda m: m.start)


@component("biodeals.linking.v1", requires=["mentions"], produces=["entities"])
def linking(a: Annotations) -> None:
    """Mentions of one thing grouped into an entity: vocabulary ids, parenthesised aliases,
    "About" headings and short forms of company names."""
    a.entities = resolve_entities(a.document.text, a.mentions, a.vocab, a.document.sections)


@component("biodeals.money.v1", produces=["money"])
def money(a: Annotations) -> None:
    """Money amounts with their currency ("$20 million", "€5m", "US$1.2 billion")."""
    a.money = find_money(a.document.text)


@component("biodeals.dates.v1", requires=["entities", "money"], produces=["dates", "published", "analysis"])
def dates(a: Annotations) -> None:
    """Dates, and the publication date (the document's own, else the dateline's)."""
    a.dates = find_dates(a.document.text)
    a.published = a.document.published or publication_date(a.dates)
    a.analysis = Analysis(a.entities, a.money, a.dates)


@component("biodeals.deal_candidates.v1", requires=["analysis", "sentences", "published"], produces=["candidates", "facts"])
def deal_candidates(a: Annotations) -> None:
    """Possible deals: sentences with a deal cue and a company, grouped by the companies (and
    past year) they name, with the sentences that state their money."""
    a.facts = DocumentFacts(a.document, a.analysis, a.sentences)
    a.candidates = find_candidates(a.document, a.analysis, a.sentences, a.published)


@component("biodeals.deal_scoring.v1", requires=["candidates", "facts"], produces=["candidates"])
def deal_scoring(a: Annotations) -> None:
    """Each candidate's features and score (rules: typed, between two groups, biopharma); a
    candidate below the threshold is rejected with its reason."""
    score_candidates(a.candidates, a.facts)


@component("biodeals.deal_scoring_learned.v1", requires=["candidates", "facts"], produces=["candidates"])
def deal_scoring_learned(a: Annotations) -> None:
    """Each candidate scored by the learned model (``deals/scorer.json``) in place of the rules;
    not in the default pipeline: it accepts what the dev gold lacks negatives for."""
    score_candidates(a.candidates, a.facts, learned_scorer())


@component("biodeals.deal_slots.v1", requires=["candidates", "facts", "published"], produces=["deals"])
def deal_slots(a: Annotations) -> None:
    """The deal of each kept candidate: types, status, year, parties and roles, money,
    royalties, assets, targets, indications, modalities, each with its evidence."""
    filled = (fill_deal(c, a.facts, a.published) for c in a.candidates if c.rejected is None)
    a.deals = [deal for deal in filled if deal is not None]


@component("biodeals.readouts.v1", requires=["analysis", "sentences"], produces=["readouts"])
def readouts(a: Annotations) -> None:
    """Reported trial results: trial, phase, assets, indications and endpoint values."""
    a.readouts = extract_readouts(a.document, a.analysis, a.sentences)


@component("biodeals.record.v1", requires=["analysis", "published", "deals", "readouts"], produces=["record"])
def record(a: Annotations) -> None:
    """The SCHEMA.md record, every span mapped to the original text."""
    a.record = assemble_record(a.document, a.analysis, a.published, a.deals, a.readouts)


DEFAULT_PIPELINE = (
    "biodeals.sentences.v1",
    "biodeals.gazetteer.v1",
    "biodeals.name_patterns.v1",
    "biodeals.longest_first.v1",
    "biodeals.mechanism_assets.v1",
    "biodeals.linking.v1",
    "biodeals.money.v1",
    "biodeals.dates.v1",
    "biodeals.deal_candidates.v1",
    "biodeals.deal_scoring.v1",
    "biodeals.deal_slots.v1",
    "biodeals.readouts.v1",
    "biodeals.record.v1",
)
"""The components ``extract_record`` runs, in order."""
ALTERNATIVES = {"biodeals.deal_scoring_learned.v1": "biodeals.deal_scoring.v1"}
"""Registered components outside the default pipeline, each with the step it can take the place of."""

RECOGNITION = DEFAULT_PIPELINE[: DEFAULT_PIPELINE.index("biodeals.dates.v1") + 1]
"""The components up to the ``Analysis`` (entities, money, dates)."""
