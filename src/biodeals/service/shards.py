"""``biodeals extract --out DIR``: extraction records as Parquet shards, one per partition of
the inputs, for archives too large to print or to hold in one knowledge base.

Partitions are those of a cluster ingest (``biodeals.ingest.partitions``), extracted here or
on a Dask cluster; each shard is written whole (a temporary file, then renamed), so a shard
that exists is complete and a re-run skips it. A shard is named by its place in the inputs and
its partition's key (the file's identity and the range), so the same inputs with the same
partition size give the same names. Rows are documents (``id`` is the content hash): a document
repeated within a partition is extracted once, across partitions once per partition.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from biodeals.errors import ConfigError, IngestError
from biodeals.ingest import ReadOptions
from biodeals.ingest.partitions import DEFAULT_PARTITION, Partition, plan_partitions
from biodeals.service.cluster import Share, cluster_client, extract_share, read_share, run_partitions

SHARD_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("name", pa.string()),
        ("source", pa.string()),
        ("title", pa.string()),
        ("published", pa.date32()),
        ("url", pa.string()),
        ("error", pa.string()),
        ("record", pa.string()),
    ]
)
"""One row per document: its identity, the error that stopped its extraction (or null) and
its record as JSON (``biodeals extract`` output; null when extraction failed)."""


@dataclass(slots=True)
class ShardSummary:
    """What ``extract_to_shards`` wrote and skipped."""

    shards: int = 0
    shards_skipped: int = 0  # written by an earlier run
    documents: int = 0
    repeats: int = 0
    failed: int = 0
    unreadable: list[str] = field(default_factory=list)


def shard_name(index: int, partition: Partition) -> str:
    """``part-00042-<16 hex of the key>.parquet`` for the 42nd partition (from 0)."""
    return f"part-{index:05d}-{partition.key[:16]}.parquet"


def extract_to_shards(
    inputs: Iterable[str],
    out: Path,
    *,
    cluster: str | None = None,
    partition_size: int = DEFAULT_PARTITION,
    options: ReadOptions | None = None,
    time_limit: float | None = None,
    on_progress: Callable[[ShardSummary], None] | None = None,
) -> ShardSummary:
    """Extract ``inputs`` into shards in ``out`` (created if missing), here or on the Dask
    cluster ``cluster``; shards already in ``out`` are skipped."""
    options = options or ReadOptions()
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out}: not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"--out {out}: cannot create the folder ({error.strerror})") from error
    summary = ShardSummary()
    names: dict[str, str] = {}  # partition key -> shard file name
    pending = _pending(plan_partitions(inputs, partition_size, options), out, names, summary)
    if cluster is None:
        done: Iterator[tuple[Partition, Share | str]] = (
            (p, extract_share(read_share(p, options.max_bytes), frozenset(), time_limit, compact=False))
            for p in pending
        )
        _write_all(done, out, names, summary, on_progress)
    else:
        with cluster_client(cluster) as client:
            done = run_partitions(
                client,
                pending,
                max_bytes=options.max_bytes,
                time_limit=time_limit,
                known=lambda _: set(),
                compact=False,
            )
            _write_all(done, out, names, summary, on_progress)
    return summary


def _pending(
    planned: Iterator[Partition | IngestError], out: Path, names: dict[str, str], summary: ShardSummary
) -> Iterator[Partition]:
    """The planned partitions without a shard in ``out``; inputs that could not be planned are reported."""
    index = 0
    for partition in planned:
        if isinstance(partition, IngestError):
            summary.unreadable.append(str(partition))
            continue
        name = shard_name(index, partition)
        index += 1
        if (out / name).exists():
            summary.shards_skipped += 1
            continue
        names[partition.key] = name
        yield partition


def _write_all(
    done: Iterator[tuple[Partition, Share | str]],
    out: Path,
    names: dict[str, str],
    summary: ShardSummary,
    on_progress: Callable[[ShardSummary], None] | None,
) -> None:
    for partition, share in done:
        if isinstance(share, str):
            summary.unreadable.append(f"{partition.label}: not read or extracted ({share}); run again to retry")
            continue
        write_shard(share, out / names.pop(partition.key))
        summary.shards += 1
        summary.documents += len(share.extracted)
        summary.repeats += share.skipped
        summary.failed += sum(1 for item in share.extracted if item.record is None)
        summary.unreadable.extend(share.unreadable)
        if on_progress:
            on_progress(summary)


def write_shard(share: Share, path: Path) -> None:
    """The share's documents as one Parquet file at ``path``, all or nothing."""
    rows = [
        {
            "id": item.document.id,
            "name": item.document.name,
            "source": item.document.source,
            "title": item.document.title,
            "published": item.document.published,
            "url": item.document.url,
            "error": item.error,
            "record": None if item.record is None else json.dumps(item.record, ensure_ascii=False),
        }
        for item in share.extracted
    ]
    partial = path.with_name(f".{path.name}.partial")
    try:
        pq.write_table(pa.Table.from_pylist(rows, schema=SHARD_SCHEMA), partial, compression="zstd")
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise ConfigError(f"--out {path.parent}: cannot write {path.name} ({error.strerror or error})") from error
