"""How sure the extractor is of a readout: logistic regression over what the readout states
(a named trial, a phase, a drug, an indication, endpoint values), trained on the dev gold by
``scripts/train_scorer.py``, like the deal scorer. The readout rules keep or drop; this number
only ranks what they kept, so an analyst can review the doubtful first."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from biodeals.model import Readout
from biodeals.nlp.deals.scorer import LearnedScorer

ARTIFACT = Path(__file__).with_name("readout_scorer.json")


def readout_features(readout: Readout) -> dict[str, bool]:
    """What a readout states, as 0/1 features."""
    sentences = sum(1 for e in readout.evidence if e.field == "readout")
    return {
        "trial": readout.trial is not None,
        "phase": readout.phase is not None,
        "asset": bool(readout.assets),
        "indication": bool(readout.indications),
        "endpoint": bool(readout.endpoints),
        "several_endpoints": len(readout.endpoints) >= 3,
        "several_sentences": sentences >= 2,
    }


@cache
def learned_readout_scorer() -> LearnedScorer:
    """The committed model (``scripts/train_scorer.py --write``)."""
    return LearnedScorer.load(ARTIFACT)


def readout_confidence(readout: Readout) -> float:
    """P(readout), rounded to three places."""
    return round(learned_readout_scorer()(readout_features(readout)), 3)
