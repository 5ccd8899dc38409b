#!/usr/bin/env python3
"""Latency of the HTTP API under concurrent clients.

Starts `biodeals serve` on a loopback port over a knowledge base holding the pharma bulk file
(ingested first with 2 workers when --db does not exist yet), then loads each scenario with
--clients concurrent connections sending requests back to back, and prints p50 / p95 / p99
latency and requests/s: the deals list, filtered lists, a deal (JSON) and, for the web app, the
deals page and a deal page (HTML). The load comes from wrk (Debian package `wrk`) when it is
installed, else from httpx clients in this process (which then compete with the server for the
CPU, so their figures are worse).

usage: python benchmarks/api.py [--db FILE] [--clients 20] [--seconds 10] [--server-workers 2]
                                [--client wrk|httpx]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

PHARMA = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bulk" / "pharma-press-releases.jsonl.gz"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ensure_database(db: Path) -> None:
    if db.exists():
        return
    if not PHARMA.exists():
        sys.exit(f"{PHARMA} not found: the benchmark needs the shared corpus")
    print(f"ingesting {PHARMA.name} into {db} ...", flush=True)
    command = [sys.executable, "-m", "biodeals.cli", "ingest", str(PHARMA), "--db", str(db), "--workers", "2", "--quiet"]
    subprocess.run(command, check=True)


def start_server(db: Path, port: int, workers: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "biodeals.cli", "serve", "--db", str(db), "--port", str(port)]
    command += ["--workers", str(workers)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    sys.exit("biodeals serve did not start")


_WRK_SCRIPT = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%f %%f %%f %%d %%f %%d\\n", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, summary.requests, summary.duration / 1e6,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def wrk_scenario(base: str, paths: list[str], clients: int, seconds: float) -> tuple[float, float, float, float]:
    """(p50, p95, p99 in ms, requests/s) from wrk cycling through ``paths``."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_SCRIPT % ", ".join(f'"{path}"' for path in paths))
    try:
        command = ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "-s", script.name, base]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    found = re.search(r"RESULT (\S+) (\S+) (\S+) (\d+) (\S+) (\d+)", output)
    if not found:
        sys.exit(f"unexpected wrk output:\n{output}")
    p50, p95, p99, count, elapsed, errors = found.groups()
    if int(errors):
        sys.exit(f"{paths[0]}: {errors} failed requests")
    return float(p50), float(p95), float(p99), int(count) / float(elapsed)


def httpx_scenario(base: str, paths: list[str], clients: int, seconds: float) -> tuple[float, float, float, float]:
    latencies, elapsed = asyncio.run(_httpx_load(base, paths, clients, seconds))
    return (
        statistics.median(latencies),
        percentile(latencies, 0.95),
        percentile(latencies, 0.99),
        len(latencies) / elapsed,
    )


async def _httpx_load(base: str, paths: list[str], clients: int, seconds: float) -> tuple[list[float], float]:
    """Latencies (ms) of the requests ``clients`` concurrent clients complete in ``seconds``."""
    queue = itertools.cycle(paths)
    latencies: list[float] = []

    async def client_loop(client: httpx.AsyncClient) -> None:
        while time.perf_counter() < deadline:
            path = next(queue)
            started = time.perf_counter()
            response = await client.get(path)
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code} {response.text[:200]}")

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        await asyncio.gather(*(client.get(paths[0]) for _ in range(clients)))  # warm up every connection
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return latencies, elapsed


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "biodeals-bench-pharma.db")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10, help="per scenario")
    parser.add_argument("--server-workers", type=int, default=2, help="biodeals serve --workers")
    parser.add_argument("--client", choices=("wrk", "httpx"), default="wrk" if shutil.which("wrk") else "httpx")
    args = parser.parse_args()
    load = wrk_scenario if args.client == "wrk" else httpx_scenario

    ensure_database(args.db)
    port = free_port()
    server = start_server(args.db, port, args.server_workers)
    base = f"http://127.0.0.1:{port}"
    try:
        deals = httpx.get(f"{base}/api/deals", params={"limit": 200}).json()
        ids = [deal["id"] for deal in deals["items"]]
        stats = httpx.get(f"{base}/api/stats").json()["totals"]
        print(
            f"knowledge base: {stats['documents']} documents, {stats['deals']} deals ({args.db}, "
            f"{sum(p.stat().st_size for p in args.db.parent.glob(args.db.name + '*')) / 1e6:.1f} MB); "
            f"{args.clients} concurrent {args.client} clients, {args.seconds:g} s per scenario, "
            f"{args.server_workers} server process(es), {os.cpu_count()} cores"
        )
        scenarios = {
            "GET /api/deals (50 rows)": ["/api/deals"],
            "GET /api/deals filtered": [
                "/api/deals?type=license&min_upfront=10000000&sort=total_value",
                "/api/deals?company=Lilly&since=2015-01-01",
                "/api/deals?modality=antibody&status=announced&sort=upfront",
                "/api/deals?q=obesity&type=collaboration",
            ],
            "GET /api/deals/{id}": [f"/api/deals/{i}" for i in ids],
            "GET / (deals page, HTML)": ["/"],
            "GET /deals/{id} (deal page, HTML)": [f"/deals/{i}" for i in ids],
        }
        print(f"{'scenario':36} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8}")
        for name, paths in scenarios.items():
            p50, p95, p99, rate = load(base, paths, args.clients, args.seconds)
            print(f"{name:36} {p50:8.1f} {p95:8.1f} {p99:8.1f} {rate:8.0f}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
