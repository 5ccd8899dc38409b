"""Ingest: read inputs, extract in one or more processes, store in batches.

Reading and writing happen in the calling process (one writer keeps the database consistent);
extraction, the slow part, is spread over ``workers`` processes. Documents already stored (same
content hash, looked up in the database a chunk at a time) are skipped before extraction, so a
re-run after a crash only does the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from typing import Any

from sqlalchemy import Engine

from biodeals.errors import IngestError
from biodeals.ingest import Document, ReadOptions, read_inputs
from biodeals.ingest.partitions import DEFAULT_PARTITION
from biodeals.limits import DEFAULT_BATCH, DEFAULT_TIME_LIMIT
from biodeals.nlp import extract_record
from biodeals.service import workers as run_workers
from biodeals.service.alerts import DEFAULT_POLICY, AlertSender, DeliveryPolicy
from biodeals.service.merge import POLICY
from biodeals.service.writing import BackgroundWrites
from biodeals.store import Extracted, WriteCounts, Writer

_LOOKUP_AHEAD = 256  # documents read ahead, their hashes looked up in the database at once
_IN_FLIGHT_PER_WORKER = 64  # documents handed to worker processes ahead of the writer
ALERT_GRACE = 10.0  # seconds an ingest waits, at its end, for its alerts to be sent


@dataclass(slots=True)
class IngestSummary:
    """What an ingest did: documents read / new / skipped / failed, and what they added.
    ``skipped`` counts the documents found already stored, before extraction or (stored by a
    concurrent ingest meanwhile) when their batch was written."""

    read: int = 0
    skipped: int = 0
    unreadable: list[str] = field(default_factory=list)
    alert_problems: list[str] = field(default_factory=list)  # watchlists whose alerts could not be queued or sent
    stored: WriteCounts = field(default_factory=WriteCounts)
    partitions: int = 0  # on a cluster: input partitions finished by this run
    partitions_skipped: int = 0  # ... and found finished by an earlier one

    @property
    def new(self) -> int:
        return self.stored.documents

    @property
    def failed(self) -> int:
        return len(self.unreadable) + self.stored.failed

    @property
    def failures(self) -> list[str]:
        return self.unreadable + self.stored.failures

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "new": self.new,
            "skipped": self.skipped,
            "failed": self.failed,
            "deals_added": self.stored.deals_added,
            "deals_merged": self.stored.deals_merged,
            "readouts_added": self.stored.readouts_added,
            "failures": self.failures,
            "alert_problems": self.alert_problems,
            "partitions": self.partitions,
            "partitions_skipped": self.partitions_skipped,
        }


EXTRACTION_TIME_LIMIT = DEFAULT_TIME_LIMIT
"""Seconds one document's extraction may take before it is stored with a "timed out" error."""


def extract_whole(document: Document, time_limit: float | None = None) -> tuple[dict[str, Any] | None, str | None]:
    """(record, None) or (None, why extraction failed). Extraction taking over ``time_limit``
    seconds (default ``EXTRACTION_TIME_LIMIT``; 0 for none) is stopped: one pathological
    document must not hold up a run."""
    limit = EXTRACTION_TIME_LIMIT if time_limit is None else time_limit
    return run_workers.extract_bounded(extract_record, document, limit)


def extract_compact(document: Document, time_limit: float | None = None) -> tuple[dict[str, Any] | None, str | None]:
    """``extract_whole``, the record without its mention lists: the store keeps entities'
    names and ids, and the evidence spans of field values."""
    record, problem = extract_whole(document, time_limit)
    if record is None:
        return None, problem
    for group in record.get("entities", {}).values():
        for entity in group:
            if isinstance(entity, dict):
                entity.pop("mentions", None)
    return record, None


def ingest(
    inputs: Iterable[str],
    engine: Engine,
    *,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH,
    options: ReadOptions | None = None,
    on_progress: Callable[[IngestSummary], None] | None = None,
    time_limit: float | None = None,
    alerts: DeliveryPolicy = DEFAULT_POLICY,
    cluster: str | None = None,
    partition_size: int = DEFAULT_PARTITION,
) -> IngestSummary:
    """Read, extract and store ``inputs``; ``on_progress`` is called after every document (on a
    ``cluster``, ``biodeals.service.cluster``: after every partition of ``partition_size``)."""
    if cluster:
        from biodeals.service.cluster import ingest_on_cluster  # Dask is imported only for a cluster run

        return ingest_on_cluster(
            inputs,
            engine,
            cluster,
            partition_size=partition_size,
            options=options,
            on_progress=on_progress,
            time_limit=time_limit,
            alerts=alerts,
        )
    return ingest_documents(
        read_inputs(inputs, options),
        engine,
        workers=workers,
        batch_size=batch_size,
        on_progress=on_progress,
        time_limit=time_limit,
        alerts=alerts,
    )


def ingest_documents(
    results: Iterable[Document | IngestError],
    engine: Engine,
    *,
    workers: int = 1,
    batch_size: int = DEFAULT_BATCH,
    on_progress: Callable[[IngestSummary], None] | None = None,
    time_limit: float | None = None,
    alerts: DeliveryPolicy = DEFAULT_POLICY,
    alert_wait: float | None = ALERT_GRACE,
) -> IngestSummary:
    """Extract and store documents already read (read errors are counted as failures); a
    document whose extraction takes over ``time_limit`` seconds (None: ``EXTRACTION_TIME_LIMIT``,
    0: no limit) is stored with a "timed out" error. Watchlists' webhooks are told of the deals
    stored, as ``alerts`` says, beside the ingest and for ``alert_wait`` seconds after it at most
    (None: the sender goes on in the background, as in a server that outlives the ingest)."""
    writer = Writer(engine, policy=POLICY)
    sender = AlertSender(engine, alerts)
    summary = IngestSummary()
    unwritten: set[str] = set()  # handed to extraction and not yet written: bounded by what is in flight

    def new_documents() -> Iterator[Document]:
        source = iter(results)
        while chunk := list(islice(source, _LOOKUP_AHEAD)):
            stored = writer.stored_among(r.id for r in chunk if isinstance(r, Document))
            for result in chunk:
                summary.read += 1
                if isinstance(result, IngestError):
                    summary.unreadable.append(str(result))
                elif result.id in stored or result.id in unwritten:
                    summary.skipped += 1
                else:
                    unwritten.add(result.id)
                    yield result
                if on_progress:
                    on_progress(summary)

    def written(batch: list[Extracted], counts: WriteCounts) -> None:
        summary.stored.add(counts)
        summary.skipped += counts.skipped  # stored by another writer since they were looked up
        unwritten.difference_update(item.document.id for item in batch)

    with BackgroundWrites(engine, sender, written) as writes:
        batch: list[Extracted] = []
        for extracted in _extract_all(new_documents(), workers, time_limit):
            batch.append(extracted)
            if len(batch) >= batch_size:
                writes.submit(batch, partial(writer.write_batch, batch))
                batch = []
        if batch:
            writes.submit(batch, partial(writer.write_batch, batch))
    sender.finish(alert_wait)
    summary.alert_problems = list(dict.fromkeys(sender.problems))  # once each, though every batch met it
    if on_progress:
        on_progress(summary)
    return summary


def _extract_task(item: tuple[Document, float | None]) -> tuple[dict[str, Any] | None, str | None]:
    """One document's extraction in a worker process (``extract_compact`` looked up when run)."""
    document, time_limit = item
    return extract_compact(document, time_limit)


def _extract_all(documents: Iterator[Document], workers: int, time_limit: float | None = None) -> Iterator[Extracted]:
    """``extract_compact`` over ``documents``, in order, in ``workers`` processes, each document
    bounded by ``time_limit`` seconds (None: ``EXTRACTION_TIME_LIMIT``). A bounded number of
    documents is in flight, so memory stays flat however long the input. A worker that dies
    costs the documents it had in flight (stored with the reason) and the run goes on; Ctrl-C
    stops the workers, which leave it to this process. Off the main thread (the API serves
    requests from a thread pool) a time limit holds only in a worker process, so one is used."""
    run_workers.load_extraction_data()  # before the first document's time limit starts; shared with forked workers
    bounded_here = time_limit == 0 or run_workers.can_bound_time()
    if workers <= 1 and bounded_here:
        for document in documents:
            yield Extracted(document, *_extract_task((document, time_limit)))
        return
    workers = max(workers, 1)
    items = ((document, time_limit) for document in documents)
    for (document, _), outcome in run_workers.map_in_workers(
        _extract_task, items, workers, workers * _IN_FLIGHT_PER_WORKER
    ):
        if isinstance(outcome, run_workers.WorkerLost):
            yield Extracted(document, None, f"extraction failed ({outcome.reason})")
        else:
            yield Extracted(document, *outcome)
