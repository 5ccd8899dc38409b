#!/usr/bin/env python3
"""Latency of the deals page and its JSON twins against knowledge-base size.

For each size N, seeds a SQLite knowledge base (or, with --postgres, a PostgreSQL database)
with N synthetic deals — statuses, stages, years, types, modalities, review states,
confidences, money and parties drawn as a real knowledge base has them, a few companies in
many deals and many in few — without needing the shared corpus. Then, through the real app
(FastAPI TestClient), times each URL: its first request on a fresh app (cold), the p50 / p95
of --requests more, and one request just after a write (a review, which changes the data the
counts depend on: a fresh generation). Finally it times each query the deals page makes
(list, count, facets, left_out) on its own, as the page makes them, and the counts computed
uncached (what a cache miss costs), so a slow page can be traced to its query.

The SQLite files are not ANALYZEd (no knowledge base is); PostgreSQL is, as autovacuum would.

usage: python benchmarks/pages.py [--sizes 30000,300000] [--requests 20] [--dir DIR]
                                  [--postgres URL] [--no-queries]
With --dir the seeded files are kept there and reused by later runs of the same size; --postgres
empties the URL's schema first (give it one of its own: URL?options=-csearch_path%3Dbench).
"""

from __future__ import annotations

import argparse
import inspect
import itertools
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, insert, select, text

from biodeals.app import create_app
from biodeals.model import DEAL_STAGES, DEAL_TYPES, MONEY_KINDS
from biodeals.service import curation, queries
from biodeals.service.deals import DealFilter
from biodeals.store import connect
from biodeals.store import schema as t
from biodeals.store.names import entity_key

CHUNK = 20_000
MODALITIES = (
    "small molecule", "antibody", "cell therapy", "gene therapy", "rna", "vaccine", "peptide",
    "adc", "bispecific", "protein", "radiopharmaceutical", "oligonucleotide", "mrna", "car-t",
)  # fmt: skip
STATUSES = (("announced", 70), ("completed", 20), ("amended", 5), ("terminated", 5))
REVIEWS = (("unreviewed", 95), ("confirmed", 2), ("edited", 2), ("rejected", 1))
TOP_COMPANY = "Company 0 Therapeutics"  # the most frequent party: the company filter's name
URLS = (
    "/",
    "/?type=license",
    "/?year=2020",
    f"/?company={TOP_COMPANY.replace(' ', '+')}",
    "/?status=completed&stage=phase+2",
    "/api/deals/facets",
    "/api/deals/facets?type=license",
    "/api/deals",
    "/api/deals?year=2020",
)
FILTERS = {
    "unfiltered": DealFilter(),
    "type=license": DealFilter(type="license"),
    "year=2020": DealFilter(year=2020),
    "company": DealFilter(company=TOP_COMPANY),
}


_BIG = range(1000)
_BIG_WEIGHTS = list(itertools.accumulate(1 / (k + 1) for k in _BIG))


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], [w for _, w in choices])[0]


def _deal_rows(rng: random.Random, ids: range, documents: int, companies: int) -> dict[str, list[dict[str, Any]]]:
    """The rows of the deals ``ids``: each with one to three parties (one of the few big
    companies often, a partner from the long tail), types, modalities, sources and money."""
    rows: dict[str, list[dict[str, Any]]] = {
        name: [] for name in ("deals", "types", "modalities", "parties", "sources")
    }
    for i in ids:
        year = max(1995, min(2026, int(2026 - rng.expovariate(1 / 6))))
        announced = date(year, 1, 1) + timedelta(days=rng.randrange(365)) if rng.random() < 0.8 else None
        review = _weighted(rng, REVIEWS)
        deal = {
            "id": i,
            "status": _weighted(rng, STATUSES),
            "year": year,
            "announced": announced,
            "royalties": rng.random() < 0.3,
            "stage": rng.choice(DEAL_STAGES) if rng.random() < 0.55 else None,
            "confidence": rng.betavariate(6, 1.5),
            "review": review,
        }
        for kind in MONEY_KINDS:
            has = rng.random() < (0.5 if kind != "total_value" else 0.4)
            deal[f"{kind}_amount"] = round(rng.lognormvariate(17.5, 1.5), -5) if has else None
            deal[f"{kind}_currency"] = "USD" if has else None
        rows["deals"].append(deal)
        kinds = {rng.choices(DEAL_TYPES, (5, 1, 12, 2, 2, 2, 1, 6))[0] for _ in range(rng.choice((1, 1, 1, 2)))}
        rows["types"] += [{"deal_id": i, "type": kind} for kind in sorted(kinds)]
        modalities = set(rng.sample(MODALITIES, rng.choice((0, 1, 1, 1, 2))))
        rows["modalities"] += [{"deal_id": i, "modality": m} for m in sorted(modalities)]
        # a quarter of parties from the big companies (Zipf: company 0 in ~7% of deals), the rest anyone
        parties = {
            rng.choices(_BIG, cum_weights=_BIG_WEIGHTS)[0] if rng.random() < 0.25 else rng.randrange(companies)
            for _ in range(rng.choice((2, 2, 2, 3)))
        }
        roles = ("licensee", "licensor", "partner")
        rows["parties"] += [
            {"deal_id": i, "entity_id": p + 1, "role": roles[n % 3]} for n, p in enumerate(sorted(parties))
        ]
        reports = {rng.randrange(documents) + 1 for _ in range(rng.choice((1, 1, 1, 2)))}
        rows["sources"] += [
            {"deal_id": i, "document_id": d, "status": deal["status"], "year": year, "confidence": deal["confidence"]}
            for d in sorted(reports)
        ]
    return rows


def seed(engine: Engine, size: int, rng: random.Random) -> None:
    """``size`` synthetic deals among ``size // 3`` companies (at least 1000), reported by ``size // 2`` documents."""
    companies, documents = max(len(_BIG), size // 3), max(1, size // 2)
    with engine.begin() as conn:
        for start in range(0, companies, CHUNK):
            ids = range(start, min(companies, start + CHUNK))
            names = {i: f"Company {i} Therapeutics" for i in ids}
            conn.execute(insert(t.entities), [{"id": i + 1, "kind": "company", "name": names[i]} for i in ids])
            conn.execute(
                insert(t.entity_aliases),
                [
                    {"kind": "company", "key": entity_key("company", names[i]), "entity_id": i + 1, "alias": names[i]}
                    for i in ids
                ],
            )
        at = datetime(2026, 1, 1)
        for start in range(0, documents, CHUNK):
            conn.execute(
                insert(t.documents),
                [
                    {"id": i + 1, "content_hash": f"synthetic-{i}", "name": f"s{i}", "source": "<synthetic>",
                     "language": "en", "text": f"Synthetic release {i}.", "ingested_at": at}
                    for i in range(start, min(documents, start + CHUNK))
                ],
            )  # fmt: skip
        for start in range(0, size, CHUNK):
            rows = _deal_rows(rng, range(start + 1, min(size, start + CHUNK) + 1), documents, companies)
            conn.execute(insert(t.deals), rows["deals"])
            conn.execute(insert(t.deal_types), rows["types"])
            if rows["modalities"]:
                conn.execute(insert(t.deal_modalities), rows["modalities"])
            conn.execute(insert(t.deal_parties), rows["parties"])
            conn.execute(insert(t.deal_sources), rows["sources"])
    if engine.dialect.name == "postgresql":  # rows inserted with explicit ids: move the sequences on
        with engine.begin() as conn:
            for table in (t.entities, t.documents, t.deals):
                conn.execute(text(f"SELECT setval('{table.name}_id_seq', (SELECT max(id) FROM {table.name}))"))
            conn.execute(text("ANALYZE"))  # as autovacuum would; SQLite knowledge bases are never analyzed


@contextmanager
def knowledge_base(size: int, folder: Path, postgres: str | None) -> Iterator[str]:
    """The target of a seeded knowledge base of ``size`` deals (a file kept in ``folder``, reused
    when already seeded, or the emptied PostgreSQL database ``postgres``)."""
    if postgres:
        engine = connect(postgres, migrate=False)
        with engine.begin() as conn:  # the URL's schema (options=-csearch_path%3Dbench keeps tests' public apart)
            schema = conn.scalar(text("SELECT current_schema()"))
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        target = postgres
    else:
        target = str(folder / f"pages-{size}.db")
    engine = connect(target)
    with engine.connect() as conn:
        seeded = conn.scalar(select(func.count()).select_from(t.deals))
    if seeded != size:
        if seeded:
            raise SystemExit(f"{target} holds {seeded} deals, not {size}: remove it")
        started = time.perf_counter()
        seed(engine, size, random.Random(size))
        print(f"seeded {size:,} deals in {time.perf_counter() - started:.0f} s", flush=True)
    engine.dispose()
    yield target


def _ms(seconds: float) -> float:
    return seconds * 1000


def timed(call: Callable[[], Any], times: int) -> list[float]:
    out = []
    for _ in range(times):
        started = time.perf_counter()
        call()
        out.append(_ms(time.perf_counter() - started))
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def time_urls(target: str, requests: int) -> list[tuple[str, float, float, float, float]]:
    """Per URL: cold (first request on a fresh app), p50, p95 and the first request after a write."""
    rows = []
    deal_id = 1
    for url in URLS:
        app = create_app(target)
        with TestClient(app) as client:

            def get(url: str = url, client: TestClient = client) -> None:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            cold = timed(get, 1)[0]
            warm = timed(get, requests)
            deal_id += 1
            curation.review(app.state.engine, "deal", deal_id, "confirmed", "bench")
            after_write = timed(get, 1)[0]
        rows.append((url, cold, statistics.median(warm), p95(warm), after_write))
    return rows


def time_queries(target: str, requests: int) -> list[tuple[str, str, float]]:
    """The median time of each query the deals page makes, per filter, as the page makes them (so
    counts come from the cache after the first call, where there is one), and of computing the
    counts uncached (``facets.compute_counts``, where there is one)."""
    engine = connect(target)
    try:
        from biodeals.service.facets import compute_counts
    except ImportError:  # before the counts were cached
        compute_counts = None
    hinted = "selected" in inspect.signature(queries.list_deals).parameters
    rows = []
    for name, deal_filter in FILTERS.items():
        total = queries.count_deals(engine, deal_filter)
        hint = {"selected": total} if hinted else {}
        calls: dict[str, Callable[[], Any]] = {
            "list": lambda f=deal_filter, hint=hint: queries.list_deals(engine, f, **hint),
            "count": lambda f=deal_filter: queries.count_deals(engine, f),
            "facets": lambda f=deal_filter: queries.deal_facets(engine, f),
            "left_out": lambda f=deal_filter: queries.left_out(engine, f),
        }
        if compute_counts is not None:

            def uncached(f: DealFilter = deal_filter) -> None:
                with engine.connect() as conn:
                    compute_counts(conn, engine, f)

            calls["uncached counts"] = uncached
        for query, call in calls.items():
            rows.append((name, query, statistics.median(timed(call, requests))))
    engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="30000,300000")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--dir", type=Path, help="keep the seeded SQLite files here (reused by later runs)")
    parser.add_argument(
        "--postgres",
        help="seed and time this PostgreSQL database instead (its schema is emptied first), e.g. URL?options=-csearch_path%%3Dbench",
    )
    parser.add_argument("--no-queries", action="store_true", help="skip timing the queries one by one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.dir or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for size in (int(s) for s in args.sizes.split(",")):
            with knowledge_base(size, folder, args.postgres) as target:
                print(
                    f"\n{size:,} deals ({'PostgreSQL' if args.postgres else 'SQLite'}), {args.requests} requests each, ms"
                )
                print(f"{'url':<40} {'cold':>8} {'p50':>8} {'p95':>8} {'after write':>12}")
                for url, cold, p50, high, after in time_urls(target, args.requests):
                    print(f"{url:<40} {cold:8.1f} {p50:8.1f} {high:8.1f} {after:12.1f}", flush=True)
                if not args.no_queries:
                    print(f"\n{'filter':<14} {'query':<16} {'p50 ms':>8}")
                    for name, query, p50 in time_queries(target, max(3, args.requests // 4)):
                        print(f"{name:<14} {query:<16} {p50:8.1f}", flush=True)
    print(f"\n(at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC)")


if __name__ == "__main__":
    main()
