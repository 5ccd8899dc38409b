#!/usr/bin/env python3
"""Extraction quality on ../shared/corpus/dev: runs `extract_record` over every text, scores the
records with ../shared/eval/score.py and prints its per-field table and deal / readout / overall F1,
then the same three figures for each style of document (told by the id's prefix), since a gain
that holds in one house style and not in the others is tuning, not progress; and, for the one
fitted part (the deal-candidate scorer), each style's deal F1 when the model is fitted on the
other styles only.

usage: python benchmarks/quality.py [CORPUS_DIR] [--errors] [--no-styles] [--no-loso]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from biodeals.ingest import ReadOptions, read_path
from biodeals.nlp import extract_record

SHARED = Path(__file__).resolve().parents[2] / "shared"
SCORER = SHARED / "eval" / "score.py"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import train_scorer  # noqa: E402  (a script beside this one: the styles, and the scorer's training)

style_of = train_scorer.style_of


def score(corpus: Path, predictions: Path, ids: list[str] | None = None) -> dict:
    """score.py's summary (``--json``) of ``predictions``, on ``ids`` only when given."""
    command = [sys.executable, str(SCORER), str(corpus), str(predictions), "--json"]
    if ids is not None:
        command.append("--ids=" + ",".join(ids))
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def main(argv: list[str]) -> None:
    corpus = Path(next((a for a in argv if not a.startswith("--")), SHARED / "corpus" / "dev"))
    if not corpus.is_dir():
        sys.exit(f"no corpus at {corpus}")
    ids: list[str] = []
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as out:
        for path in sorted(corpus.glob("*.txt")):
            for document in read_path(path, ReadOptions()):
                out.write(json.dumps(extract_record(document)) + "\n")
                ids.append(document.name)
    command = [sys.executable, str(SCORER), str(corpus), out.name]
    subprocess.run(command + (["--errors"] if "--errors" in argv else []), check=True)
    if "--no-styles" not in argv:
        print(f"\n{'style':10} {'docs':>4}  {'deal F1':>7} {'readout F1':>10} {'overall F1':>10}")
        for style in sorted({style_of(i) for i in ids}):
            chosen = [i for i in ids if style_of(i) == style]
            figures = score(corpus, Path(out.name), chosen)
            print(
                f"{style:10} {len(chosen):4}  {figures['deal']['f1']:7.3f} {figures['readout']['f1']:10.3f} "
                f"{figures['overall']['f1']:10.3f}"
            )
    Path(out.name).unlink()
    if "--no-loso" not in argv:
        leave_one_style_out(corpus)


def leave_one_style_out(corpus: Path) -> None:
    """The one fitted part, the deal-candidate scorer (``scripts/train_scorer.py``): deal F1 per
    style under the rules, the model fitted on every style and the model fitted on the others."""
    data = train_scorer.examples(corpus)
    rows = {e.id: train_scorer.labelled(e) for e in data}
    print(f"\nleave-one-style-out, deal F1 of the candidate scorer ({sum(map(len, rows.values()))} candidates)")
    print(f"{'style':10} {'docs':>4}  {'rules':>6} {'fit all':>7} {'fit others':>10}")
    for style, docs, rules, fitted, others in train_scorer.leave_one_style_out(corpus, data, rows):
        print(f"{style:10} {docs:4d}  {rules:6.3f} {fitted:7.3f} {others:10.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
