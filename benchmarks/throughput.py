#!/usr/bin/env python3
"""Extraction throughput on one core: documents per second and peak memory.

Reads a bulk JSON Lines file (default: ../shared/corpus/bulk/pharma-press-releases.jsonl.gz),
runs the full ``extract_record`` on every document, and prints documents/s, characters/s and
the peak resident memory of the process. Also counts read errors and extraction failures
(there should be none of the latter).

usage: python benchmarks/throughput.py [FILE.jsonl.gz ...] [--limit N]
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from biodeals.errors import IngestError
from biodeals.ingest import ReadOptions, read_inputs
from biodeals.nlp import extract_record, load_vocabulary

BULK = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bulk"


def main(argv: list[str]) -> None:
    limit = None
    if "--limit" in argv:
        limit = int(argv[argv.index("--limit") + 1])
        argv = [a for i, a in enumerate(argv) if a != "--limit" and (i == 0 or argv[i - 1] != "--limit")]
    files = argv or [str(BULK / "pharma-press-releases.jsonl.gz")]
    started = time.perf_counter()
    load_vocabulary()
    print(f"vocabulary loaded in {time.perf_counter() - started:.2f} s")
    for name in files:
        docs = chars = read_errors = failures = with_money = 0
        started = time.perf_counter()
        for result in read_inputs([name], ReadOptions()):
            if isinstance(result, IngestError):
                read_errors += 1
                continue
            try:
                record = extract_record(result)
            except Exception as error:  # a crash here is a bug we want counted, not hidden
                failures += 1
                print(f"FAILED {result.name}: {error!r}", file=sys.stderr)
                continue
            docs += 1
            chars += len(result.text)
            with_money += bool(record["entities"]["money"])
            if limit and docs >= limit:
                break
        elapsed = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{Path(name).name}: {docs} documents in {elapsed:.1f} s = {docs / elapsed:.0f} documents/s, "
            f"{chars / elapsed / 1e6:.2f} M chars/s; read errors {read_errors}; extraction failures {failures}; "
            f"peak memory {peak_mb:.0f} MB"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
