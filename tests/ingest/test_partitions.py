"""Partitions of the inputs (what cluster workers read): read one after another they give what
``read_inputs`` gives, in the same order and with the same names, for every partition size and
every kind of input; their keys name the same share across runs and change with the file."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biodeals.errors import IngestError
from biodeals.ingest import Document, ReadOptions, read_inputs
from biodeals.ingest.partitions import Partition, plan_partitions, read_partition
from biodeals.ingest.sources import read_path

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "src" / "biodeals" / "data" / "samples").glob("*.txt"))


def _records() -> list[dict]:
    return [
        {"id": f"s{i}", "title": p.stem, "published": f"2024-0{1 + i % 9}-01", "url": f"https://x.test/{i}", "text": p.read_text()}
        for i, p in enumerate(SAMPLES)
    ]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    """A folder of every kind: plain files, a JSON Lines file with a bad line and an unnamed
    record, its gzip twin, a Parquet file of several row groups, a hidden file, a broken link."""
    root = tmp_path_factory.mktemp("mixed")
    folder = root / "news"
    (folder / "deep").mkdir(parents=True)
    for path in SAMPLES[:5]:
        (folder / path.name).write_text(path.read_text())
    lines = [json.dumps(r) for r in _records()]
    lines.insert(3, "{not json")
    lines.insert(5, "")
    lines.append(json.dumps({"text": SAMPLES[0].read_text()}))  # no id: named by its line number
    (folder / "deep" / "wire.jsonl").write_text("\n".join(lines))  # no newline at the end
    with gzip.open(folder / "deep" / "wire2.jsonl.gz", "wt") as handle:
        handle.write("\n".join(lines) + "\n")
    pq.write_table(pa.Table.from_pylist(_records()), folder / "rows.parquet", row_group_size=3)
    (folder / "zz-empty.txt").write_text("   ")
    (folder / ".hidden.txt").write_text(SAMPLES[1].read_text())
    os.symlink(folder / "missing.txt", folder / "broken.txt")
    return [str(folder), str(folder / "deep" / "wire.jsonl"), str(root / "nothing-here.jsonl")]


def _signature(result) -> tuple:
    if isinstance(result, IngestError):
        return ("error", str(result))
    return (result.id, result.name, result.source, result.title, result.published, result.url, result.text)


def _by_partitions(inputs: list[str], size: int) -> tuple[list[tuple], list[Partition]]:
    results, partitions = [], []
    for planned in plan_partitions(inputs, size):
        if isinstance(planned, IngestError):
            results.append(_signature(planned))
            continue
        partitions.append(planned)
        results.extend(_signature(r) for r in read_partition(planned, ReadOptions().max_bytes))
    return results, partitions


def _documents_then_errors(signatures: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """Documents in order; errors as a set (a planner reports a missing input before reading)."""
    return [s for s in signatures if s[0] != "error"], sorted(s for s in signatures if s[0] == "error")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(min_value=1, max_value=25))
def test_partitions_read_in_turn_give_what_reading_the_inputs_gives(inputs, size):
    expected = [_signature(r) for r in read_inputs(inputs)]
    got, partitions = _by_partitions(inputs, size)
    assert _documents_then_errors(got) == _documents_then_errors(expected)
    shares = {(p.kind, p.source, p.paths, p.start, p.stop, p.first) for p in partitions}
    assert len({p.key for p in partitions}) == len(shares)  # wire.jsonl, given twice, is one share
    kinds = {p.kind for p in partitions}
    assert kinds == {"files", "lines", "rows"}
    assert all(len(p.paths) <= size for p in partitions)


def test_every_kind_of_input_is_read_and_named_as_before(inputs):
    documents, errors = _documents_then_errors(_by_partitions(inputs, 4)[0])
    names = [name for _, name, *_ in documents]
    assert "wire-14" in names and "wire2-14" in names  # the unnamed record: its file's stem and line
    assert names.count("s0") == 4  # wire, wire2, rows.parquet, and wire.jsonl given again
    problems = " ".join(e[1] for e in errors)
    assert "wire.jsonl:4" in problems and "wire2.jsonl.gz:4" in problems  # the bad line, where it is
    assert "broken symbolic link" in problems and "nothing-here.jsonl: no such file" in problems


def test_keys_name_the_same_share_across_runs_and_change_with_the_file(tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in _records()) + "\n")
    first = [p.key for p in plan_partitions([path], 4)]
    assert first == [p.key for p in plan_partitions([path], 4)]
    assert first != [p.key for p in plan_partitions([path], 5)]
    with path.open("a") as handle:
        handle.write(json.dumps({"text": "Acme Bio acquired Beta Ltd."}) + "\n")
    changed = [p.key for p in plan_partitions([path], 4)]
    assert not set(changed) & set(first)


def test_a_partition_travels_to_a_worker_and_back(inputs):
    """Partitions and what they read are pickled to and from Dask workers."""
    import pickle

    for partition in plan_partitions(inputs, 7):
        if isinstance(partition, IngestError):
            assert str(pickle.loads(pickle.dumps(partition))) == str(partition)
            continue
        again = pickle.loads(pickle.dumps(partition))
        assert again == partition
        results = list(read_partition(partition, 10_000_000))
        assert [_signature(r) for r in pickle.loads(pickle.dumps(results))] == [_signature(r) for r in results]


def test_a_gzip_line_over_the_limit_is_reported_where_it_is_and_the_rest_is_read(tmp_path):
    path = tmp_path / "big.jsonl.gz"
    records = _records()[:3]
    lines = [json.dumps(records[0]), json.dumps({"text": "x" * 50_000}), json.dumps(records[1])]
    with gzip.open(path, "wt") as handle:
        handle.write("\n".join(lines) + "\n")
    planned = list(plan_partitions([path], 2, ReadOptions(max_bytes=20_000)))
    errors = [p for p in planned if isinstance(p, IngestError)]
    assert [str(e) for e in errors] == [f"{path}:2: record exceeds the 20000-byte limit"]
    read = [r for p in planned if isinstance(p, Partition) for r in read_partition(p, 20_000)]
    assert [r.name for r in read if isinstance(r, Document)] == ["s0", "s1"]


def test_parquet_rows_are_documents_and_a_file_without_a_text_column_is_named(tmp_path):
    good = tmp_path / "rows.parquet"
    pq.write_table(pa.Table.from_pylist(_records()), good, row_group_size=4)
    documents = [r for r in read_path(good, ReadOptions()) if isinstance(r, Document)]
    assert [d.name for d in documents] == [f"s{i}" for i in range(len(SAMPLES))]
    assert documents[2].published.isoformat() == "2024-03-01" and documents[2].url == "https://x.test/2"
    no_text = tmp_path / "no-text.parquet"
    pq.write_table(pa.table({"id": ["a"], "title": ["b"]}), no_text)
    with pytest.raises(IngestError, match=r"no text column .*found id, title"):
        list(read_path(no_text, ReadOptions()))
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    with pytest.raises(IngestError, match="could not be read as Parquet"):
        list(read_path(broken, ReadOptions()))
