#!/usr/bin/env python3
"""Write cost against knowledge-base size: storing the same documents into a database that
already holds many deals of the same companies must not cost much more than into an empty one.

Extracts the first DOCS releases of the pharma bulk file once, then for each size N builds a
fresh SQLite knowledge base holding N synthetic deals between the companies those releases
name (their entities copied in first, so every new report is matched against the deals of its
parties): each synthetic deal joins one of them, as often as the releases name it, with one of
SYNTHETIC_PARTNERS other companies, as a big company's many deals are with many partners;
and times writing the extracted documents (batches of 50). Prints seconds per size and the
ratio to the smallest.

usage: python benchmarks/writes.py [--sizes 0,30000,300000] [--docs 200]
"""

from __future__ import annotations

import argparse
import itertools
import random
import sqlite3
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select

from biodeals.ingest import ReadOptions, read_path
from biodeals.nlp import extract_record
from biodeals.service.merge import POLICY
from biodeals.store import Extracted, Writer, connect
from biodeals.store import schema as t

PHARMA = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bulk" / "pharma-press-releases.jsonl.gz"
BATCH = 50
SYNTHETIC_PARTNERS = 50_000


def extracted(docs: int) -> list[Extracted]:
    documents = [r for r in itertools.islice(read_path(PHARMA, ReadOptions()), docs)]
    return [Extracted(d, extract_record(d)) for d in documents if hasattr(d, "text")]


def seed(db: Path, entities_from: Path, size: int, rng: random.Random) -> None:
    """``size`` synthetic deals (a licence between two companies, one source each) among the
    companies of ``entities_from``, weighted as the releases name them."""
    source = sqlite3.connect(entities_from)
    weights = Counter(
        entity_id
        for (entity_id,) in source.execute(
            "SELECT entity_id FROM deal_parties JOIN entities ON entities.id = entity_id WHERE kind = 'company'"
        )
    )
    entities = source.execute("SELECT * FROM entities").fetchall()
    aliases = source.execute("SELECT * FROM entity_aliases").fetchall()
    source.close()
    engine = connect(db)
    companies, counts = list(weights), list(weights.values())
    first_partner = max(row[0] for row in entities) + 1
    with engine.begin() as conn:
        columns = [c.name for c in t.entities.columns]
        conn.execute(insert(t.entities), [dict(zip(columns, row, strict=True)) for row in entities])
        columns = [c.name for c in t.entity_aliases.columns]
        conn.execute(insert(t.entity_aliases), [dict(zip(columns, row, strict=True)) for row in aliases])
        conn.execute(
            insert(t.entities),
            [{"id": first_partner + i, "kind": "company", "name": f"Synthetic Partner {i}"} for i in range(SYNTHETIC_PARTNERS)],
        )
        documents = max(1, size // 100)
        conn.execute(
            insert(t.documents),
            [
                {"id": i + 1, "content_hash": f"synthetic-{i}", "name": f"s{i}", "source": "<synthetic>",
                 "language": "en", "text": "Synthetic.", "ingested_at": datetime(2026, 1, 1)}
                for i in range(documents)
            ],
        )  # fmt: skip
        for start in range(0, size, 10_000):
            ids = range(start + 1, min(size, start + 10_000) + 1)
            conn.execute(insert(t.deals), [{"id": i, "status": "announced", "year": rng.randint(2000, 2026)} for i in ids])
            conn.execute(insert(t.deal_types), [{"deal_id": i, "type": "license"} for i in ids])
            pairs = []
            for i in ids:
                (known,) = rng.choices(companies, counts)
                pairs += [{"deal_id": i, "entity_id": known, "role": "licensee"}]
                pairs += [{"deal_id": i, "entity_id": first_partner + rng.randrange(SYNTHETIC_PARTNERS), "role": "licensor"}]
            conn.execute(insert(t.deal_parties), pairs)
            conn.execute(insert(t.deal_sources), [{"deal_id": i, "document_id": i % documents + 1} for i in ids])
    engine.dispose()


def timed_write(db: Path, items: list[Extracted]) -> float:
    engine = connect(db)
    writer = Writer(engine, policy=POLICY)
    started = time.perf_counter()
    for at in range(0, len(items), BATCH):
        writer.write_batch(items[at : at + BATCH])
    elapsed = time.perf_counter() - started
    with engine.connect() as conn:
        assert conn.scalar(select(t.documents.c.id).where(t.documents.c.content_hash == items[0].document.id))
    engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="0,30000,300000")
    parser.add_argument("--docs", type=int, default=200)
    args = parser.parse_args()
    if not PHARMA.exists():
        raise SystemExit(f"no bulk file at {PHARMA}")
    items = extracted(args.docs)
    with tempfile.TemporaryDirectory() as scratch:
        names = Path(scratch) / "names.db"
        timed_write(names, items)  # the releases' companies, to seed the others with
        rows = []
        for size in (int(s) for s in args.sizes.split(",")):
            db = Path(scratch) / f"kb-{size}.db"
            seed(db, names, size, random.Random(size))
            rows.append((size, timed_write(db, items)))
    base = rows[0][1]
    print(f"{'stored deals':>12} {'write s':>8} {'ratio':>6}   ({len(items)} documents, batches of {BATCH})")
    for size, seconds in rows:
        print(f"{size:12,} {seconds:8.2f} {seconds / base:6.2f}")


if __name__ == "__main__":
    main()
