"""The entity-recognition pipeline: a Document in, its entities, money and dates out.

Steps, each a pure function of the text: vocabulary matching, pattern recognisers (companies,
code names, trials), overlap resolution, within-document alias resolution, money and dates.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from biodeals import fastre
from biodeals.ingest.document import Document
from biodeals.nlp.dates import DateMention, find_dates
from biodeals.nlp.gazetteer import OverlapRule, longest_first, match_gazetteer
from biodeals.nlp.money import Money, find_money
from biodeals.nlp.patterns import (
    find_code_names,
    find_companies,
    find_drug_names,
    find_mechanism_assets,
    find_programs,
    find_trials,
)
from biodeals.nlp.resolve import normalise_name, resolve_entities
from biodeals.nlp.spans import Entity, Label, Mention
from biodeals.nlp.vocab import Vocabulary, load_vocabulary

PIPELINE_STEPS = (
    "biodeals.gazetteer.v1",
    "biodeals.company_patterns.v1",
    "biodeals.code_names.v1",
    "biodeals.drug_names.v1",
    "biodeals.programs.v1",
    "biodeals.trials.v1",
    "biodeals.longest_first.v1",
    "biodeals.mechanism_assets.v1",
    "biodeals.resolve.v1",
    "biodeals.money.v1",
    "biodeals.dates.v1",
)
"""Registered steps, in order; ``tests/nlp/test_pipeline.py`` keeps this list honest."""


@dataclass(slots=True)
class Analysis:
    """What recognition found in one document (offsets index ``Document.text``)."""

    entities: list[Entity] = field(default_factory=list)
    money: list[Money] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    # per label: its entities, and (mention start, entity index) pairs in text order
    _index: dict[Label, tuple[list[Entity], list[tuple[int, int]]]] = field(default_factory=dict, repr=False)
    _money_starts: list[tuple[int, int]] | None = field(default=None, repr=False)  # (start, index) sorted

    def _indexed(self, label: Label) -> tuple[list[Entity], list[tuple[int, int]]]:
        if label not in self._index:
            entities = [e for e in self.entities if e.label == label]
            starts = sorted((m.start, i) for i, e in enumerate(entities) for m in e.mentions)
            self._index[label] = (entities, starts)
        return self._index[label]

    def of(self, label: Label) -> list[Entity]:
        return list(self._indexed(label)[0])

    def within(self, label: Label, start: int, end: int) -> list[Entity]:
        """Entities of ``label`` mentioned in the cleaned-text range ``[start, end)``, in the
        order of ``of(label)``."""
        entities, starts = self._indexed(label)
        first = bisect.bisect_left(starts, (start, -1))
        last = bisect.bisect_left(starts, (end, -1), first)
        if first == last:
            return []
        return [entities[i] for i in sorted({i for _, i in starts[first:last]})]

    def money_in(self, start: int, end: int) -> list[Money]:
        """Money stated from ``[start, end)`` on (its start in the range), in the order of ``money``."""
        if self._money_starts is None:
            self._money_starts = sorted((m.start, i) for i, m in enumerate(self.money))
        first = bisect.bisect_left(self._money_starts, (start, -1))
        last = bisect.bisect_left(self._money_starts, (end, -1), first)
        return [self.money[i] for i in sorted(i for _, i in self._money_starts[first:last])]


_AND_ANOTHER = fastre.compile(r",?\s+(?:and|&)\s+([A-Z].+)")


def _trim_to_known(candidates: list[Mention], known: list[Mention]) -> list[Mention]:
    """Cut pattern companies that swallowed words before a known company
    ("Jennifer Brennan Daiichi Sankyo, Inc." -> "Daiichi Sankyo, Inc.")."""
    out = []
    # known companies by start, each with its place in ``known`` (ties go to longest_first in that order)
    companies = sorted(((k.start, i, k) for i, k in enumerate(known) if k.label == "company"), key=lambda x: x[:2])
    starts = [start for start, _, _ in companies]
    for c in candidates:
        within = companies[bisect.bisect_left(starts, c.start) : bisect.bisect_left(starts, c.end)]
        inner = longest_first(k for _, _, k in sorted(within, key=lambda x: x[1]) if k.end <= c.end)
        if len(inner) > 1:
            continue  # "Merck KGaA and Merck & Co., Inc." names two known companies
        if inner:
            k = inner[0]
            rest = _AND_ANOTHER.match(c.text, k.end - c.start)
            if rest:  # "Eli Lilly and Company and Biolojic Design Ltd." names two companies
                start = c.start + rest.start(1)
                out.append(Mention(c.label, start, c.end, rest.group(1), f"p:{rest.group(1).lower()}", c.source))
                continue
            text = c.text[k.start - c.start :]
            # "Merck Sharp & Dohme LLC" is the known company plus a legal suffix: keep its identity
            key = k.key if normalise_name(text) == normalise_name(k.text) else c.key
            c = Mention(c.label, k.start, c.end, text, key, c.source)
        out.append(c)
    return out


# "Vice President, Medicine Team Group Lead for Breast Cancer, Colorectal Cancer and Melanoma"
_JOB_TITLE_BEFORE = fastre.compile(
    r"\b(?:President|Head|Lead|Director|Officer|Chief|Chair|Manager|VP|Franchise|Unit)\b[^.;:()]{0,80}$"
)


def _in_job_title(text: str, mention: Mention) -> bool:
    """A capitalised disease in a person's job title names a business area, not an indication."""
    return (
        mention.label == "disease"
        and mention.text[:1].isupper()
        and bool(_JOB_TITLE_BEFORE.search(text, max(0, mention.start - 90), mention.start))
    )


def recognize(document: Document, vocab: Vocabulary | None = None, overlap: OverlapRule = longest_first) -> Analysis:
    """Entities (companies, drugs, targets, diseases, trials, modalities), money and dates in
    ``document.text``."""
    vocab = vocab or load_vocabulary()
    text = document.text
    known = [m for m in match_gazetteer(text, vocab) if not _in_job_title(text, m)]
    companies = _trim_to_known(find_companies(text), known)
    codes = find_code_names(text)
    drugs = find_drug_names(text) + find_programs(text)
    exclude = {m.text for m in known if m.label in ("target", "company")} | {c.text for c in codes if len(c.text) < 8}
    trials = find_trials(text, exclude)
    mentions = overlap([*known, *companies, *codes, *drugs, *trials])
    # mechanism-named assets nest around the target they name, so both are kept
    mentions = sorted(mentions + find_mechanism_assets(text), key=lambda m: m.start)
    entities = resolve_entities(text, mentions, vocab, document.sections)
    return Analysis(entities, find_money(text), find_dates(text))
