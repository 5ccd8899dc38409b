"""A deal's stage at signing: how far its programme had come, as the deal's own sentences and
those describing its assets say ("its Phase 2 candidate", "an FDA-approved therapy").

The words are rows of ``rules/stages.toml``; a mention told as a plan or a deal term ("will
start a Phase 3 trial", "development through Phase 2") is not where the programme stands, and
where several stages are stated the most advanced is the deal's (a licence of a portfolio is
valued by its lead asset).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from biodeals import fastre, rules
from biodeals.model import DEAL_STAGES, numbered_stage
from biodeals.nlp.deals.facts import DocumentFacts
from biodeals.nlp.deals.subjects import asset_sentences
from biodeals.nlp.deals.words import words
from biodeals.nlp.spans import Entity

_NOT_YET_BEFORE = words("stage.not_yet_before")
_NOT_YET_AFTER = words("stage.not_yet_after")
_NOW_BEFORE = words("stage.now_before")
_LOOK_BEHIND = 180  # characters before a stage word where a plan or a term is told
_LOOK_AHEAD = 120
# where the words a plan is told with stop governing what follows: a sentence's end, a relative
# clause or an apposition ("Tessaly will pay $40M for TSL-1027, which is in a Phase 2 trial")
_CLAUSE_END = fastre.compile(r"[.;:!?]\s|\b(?:which|that|who)\s+(?:is|are|was|were|has|have)\b|,\s+(?:a|an|its)\s")
_IN_LINK = fastre.compile(r"(?:https?://|www\.|\]\()\S*$")  # "seekingalpha.com/news/veru-targets-phase-3-..."


@dataclass(frozen=True, slots=True)
class StageMention:
    """A stage the text states, and where (``start``, ``end``: the words that state it)."""

    stage: str
    start: int
    end: int

    @property
    def rank(self) -> int:
        return DEAL_STAGES.index(self.stage)


@cache
def _rows() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((row.pattern, row["stage"]) for row in rules.load("stages") if row.pattern is not None)


def _stated_now(text: str, start: int, end: int, floor: int) -> bool:
    """Whether the words around ``text[start:end]`` tell where a programme stands, not a plan
    or a term; ``floor`` is where its sentence starts."""
    before = text[max(floor, start - _LOOK_BEHIND) : start]
    if _IN_LINK.search(before):
        return False
    clause = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    if _NOT_YET_AFTER.match(text[end : end + _LOOK_AHEAD]):
        return False
    return bool(_NOW_BEFORE.search(before, clause)) or not _NOT_YET_BEFORE.search(before, clause)


def stage_mentions(text: str, start: int, end: int) -> list[StageMention]:
    """Every stage ``text[start:end]`` states as where a programme stands, in text order."""
    found: list[StageMention] = []
    for pattern, stage in _rows():
        for match in pattern.finditer(text, start, end):
            if not _stated_now(text, match.start(), match.end(), start):
                continue
            stated = numbered_stage(match.group("a"), match.group("b")) if stage == "numbered" else stage
            found.append(StageMention(stated, match.start(), match.end()))
    return sorted(found, key=lambda m: m.start)


def stage_ranges(scope: list[tuple[int, int]], assets: list[Entity], facts: DocumentFacts) -> list[tuple[int, int]]:
    """Where a deal's stage is read: its scope (its sentences and those telling what it is about,
    ``subjects.subject_scope``), the body sentences naming its assets, and the sentences of an
    "About" section headed by one of its assets' names ("About Rimegepant")."""
    ranges = [*scope, *asset_sentences(assets, facts)]
    names = [name.lower() for asset in assets for name in asset.names if len(name) > 2]
    for section in facts.document.sections:
        if section.kind == "about" and any(name in section.title.lower() for name in names):
            ranges += facts.spans_within(section.start, section.end)
    return ranges


def _nearest_is_ours(mention: StageMention, drugs: list[tuple[int, int, bool]]) -> bool:
    """Whether the drug named nearest the stage words is one of the deal's (``drugs``: the
    sentence's drug mentions, each with whether it is); True when the sentence names none: a
    stage of "the drug", "its lead candidate" is the deal's. In a sentence naming another
    drug ("positive Phase 3 readouts for lebrikizumab") the stage is that drug's."""
    if not drugs:
        return True

    def distance(drug: tuple[int, int, bool]) -> tuple[int, bool]:
        gap = max(drug[0] - mention.end, mention.start - drug[1], 0)
        return gap, not drug[2]  # on a tie, the deal's own

    return min(drugs, key=distance)[2]


def deal_stage(
    text: str, ranges: list[tuple[int, int]], drugs: list[tuple[int, int, bool]] | None = None
) -> StageMention | None:
    """The most advanced stage the ranges (a deal's sentences and those naming its assets)
    state of the deal's programme, at its first mention; None when they state none. ``drugs``
    are the text's drug mentions ``(start, end, is_the_deals)``: a stage nearer another drug is
    that drug's."""
    best: StageMention | None = None
    drugs = sorted(drugs or [])
    for start, end in dict.fromkeys(ranges):
        inside = [d for d in drugs if start <= d[0] and d[1] <= end]
        for mention in stage_mentions(text, start, end):
            if not _nearest_is_ours(mention, inside):
                continue
            if best is None or (mention.rank, -mention.start) > (best.rank, -best.start):
                best = mention
    return best


def drug_mentions(drugs: list[Entity], assets: list[Entity]) -> list[tuple[int, int, bool]]:
    """Every mention of ``drugs`` as ``(start, end, is one of assets)``."""
    ours = {id(asset) for asset in assets}
    return [(m.start, m.end, id(drug) in ours) for drug in drugs for m in drug.mentions]
