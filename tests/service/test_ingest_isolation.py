"""Two ingests into one knowledge base at once, in two real processes started on a barrier:
neither fails, every document is stored once, every entity once, and the two summaries add up.
Also: one document that cannot be written costs only itself, through the whole ingest."""

from __future__ import annotations

import multiprocessing
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from biodeals.cli.commands import sample_paths
from biodeals.service import ingest as ingest_module
from biodeals.service.ingest import ingest, ingest_documents
from biodeals.store import connect, entity_key
from biodeals.store import schema as t
from tests.conftest import doc

GENERATED = 160
SHARED_NAMES = 40  # generated documents i and i + SHARED_NAMES name the same new companies
_SYLLABLES = ["ka", "lo", "mi", "ra", "ve", "to", "su", "ne", "di", "po"]


def _company(n: int) -> str:
    """An invented one-word company name for ``n`` ("Kaloka", "Kalolo", ...)."""
    a, b, c = n // 100 % 10, n // 10 % 10, n % 10
    return (_SYLLABLES[a] + _SYLLABLES[b] + _SYLLABLES[c]).capitalize()


def _inputs(folder: Path) -> list[Path]:
    """The bundled samples, then GENERATED licence articles between invented companies; the
    companies repeat every SHARED_NAMES articles, so two writers meet them at the same time."""
    folder.mkdir()
    paths = []
    licence = Path(next(p for p in sample_paths() if Path(p).name.startswith("01"))).read_text(encoding="utf-8")
    for path in sample_paths():
        target = folder / Path(path).name
        target.write_text(Path(path).read_text(encoding="utf-8"), encoding="utf-8")
        paths.append(target)
    for i in range(GENERATED):
        k = i % SHARED_NAMES
        text = licence.replace("Halcyon", _company(k)).replace("Norvale", _company(500 + k))
        text = text.replace("HT-2041", f"KX-{3000 + k}") + f"\n\nRelease number {i}.\n"
        target = folder / f"generated-{i:04d}.txt"
        target.write_text(text, encoding="utf-8")
        paths.append(target)
    return paths


def _ingest_in_process(index: int, url: str, inputs: list[str], barrier: Any, results: Any) -> None:
    """One writer: open the knowledge base (migrating it if fresh) and ingest ``inputs``."""
    try:
        barrier.wait(timeout=60)
        engine = connect(url)
        summary = ingest(inputs, engine, batch_size=5)
        engine.dispose()
        results.put((index, "ok", summary.as_dict()))
    except BaseException:  # reported to the test, which fails with it
        results.put((index, "error", traceback.format_exc()))


def _run_two_writers(url: str, first: list[Path], second: list[Path]) -> list[dict[str, Any]]:
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    processes = [
        context.Process(target=_ingest_in_process, args=(i, url, [str(p) for p in inputs], barrier, results))
        for i, inputs in enumerate((first, second))
    ]
    for process in processes:
        process.start()
    outcomes = sorted(results.get(timeout=600) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    errors = [detail for _i, status, detail in outcomes if status != "ok"]
    assert not errors, "\n".join(errors)
    assert [process.exitcode for process in processes] == [0, 0]
    return [detail for _i, _status, detail in outcomes]


def _state(url: str) -> dict[str, Any]:
    engine = connect(url)
    with engine.connect() as conn:
        state: dict[str, Any] = {
            table.name: conn.scalar(select(func.count()).select_from(table))
            for table in (t.documents, t.entities, t.entity_aliases, t.deals, t.deal_sources, t.readouts)
        }
        state["distinct_hashes"] = conn.scalar(select(func.count(func.distinct(t.documents.c.content_hash))))
        state["entities_by_kind"] = dict(
            conn.execute(select(t.entities.c.kind, func.count()).group_by(t.entities.c.kind)).all()
        )
        keys = Counter(
            (kind, entity_key(kind, name)) for kind, name in conn.execute(select(t.entities.c.kind, t.entities.c.name))
        )
    engine.dispose()
    state["split_entities"] = sorted(key for key, n in keys.items() if n > 1)
    return state


def test_two_processes_ingesting_overlapping_inputs_at_once(db_url, tmp_path):
    paths = _inputs(tmp_path / "articles")
    samples = len(sample_paths())
    first = paths[: samples + 110]  # the samples and generated 0-109
    second = paths[:samples] + paths[samples + 50 :]  # the samples and generated 50-159
    summaries = _run_two_writers(db_url, first, second)

    distinct = len(set(first) | set(second))
    for summary, inputs in zip(summaries, (first, second), strict=True):
        assert summary["read"] == len(inputs)
        assert summary["new"] + summary["skipped"] == summary["read"], summary
        assert summary["failed"] == 0, summary["failures"]
    assert sum(s["new"] for s in summaries) == distinct
    assert sum(s["skipped"] for s in summaries) == len(first) + len(second) - distinct

    state = _state(db_url)
    assert state["documents"] == state["distinct_hashes"] == distinct
    assert state["split_entities"] == []
    reference = tmp_path / "reference.db"
    ingest([str(p) for p in sorted(set(first) | set(second))], connect(str(reference)), batch_size=5)
    expected = _state(str(reference))
    assert state == expected  # entities, aliases, deals and their sources as one writer stores them


def test_a_document_that_cannot_be_written_costs_only_itself(engine, monkeypatch):
    """A record naming a company with a lone surrogate (no database takes it), from an extractor
    that let it through: that document is kept with the reason, the others are stored whole."""
    real = ingest_module.extract_compact

    def extract(document, *limit):
        record, error = real(document, *limit)
        if document.name == "bad":
            record["deals"][0]["parties"][0]["name"] = "Broken\ud800 Ltd"
        return record, error

    monkeypatch.setattr(ingest_module, "extract_compact", extract)
    licence = Path(sample_paths()[0]).read_text(encoding="utf-8")
    documents = [doc(f"{licence}\nRelease {i}.", f"good-{i}") for i in range(3)]
    documents.insert(1, doc(f"{licence}\nRelease bad.", "bad"))
    assert all(real(d)[0]["deals"] for d in documents), "the text no longer reads as a deal"
    summary = ingest_documents(documents, engine, batch_size=10)
    assert (summary.read, summary.new, summary.skipped, summary.failed) == (4, 4, 0, 1)
    [failure] = summary.failures
    assert failure.startswith("<bad>: not stored: UnicodeEncodeError")
    with engine.connect() as conn:
        rows = dict(conn.execute(select(t.documents.c.name, t.documents.c.error)).all())
        deals = conn.scalar(select(func.count()).select_from(t.deal_sources))
    assert rows == {"good-0": None, "good-1": None, "good-2": None, "bad": failure[len("<bad>: ") :]}
    assert deals == 3
    again = ingest_documents(documents, engine)
    assert (again.new, again.skipped, again.failed) == (0, 4, 0)
