"""One document that cannot be written costs only itself; writers that overlap (another process
stored entities since this writer loaded its cache, or is inserting the same alias right now)
neither fail nor split an entity; processes opening a fresh database at once all succeed.
Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
import threading
import time
import traceback
from typing import Any

import pytest
from sqlalchemy import insert, select, text

from biodeals.service.merge import POLICY
from biodeals.store import Extracted, Writer, connect
from biodeals.store import schema as t
from biodeals.store import writer as writer_module
from biodeals.store.db import SCHEMA_REVISION
from tests.store.test_store import count, deal, report


def _table_counts(engine) -> dict[str, int]:
    return {table.name: count(engine, table) for table in t.metadata.sorted_tables}


def _errors(engine) -> dict[str, str | None]:
    with engine.connect() as conn:
        return dict(conn.execute(select(t.documents.c.name, t.documents.c.error)).all())


def _companies(engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.scalars(select(t.entities.c.name).where(t.entities.c.kind == "company")))


def _good(i: int) -> Extracted:
    return report(f"good-{i}", "2021-03-01", [deal(("Acme Bio", "acquirer"), (f"Target{i} Inc.", "target"))])


def test_a_value_no_database_takes_costs_only_its_document(engine):
    """A lone surrogate in a party's name: neither SQLite nor PostgreSQL can encode it."""
    bad = report("bad", "2021-03-01", [deal(("Acme Bio", "acquirer"), ("Broken\ud800 Ltd", "target"))])
    batch = [_good(0), bad, _good(1)]
    counts = Writer(engine, policy=POLICY).write_batch(batch)
    assert (counts.documents, counts.failed, counts.deals_added) == (3, 1, 2)
    [failure] = counts.failures
    assert failure.startswith("<bad>: not stored: UnicodeEncodeError") and "surrogates not allowed" in failure
    errors = _errors(engine)
    assert errors["good-0"] is None and errors["good-1"] is None and errors["bad"] == failure[len("<bad>: ") :]
    assert _companies(engine) == ["Acme Bio", "Target0 Inc.", "Target1 Inc."]  # nothing of 'bad' is left
    before = _table_counts(engine)
    again = Writer(engine, policy=POLICY).write_batch(batch)
    assert (again.documents, again.skipped, again.failed) == (0, 3, 0)
    assert _table_counts(engine) == before


def test_a_nul_is_refused_by_postgresql_alone_and_costs_only_its_document(engine):
    """NUL in an entity name and in the document's text (a record from a path that does not
    clean text): PostgreSQL refuses both, so the row kept for the document has U+FFFD instead."""
    bad = report("bad", "2021-03-01", [deal(("Acme Bio", "acquirer"), ("Nul\x00 Ltd", "target"))])
    bad.document.original += "\x00"
    counts = Writer(engine, policy=POLICY).write_batch([_good(0), bad, _good(1)])
    if engine.dialect.name == "sqlite":
        assert (counts.documents, counts.failed) == (3, 0)
        return
    assert (counts.documents, counts.failed, counts.deals_added) == (3, 1, 2)
    assert "NUL" in counts.failures[0] and "NUL" in _errors(engine)["bad"]
    with engine.connect() as conn:
        kept = conn.scalar(select(t.documents.c.text).where(t.documents.c.name == "bad"))
    assert kept == bad.document.original.replace("\x00", "\ufffd")
    assert "Nul\x00 Ltd" not in _companies(engine)


def test_a_failed_extraction_that_cannot_be_written_keeps_both_reasons(engine):
    broken = report("broken", "2021-03-01", [])
    broken.document.original += "\x00"
    counts = Writer(engine, policy=POLICY).write_batch([Extracted(broken.document, None, "extraction failed (ValueError: boom)")])
    assert (counts.documents, counts.failed) == (1, 1)
    error = _errors(engine)["broken"]
    if engine.dialect.name == "sqlite":
        assert error == "extraction failed (ValueError: boom)"
    else:
        assert error.startswith("extraction failed (ValueError: boom); not stored: DataError") and "NUL" in error


def test_a_document_rolled_back_takes_its_cached_entities_with_it(engine, monkeypatch):
    """'first' is written whole (creating Newco and Oldco), then fails; 'second', naming Newco
    too, must create it afresh: a cache still holding the rolled-back id would fail it as well."""
    real = writer_module._BatchSession.store

    def failing(self, item: Extracted, counts) -> None:
        real(self, item, counts)
        if item.document.name == "first":
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(writer_module._BatchSession, "store", failing)
    first = report("first", "2021-03-01", [deal(("Newco", "acquirer"), ("Oldco", "target"))])
    second = report("second", "2021-03-02", [deal(("Newco", "acquirer"), ("Otherco", "target"))])
    counts = Writer(engine, policy=POLICY).write_batch([first, second])
    assert counts.failures == ["<first>: not stored: RuntimeError: disk on fire"]
    assert (counts.documents, counts.failed, counts.deals_added) == (2, 1, 1)
    assert _companies(engine) == ["Newco", "Otherco"]
    with engine.connect() as conn:
        parties = conn.scalars(
            select(t.entities.c.name).join(t.deal_parties, t.deal_parties.c.entity_id == t.entities.c.id)
        )
        assert sorted(parties) == ["Newco", "Otherco"]


def test_a_document_whose_row_cannot_be_kept_either_is_counted_and_the_batch_goes_on(engine, monkeypatch):
    real = writer_module._BatchSession.insert_document

    def failing(self, doc, published, error, storable=False, **given):
        if doc.name == "bad":
            raise RuntimeError(f"cannot write {doc.name}")
        return real(self, doc, published, error, storable, **given)

    monkeypatch.setattr(writer_module._BatchSession, "insert_document", failing)
    bad = report("bad", "2021-03-01", [deal(("Acme Bio", "acquirer"), ("Zeta", "target"))])
    counts = Writer(engine, policy=POLICY).write_batch([bad, _good(0)])
    assert (counts.documents, counts.failed) == (1, 1)
    assert counts.failures == [
        "<bad>: not stored: RuntimeError: cannot write bad; not recorded either (RuntimeError: cannot write bad)"
    ]
    assert set(_errors(engine)) == {"good-0"}


def test_entities_stored_by_another_writer_meanwhile_are_found_not_created_again(engine):
    """Two writers on one database, each with its alias cache loaded before the other wrote."""
    first, second = Writer(engine, policy=POLICY), Writer(engine, policy=POLICY)
    first.write_batch([report("a", "2021-01-01", [deal(("Merck KGaA", "acquirer", ["Merck"]), ("Acme", "target"))])])
    counts = second.write_batch(
        [
            report("b", "2021-02-01", [deal(("Acme, Inc.", "target"), ("Merck & Co., Inc.", "acquirer", ["Merck"]))]),
            report("c", "2021-02-02", [deal(("Merck", "licensor"), ("Acme", "licensee"), types=("license",))]),
        ]
    )
    assert counts.failed == 0
    # Acme is one entity; Merck & Co. is not Merck KGaA even though both are called 'Merck'
    assert _companies(engine) == ["Acme, Inc.", "Merck & Co., Inc.", "Merck KGaA"]


def test_an_alias_another_writer_is_inserting_right_now_makes_its_entity_the_one(engine):
    """PostgreSQL: the other transaction has inserted the alias but not committed; the writer's
    own insert waits for it, then takes the winner's entity instead of keeping a second one."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite writers never overlap: each holds the database's write lock (BEGIN IMMEDIATE)")
    other = engine.connect()
    transaction = other.begin()
    winner = other.execute(insert(t.entities).values(kind="company", name="Pfizer Inc.")).inserted_primary_key[0]
    other.execute(insert(t.entity_aliases).values(kind="company", key="pfizer", entity_id=winner, alias="Pfizer Inc."))
    writer = Writer(engine, policy=POLICY)
    outcome: list[Any] = []

    def write() -> None:
        try:
            outcome.append(
                writer.write_batch([report("a", "2021-01-01", [deal(("Pfizer", "acquirer"), ("Acme", "target"))])])
            )
        except BaseException:
            outcome.append(traceback.format_exc())

    thread = threading.Thread(target=write)
    thread.start()
    with engine.connect() as watcher:  # wait until the writer is blocked on the alias row
        waiting = (
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%entity_aliases%'"
        )
        for _ in range(600):
            if watcher.scalar(text(waiting)):
                break
            time.sleep(0.05)
            watcher.rollback()
        else:
            pytest.fail("the writer never waited for the other transaction's alias")
    transaction.commit()
    other.close()
    thread.join(timeout=60)
    [counts] = outcome
    assert not isinstance(counts, str), counts
    assert counts.failed == 0
    assert _companies(engine) == ["Acme", "Pfizer Inc."]
    with engine.connect() as conn:
        assert conn.scalar(select(t.deal_parties.c.entity_id).where(t.deal_parties.c.role == "acquirer")) == winner


def _connect_in_process(url: str, barrier: Any, results: Any) -> None:
    try:
        barrier.wait(timeout=60)
        connect(url).dispose()
        results.put("ok")
    except BaseException:
        results.put(traceback.format_exc())


@pytest.mark.parametrize("round_", range(3))
def test_processes_opening_a_fresh_database_at_once_all_succeed(db_url, round_):
    """Four at once: the migration and (SQLite) the switch to WAL are raced for."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(4), context.Queue()
    processes = [context.Process(target=_connect_in_process, args=(db_url, barrier, results)) for _ in range(4)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert outcomes == ["ok"] * 4, "\n".join(outcomes)
    engine = connect(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [SCHEMA_REVISION]
    engine.dispose()
