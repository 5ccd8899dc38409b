#!/usr/bin/env python3
"""Ingest throughput, memory and database size, and the latency of `biodeals deals`.

For each worker count (default 1 and 2), ingests the pharma bulk file into a fresh SQLite file
in a fresh process, and prints documents read per second, peak resident memory (the ingest
process and its workers) and the database size. Then, on the last database, times the default
deals listing and a filtered one (median of 20 runs, in-process, warm), and optionally ingests
more files on top (e.g. the newswire file) and prints `biodeals stats` totals.

usage: python benchmarks/ingest.py [--workers 1,2] [--then FILE ...] [--db-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BULK = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bulk"
PHARMA = BULK / "pharma-press-releases.jsonl.gz"

_CHILD = """
import json, resource, sys, time
from biodeals.service.ingest import ingest
from biodeals.store import connect
engine = connect(sys.argv[1])
started = time.perf_counter()
summary = ingest(sys.argv[3:], engine, workers=int(sys.argv[2]))
elapsed = time.perf_counter() - started
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": elapsed, "peak_mb": peak / 1024, **{k: v for k, v in summary.as_dict().items() if k != "failures"},
                  "failures": summary.failures[:5]}))
"""


def run_ingest(db: Path, workers: int, files: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(db), str(workers), *files], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"ingest of {files} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def database_size(db: Path) -> float:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) / 1e6


def time_queries(db: Path) -> None:
    from biodeals.service.queries import DealFilter, get_deal, list_deals
    from biodeals.store import connect

    engine = connect(db)
    cases = {
        "deals (default listing, 50 rows)": lambda: list_deals(engine),
        "deals --company Lilly --type acquisition": lambda: list_deals(engine, DealFilter(company="Lilly", type="acquisition")),
        "deals --text obesity --sort total_value": lambda: list_deals(engine, DealFilter(text="obesity", sort="total_value")),
        "show (largest deal)": lambda: get_deal(engine, list_deals(engine, DealFilter(sort="sources", limit=1))[0]["id"]),
    }
    for label, call in cases.items():
        call()
        timings = []
        for _ in range(20):
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
        print(f"  {label}: median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "biodeals.cli", "deals", "--db", str(db)], capture_output=True, check=True)
    print(f"  `python -m biodeals.cli deals` as a command (process start included): {(time.perf_counter() - started) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--then", nargs="*", default=[], help="files to ingest on top of the last database")
    parser.add_argument("--db-dir", type=Path, default=None)
    args = parser.parse_args()
    folder = args.db_dir or Path(tempfile.mkdtemp(prefix="biodeals-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "kb.db"
    for workers in (int(w) for w in args.workers.split(",")):
        db = folder / f"pharma-{workers}w.db"
        for stale in folder.glob(db.name + "*"):
            stale.unlink()
        result = run_ingest(db, workers, [str(PHARMA)])
        print(
            f"{PHARMA.name}, {workers} worker(s): {result['read']} documents read in {result['seconds']:.1f} s = "
            f"{result['read'] / result['seconds']:.0f} documents/s ({result['new']} new, {result['skipped']} duplicates, "
            f"{result['failed']} failed); deals {result['deals_added']} added + {result['deals_merged']} merged, "
            f"readouts {result['readouts_added']}; peak memory {result['peak_mb']:.0f} MB; database {database_size(db):.1f} MB"
        )
    print(f"query latency on {db.name}:")
    time_queries(db)
    for extra in args.then:
        result = run_ingest(db, 2, [extra])
        print(
            f"then {Path(extra).name}: {result['read']} read in {result['seconds']:.1f} s, {result['failed']} failed "
            f"{result['failures']}; deals {result['deals_added']} added + {result['deals_merged']} merged; "
            f"peak memory {result['peak_mb']:.0f} MB; database {database_size(db):.1f} MB"
        )
    if args.then:
        from biodeals.service.queries import stats
        from biodeals.store import connect

        print("stats totals:", json.dumps(stats(connect(db))["totals"]))


if __name__ == "__main__":
    main()
