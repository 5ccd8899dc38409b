"""Hostile and damaged input (issue 15): one bad record costs one document, never the run; no
text leaves the readers that a store cannot hold; memory stays bounded on a gzip bomb; text is
not read wrong silently; names cannot forge lines of output."""

from __future__ import annotations

import csv
import gzip
import json
import os
import tracemalloc

import pytest
from sqlalchemy import select

from biodeals.errors import (
    BinaryInput,
    InputTooLarge,
    MalformedInput,
    ReadFailed,
)
from biodeals.ingest import Document
from biodeals.service.ingest import ingest
from biodeals.store import schema as t
from tests.conftest import read_all

ARTICLE = "Acme Therapeutics and Beta Pharma signed a license for $20 million upfront."


def _storable(doc: Document) -> None:
    for value in (doc.original, doc.text, doc.name, doc.source, doc.title or "", doc.url or ""):
        value.encode("utf-8")
        assert "\x00" not in value


def test_hostile_lone_surrogate_costs_nothing(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"id": "s", "text": "Acme \\ud800 and Beta \\udc00saidRuth; \\ud83d\\ude00 kept"}\n'
        + json.dumps({"id": "ok", "text": ARTICLE})
        + "\n",
        encoding="utf-8",
    )
    (bad, good), errors = read_all(path)
    assert not errors and good.name == "ok"
    _storable(bad)
    assert bad.original == "Acme \ufffd and Beta \ufffdsaidRuth; \U0001f600 kept"
    assert bad.text == "Acme \ufffd and Beta \ufffdsaid Ruth; \U0001f600 kept"  # glue repair still mapped
    start, end = bad.to_original(bad.text.index("Ruth"), bad.text.index(";"))
    assert bad.original[start:end] == "Ruth"


def test_hostile_surrogates_from_cesu_bytes(tmp_path):
    # json.loads of bytes decodes with surrogatepass: CESU-8 gives two surrogate code points
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"text": "emoji \xed\xa0\xbd\xed\xb8\x80 and a lone \xed\xa0\x80 one"}\n')
    (doc,), _ = read_all(path)
    _storable(doc)
    assert doc.original == "emoji \U0001f600 and a lone \ufffd one"


def test_hostile_nul_after_the_first_8_kb(tmp_path):
    path = tmp_path / "late-nul.txt"
    text = ARTICLE + " " + "filler words " * 1000 + "\x00 end of the release."
    assert text.index("\x00") > 8192
    path.write_text(text, encoding="utf-8")
    (doc,), errors = read_all(path)
    assert not errors
    _storable(doc)
    assert doc.original == text.replace("\x00", "\ufffd")


def test_hostile_records_are_stored_on_every_store(tmp_path, engine):
    path = tmp_path / "bad.jsonl"
    records = [
        {"id": "surrogate", "text": "Acme \ud800 signed a deal with Beta."},
        {"id": "nul", "title": "A\x00title", "text": "Gamma\x00 licensed a drug to Delta."},
        {"id": "fine", "text": ARTICLE},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    summary = ingest([str(path)], engine)
    assert summary.new == 3 and not summary.unreadable, summary.failures
    with engine.connect() as conn:
        stored = dict(conn.execute(select(t.documents.c.name, t.documents.c.text)).all())
    assert stored == {
        "surrogate": "Acme \ufffd signed a deal with Beta.",
        "nul": "Gamma\ufffd licensed a drug to Delta.",
        "fine": ARTICLE,
    }


def test_hostile_deeply_nested_json(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    (tmp_path / "deep.json").write_text(deep)
    (tmp_path / "deep.jsonl").write_text(deep + "\n" + json.dumps({"id": "after", "text": ARTICLE}) + "\n")
    docs, errors = read_all(tmp_path / "deep.json", tmp_path / "deep.jsonl")
    assert [d.name for d in docs] == ["after"]
    assert [str(e) for e in errors] == [
        f"{tmp_path / 'deep.json'}: invalid JSON: nested too deeply to read",
        f"{tmp_path / 'deep.jsonl'}:1: invalid JSON: nested too deeply to read",
    ]
    assert all(isinstance(e, MalformedInput) for e in errors)


def test_hostile_integer_too_long_for_python(tmp_path):
    # json.loads raises a plain ValueError (not JSONDecodeError) past 4,300 digits
    path = tmp_path / "ids.jsonl"
    path.write_text(f'{{"id": {"9" * 5000}, "text": "x"}}\n' + json.dumps({"id": "b", "text": ARTICLE}) + "\n")
    docs, (error,) = read_all(path)
    assert [d.name for d in docs] == ["b"]
    assert isinstance(error, MalformedInput) and str(error).startswith(f"{path}:1: invalid JSON (")


def test_hostile_unforeseen_error_in_one_record_costs_that_record(tmp_path, monkeypatch):
    # a bug in clean-up, triggered by one record's text, must not cost the other records
    from biodeals.ingest import formats

    real = formats.guess_language

    def buggy(text: str) -> str:
        if "trigger" in text:
            raise KeyError("a bug")
        return real(text)

    monkeypatch.setattr(formats, "guess_language", buggy)
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps({"id": i, "text": f"{ARTICLE} {i}"}) for i in ("a", "trigger", "c")))
    docs, (error,) = read_all(path)
    assert [d.name for d in docs] == ["a", "c"]
    assert isinstance(error, ReadFailed)
    assert str(error) == f"{path}:2: could not be made a document (KeyError: 'a bug')"


def test_hostile_reader_that_raises_costs_only_its_input(tmp_path, monkeypatch):
    from biodeals.ingest import formats

    def broken(data: bytes, source: str, name: str):
        yield formats.make_document("First part.", name=name, source=source)
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setitem(formats.READERS, "markdown", broken)
    (tmp_path / "a.md").write_text("# x")
    (tmp_path / "b.txt").write_text(ARTICLE)
    docs, (error,) = read_all(tmp_path)
    assert [d.name for d in docs] == ["a", "b"]
    assert str(error) == f"{tmp_path / 'a.md'}: could not be read (RecursionError: maximum recursion depth exceeded)"


def _gzip_lines(path, *lines: bytes) -> None:
    with gzip.open(path, "wb", compresslevel=1) as handle:
        for line in lines:
            handle.write(line)


def _peak(function):
    tracemalloc.start()
    try:
        result = function()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


LIMIT = 100_000


def test_hostile_gzip_bomb_line_is_skipped_in_bounded_memory(tmp_path):
    path = tmp_path / "bomb.jsonl.gz"
    huge = b'{"text": "' + b"A" * (50 * LIMIT) + b'"}\n'  # 5 MB on one line, 50x the limit
    _gzip_lines(path, json.dumps({"id": "a", "text": ARTICLE}).encode() + b"\n", huge, b'{"id": "c", "text": "C."}\n')
    assert path.stat().st_size < LIMIT
    (docs, errors), peak = _peak(lambda: read_all(path, max_bytes=LIMIT))
    assert [d.name for d in docs] == ["a", "c"]
    assert [str(e) for e in errors] == [f"{path}:2: record of {len(huge) - 1} bytes exceeds the {LIMIT}-byte limit"]
    assert isinstance(errors[0], InputTooLarge)
    assert peak < 6 * LIMIT, f"peak {peak} bytes while reading a {len(huge)}-byte line"


@pytest.mark.parametrize("size", [LIMIT, LIMIT + 1])
def test_hostile_jsonl_record_at_the_limit(tmp_path, size):
    line = b'{"text": "' + b"A" * (size - 12) + b'"}'
    assert len(line) == size
    path = tmp_path / "edge.jsonl"
    path.write_bytes(line + b"\n" + line)  # the same record, with and without a newline
    docs, errors = read_all(path, max_bytes=LIMIT)
    if size <= LIMIT:
        assert len(docs) == 2 and not errors
    else:
        assert not docs and [e.source for e in errors] == [f"{path}:1", f"{path}:2"]
        assert all(f"record of {size} bytes" in str(e) for e in errors)


def test_hostile_gzip_text_file_read_in_bounded_memory(tmp_path):
    path = tmp_path / "bomb.txt.gz"
    _gzip_lines(path, b"A" * (50 * LIMIT))
    (docs, (error,)), peak = _peak(lambda: read_all(path, max_bytes=LIMIT))
    assert not docs and isinstance(error, InputTooLarge)
    assert peak < 6 * LIMIT


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_hostile_utf16_without_bom(tmp_path, encoding):
    path = tmp_path / "wide.txt"
    text = ARTICLE + " Zürich — “quoted”."
    path.write_bytes(text.encode(encoding))
    (doc,), errors = read_all(path)
    assert not errors and doc.original == text


def test_hostile_binary_with_nul_pairs_is_still_binary(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(bytes(range(256)) * 8)
    _, (error,) = read_all(path)
    assert isinstance(error, BinaryInput)


def test_hostile_utf8_mixed_with_latin1(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes(
        "Acme’s CEO “Jörg” said — ".encode() + "Müller and Genève signed.".encode("latin-1") + " Coûts: 5 €.".encode()
    )
    (doc,), _ = read_all(path)
    assert doc.original == "Acme’s CEO “Jörg” said — Müller and Genève signed. Coûts: 5 €."


def test_hostile_mostly_latin1_with_some_utf8(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(
        "La société a signé à Genève avec Müller, pour 20 millions d'euros. Élevé.".encode("cp1252")
        + " — “fin”".encode()
    )
    (doc,), _ = read_all(path)
    assert doc.original.startswith("La société a signé à Genève avec Müller")
    assert doc.original.endswith(" — “fin”")


def test_hostile_mojibake_repaired_before_it_becomes_the_original(tmp_path):
    path = tmp_path / "mojibake.txt"
    path.write_text("Acme and MÃ¼ller signed a licenseâ€”worth $20 millionâ€™s upfront.", encoding="utf-8")
    (doc,), _ = read_all(path)
    assert doc.original == "Acme and Müller signed a license—worth $20 million’s upfront."


def test_hostile_correct_text_is_left_as_written(tmp_path):
    text = "“Curly” quotes, ﬁ ligatures, Ｆullwidth, naïve café — 5 × 3 °C, Zoë.\r\nNext line."
    path = tmp_path / "fine.txt"
    path.write_bytes(text.encode())
    (doc,), _ = read_all(path)
    assert doc.original == text


CSV_HEADER = "id,title,text\n"


def test_hostile_csv_unterminated_quote_is_reported_and_rows_recovered(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text(
        CSV_HEADER
        + f'n1,First,"{ARTICLE} and it never closes\n'
        + 'n2,Second,"Another, with a comma."\n'
        + "n3,Third,Plain text here.\n"
    )
    docs, errors = read_all(path)
    assert [d.name for d in docs] == ["n2", "n3"]
    assert [d.text for d in docs] == ["Another, with a comma.", "Plain text here."]
    (error,) = errors
    assert isinstance(error, MalformedInput) and error.source == f"{path}:2"
    assert str(error) == (
        f"{path}:2: unterminated quote on line 2: its field would swallow the next 1 line, which look like rows;"
        " this row is skipped and they are read as rows"
    )


def test_hostile_csv_unterminated_quote_to_the_end_of_the_file(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text(CSV_HEADER + "n1,First,One.\n" + 'n2,Second,"Two\n' + "n3,Third,Three.\nn4,Fourth,Four.\n")
    docs, (error,) = read_all(path)
    assert [d.name for d in docs] == ["n1", "n3", "n4"]
    assert error.source == f"{path}:3"


def test_hostile_csv_good_multiline_and_sloppy_fields_are_kept(tmp_path):
    path = tmp_path / "news.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "text"])
        writer.writerow(["n1", "Multi", 'First paragraph, with commas, many.\nSecond, "quoted", paragraph.'])
    with path.open("a") as handle:
        handle.write('n2,Sloppy,"Acme" said things\n')
    docs, errors = read_all(path)
    assert not errors
    assert [d.text for d in docs] == [
        'First paragraph, with commas, many.\nSecond, "quoted", paragraph.',
        "Acme said things",
    ]


def test_hostile_csv_long_field(tmp_path):
    path = tmp_path / "long.csv"
    long_text = (ARTICLE + " ") * 3000  # 225 KB, over csv's default 128 KB field limit
    path.write_text(CSV_HEADER + f'n1,Long,"{long_text}"\n')
    (doc,), errors = read_all(path)
    assert not errors and doc.original == long_text


def test_hostile_symlink_loop_is_reported(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    os.symlink("loop.txt", tmp_path / "loop.txt")
    os.symlink("b", tmp_path / "a")
    os.symlink("a", tmp_path / "b")
    os.symlink("missing.txt", tmp_path / "gone.txt")
    docs, errors = read_all(tmp_path)
    assert [d.name for d in docs] == ["a"]
    assert sorted(str(e) for e in errors) == [
        f"{tmp_path / 'a'}: symbolic link loop (the link leads back to itself); skipped",
        f"{tmp_path / 'b'}: symbolic link loop (the link leads back to itself); skipped",
        f"{tmp_path / 'gone.txt'}: broken symbolic link (no such file or directory); skipped",
        f"{tmp_path / 'loop.txt'}: symbolic link loop (the link leads back to itself); skipped",
    ]
    _, (error,) = read_all(tmp_path / "loop.txt")
    assert "symbolic link loop" in str(error)


def test_hostile_file_name_cannot_forge_an_error_line(tmp_path):
    path = tmp_path / "x.txt\nERROR: database corrupted\x1b[31m.txt"
    path.write_bytes(b"")
    _, (error,) = read_all(path)
    message = str(error)
    assert "\n" not in message and "\x1b" not in message
    assert "x.txt\\nERROR: database corrupted\\x1b[31m.txt: the input is empty" in message
    assert error.source == str(path)  # the name itself is kept as it is


def test_hostile_undecodable_file_name(tmp_path):
    path = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(path, "wb") as handle:
        handle.write(ARTICLE.encode())
    empty = os.path.join(os.fsencode(tmp_path), b"empty\xff.txt")
    open(empty, "wb").close()
    (doc,), (error,) = read_all(tmp_path)
    _storable(doc)
    assert doc.name == "caf\ufffd" and doc.source.endswith("caf\ufffd.txt")
    str(error).encode("utf-8")
    assert str(error).endswith("empty\\udcff.txt: the input is empty")


def test_hostile_utf16_without_bom_cut_short(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes((ARTICLE * 2).encode("utf-16-le")[:-1])
    (doc,), _ = read_all(path)
    assert doc.original == (ARTICLE * 2)[:-1] + "\ufffd"


@pytest.mark.parametrize("data", [b"\x00\x01\x02binary", b"a\x00b\x00\x00\xd8\x00\xdc" * 3, b"\x00\x00\x00\x01" * 50])
def test_hostile_short_nul_patterns_are_binary(tmp_path, data):
    path = tmp_path / "blob.txt"
    path.write_bytes(data)
    _, (error,) = read_all(path)
    assert isinstance(error, BinaryInput)


def test_a_bad_quote_on_every_row_costs_linear_work(monkeypatch):
    """Each bad row restarts the strict reader after it; restarting must not walk the lines
    before it again (islice did: a 20 MB file of bad rows took hours)."""
    import csv

    from biodeals.ingest import csvrows

    walked = 0
    real = csvrows._lines_from

    def counted(lines, start):
        nonlocal walked
        for line in real(lines, start):
            walked += 1
            yield line

    monkeypatch.setattr(csvrows, "_lines_from", counted)

    def lines_walked(rows: int) -> int:
        nonlocal walked
        walked = 0
        text = "id,title,text\n" + "".join(f'{i},t,"unterminated\n{i},t,fine\n' for i in range(rows // 2))
        assert sum(isinstance(r, MalformedInput) for r in csvrows.csv_rows(text, csv.excel, "x.csv")) == rows // 2
        return walked

    assert lines_walked(4000) <= 4 * 4000
    assert lines_walked(16000) <= 4.4 * lines_walked(4000)
