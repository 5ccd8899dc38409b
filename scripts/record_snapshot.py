#!/usr/bin/env python3
"""Snapshot extraction records, and compare two snapshots: the check that a refactoring of the
nlp layer changes no record (dev documents and the first documents of each bulk file).

usage:
  python scripts/record_snapshot.py write OUT.jsonl [--bulk N]   (N documents per bulk file, default 1000)
  python scripts/record_snapshot.py compare BEFORE.jsonl AFTER.jsonl [--show K]
"""

from __future__ import annotations

import gzip
import itertools
import json
import sys
from pathlib import Path

from biodeals.ingest import ReadOptions, read_path
from biodeals.nlp import extract_record, load_vocabulary

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _documents(bulk: int):
    for path in sorted((SHARED / "dev").glob("*.txt")):
        yield from read_path(path, ReadOptions())
    for path in sorted((SHARED / "bulk").glob("*.jsonl.gz")):
        yield from itertools.islice(read_path(path, ReadOptions()), bulk)


def write(out: Path, bulk: int) -> None:
    load_vocabulary()
    count = 0
    with out.open("w", encoding="utf-8") as sink:
        for document in _documents(bulk):
            if isinstance(document, Exception):
                continue
            record = extract_record(document)
            sink.write(json.dumps({"source": document.source, **record}, sort_keys=True) + "\n")
            count += 1
    print(f"{count} records written to {out}")


def _load(path: Path) -> dict[tuple[str, str], dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        return {(r["source"], r["id"]): r for r in map(json.loads, lines)}


def compare(before_path: Path, after_path: Path, show: int) -> int:
    before, after = _load(before_path), _load(after_path)
    keys = sorted(before.keys() | after.keys())
    changed = [k for k in keys if before.get(k) != after.get(k)]
    print(f"{len(keys)} documents, {len(changed)} records differ")
    for key in changed[:show]:
        old, new = before.get(key) or {}, after.get(key) or {}
        fields = sorted(f for f in old.keys() | new.keys() if old.get(f) != new.get(f))
        print(f"- {key[1]} ({key[0]}): {', '.join(fields)}")
        for field in fields:
            if field in ("deals", "readouts"):
                print(f"    before: {json.dumps(old.get(field), sort_keys=True)[:600]}")
                print(f"    after:  {json.dumps(new.get(field), sort_keys=True)[:600]}")
    return 1 if changed else 0


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "write":
        bulk = int(argv[argv.index("--bulk") + 1]) if "--bulk" in argv else 1000
        write(Path(argv[1]), bulk)
        return 0
    if len(argv) >= 3 and argv[0] == "compare":
        show = int(argv[argv.index("--show") + 1]) if "--show" in argv else 10
        return compare(Path(argv[1]), Path(argv[2]), show)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
