"""Fixtures of the cluster tests: a Dask cluster, and inputs of every kind."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "src" / "biodeals" / "data" / "samples").glob("*.txt"))


@pytest.fixture(scope="module")  # not longer: other tests count this process's children
def scheduler() -> str:
    """A Dask scheduler with two worker processes (each under a nanny that restarts it)."""
    import logging

    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="session")
def inputs(tmp_path_factory) -> list[str]:
    """Our samples as files, as JSON Lines repeating some of them (a document twice in one run),
    and as Parquet rows: 11 + 14 + 11 documents in many partitions."""
    root = tmp_path_factory.mktemp("cluster-inputs")
    (root / "files").mkdir()
    for path in SAMPLES:
        (root / "files" / path.name).write_text(path.read_text())
    records = [{"id": f"wire-{p.stem}", "title": p.stem, "text": p.read_text() + "\n\nAbout us: a wire copy."} for p in SAMPLES]
    repeats = [{"id": "again", "text": SAMPLES[i].read_text()} for i in (0, 3, 7)]
    (root / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in records[:6] + repeats + records[6:]) + "\n")
    rows = [{"id": f"row-{p.stem}", "published": "2025-02-03", "text": p.read_text() + "\n\n(reprinted)"} for p in SAMPLES]
    pq.write_table(pa.Table.from_pylist(rows), root / "rows.parquet", row_group_size=4)
    return [str(root / "files"), str(root / "wire.jsonl"), str(root / "rows.parquet")]
