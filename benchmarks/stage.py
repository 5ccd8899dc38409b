#!/usr/bin/env python3
"""Stage at signing on ../shared/corpus/dev: the extracted ``stage_at_signing`` of each deal
against our own reading of the text (``benchmarks/data/stage_labels.json``: for every gold deal,
the stage its text states, or null; read by hand for this project, the corpus has no gold for
it). A label's deal is the extracted deal sharing most of its parties. Prints precision (of the
stages extracted for labelled deals, how many are the label's), recall (of the labels with a
stage, how many are extracted) and both per style, since the labels are few and a rule that
holds in one house style only is tuning.

usage: python benchmarks/stage.py [CORPUS_DIR] [--misses]
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from biodeals.ingest import ReadOptions, read_path
from biodeals.names import company_key
from biodeals.nlp import extract_record

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared"
sys.path.insert(0, str(HERE.parent / "scripts"))
from train_scorer import style_of  # noqa: E402  (a script beside this one: the document styles)


def _names(deal: dict) -> set[str]:
    return {company_key(n) for p in deal["parties"] for n in (p["name"], *p.get("aliases", ()))}


def _matching(parties: list[str], deals: list[dict]) -> dict | None:
    wanted = {company_key(name) for name in parties}
    shared = [(len(wanted & _names(d)), d) for d in deals]
    best = max(shared, key=lambda pair: pair[0], default=(0, None))
    return best[1] if best[0] else None


def main(argv: list[str]) -> None:
    corpus = Path(next((a for a in argv if not a.startswith("--")), SHARED / "corpus" / "dev"))
    if not corpus.is_dir():
        sys.exit(f"no corpus at {corpus}")
    labels = json.loads((HERE / "data" / "stage_labels.json").read_text(encoding="utf-8"))
    deals: dict[str, list[dict]] = {}
    for doc_id in sorted({label["id"] for label in labels}):
        for document in read_path(corpus / f"{doc_id}.txt", ReadOptions()):
            deals[doc_id] = extract_record(document)["deals"]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for label in labels:
        found = _matching(label["parties"], deals.get(label["id"], []))
        if found is None:
            continue  # the deal is not extracted: the deal scores count that miss
        got, want = found.get("stage_at_signing"), label["stage"]
        for style in ("all", style_of(label["id"])):
            tally = counts[style]
            tally["extracted"] += got is not None
            tally["labelled"] += want is not None
            tally["right"] += got is not None and got == want
        if "--misses" in argv and got != want:
            print(f"{label['id']} {label['parties'][:2]}: extracted {got}, read {want}")
    print(f"{'style':10} {'deals':>5} {'stated':>6} {'found':>5} {'right':>5} {'P':>6} {'R':>6}")
    for style, tally in sorted(counts.items(), key=lambda item: item[0] != "all"):
        precision = tally["right"] / tally["extracted"] if tally["extracted"] else 0.0
        recall = tally["right"] / tally["labelled"] if tally["labelled"] else 0.0
        total = sum(1 for label in labels if style in ("all", style_of(label["id"])))
        print(
            f"{style:10} {total:5} {tally['labelled']:6} {tally['extracted']:5} {tally['right']:5}"
            f" {precision:6.2f} {recall:6.2f}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
