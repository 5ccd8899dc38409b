#!/usr/bin/env python3
"""Deals found in an every-industry newswire: how many documents yield a deal, and a random
sample of them to read by hand (the share that are not real biopharma deals should be < 10%).

Runs the full extraction over ../shared/corpus/bulk/newswire-2024-2026.jsonl.gz (all cores),
prints the count and, for each sampled document, its title, the deals' parties and types and
the first deal sentence.

usage: python benchmarks/newswire.py [FILE.jsonl.gz] [--sample 30] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from biodeals.errors import IngestError
from biodeals.ingest import Document, ReadOptions, read_inputs
from biodeals.nlp import extract_record

NEWSWIRE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bulk" / "newswire-2024-2026.jsonl.gz"


def deals_of(document: Document) -> tuple[str, str, list[dict]]:
    """The document's name, title and deals (parties, types, first deal sentence)."""
    record = extract_record(document)
    deals = [
        {
            "parties": [p["name"] for p in deal["parties"]],
            "types": deal["types"],
            "sentence": next((e["text"] for e in deal["evidence"] if e["field"] == "deal"), ""),
        }
        for deal in record["deals"]
    ]
    return document.name, document.title or "", deals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(NEWSWIRE))
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    documents = [d for d in read_inputs([args.file], ReadOptions()) if not isinstance(d, IngestError)]
    with ProcessPoolExecutor() as pool:
        results = list(pool.map(deals_of, documents, chunksize=64))
    with_deals = [r for r in results if r[2]]
    elapsed = time.perf_counter() - started
    print(
        f"{Path(args.file).name}: {len(results)} documents, {len(with_deals)} with a deal "
        f"({100 * len(with_deals) / max(len(results), 1):.1f}%), {sum(len(r[2]) for r in with_deals)} deals; "
        f"{elapsed:.0f} s"
    )
    for name, title, deals in random.Random(args.seed).sample(with_deals, min(args.sample, len(with_deals))):
        print(f"\n## {name}: {title[:140]}")
        for deal in deals:
            print(f"  - {deal['types']} {deal['parties']}")
            print(f"    {' '.join(deal['sentence'].split())[:300]}")


if __name__ == "__main__":
    main()
