#!/usr/bin/env python3
"""Whether COPY would make the bulk writes to PostgreSQL faster than the writer's inserts.

The writer inserts a document with INSERT ... RETURNING (the rows citing it need its id) and
the rows of one owner (a deal's evidence, say) with one executemany. This loads the documents of
the pharma bulk file into a scratch table shaped like ``documents`` (with and without its
full-text GIN index), in batches of 200 as an ingest does: row by row with RETURNING, and by
COPY, and prints the seconds of each.

usage: python benchmarks/bulk_copy.py postgresql://user:password@host/db
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import psycopg

from biodeals.ingest import Document, ReadOptions, read_path

PHARMA = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bulk" / "pharma-press-releases.jsonl.gz"
BATCH = 200


def scratch_table(conn: psycopg.Connection, full_text: bool) -> None:
    conn.execute("DROP TABLE IF EXISTS copy_benchmark")
    conn.execute("CREATE TABLE copy_benchmark (id serial PRIMARY KEY, content_hash text UNIQUE, name text, text text)")
    if full_text:
        conn.execute("CREATE INDEX ON copy_benchmark USING gin (to_tsvector('english', text))")
    conn.commit()


def by_insert(conn: psycopg.Connection, rows: list[tuple[str, str, str]]) -> None:
    with conn.cursor() as cursor:
        for at in range(0, len(rows), BATCH):
            for row in rows[at : at + BATCH]:
                cursor.execute("INSERT INTO copy_benchmark (content_hash, name, text) VALUES (%s, %s, %s) RETURNING id", row)
                cursor.fetchone()
            conn.commit()


def by_copy(conn: psycopg.Connection, rows: list[tuple[str, str, str]]) -> None:
    with conn.cursor() as cursor:
        for at in range(0, len(rows), BATCH):
            with cursor.copy("COPY copy_benchmark (content_hash, name, text) FROM STDIN") as copy:
                for row in rows[at : at + BATCH]:
                    copy.write_row(row)
            conn.commit()


def main() -> None:
    if len(sys.argv) != 2 or not sys.argv[1].startswith("postgresql://"):
        sys.exit(__doc__.rsplit("usage: ", 1)[1])
    if not PHARMA.exists():
        sys.exit(f"no bulk file at {PHARMA}")
    documents = {r.id: r for r in read_path(PHARMA, ReadOptions()) if isinstance(r, Document)}
    rows = [(d.id, d.name, d.original) for d in documents.values()]
    with psycopg.connect(sys.argv[1].replace("postgresql+psycopg://", "postgresql://")) as conn:
        print(f"{len(rows)} documents, batches of {BATCH}")
        print(f"{'full-text index':>16} {'INSERT s':>9} {'COPY s':>7} {'saved ms/doc':>13}")
        for full_text in (False, True):
            times = []
            for load in (by_insert, by_copy):
                scratch_table(conn, full_text)
                started = time.perf_counter()
                load(conn, rows)
                times.append(time.perf_counter() - started)
            saved = (times[0] - times[1]) / len(rows) * 1000
            print(f"{'yes' if full_text else 'no':>16} {times[0]:9.2f} {times[1]:7.2f} {saved:13.2f}")
        conn.execute("DROP TABLE copy_benchmark")
        conn.commit()


if __name__ == "__main__":
    main()
