"""The learned deal-candidate scorer: its arithmetic, its artifact, and that the script rebuilds it."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from biodeals.nlp import annotate
from biodeals.nlp.deals.scorer import ARTIFACT, LearnedScorer, learned_scorer
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
    train_scorer.main([str(DEV), "--write"])
    rebuilt = LearnedScorer.load(tmp_path / "scorer.json")
    assert rebuilt == LearnedScorer.load()
