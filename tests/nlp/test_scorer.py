"""The learned deal-candidate scorer: its arithmetic, its artifact, and that the script rebuilds it."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from biodeals.model import Endpoint, EvidenceSpan, Named, Readout
from biodeals.nlp import annotate
from biodeals.nlp.deals.scorer import ARTIFACT, LearnedScorer, learned_scorer
from biodeals.nlp.readout_scorer import ARTIFACT as READOUT_ARTIFACT
from biodeals.nlp.readout_scorer import readout_confidence, readout_features
from tests.conftest import doc

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT.parent / "shared" / "corpus" / "dev"


def test_the_score_is_the_logistic_of_the_weights_of_the_features_that_hold():
    scorer = LearnedScorer({"typed": 1.0, "one_sided": -2.0}, bias=0.5)
    assert scorer({"typed": True, "one_sided": False, "unknown": True}) == pytest.approx(1 / (1 + math.exp(-1.5)))
    assert scorer({"typed": True, "one_sided": True}) == pytest.approx(1 / (1 + math.exp(0.5)))
    assert scorer({}) == pytest.approx(1 / (1 + math.exp(-0.5)))


def test_the_committed_model_weighs_only_features_a_candidate_has():
    text = "Eli Lilly and Company and Kestrel Therapeutics, Inc. today announced a license agreement for antibody drugs."
    (candidate,) = annotate(doc(text)).candidates
    assert set(learned_scorer().weights) <= set(candidate.features)
    assert json.loads(ARTIFACT.read_text())["source"].startswith("../shared/corpus/dev")


@pytest.mark.skipif(not DEV.is_dir(), reason="no ../shared/corpus/dev beside the repository")
def test_the_training_script_rebuilds_the_committed_model(monkeypatch, tmp_path):
    pytest.importorskip("sklearn", reason="training needs scikit-learn (the dev extra)")
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    import train_scorer

    monkeypatch.setattr(train_scorer, "ARTIFACT", tmp_path / "scorer.json")
    monkeypatch.setattr(train_scorer, "READOUT_ARTIFACT", tmp_path / "readout_scorer.json")
    train_scorer.main([str(DEV), "--write"])
    assert LearnedScorer.load(tmp_path / "scorer.json") == LearnedScorer.load()
    assert LearnedScorer.load(tmp_path / "readout_scorer.json") == LearnedScorer.load(READOUT_ARTIFACT)


def test_every_kept_deal_and_readout_carries_the_models_probability():
    text = (
        "Eli Lilly and Company and Kestrel Therapeutics, Inc. today announced a license agreement for antibody "
        "drugs. Kestrel will receive $50 million upfront.\n\nIn the Phase 3 ORBIT-2 trial, kestrelimab met its "
        "primary endpoint, with an objective response rate of 47% versus 20%."
    )
    annotations = annotate(doc(text))
    (deal,) = annotations.record["deals"]
    kept = next(c for c in annotations.candidates if c.rejected is None)
    assert deal["confidence"] == round(learned_scorer()(kept.features), 3)
    assert 0.0 < deal["confidence"] < 1.0
    for readout in annotations.record["readouts"]:
        features = readout_features(Readout.from_record(readout))
        assert readout["confidence"] == round(LearnedScorer.load(READOUT_ARTIFACT)(features), 3)


def test_a_readout_stating_more_is_more_sure():
    bare = Readout(assets=(Named("x"),))
    full = Readout(
        trial=Named("ORBIT-2"),
        phase="3",
        assets=(Named("x"),),
        endpoints=[Endpoint("ORR", 47.0, "%")] * 3,
        evidence=[EvidenceSpan("readout", 0, 10), EvidenceSpan("readout", 11, 20)],
    )
    assert readout_confidence(full) > readout_confidence(bare)
