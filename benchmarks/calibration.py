#!/usr/bin/env python3
"""Is the confidence stored with each deal and readout a probability? On ../shared/corpus/dev,
for the deals and readouts the extractor keeps: the share that are right (paired with a gold
deal or readout, as ``scripts/train_scorer.py`` labels them) in each band of confidence, the
Brier score and the expected calibration error; once with the committed models (fitted on all of
dev: in-sample) and once leave-one-style-out (each style's confidences from models fitted on the
other styles: the figure for text the models never saw).

usage: python benchmarks/calibration.py [CORPUS_DIR]
"""

from __future__ import annotations

import sys
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import train_scorer

from biodeals.nlp.deals.scorer import learned_scorer
from biodeals.nlp.readout_scorer import learned_readout_scorer

BANDS = (0.0, 0.5, 0.7, 0.8, 0.9, 1.01)


def report(title: str, pairs: list[tuple[float, int]]) -> None:
    """Per band: how many, mean confidence, share right; then Brier score and ECE."""
    print(f"\n{title}: {len(pairs)} kept, {sum(y for _, y in pairs)} right")
    print(f"  {'confidence':>12} {'n':>4} {'mean':>6} {'right':>6}")
    ece = 0.0
    for low, high in pairwise(BANDS):
        band = [(p, y) for p, y in pairs if low <= p < high]
        if not band:
            continue
        mean = sum(p for p, _ in band) / len(band)
        right = sum(y for _, y in band) / len(band)
        ece += len(band) / len(pairs) * abs(mean - right)
        print(f"  {f'{low:.1f}-{min(high, 1.0):.1f}':>12} {len(band):4d} {mean:6.3f} {right:6.3f}")
    brier = sum((p - y) ** 2 for p, y in pairs) / len(pairs)
    print(f"  Brier {brier:.3f}  ECE {ece:.3f}")


def main(argv: list[str]) -> None:
    corpus = Path(argv[0]) if argv else train_scorer.SHARED / "corpus" / "dev"
    if not corpus.is_dir():
        sys.exit(f"no corpus at {corpus}")
    data = train_scorer.examples(corpus)
    score = train_scorer._score_module()
    deals = {e.id: [(f, y) for f, y in train_scorer.labelled(e) if f["rules"]] for e in data}
    readouts = {e.id: train_scorer.labelled_readouts(e, score) for e in data}
    for name, rows, model in (("deals", deals, learned_scorer()), ("readouts", readouts, learned_readout_scorer())):
        report(f"{name}, committed model (in-sample)", [(model(f), y) for r in rows.values() for f, y in r])
        held_out = []
        for style in sorted({e.style for e in data}):
            if name == "deals":  # the deal model learns from every candidate, kept or not
                others = train_scorer.fit([row for e in data if e.style != style for row in train_scorer.labelled(e)])
            else:
                others = train_scorer.fit([row for e in data if e.style != style for row in rows[e.id]])
            held_out += [(others(f), y) for e in data if e.style == style for f, y in rows[e.id]]
        report(f"{name}, leave-one-style-out", held_out)


if __name__ == "__main__":
    main(sys.argv[1:])
