"""Batches written in a thread of their own while the ingest goes on handing out extraction
work: on a machine whose cores all extract, a write done in between would leave every worker
idle until it ends.

Writes run one after another, in the order given; what each stored is handed back in the
caller's thread, in that order (so the caller's bookkeeping needs no lock), and a write's error
is raised there. At most ``queued`` extracted batches wait for the writer: memory stays flat.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine

from biodeals.service.alerts import AlertSender
from biodeals.service.watchlists import now
from biodeals.store import WriteCounts

K = TypeVar("K")
_QUEUED = 2


class BackgroundWrites(Generic[K]):
    """``submit(key, write)`` runs ``write()`` in the writer thread; ``written(key, counts)`` is
    called in the caller's thread once it is done. A context manager: leaving it waits for the
    writes handed in (and, on the way out of an error, still lets them finish)."""

    def __init__(
        self,
        engine: Engine,
        sender: AlertSender,
        written: Callable[[K, WriteCounts], None],
        queued: int = _QUEUED,
    ) -> None:
        self._sender = sender
        self._written = written
        self._queued = queued
        self._pending: deque[tuple[K, Future[WriteCounts]]] = deque()
        # an in-memory SQLite database is one connection per thread: written where it was opened
        in_memory = engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")
        self._pool = None if in_memory else ThreadPoolExecutor(1, thread_name_prefix="biodeals-writer")

    def __enter__(self) -> BackgroundWrites[K]:
        return self

    def __exit__(self, kind: Any, *_: Any) -> None:
        try:
            if kind is None:
                self.drain()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)

    def submit(self, key: K, write: Callable[[], WriteCounts]) -> None:
        """Queue ``write``; collect the writes done, and wait while too many are queued."""
        if self._pool is None:
            self._written(key, self._run(write))
            return
        self._pending.append((key, self._pool.submit(self._run, write)))
        while self._pending and (self._pending[0][1].done() or len(self._pending) > self._queued):
            self._collect()

    def drain(self) -> None:
        """Wait for every write handed in."""
        while self._pending:
            self._collect()

    def _collect(self) -> None:
        key, future = self._pending.popleft()
        self._written(key, future.result())

    def _run(self, write: Callable[[], WriteCounts]) -> WriteCounts:
        started = now()  # the batch's documents are stored at or after this
        counts = write()
        if counts.deals_added or counts.deals_merged:
            self._sender.notify(started)  # the watchlists' webhooks are told of the deals
        return counts
