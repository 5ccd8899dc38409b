"""``biodeals ingest``: read, extract and store inputs in the knowledge base, with a progress bar
and a summary of what was added and what failed."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from biodeals.cli.options import (
    ClusterOption,
    DbOption,
    PartitionSizeOption,
    TimeLimitOption,
    database,
    reported_errors,
    stderr,
)
from biodeals.errors import printable
from biodeals.limits import DEFAULT_BATCH, DEFAULT_MAX_BYTES, DEFAULT_PARTITION, DEFAULT_TIME_LIMIT

if TYPE_CHECKING:
    from biodeals.service.ingest import IngestSummary


def register(app: typer.Typer) -> None:
    """Add ``ingest`` to ``app``."""

    @app.command("ingest")
    def ingest_command(
        inputs: Annotated[list[str], typer.Argument(help="Files, folders, feeds or http(s) URLs.", metavar="INPUT...")],
        db: DbOption = None,
        workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Extraction processes.")] = 1,
        batch_size: Annotated[
            int, typer.Option("--batch-size", min=1, help="Documents per transaction.")
        ] = DEFAULT_BATCH,
        max_bytes: Annotated[
            int, typer.Option("--max-bytes", min=1, help="Size limit of one document.")
        ] = DEFAULT_MAX_BYTES,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
        seconds: TimeLimitOption = DEFAULT_TIME_LIMIT,
        cluster: ClusterOption = None,
        partition_size: PartitionSizeOption = DEFAULT_PARTITION,
    ) -> None:
        """Read, extract and store INPUT... in the knowledge base. Documents already stored
        (same content hash) are skipped, so re-running, or resuming after a crash, adds nothing twice.
        A document whose extraction takes over --time-limit is stored with a 'timed out' error.
        With --cluster, Dask workers read and extract partitions of --partition-size documents
        (--workers and --batch-size do not apply); a re-run skips the partitions a run finished."""
        from biodeals.ingest import ReadOptions
        from biodeals.service.ingest import ingest

        with reported_errors(), database(db, create=True) as engine:
            run = partial(
                ingest, inputs, engine, workers=workers, batch_size=batch_size,
                options=ReadOptions(max_bytes=max_bytes), time_limit=seconds, cluster=cluster,
                partition_size=partition_size,
            )  # fmt: skip
            summary = run() if quiet else _with_progress(run)
        _print_summary(summary)
        if summary.read and summary.failed == summary.read:
            raise typer.Exit(1)


def _with_progress(run: Callable[..., IngestSummary]) -> IngestSummary:
    """``run(on_progress=...)`` with a progress bar on stderr."""
    started = time.monotonic()
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=stderr, transient=False) as progress:
        task = progress.add_task("ingesting", total=None, rate="")

        def update(summary: IngestSummary) -> None:
            rate = summary.read / max(time.monotonic() - started, 1e-6)
            progress.update(
                task,
                completed=summary.read,
                description=f"read {summary.read}, new {summary.new}",
                rate=f"{rate:,.0f} docs/s",
            )

        return run(on_progress=update)


def _print_summary(summary: IngestSummary) -> None:
    s = summary.stored
    if summary.partitions or summary.partitions_skipped:
        stderr.print(
            f"partitions: {summary.partitions} done, {summary.partitions_skipped} skipped (finished by an earlier run)"
        )
    stderr.print(
        f"documents: {summary.read} read, {summary.new} new, {summary.skipped} skipped (already stored), "
        f"{summary.failed} failed; deals: {s.deals_added} added, {s.deals_merged} merged; readouts: {s.readouts_added} added",
        markup=False,
    )
    for failure in summary.failures[:20]:
        stderr.print(f"  failed: {printable(failure)}", markup=False)
    if len(summary.failures) > 20:
        stderr.print(f"  ... and {len(summary.failures) - 20} more", markup=False)
    for problem in summary.alert_problems:
        stderr.print(f"  alerts: {printable(problem)}", markup=False)
