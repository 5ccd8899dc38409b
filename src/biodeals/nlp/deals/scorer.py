"""A learned scorer for deal candidates: logistic regression over the rules' checks and what
else a candidate shows (how many sides it names, whether the story leads with it or dates it,
money, which types it states), trained on the dev gold by ``scripts/train_scorer.py``.

The rules are conjunctions (every check must hold); the learned weights say how much each check
is worth where the rules are too strict or too lax. The model is a few dozen numbers in
``scorer.json``; scoring is a dot product, with no library at run time.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from biodeals.model import DealType
from biodeals.nlp.deals.candidates import DealCandidate
from biodeals.nlp.deals.facts import DocumentFacts
from biodeals.nlp.deals.relevance import named_for_life_science
from biodeals.nlp.deals.roles import INVESTOR_NAME
from biodeals.nlp.ranges import section_at

ARTIFACT = Path(__file__).with_name("scorer.json")


def context_features(candidate: DealCandidate, facts: DocumentFacts) -> dict[str, bool]:
    """What a candidate shows besides the rules' checks."""
    companies, sentences = candidate.companies, candidate.sentences
    types = candidate.types
    features = {
        "one_sided": len(companies) == 1,
        "many_sided": len(companies) >= 3,
        "dated": candidate.year is not None,
        "news": candidate.is_news,
        "lede": any(s.in_lede for s in sentences),
        "several_sentences": len(sentences) >= 2,
        "money": any(facts.analysis.money_in(s.start, s.end) for s in sentences),
        "about_section": any(section_at(facts.document, s.start) is not None for s in sentences),
        "fund_party": any(INVESTOR_NAME.search(c.name) for c in companies),
        "known_party": any(facts.in_vocabulary(c) for c in companies),
        "life_science_name": any(named_for_life_science(c.name) for c in companies),
    }
    features.update({f"type:{t.value}": t.value in types for t in DealType})
    return features


@dataclass(frozen=True, slots=True)
class LearnedScorer:
    """``P(deal)`` as a logistic function of named 0/1 features; a feature the model does not
    know weighs nothing, one it knows and the candidate lacks counts as 0."""

    weights: dict[str, float]
    bias: float

    def __call__(self, features: dict[str, bool]) -> float:
        z = self.bias + sum(w for name, w in self.weights.items() if features.get(name))
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self, **about: object) -> str:
        return json.dumps({"bias": self.bias, "weights": self.weights, **about}, indent=1, sort_keys=True) + "\n"

    @classmethod
    def load(cls, path: Path = ARTIFACT) -> LearnedScorer:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls({k: float(v) for k, v in data["weights"].items()}, float(data["bias"]))


@cache
def learned_scorer() -> LearnedScorer:
    """The committed model (``scripts/train_scorer.py --write``)."""
    return LearnedScorer.load()


def deal_confidence(candidate: DealCandidate) -> float:
    """P(deal) of a scored candidate under the learned model, rounded to three places: the rules
    decide what is kept, this number says how sure the kept deal is."""
    return round(learned_scorer()(candidate.features), 3)
