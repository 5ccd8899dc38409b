"""What deal extraction asks many times about one document's entities, worked out once each."""

from __future__ import annotations

import bisect
from itertools import islice

from biodeals import fastre
from biodeals.ingest.document import Document
from biodeals.nlp.analysis import Analysis
from biodeals.nlp.deals.sentences import group_pairs
from biodeals.nlp.deals.words import words
from biodeals.nlp.descriptions import company_kind, descriptions
from biodeals.nlp.ranges import Cover, section_at
from biodeals.nlp.spans import Entity

NAMED_DRUG_SOURCES = frozenset({"gazetteer", "inn-stem", "code", "brand", "alias"})

_DEAL_ANAPHOR = words("news.deal_anaphor")
MOST_LIFE_SCIENCE_WORDS = 8  # counting stops here: the most any rule asks for
# a news brief of 800 characters that names a drug developer's phase 3 trial and migraine drug talks
# life science as densely as a release of 2,000 that uses the word eight times
MIN_DENSE_WORDS = 3
CHARS_PER_WORD = 250
BIOPHARMA_WORDS = fastre.Anchored(
    r"\b(?:clinical|trials?|FDA|EMA|preclinical|Phase [1-3I]|patients|therap(?:y|ies|eutics?)|drugs?|biotech\w*"
    r"|pharma(?:ceutical)?|oncology|antibod(?:y|ies)|molecules?|vaccines?|biologics?|candidates?|indications?|IND|NDA|BLA"
    r"|inhibitors?|agonists?|antagonists?|degraders?)\b",
    anchors=(
        *("clinical", "trial", "FDA", "EMA", "preclinical", "Phase ", "patients", "therap", "drug", "biotech"),
        *("pharma", "oncology", "antibod", "molecule", "vaccine", "biologic", "candidate", "indication"),
        *("IND", "NDA", "BLA", "inhibitor", "agonist", "antagonist", "degrader"),
    ),
)


class DocumentFacts:
    """What deal extraction asks many times about one document's entities (every deal of a long
    digest asks about "Lilly"), worked out once each: cost stays linear in the document's size."""

    def __init__(self, document: Document, analysis: Analysis, spans: list[tuple[int, int]]) -> None:
        self.document, self.text, self.analysis, self.spans = document, document.text, analysis, spans
        self._span_starts = [start for start, _ in spans]
        self._described: dict[int, tuple[Entity, list[tuple[int, int]]]] = {}
        self._covers: dict[int, tuple[Entity, Cover]] = {}
        self._flags: dict[tuple[str, int], tuple[Entity, bool]] = {}
        self._body_spans: dict[int, tuple[Entity, list[int]]] = {}
        self._pairs: dict[tuple[int, int], None] | None = None
        self._biopharma_words: int | None = None
        self._deal_anaphors: list[tuple[int, int]] | None = None

    def descriptions(self, company: Entity) -> list[tuple[int, int]]:
        if id(company) not in self._described:
            self._described[id(company)] = (company, descriptions(company, self.text))
        return self._described[id(company)][1]

    def kind(self, company: Entity) -> str | None:
        return company_kind(company, self.text, self.descriptions(company))

    def names(self, entity: Entity) -> Cover:
        """Where the text names ``entity``."""
        if id(entity) not in self._covers:
            self._covers[id(entity)] = (entity, Cover((m.start, m.end) for m in entity.mentions))
        return self._covers[id(entity)][1]

    def _flag(self, what: str, entity: Entity) -> bool:
        key = (what, id(entity))
        if key not in self._flags:
            if what == "vocabulary":
                value = entity.in_vocabulary
            else:  # a drug named as drugs are, not only by a pattern ("the ANKET platform")
                value = any(m.source in NAMED_DRUG_SOURCES for m in entity.mentions)
            self._flags[key] = (entity, value)
        return self._flags[key][1]

    def in_vocabulary(self, company: Entity) -> bool:
        return self._flag("vocabulary", company)

    def named_drug(self, drug: Entity) -> bool:
        return self._flag("named drug", drug)

    def same_group(self, first: Entity, second: Entity) -> bool:
        """Whether the document names one company a subsidiary of the other anywhere."""
        if self._pairs is None:
            self._pairs = group_pairs(self.analysis.of("company"), self.text)
        return (id(first), id(second)) in self._pairs or (id(second), id(first)) in self._pairs

    def deal_anaphors(self) -> list[tuple[int, int]]:
        """Body sentences that refer back to a deal ("the net proceeds from the offering", "the
        acquisition adds ..."), looked for once however many candidates ask."""
        if self._deal_anaphors is None:
            self._deal_anaphors = [
                span
                for span in self.spans
                if _DEAL_ANAPHOR.search(self.text, *span) and section_at(self.document, span[0]) is None
            ]
        return self._deal_anaphors

    def talks_biopharma(self, enough: int) -> bool:
        """Whether the text uses at least ``enough`` (at most ``MOST_LIFE_SCIENCE_WORDS``) life-science
        words, or, being short (a news brief), uses them as densely (one per ``CHARS_PER_WORD``)."""
        if self._biopharma_words is None:
            self._biopharma_words = len(list(islice(BIOPHARMA_WORDS.finditer(self.text), MOST_LIFE_SCIENCE_WORDS)))
        dense = self._biopharma_words >= MIN_DENSE_WORDS and self._biopharma_words * CHARS_PER_WORD >= len(self.text)
        return self._biopharma_words >= enough or dense

    def spans_within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The sentences that start inside ``[start, end)`` (a section's), in text order."""
        first = bisect.bisect_left(self._span_starts, start)
        return self.spans[first : bisect.bisect_left(self._span_starts, end, first)]

    def body_spans(self, entity: Entity) -> list[int]:
        """Indexes of the sentences (``spans``, sorted and disjoint) that name ``entity`` outside
        boilerplate sections."""
        if id(entity) not in self._body_spans:
            found: set[int] = set()
            for m in entity.mentions:
                index = bisect.bisect_right(self._span_starts, m.start) - 1
                if index >= 0 and m.start < self.spans[index][1] and section_at(self.document, m.start) is None:
                    found.add(index)
            self._body_spans[id(entity)] = (entity, sorted(found))
        return self._body_spans[id(entity)][1]
