#!/usr/bin/env python3
"""Entity-recognition recall on ../shared/corpus/dev: does recognition find the companies,
assets, targets and indications that the gold deal and readout records name?

A gold item counts as found when any of its names (name or alias) equals, after the scorer's
normalisation, any name of an entity of the matching type. Prints recall per type, the misses
with --misses, and the mean number of entities found per document (a proxy for noise).

usage: python benchmarks/entities.py [CORPUS_DIR] [--misses]
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import defaultdict
from pathlib import Path

from biodeals.ingest import ReadOptions, read_path
from biodeals.nlp import extract_record

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "dev"
GROUPS = {"companies": "companies", "assets": "assets", "targets": "targets", "indications": "indications"}


def load_scorer():
    spec = importlib.util.spec_from_file_location("score", ROOT.parent / "shared" / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold_items(gold: dict) -> dict[str, list[dict]]:
    items = defaultdict(list)
    for deal in gold.get("deals", []):
        items["companies"] += deal.get("parties") or []
        for key in ("assets", "targets", "indications"):
            items[key] += deal.get(key) or []
    for readout in gold.get("readouts", []):
        items["assets"] += readout.get("assets") or []
        items["indications"] += readout.get("indications") or []
    return items


def main(argv: list[str]) -> None:
    corpus = Path(next((a for a in argv if not a.startswith("--")), DEV))
    if not corpus.is_dir():
        sys.exit(f"no corpus at {corpus}")
    score = load_scorer()
    found = defaultdict(lambda: [0, 0])
    misses = defaultdict(list)
    entity_counts = []
    for gold_path in sorted(corpus.glob("*.gold.json")):
        doc_id = gold_path.name[: -len(".gold.json")]
        document = next(read_path(corpus / f"{doc_id}.txt", ReadOptions()))
        record = extract_record(document)
        entities = record["entities"]
        entity_counts.append(sum(len(entities[g]) for g in GROUPS.values()))
        for group, items in gold_items(json.loads(gold_path.read_text())).items():
            predicted = set()
            for entity in entities[GROUPS[group]]:
                predicted |= score.names_of(entity)
            seen = set()
            for item in items:
                names = score.names_of(item)
                if not names or frozenset(names) in seen:
                    continue
                seen.add(frozenset(names))
                found[group][1] += 1
                if names & predicted:
                    found[group][0] += 1
                else:
                    misses[group].append(f"{doc_id}: {item.get('name')}")
    print(f"{'type':12} {'found':>6} {'gold':>6} {'recall':>7}")
    for group in GROUPS:
        hit, total = found[group]
        print(f"{group:12} {hit:6} {total:6} {hit / total if total else 0:7.3f}")
    print(
        f"entities per document (companies+assets+targets+indications): {sum(entity_counts) / len(entity_counts):.1f}"
    )
    if "--misses" in argv:
        for group in GROUPS:
            for miss in misses[group]:
                print(f"missed {group}: {miss}")


if __name__ == "__main__":
    main(sys.argv[1:])
