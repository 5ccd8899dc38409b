#!/usr/bin/env python3
"""How ingest scales on this machine: workers, input size, database size, query latency and
partition size — the figures docs/scale.md plans 10 million documents from.

1. workers: the pharma bulk file (~2,100 company releases) ingested into a new SQLite
   knowledge base by `biodeals ingest` with --workers 1, --workers 2, --cluster local:1 and
   --cluster local:2: seconds, documents/s, and each time as a share of --workers 1's.
2. sizes: the first N releases of the newswire bulk file (N from --sizes), ingested with
   --cluster local:2: seconds, peak memory (the ingest and every process it started, sampled)
   and database size, each per 1,000 documents.
3. queries: over the largest of (2), `biodeals serve` answering one client request after
   another: p50 / p95 of the deals list, filtered lists, a search, the facets, a deal and the
   deals page.
4. partitions: the pharma file on --cluster local:2 at each of --partition-sizes.

Every ingest is a `biodeals` process of its own, timed from start to exit (start-up included).

usage: python benchmarks/scale.py [--sizes 1000,4000,16000] [--partition-sizes 50,200,800]
                                  [--only workers,sizes,queries,partitions] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil

from api import free_port, start_server  # benchmarks/api.py

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bulk"
PHARMA = SHARED / "pharma-press-releases.jsonl.gz"
NEWSWIRE = SHARED / "newswire-2024-2026.jsonl.gz"
REQUESTS = 30  # per query


def ingest(inputs: list[Path], db: Path, *options: str) -> tuple[float, float, int]:
    """(seconds, peak MB of the process tree, documents read) of one `biodeals ingest`."""
    command = [sys.executable, "-m", "biodeals.cli", "ingest", *map(str, inputs), "--db", str(db), "-q", *options]
    peak = 0.0
    started = time.perf_counter()
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        root = psutil.Process(run.pid)
        while not done.wait(0.1):
            try:
                tree = [root, *root.children(recursive=True)]
                peak = max(peak, sum(_rss(p) for p in tree) / 2**20)
            except psutil.NoSuchProcess:
                return

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = run.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if run.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{errors}")
    read = next((int(line.split()[1]) for line in errors.splitlines() if line.startswith("documents:")), 0)
    return elapsed, peak, read


def _rss(process: psutil.Process) -> int:
    try:
        return process.memory_info().rss
    except psutil.NoSuchProcess:
        return 0


def db_size(db: Path) -> int:
    """Bytes of the SQLite knowledge base and its write-ahead log."""
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))


def first_lines(source: Path, count: int, out: Path) -> Path:
    with gzip.open(source, "rt", encoding="utf-8") as lines, out.open("w", encoding="utf-8") as target:
        target.writelines(itertools.islice(lines, count))
    return out


def workers(scratch: Path) -> None:
    print(f"\n1. workers: {PHARMA.name}")
    print(f"{'configuration':>18} {'seconds':>8} {'docs/s':>7} {'share':>6} {'peak MB':>8}")
    base = None
    for options in (["--workers", "1"], ["--workers", "2"], ["--cluster", "local:1"], ["--cluster", "local:2"]):
        db = scratch / f"workers-{'-'.join(options).strip('-')}.db"
        seconds, peak, read = ingest([PHARMA], db, *options)
        base = base or seconds
        print(f"{' '.join(options):>18} {seconds:8.1f} {read / seconds:7.1f} {seconds / base:6.2f} {peak:8.0f}")
    print(f"{'':>18} database: {db_size(db) / read / 1024:.1f} KB per document ({read} company releases)")


def sizes(scratch: Path, counts: list[int]) -> Path:
    print(f"\n2. sizes: the first N of {NEWSWIRE.name}, --cluster local:2")
    print(f"{'documents':>10} {'seconds':>8} {'s/1k':>6} {'peak MB':>8} {'MB/1k':>6} {'DB MB':>7} {'DB MB/1k':>8}")
    db = scratch / "none.db"
    for count in counts:
        source = first_lines(NEWSWIRE, count, scratch / f"newswire-{count}.jsonl")
        db = scratch / f"size-{count}.db"
        seconds, peak, read = ingest([source], db, "--cluster", "local:2")
        size = db_size(db) / 2**20
        thousands = read / 1000
        print(
            f"{read:10,} {seconds:8.1f} {seconds / thousands:6.1f} {peak:8.0f} {peak / thousands:6.1f}"
            f" {size:7.1f} {size / thousands:8.2f}"
        )
    return db


def queries(db: Path) -> None:
    port = free_port()
    server = start_server(db, port, 1)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            deals = client.get("/api/deals", params={"limit": 1}).json()
            totals = client.get("/api/stats").json()["totals"]
            held = ", ".join(f"{n:,} {kind}" for kind, n in totals.items() if kind in ("documents", "deals", "readouts"))
            print(f"\n3. queries: one client, {REQUESTS} requests each, over {db.name} ({held})")
            paths = {
                "deals list": "/api/deals",
                "by type": "/api/deals?type=license",
                "by year": "/api/deals?year=2025",
                "search": "/api/deals?q=antibody",
                "facets": "/api/deals/facets",
                "deals page": "/",
            }
            if deals.get("deals"):
                paths["a deal"] = f"/api/deals/{deals['deals'][0]['id']}"
            print(f"{'query':>12} {'p50 ms':>7} {'p95 ms':>7}")
            for name, path in paths.items():
                times = []
                for _ in range(REQUESTS):
                    started = time.perf_counter()
                    client.get(path).raise_for_status()
                    times.append((time.perf_counter() - started) * 1000)
                times.sort()
                print(f"{name:>12} {statistics.median(times):7.1f} {times[int(0.95 * (len(times) - 1))]:7.1f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


def partitions(scratch: Path, sizes_: list[int]) -> None:
    print(f"\n4. partitions: {PHARMA.name}, --cluster local:2")
    print(f"{'partition':>10} {'seconds':>8} {'docs/s':>7}")
    for size in sizes_:
        seconds, _, read = ingest([PHARMA], scratch / f"partition-{size}.db", "--cluster", "local:2", "--partition-size", str(size))
        print(f"{size:10} {seconds:8.1f} {read / seconds:7.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,4000,16000")
    parser.add_argument("--partition-sizes", default="50,200,800")
    parser.add_argument("--only", default="workers,sizes,queries,partitions")
    parser.add_argument("--keep", type=Path, help="a folder to keep the knowledge bases in")
    args = parser.parse_args()
    if not PHARMA.exists() or not NEWSWIRE.exists():
        sys.exit(f"the bulk files are not in {SHARED}")
    only = set(args.only.split(","))
    print(f"{psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.1f} GB")
    with tempfile.TemporaryDirectory() as temporary:
        scratch = args.keep or Path(temporary)
        scratch.mkdir(parents=True, exist_ok=True)
        if "workers" in only:
            workers(scratch)
        largest = None
        if "sizes" in only:
            largest = sizes(scratch, [int(n) for n in args.sizes.split(",")])
        if "queries" in only:
            largest = largest or max(scratch.glob("size-*.db"), key=db_size, default=None)
            if largest is None:
                sys.exit("no knowledge base to query: run the sizes too (or --keep a folder that has them)")
            queries(largest)
        if "partitions" in only:
            partitions(scratch, [int(n) for n in args.partition_sizes.split(",")])


if __name__ == "__main__":
    main()
