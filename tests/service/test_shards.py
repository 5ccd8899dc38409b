"""``biodeals extract --out DIR``: Parquet shards, one per partition, hold the record
``biodeals extract`` prints for every document, here or on a Dask cluster; a re-run writes only
the shards that are missing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from biodeals.ingest import ReadOptions, read_inputs
from biodeals.ingest.partitions import plan_partitions, read_partition
from biodeals.nlp import extract_record
from biodeals.service.shards import SHARD_SCHEMA, extract_to_shards, shard_name

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::ResourceWarning")


def rows(out: Path) -> list[dict]:
    """Every shard row of ``out``, in shard order, records parsed."""
    found = []
    for path in sorted(out.glob("part-*.parquet")):
        table = pq.read_table(path)
        assert table.schema == SHARD_SCHEMA
        for row in table.to_pylist():
            row["record"] = json.loads(row["record"]) if row["record"] else None
            found.append(row)
    return found


@pytest.fixture(scope="module")
def expected(inputs) -> list[dict]:
    """What extraction makes of the inputs' partitions of 4, each document once per partition."""
    kept = []
    for partition in plan_partitions(inputs, 4):
        seen: set[str] = set()
        for document in read_partition(partition, ReadOptions().max_bytes):
            if document.id not in seen:
                seen.add(document.id)
                kept.append({"id": document.id, "name": document.name, "record": extract_record(document)})
    return kept


def test_shards_hold_every_documents_record_and_a_rerun_writes_only_the_missing(inputs, expected, tmp_path):
    summary = extract_to_shards(inputs, tmp_path, partition_size=4)
    partitions = list(plan_partitions(inputs, 4))
    assert summary.shards == len(partitions) == 10 and summary.failed == 0 and not summary.unreadable
    assert sorted(p.name for p in tmp_path.iterdir()) == [shard_name(i, p) for i, p in enumerate(partitions)]
    found = rows(tmp_path)
    assert [(r["id"], r["name"], r["record"]) for r in found] == [(e["id"], e["name"], e["record"]) for e in expected]
    assert summary.documents == len(found) == len(list(read_inputs(inputs, ReadOptions()))) - summary.repeats
    assert {r["published"].isoformat() for r in found if r["name"].startswith("row-")} == {"2025-02-03"}

    (tmp_path / shard_name(3, partitions[3])).unlink()
    (tmp_path / f".{shard_name(5, partitions[5])}.partial").write_bytes(b"left by a killed run")
    again = extract_to_shards(inputs, tmp_path, partition_size=4)
    assert (again.shards, again.shards_skipped) == (1, 9)
    assert rows(tmp_path) == found


def test_shards_from_a_cluster_equal_shards_made_here(inputs, expected, scheduler, tmp_path):
    summary = extract_to_shards(inputs, tmp_path / "cluster", cluster=scheduler, partition_size=4)
    assert summary.shards == 10 and summary.failed == 0
    found = rows(tmp_path / "cluster")
    assert [(r["id"], r["name"], r["record"]) for r in found] == [(e["id"], e["name"], e["record"]) for e in expected]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "biodeals.cli", *args], capture_output=True, text=True, check=False)


def test_the_cli_reports_shards_and_bad_folders(inputs, tmp_path):
    done = _cli("extract", *inputs, "--out", str(tmp_path / "shards"), "--partition-size", "20")
    assert done.returncode == 0 and "shards: 3 written, 0 skipped" in done.stderr
    assert done.stdout == ""
    again = _cli("extract", *inputs, "--out", str(tmp_path / "shards"), "--partition-size", "20")
    assert again.returncode == 0 and "shards: 0 written, 3 skipped" in again.stderr
    (tmp_path / "file").write_text("not a folder")
    bad = _cli("extract", *inputs, "--out", str(tmp_path / "file"))
    assert bad.returncode == 1 and f"Error: --out {tmp_path / 'file'}: not a folder" in bad.stderr
    assert "Traceback" not in bad.stderr
    alone = _cli("extract", *inputs, "--cluster", "local:1")
    assert alone.returncode == 1 and "give --out DIR" in alone.stderr
