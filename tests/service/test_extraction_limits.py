"""Extraction limits during ingest: a document whose extraction runs too long is stored with a
"timed out" error instead of holding up the run, in this process and in worker processes; a
worker that dies costs the documents it had in flight, not the run; Ctrl-C stops the workers
without tracebacks from them."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from biodeals.cli.commands import sample_paths
from biodeals.service import ingest as ingest_module
from biodeals.service import workers
from biodeals.service.ingest import extract_compact, ingest_documents
from biodeals.store import schema as t
from tests.conftest import doc

LICENCE = Path(sample_paths()[0]).read_text(encoding="utf-8")


def _documents(names: list[str]) -> list:
    return [doc(f"{LICENCE}\nRelease {name}.", name) for name in names]


@pytest.fixture
def stalls_on_slow(monkeypatch):
    """Extraction that never ends for a document named "slow" (and kills its process for one
    named "kill"); others are extracted as usual."""
    real = ingest_module.extract_record

    def extract(document, *args):
        if document.name == "slow":
            while True:  # pure-Python work, as a pathological regex or loop would be
                pass
        if document.name == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        return real(document, *args)

    monkeypatch.setattr(ingest_module, "extract_record", extract)


def test_a_slow_extraction_times_out_and_the_alarm_is_restored(stalls_on_slow):
    def mine(_signum, _frame):
        raise AssertionError("not this handler")

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        started = time.monotonic()
        record, error = extract_compact(_documents(["slow"])[0], time_limit=0.2)
        assert time.monotonic() - started < 5
        assert record is None and error == "extraction timed out (over 0.2 s)"
        assert signal.getsignal(signal.SIGALRM) is mine
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        record, error = extract_compact(_documents(["fast"])[0], time_limit=120)
        assert error is None and record["deals"]
        assert signal.getsignal(signal.SIGALRM) is mine
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_off_the_main_thread_the_time_limit_holds_and_leaves_the_thread_clean(monkeypatch):
    """A Dask worker runs extraction in a thread pool, where no signal arrives: the limit is
    kept by a timer thread, and once a block is over nothing is raised in the thread later."""
    real = ingest_module.extract_record

    def slow_on_slow(document, *args):
        if document.name == "slow":
            while True:  # pure Python, interruptible at any bytecode
                pass
        return real(document, *args)

    monkeypatch.setattr(ingest_module, "extract_record", slow_on_slow)
    results: list = []

    def run() -> None:
        slow, fast = _documents(["slow", "fast"])
        started = time.monotonic()
        results.append(extract_compact(slow, time_limit=0.2))
        results.append(time.monotonic() - started)
        for _ in range(20):  # blocks that end just before their limit: no timeout leaks out after them
            results.append(extract_compact(fast, time_limit=5))
        time.sleep(0.3)
        results.append("still running")

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    (record, error), took, *fast, last = results
    assert record is None and error == "extraction timed out (over 0.2 s)" and took < 2
    assert all(e is None and r["deals"] for r, e in fast) and last == "still running"


def test_a_timed_out_document_is_stored_with_the_error_and_the_run_goes_on(engine, stalls_on_slow, monkeypatch):
    monkeypatch.setattr(ingest_module, "EXTRACTION_TIME_LIMIT", 0.2)
    summary = ingest_documents(_documents(["first", "slow", "last"]), engine)
    assert (summary.read, summary.new, summary.failed) == (3, 3, 1)
    with engine.connect() as conn:
        errors = dict(conn.execute(select(t.documents.c.name, t.documents.c.error)).all())
    assert errors == {"first": None, "slow": "extraction timed out (over 0.2 s)", "last": None}


def test_worker_processes_bound_each_document_too(stalls_on_slow):
    documents = _documents(["a", "slow", "b", "c"])
    results = list(ingest_module._extract_all(iter(documents), 2, time_limit=0.3))
    assert [r.document.name for r in results] == ["a", "slow", "b", "c"]
    assert [r.error for r in results] == [None, "extraction timed out (over 0.3 s)", None, None]
    assert all(r.record["deals"] for r in results if r.document.name != "slow")


def test_a_killed_worker_costs_the_documents_in_flight_not_the_run(stalls_on_slow, capfd):
    documents = _documents(["a", "b", "kill", "c", "d"])
    started = time.monotonic()
    results = list(ingest_module._extract_all(iter(documents), 2))
    assert time.monotonic() - started < 60
    assert [r.document.name for r in results] == ["a", "b", "kill", "c", "d"]
    by_name = {r.document.name: r for r in results}
    assert by_name["kill"].record is None and "worker process died" in by_name["kill"].error
    for r in results:  # every document is extracted or says why not
        assert (r.record is None) != (r.error is None)
    later = list(ingest_module._extract_all(iter(_documents(["e", "f"])), 2))
    assert [r.error for r in later] == [None, None]
    assert "Traceback" not in capfd.readouterr().err
    assert _no_children_left()


def _no_children_left(within: float = 10.0) -> bool:
    """Whether every worker process has ended (they are stopped, then reaped, within moments)."""
    deadline = time.monotonic() + within
    while multiprocessing.active_children():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def pid_and_handler(item: int) -> tuple[int, bool]:
    """A task that is quick (1) or slow (0), saying which process ran it and whether it ignores
    Ctrl-C (module level: tasks go to the workers by name)."""
    time.sleep(0.2 if item else 30)
    return os.getpid(), signal.getsignal(signal.SIGINT) == signal.SIG_IGN


def test_workers_leave_ctrl_c_to_the_parent_which_stops_them(capfd):
    results = workers.map_in_workers(pid_and_handler, [1, 1, 0, 0, 0], workers=2, in_flight=4)
    (_, (pid, ignores)), (_, (other, _)) = next(results), next(results)
    assert ignores
    interrupt = threading.Timer(0.3, lambda: [os.kill(p, signal.SIGINT) for p in {pid, other, os.getpid()}])
    interrupt.start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        next(results)  # the parent waits on a 30 s task: Ctrl-C ends the wait and the workers
    interrupt.join()
    assert time.monotonic() - started < 20
    assert _no_children_left(), (pid, other, multiprocessing.active_children())
    assert "Traceback" not in capfd.readouterr().err


def test_off_the_main_thread_the_time_limit_holds_in_a_worker_process(engine, stalls_on_slow):
    """The API ingests from a thread pool, where no alarm reaches: the document is extracted in
    a worker process instead, and a slow one is still stored timed out."""
    outcome: list[object] = []
    thread = threading.Thread(
        target=lambda: outcome.append(ingest_documents(_documents(["slow", "fast"]), engine, time_limit=0.5))
    )
    thread.start()
    thread.join(60)
    (summary,) = outcome
    assert summary.new == 2 and summary.failed == 1 and summary.stored.deals_added == 1
    assert summary.failures == ["<slow>: extraction timed out (over 0.5 s)"]
