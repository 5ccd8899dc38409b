"""Ingest on a real Dask cluster (worker processes on this machine): what it stores is what a
local ingest of the same inputs stores, row for row; a killed worker's partition is run again;
a killed client's re-run skips the partitions it finished and stores nothing twice; two ingests
into one database at once store every document once. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest
from sqlalchemy import DateTime, Engine, func, select

from biodeals.service.cluster import ingest_on_cluster
from biodeals.service.ingest import ingest
from biodeals.store import connect
from biodeals.store import schema as t

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::ResourceWarning")


def dump(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table but the run's own bookkeeping (times, finished partitions), ids
    as ranks: a killed transaction may have used up ids (a PostgreSQL sequence is never rolled
    back), which renumbers nothing that was stored."""
    with engine.connect() as conn:
        rows = {
            table.name: conn.execute(select(*(c for c in table.columns if not isinstance(c.type, DateTime)))).all()
            for table in t.metadata.sorted_tables
            if table.name != "partitions"
        }
    ranks = {
        name: {row.id: rank for rank, row in enumerate(sorted(table_rows, key=lambda r: r.id))}
        for name, table_rows in rows.items()
        if "id" in t.metadata.tables[name].c
    }

    def plain(column, value):
        if column.name == "id" and column.primary_key:
            return ranks[column.table.name][value]
        for key in column.foreign_keys:
            return ranks[key.column.table.name].get(value, value)
        return float(value) if isinstance(value, Decimal) else value

    tables = {}
    for name, table_rows in rows.items():
        columns = [c for c in t.metadata.tables[name].columns if not isinstance(c.type, DateTime)]
        tables[name] = sorted((tuple(plain(c, v) for c, v in zip(columns, row, strict=True)) for row in table_rows), key=repr)
    return tables


@pytest.fixture(scope="module")
def local_dump(inputs, tmp_path_factory) -> dict[str, list[tuple]]:
    engine = connect(tmp_path_factory.mktemp("local") / "kb.db")
    summary = ingest(inputs, engine)
    assert (summary.new, summary.skipped, summary.failed) == (33, 3, 0)
    result = dump(engine)
    engine.dispose()
    return result


def _partitions(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(t.partitions))


def test_a_cluster_ingest_stores_what_a_local_ingest_stores_and_a_rerun_skips_it(engine, inputs, scheduler, local_dump):
    summary = ingest_on_cluster(inputs, engine, scheduler, partition_size=4)
    assert (summary.read, summary.new, summary.skipped, summary.failed) == (36, 33, 3, 0)
    assert summary.stored.deals_added >= 8 and summary.stored.deals_merged > 20 and summary.partitions == _partitions(engine) == 10
    assert dump(engine) == local_dump
    again = ingest_on_cluster(inputs, engine, scheduler, partition_size=4)
    assert (again.read, again.new, again.skipped, again.partitions, again.partitions_skipped) == (36, 0, 36, 0, 10)
    smaller = ingest_on_cluster(inputs, engine, scheduler, partition_size=3)  # other partitions, same documents
    # 13 partitions, of which wire.jsonl's lines 13-14 are the same share as before
    assert (smaller.new, smaller.skipped, smaller.partitions, smaller.partitions_skipped) == (0, 36, 12, 1)
    assert dump(engine) == local_dump


def test_a_killed_worker_costs_nothing_its_partition_is_run_again(engine, inputs, scheduler, local_dump):
    from distributed import Client

    with Client(scheduler) as watcher:
        pids = watcher.run(os.getpid)
    killed: list[int] = []

    def kill_one_after_two_partitions(summary) -> None:
        if summary.partitions == 2 and not killed:
            killed.append(next(iter(pids.values())))
            os.kill(killed[0], signal.SIGKILL)  # mid-run: every worker has partitions in flight

    summary = ingest_on_cluster(inputs, engine, scheduler, partition_size=2, on_progress=kill_one_after_two_partitions)
    assert killed and (summary.new, summary.skipped, summary.failed) == (33, 3, 0)
    assert dump(engine) == local_dump
    with Client(scheduler) as watcher:  # the nanny started a new worker in its place
        watcher.wait_for_workers(2, timeout=30)


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "biodeals.cli", *args]


def test_a_killed_client_rerun_skips_what_it_finished_and_stores_nothing_twice(db_url, inputs, scheduler, local_dump):
    engine = connect(db_url)
    run = subprocess.Popen(
        _cli("ingest", *inputs, "--db", db_url, "--cluster", scheduler, "--partition-size", "1", "-q"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while _partitions(engine) < 3 and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert run.poll() is None, "the ingest ended before it could be killed"
        os.killpg(run.pid, signal.SIGKILL)
    finally:
        run.wait(30)
    finished = _partitions(engine)
    assert 3 <= finished < 36
    summary = ingest_on_cluster(inputs, engine, scheduler, partition_size=1)
    assert summary.partitions_skipped == finished and summary.partitions + finished == 36
    assert summary.failed == 0 and summary.stored.documents + summary.skipped == 36
    assert dump(engine) == local_dump
    engine.dispose()


def test_the_dev_corpus_on_local_2_stores_what_a_local_ingest_stores(dev_corpus, tmp_path):
    """The acceptance: ``ingest DEV --cluster local:2`` and ``ingest DEV`` give the same deals."""
    local, cluster = tmp_path / "local.db", tmp_path / "cluster.db"
    subprocess.run(_cli("ingest", str(dev_corpus), "--db", str(local), "-q"), check=True, capture_output=True)
    subprocess.run(_cli("ingest", str(dev_corpus), "--db", str(cluster), "--cluster", "local:2", "-q"), check=True, capture_output=True)
    listed = [
        subprocess.run(_cli("deals", "--db", str(db), "--format", "json", "--limit", "100000", "--all"), check=True, capture_output=True, text=True).stdout
        for db in (local, cluster)
    ]
    assert len(json.loads(listed[0])) > 80 and listed[0] == listed[1]
    engines = [connect(local), connect(cluster)]
    assert dump(engines[0]) == dump(engines[1])  # evidence, terms, entities: every row
    for engine in engines:
        engine.dispose()


def test_two_ingests_at_once_with_overlapping_inputs_store_every_document_once(db_url, inputs, scheduler, local_dump):
    """A cluster ingest and a local one, into one database at once, over inputs that overlap:
    every document once, and the deals a single ingest of their union makes (merged, not doubled)."""
    engine, other = connect(db_url), connect(db_url)  # each ingest its own engine, as two processes
    errors: list[BaseException] = []

    def run(target) -> None:
        try:
            target()
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)

    both = [
        threading.Thread(target=run, args=(lambda: ingest_on_cluster(inputs[:2], engine, scheduler, partition_size=2),)),
        threading.Thread(target=run, args=(lambda: ingest(inputs[1:], other, batch_size=3),)),
    ]
    for thread in both:
        thread.start()
    for thread in both:
        thread.join(300)
    assert not errors
    stored = dump(engine)
    assert len(stored["documents"]) == len(local_dump["documents"]) == 33
    assert {row[1] for row in stored["documents"]} == {row[1] for row in local_dump["documents"]}  # content hashes
    assert len(stored["deals"]) == len(local_dump["deals"])
    assert len(stored["deal_sources"]) == len(local_dump["deal_sources"])
    engine.dispose()
    other.dispose()
