#!/usr/bin/env python3
"""Train the deal-candidate scorer (``biodeals/nlp/deals/scorer.py``) on the dev gold and say
whether it generalises: leave-one-style-out, each style scored by a model fitted on the others.
Also train the readout scorer (``biodeals/nlp/readout_scorer.py``), whose probability is each
kept readout's confidence: a readout is labelled right when the scorer pairs it with a gold one.

A candidate is labelled a deal when it names a party of a gold deal of its document (candidates
and gold deals paired one to one, most shared parties first), which is how the scorer pairs
them. The model is logistic regression (scikit-learn, liblinear, fixed C, seeded) over the 0/1
features ``extract.candidate_features`` gives, the rules' own verdict among them.

usage: python scripts/train_scorer.py [CORPUS_DIR] [--loso] [--write]
  --loso   print deal F1 per style: rules, the model fitted on all styles, the model fitted on
           the other styles (the figure that says whether it generalises)
  --write  fit on every style and write biodeals/nlp/deals/scorer.json and
           biodeals/nlp/readout_scorer.json
"""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from biodeals.ingest import ReadOptions, read_path
from biodeals.ingest.document import Document
from biodeals.model import Readout
from biodeals.names import company_key
from biodeals.nlp import steps
from biodeals.nlp.components import Annotations, Pipeline, registered
from biodeals.nlp.deals.extract import Scorer, rule_score, score_candidates
from biodeals.nlp.deals.scorer import ARTIFACT, LearnedScorer
from biodeals.nlp.readout_scorer import ARTIFACT as READOUT_ARTIFACT
from biodeals.nlp.readout_scorer import readout_features
from biodeals.nlp.vocab import load_vocabulary

SHARED = Path(__file__).resolve().parents[2] / "shared"
SCORER = SHARED / "eval" / "score.py"
C = 1.0  # inverse regularisation strength: fixed, not tuned on dev
STYLES = {"lilly": "company", "merck": "company", "pfizer": "company", "news": "press", "fierce": "press",
          "newswire": "newswire", "seed": "seed"}  # id prefix -> style


def style_of(document_id: str) -> str:
    return STYLES.get(document_id.split("-", 1)[0], "other")


@dataclass
class Example:
    id: str
    style: str
    document: Document
    gold: dict[str, Any]


def examples(corpus: Path) -> list[Example]:
    found = []
    for path in sorted(corpus.glob("*.txt")):
        gold = json.loads(path.with_name(path.stem + ".gold.json").read_text(encoding="utf-8"))
        for document in read_path(path, ReadOptions()):
            found.append(Example(document.name, style_of(document.name), document, gold))
    return found


_STEPS = list(steps.DEFAULT_PIPELINE)
_SCORING = _STEPS.index("biodeals.deal_scoring.v1")
_HEAD = Pipeline(_STEPS[:_SCORING])  # up to the candidates
_TAIL = [registered()[name] for name in _STEPS[_SCORING + 1 :]]  # slots, readouts, record


def annotate(example: Example, scorer: Scorer) -> Annotations:
    """The default pipeline over one document with ``scorer`` in place of the rules."""
    annotations = _HEAD.annotate(example.document, load_vocabulary())
    score_candidates(annotations.candidates, annotations.facts, scorer)
    for step in _TAIL:
        step.run(annotations)
    return annotations


def _keys(names: Iterable[str]) -> set[str]:
    return {company_key(n) for n in names} - {""}


def labelled(example: Example) -> list[tuple[dict[str, bool], int]]:
    """Each candidate's features and whether it is one of the document's gold deals."""
    candidates = annotate(example, rule_score).candidates
    golds = [_keys(n for p in d["parties"] for n in (p["name"], *(p.get("aliases") or []))) for d in example.gold.get("deals", [])]
    names = [_keys(n for c in cand.companies for n in (c.name, *c.aliases)) for cand in candidates]
    pairs = sorted(((len(n & g), ci, gi) for ci, n in enumerate(names) for gi, g in enumerate(golds)), reverse=True)
    matched: set[int] = set()
    used: set[int] = set()
    for shared, ci, gi in pairs:
        if shared and ci not in matched and gi not in used:
            matched.add(ci)
            used.add(gi)
    return [(c.features, int(i in matched)) for i, c in enumerate(candidates)]


def _score_module() -> Any:
    """../shared/eval/score.py, imported for its readout pairing (the scorer's own)."""
    spec = importlib.util.spec_from_file_location("shared_score", SCORER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def labelled_readouts(example: Example, score: Any) -> list[tuple[dict[str, bool], int]]:
    """Each extracted readout's features and whether the scorer pairs it with a gold readout."""
    predicted = annotate(example, rule_score).record["readouts"]
    pairs, _, _ = score.pair_up(example.gold.get("readouts", []), predicted, score.readout_similarity)
    right = {id(p) for _, p in pairs}
    return [(readout_features(Readout.from_record(p)), int(id(p) in right)) for p in predicted]


def fit(rows: list[tuple[dict[str, bool], int]]) -> LearnedScorer:
    from sklearn.linear_model import LogisticRegression  # the dev extra: only training needs it

    names = sorted({name for features, _ in rows for name in features})
    x = [[float(features.get(name, False)) for name in names] for features, _ in rows]
    y = [label for _, label in rows]
    if len(set(y)) < 2:  # one class only: the smoothed share right, whatever the features
        share = (sum(y) + 1) / (len(y) + 2)
        return LearnedScorer({}, round(math.log(share / (1 - share)), 4))
    model = LogisticRegression(C=C, solver="liblinear", random_state=0).fit(x, y)
    weights = {name: round(float(w), 4) for name, w in zip(names, model.coef_[0], strict=True) if abs(w) >= 1e-4}
    return LearnedScorer(weights, round(float(model.intercept_[0]), 4))


def deal_f1(corpus: Path, chosen: list[Example], scorer: Scorer) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as out:
        for example in chosen:
            out.write(json.dumps(annotate(example, scorer).record) + "\n")
    ids = ",".join(e.id for e in chosen)
    command = [sys.executable, str(SCORER), str(corpus), out.name, "--json", f"--ids={ids}"]
    summary = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    Path(out.name).unlink()
    return summary["deal"]["f1"]


def leave_one_style_out(corpus: Path, data: list[Example], rows: dict[str, list]) -> list[tuple[str, int, float, float, float]]:
    """Per style: its document count, deal F1 under the rules, under the model fitted on all
    styles and under the model fitted on the other styles."""
    everything = fit([row for r in rows.values() for row in r])
    table = []
    for style in sorted({e.style for e in data}):
        chosen = [e for e in data if e.style == style]
        others = fit([row for e in data if e.style != style for row in rows[e.id]])
        table.append((style, len(chosen), *(deal_f1(corpus, chosen, s) for s in (rule_score, everything, others))))
    return table


def main(argv: list[str]) -> None:
    corpus = Path(next((a for a in argv if not a.startswith("--")), SHARED / "corpus" / "dev"))
    if not corpus.is_dir():
        sys.exit(f"no corpus at {corpus}")
    data = examples(corpus)
    rows = {e.id: labelled(e) for e in data}
    count = sum(map(len, rows.values()))
    print(f"{count} candidates in {len(data)} documents, {sum(y for r in rows.values() for _, y in r)} of them deals")
    if "--loso" in argv:
        print(f"\n{'style':10} {'docs':>4}  {'rules':>6} {'fit all':>7} {'fit others':>10}")
        for style, docs, rules, fitted, loso in leave_one_style_out(corpus, data, rows):
            print(f"{style:10} {docs:4d}  {rules:6.3f} {fitted:7.3f} {loso:10.3f}")
    if "--write" in argv:
        model = fit([row for r in rows.values() for row in r])
        about = {"source": "../shared/corpus/dev gold (see NOTICE)", "candidates": count, "C": C}
        ARTIFACT.write_text(model.to_json(**about), encoding="utf-8")
        print(f"wrote {ARTIFACT}")
        score = _score_module()
        readouts = [row for e in data for row in labelled_readouts(e, score)]
        print(f"{len(readouts)} readouts, {sum(y for _, y in readouts)} of them right")
        about = {"source": "../shared/corpus/dev gold (see NOTICE)", "readouts": len(readouts), "C": C}
        READOUT_ARTIFACT.write_text(fit(readouts).to_json(**about), encoding="utf-8")
        print(f"wrote {READOUT_ARTIFACT}")


if __name__ == "__main__":
    main(sys.argv[1:])
