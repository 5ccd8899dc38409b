"""Ingest on a Dask distributed cluster: workers read, clean, hash and extract their partitions;
this process only plans, looks up and writes.

A partition (``biodeals.ingest.partitions``) goes through three tasks: the worker reads it and
keeps the documents; their hashes come back, and the ones stored already (a database lookup) or
handed to an earlier partition of this run are sent back to be skipped; the same worker extracts
the rest. Partitions are written in input order, one transaction each, the partition recorded in
it, so the knowledge base ends as a local ingest of the same inputs leaves it, and a re-run
skips what a killed run finished. A worker that dies has its tasks run again by the scheduler.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING

from biodeals.errors import ConfigError, IngestError
from biodeals.ingest import Document, ReadOptions, ReadResult
from biodeals.ingest.partitions import DEFAULT_PARTITION, Partition, plan_partitions, read_partition
from biodeals.service.alerts import DEFAULT_POLICY, AlertSender, DeliveryPolicy
from biodeals.service.ingest import ALERT_GRACE, IngestSummary, extract_compact, extract_whole
from biodeals.service.merge import POLICY
from biodeals.service.workers import load_extraction_data
from biodeals.service.writing import BackgroundWrites
from biodeals.store import Extracted, FinishedPartition, WriteCounts, Writer

if TYPE_CHECKING:
    from distributed import Client, Future
    from sqlalchemy import Engine

CLUSTER_HELP = "local:N (a cluster of N worker processes here) or tcp://HOST:PORT (a running Dask scheduler)"
# partitions in flight per worker thread: one extracting, one queued behind it, one read ahead
_PARTITIONS_PER_WORKER = 3
_CONNECT_TIMEOUT = 10  # seconds to reach a scheduler


@contextmanager
def cluster_client(spec: str) -> Iterator[Client]:
    """A Dask client for ``spec`` (see ``CLUSTER_HELP``), closed afterwards, with the local
    cluster it started."""
    from distributed import Client, LocalCluster

    if match := re.fullmatch(r"local:(\d+)", spec.strip()):
        workers = int(match[1])
        if not 1 <= workers <= 256:
            raise ConfigError(f"--cluster {spec}: the number of workers must be between 1 and 256")
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    if not re.fullmatch(r"(tcp|tls)://[^\s/:]+:\d{1,5}", spec.strip()):
        raise ConfigError(f"--cluster {spec}: expected {CLUSTER_HELP}")
    try:
        client = Client(spec.strip(), timeout=_CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as error:
        raise ConfigError(f"--cluster {spec}: no Dask scheduler answers there ({error})") from error
    with client:
        yield client


@dataclass(slots=True)
class Share:
    """What a worker made of one partition."""

    read: int = 0
    skipped: int = 0
    unreadable: list[str] = field(default_factory=list)
    extracted: list[Extracted] = field(default_factory=list)


def read_share(partition: Partition, max_bytes: int) -> list[ReadResult]:
    """Task: the partition's documents and read errors (kept on the worker for the next task)."""
    return list(read_partition(partition, max_bytes))


def share_hashes(results: list[ReadResult]) -> list[str]:
    """Task: the content hashes of a partition's documents (all that travels back before extraction)."""
    return [result.id for result in results if isinstance(result, Document)]


def extract_share(
    results: list[ReadResult], known: frozenset[str], time_limit: float | None, compact: bool = True
) -> Share:
    """Task: extract the partition's documents but those ``known`` (stored, or another
    partition's) and the repeats of one within it, each bounded by ``time_limit``; records
    ``compact`` as the store keeps them, or whole as ``biodeals extract`` prints them."""
    load_extraction_data()  # once per worker process, before the first document's time limit starts
    extract = extract_compact if compact else extract_whole
    share = Share(read=len(results))
    seen = set(known)
    for result in results:
        if isinstance(result, IngestError):
            share.unreadable.append(str(result))
        elif result.id in seen:
            share.skipped += 1
        else:
            seen.add(result.id)
            share.extracted.append(Extracted(result, *extract(result, time_limit)))
    return share


@dataclass(slots=True)
class _Running:
    partition: Partition
    read: Future
    hashes: Future
    extracted: Future | None = None
    lost: str | None = None


def _window(client: Client) -> int:
    """How many partitions to keep in flight on the cluster."""
    return max(2, _PARTITIONS_PER_WORKER * sum(client.nthreads().values()))


def run_partitions(
    client: Client,
    planned: Iterator[Partition],
    *,
    max_bytes: int,
    time_limit: float | None,
    known: Callable[[list[str]], set[str]],
    compact: bool = True,
) -> Iterator[tuple[Partition, Share | str]]:
    """Each planned partition with its Share, or why the cluster lost it, in input order.
    ``known(hashes)`` says which of a partition's documents to skip; it is called partition by
    partition in input order (so the first of a repeated document is the one extracted)."""
    from distributed import wait

    window = _window(client)
    running: deque[_Running] = deque()
    while True:
        while len(running) < window and (partition := next(planned, None)) is not None:
            read = client.submit(read_share, partition, max_bytes, pure=False)
            running.append(_Running(partition, read, client.submit(share_hashes, read, pure=False)))
        if not running:
            return
        for item in running:
            if item.extracted is not None or item.lost:
                continue
            if not item.hashes.done():
                break
            try:
                skip = frozenset(known(item.hashes.result()))
            except Exception as error:  # the scheduler gave up on it (its workers kept dying)
                item.lost = f"{type(error).__name__}: {error}"
                continue
            item.extracted = client.submit(extract_share, item.read, skip, time_limit, compact, pure=False)
        head = running[0]
        if head.lost or (head.extracted is not None and head.extracted.done()):
            running.popleft()
            try:
                yield head.partition, head.lost or head.extracted.result()
            except Exception as error:
                yield head.partition, f"{type(error).__name__}: {error}"
            continue
        waiting = [f for item in running for f in (item.hashes, item.extracted) if f is not None and not f.done()]
        wait(waiting, return_when="FIRST_COMPLETED")


def ingest_on_cluster(
    inputs: Iterable[str],
    engine: Engine,
    cluster: str,
    *,
    partition_size: int = DEFAULT_PARTITION,
    options: ReadOptions | None = None,
    on_progress: Callable[[IngestSummary], None] | None = None,
    time_limit: float | None = None,
    alerts: DeliveryPolicy = DEFAULT_POLICY,
    alert_wait: float | None = ALERT_GRACE,
) -> IngestSummary:
    """``biodeals.service.ingest.ingest`` on the Dask cluster ``cluster`` (``CLUSTER_HELP``),
    ``partition_size`` documents to a partition; partitions a run finished are skipped."""
    options = options or ReadOptions()
    writer = Writer(engine, policy=POLICY)
    sender = AlertSender(engine, alerts)
    summary = IngestSummary()
    unwritten: set[str] = set()  # hashes handed to extraction, not yet written

    def known(hashes: list[str]) -> set[str]:
        skip = writer.stored_among(hashes) | (unwritten & set(hashes))
        unwritten.update(set(hashes) - skip)
        return skip

    def written(share: Share, counts: WriteCounts) -> None:
        summary.read += share.read
        summary.skipped += share.skipped + counts.skipped
        summary.unreadable.extend(share.unreadable)
        summary.stored.add(counts)
        unwritten.difference_update(item.document.id for item in share.extracted)
        summary.partitions += 1
        if on_progress:
            on_progress(summary)

    with cluster_client(cluster) as client, BackgroundWrites(engine, sender, written) as writes:
        planned = _unfinished(plan_partitions(inputs, partition_size, options), writer, summary, _window(client))
        for partition, share in run_partitions(
            client, planned, max_bytes=options.max_bytes, time_limit=time_limit, known=known
        ):
            if isinstance(share, str):
                summary.unreadable.append(f"{partition.label}: not read or extracted ({share}); run again to retry")
                continue
            finished = FinishedPartition(partition.key, partition.label, share.read)
            writes.submit(share, partial(writer.write_batch, share.extracted, partition=finished))
    sender.finish(alert_wait)
    summary.alert_problems = list(dict.fromkeys(sender.problems))
    if on_progress:
        on_progress(summary)
    return summary


def _unfinished(
    planned: Iterator[Partition | IngestError], writer: Writer, summary: IngestSummary, chunk: int
) -> Iterator[Partition]:
    """The planned partitions no earlier run finished, looked up ``chunk`` at a time; the
    others, and inputs that could not be planned, are counted."""
    while part := list(islice(planned, chunk)):
        done = writer.finished_partitions(p.key for p in part if isinstance(p, Partition))
        for partition in part:
            if isinstance(partition, IngestError):
                summary.read += 1
                summary.unreadable.append(str(partition))
            elif partition.key in done:
                summary.read += done[partition.key]
                summary.skipped += done[partition.key]
                summary.partitions_skipped += 1
            else:
                yield partition
