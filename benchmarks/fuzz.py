#!/usr/bin/env python3
"""Fuzz every reader, the extractor and the store with mutated documents.

Seeds are the dev documents of ../shared/corpus/dev (when present) and the bundled samples.
Each input is a seed mutated one to four times (chunks inserted, deleted, duplicated; random
Unicode including lone surrogates, NUL and control characters; huge numbers; glued words; cut
short), then written in one of the formats the readers take (text, markdown with front matter,
HTML, JSON, deeply nested JSON, JSON Lines plain and gzip, CSV, RSS) and one of several
encodings (UTF-8, invalid UTF-8, UTF-16 with and without BOM, Latin-1, UTF-8 mixed with Latin-1).

It counts what must never happen:
- an exception other than ``IngestError`` out of ``read_path``, or a ``ReadFailed`` (what the
  readers' last-resort guard makes of an exception they did not foresee): a reader crash;
- an exception out of ``extract_record`` (an extractor crash);
- an evidence, mention or money span that does not slice the stored original text;
- with ``--store``, an exception out of the writer of a SQLite knowledge base, a document it could
  not store, or one it lost (every document read is stored, or skipped as a duplicate).

usage: python benchmarks/fuzz.py [--inputs N] [--seed S] [--store] [--show K]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from biodeals.cli.commands import sample_paths
from biodeals.errors import IngestError, ReadFailed
from biodeals.ingest import Document, ReadOptions, read_path
from biodeals.nlp import extract_record, load_vocabulary, record_spans

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"

_ODD = [
    "\ud800", "\udfff", "\udc80", "\x00", "\x01", "\x1b", "\x7f", "\x85", "\ufeff", "\ufffe", "\uffff", "\u200b",
    "\u202e", "\u2028", "\u2029", "\u0301", "\u00a0", "ﬁ", "ß", "İ", "𝐀", "😀", "\U0010ffff", "\ue000", "€", "£",
    "¥", "Ⅳ", "①", "½", "²", "\r", "\t", "\f", "\v", "&amp;", "&#0;", "&#xd800;", "<", ">", '"', "\\", "\\u0000",
]  # fmt: skip
_MONEY_WORDS = ["million", "billion", "M", "bn", "trillion", "", "thousand"]


@dataclass(slots=True)
class Tally:
    """What a fuzz run saw; ``problems`` holds one line per failure (the first few are shown)."""

    inputs: int = 0
    documents: int = 0
    read_errors: int = 0
    reader_crashes: int = 0
    extractor_crashes: int = 0
    span_violations: int = 0
    store_crashes: int = 0
    store_failed: int = 0
    store_lost: int = 0
    formats: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    @property
    def failures(self) -> int:
        return (
            self.reader_crashes
            + self.extractor_crashes
            + self.span_violations
            + self.store_crashes
            + self.store_failed
            + self.store_lost
        )


def seed_texts(limit: int | None = None) -> list[str]:
    """The bundled samples, then the dev documents when the shared corpus is present."""
    texts = [Path(path).read_text(encoding="utf-8") for path in sample_paths()]
    if DEV.is_dir():
        texts += [path.read_text(encoding="utf-8") for path in sorted(DEV.glob("*.txt"))]
    return texts[:limit] if limit else texts


# -- mutations --------------------------------------------------------------------------------


def _span(rng: random.Random, text: str, most: int = 400) -> tuple[int, int]:
    start = rng.randrange(len(text) + 1)
    return start, min(len(text), start + rng.randint(0, most))


def _insert_chunk(rng: random.Random, text: str, seeds: list[str]) -> str:
    other = rng.choice(seeds)
    start, end = _span(rng, other, 2000)
    at = rng.randrange(len(text) + 1)
    return text[:at] + other[start:end] + text[at:]


def _delete(rng: random.Random, text: str, seeds: list[str]) -> str:
    start, end = _span(rng, text)
    return text[:start] + text[end:]


def _duplicate(rng: random.Random, text: str, seeds: list[str]) -> str:
    start, end = _span(rng, text, 3000)
    return text[:end] + text[start:end] * rng.randint(1, 5) + text[end:]


def _odd_unicode(rng: random.Random, text: str, seeds: list[str]) -> str:
    for _ in range(rng.randint(1, 30)):
        at = rng.randrange(len(text) + 1)
        char = rng.choice(_ODD) if rng.random() < 0.7 else chr(rng.randrange(0x110000))
        text = text[:at] + char * rng.choice((1, 1, 1, 3, 50)) + text[at:]
    return text


def _huge_number(rng: random.Random, text: str, seeds: list[str]) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(rng.choice((12, 20, 40, 310, 400, 2000))))
    figure = rng.choice(("$", "US$", "€", "£", "")) + digits
    if rng.random() < 0.5:
        figure += rng.choice((".", ",")) + digits[: rng.randint(1, 50)]
    amount = f"{figure} {rng.choice(_MONEY_WORDS)}"
    phrase = rng.choice(("an upfront payment of {}", "up to {} in milestones", "for {}", "{} per share", "{}"))
    at = rng.randrange(len(text) + 1)
    return text[:at] + " " + phrase.format(amount) + " " + text[at:]


def _glue(rng: random.Random, text: str, seeds: list[str]) -> str:
    start, end = _span(rng, text, 300)
    glued = text[start:end].replace(" ", "")
    return text[:start] + glued + text[end:] + rng.choice(("", " Eli Lilly andCo", " Merck &", " Inc", "$"))


def _cut(rng: random.Random, text: str, seeds: list[str]) -> str:
    return text[: rng.randrange(len(text) + 1)]


def _flip_case(rng: random.Random, text: str, seeds: list[str]) -> str:
    start, end = _span(rng, text)
    return text[:start] + text[start:end].swapcase() + text[end:]


MUTATIONS: list[Callable[[random.Random, str, list[str]], str]] = [
    _insert_chunk, _delete, _duplicate, _odd_unicode, _odd_unicode, _huge_number, _glue, _cut, _flip_case,
]  # fmt: skip


def mutate(rng: random.Random, text: str, seeds: list[str]) -> str:
    for _ in range(rng.randint(1, 4)):
        text = rng.choice(MUTATIONS)(rng, text, seeds)
    return text


# -- formats and encodings --------------------------------------------------------------------


def _encode(rng: random.Random, text: str) -> bytes:
    choice = rng.random()
    if choice < 0.6:
        return text.encode("utf-8", errors="surrogatepass")  # lone surrogates become invalid UTF-8
    if choice < 0.7:
        return text.encode(rng.choice(("utf-16", "utf-16-le", "utf-16-be")), errors="surrogatepass")
    if choice < 0.8:
        return text.encode("latin-1", errors="replace")
    if choice < 0.9:
        half = len(text) // 2
        return text[:half].encode("utf-8", errors="replace") + text[half:].encode("latin-1", errors="replace")
    return text.encode("utf-8", errors="replace") + bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))


def _record(rng: random.Random, text: str, index: int) -> dict[str, Any]:
    record: dict[str, Any] = {"id": f"fuzz-{index}", "text": text}
    if rng.random() < 0.7:
        record["title"] = text[: rng.randint(0, 120)]
    if rng.random() < 0.5:
        record["published"] = rng.choice(("2024-01-02", "0000-00-00", "Tue, 10 Jun 2025 10:00:00 GMT", "9" * 30, ""))
    if rng.random() < 0.4:
        record["url"] = rng.choice(("https://x.test/a", "javascript:alert(1)", text[:40], 42))
    return record


def render(rng: random.Random, text: str, index: int) -> tuple[str, bytes]:
    """(file suffix, bytes) of ``text`` in a random input format."""
    kind = rng.choice(("txt", "md", "html", "json", "deep", "jsonl", "jsonl.gz", "csv", "rss"))
    if kind == "txt":
        return ".txt", _encode(rng, text)
    if kind == "md":
        front = f"---\ntitle: {text[:60]!r}\ndate: {rng.choice(('2024-05-06', 'soon', '[1, 2'))}\n---\n"
        return ".md", _encode(rng, front + text)
    if kind == "html":
        body = "".join(f"<p>{line}</p>" for line in text.split("\n") if line.strip())
        return ".html", _encode(rng, f"<html><head><title>{text[:80]}</title></head><body><article>{body}</article>")
    if kind == "json":
        payload = _record(rng, text, index) if rng.random() < 0.7 else [_record(rng, text, index)] * 3
        return ".json", json.dumps(payload, ensure_ascii=rng.random() < 0.5).encode("utf-8", errors="surrogatepass")
    if kind == "deep":
        depth = rng.choice((100, 1000, 100_000))
        return ".json", ("[" * depth + json.dumps(text) + "]" * depth).encode("ascii", errors="replace")
    if kind.startswith("jsonl"):
        lines = [json.dumps(_record(rng, t, index)) for t in (text, text[: len(text) // 2], "")]
        if rng.random() < 0.3:
            lines.insert(1, "{not json" + text[:50])
        data = "\n".join(lines).encode("utf-8", errors="surrogatepass")
        return (".jsonl.gz", gzip.compress(data)) if kind.endswith("gz") else (".jsonl", data)
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["id", "title", "text"])
        writer.writerow([f"fuzz-{index}", text[:50], text])
        writer.writerow([f"fuzz-{index}-b", "", text[::-1]])
        data = out.getvalue()
        if rng.random() < 0.3:  # an unterminated quote
            data = data.replace(',"', ',"', 1)[:-3] + '\n"x,' + text[:100]
        return ".csv", _encode(rng, data)
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><item><title>{escaped[:60]}</title>'
    feed += f"<link>{rng.choice(('https://x.test/1', 'javascript:alert(1)'))}</link><description>{escaped}"
    feed += "</description></item></channel></rss>"
    return ".rss", _encode(rng, feed)


def generate(count: int, seed: int) -> Iterator[tuple[int, str, bytes]]:
    """``count`` fuzz inputs: (index, suffix, bytes)."""
    rng = random.Random(seed)
    seeds = seed_texts()
    for index in range(count):
        text = mutate(rng, rng.choice(seeds), seeds)
        suffix, data = render(rng, text, index)
        yield index, suffix, data


# -- checks -----------------------------------------------------------------------------------


def check_document(document: Document, tally: Tally, where: str) -> dict[str, Any] | None:
    """Extract ``document`` and check its record; the record, or None when extraction crashed."""
    try:
        record = extract_record(document)
    except Exception:
        tally.extractor_crashes += 1
        tally.problems.append(f"{where}: extractor crash\n{traceback.format_exc(limit=-3)}")
        return None
    original = document.original
    for span in record_spans(record):
        start, end = span["start"], span["end"]
        if not (0 <= start <= end <= len(original)) or original[start:end] != span["text"]:
            tally.span_violations += 1
            tally.problems.append(f"{where}: span {start}:{end} is not {span['text']!r}")
    json.dumps(record, allow_nan=False)  # a record is JSON: no NaN, no Infinity
    return record


def run(count: int, seed: int = 1, *, store: bool = False, on_input: Callable[[int], None] | None = None) -> Tally:
    """Fuzz ``count`` inputs; with ``store``, also write every document and its record into a
    SQLite knowledge base, in batches of 50, as the ingest does."""
    from biodeals.service.merge import POLICY
    from biodeals.store import Extracted, Writer, connect

    tally = Tally()
    load_vocabulary()
    with tempfile.TemporaryDirectory(prefix="biodeals-fuzz-") as folder:
        engine = connect(Path(folder) / "fuzz.db") if store else None
        writer = Writer(engine, policy=POLICY) if engine else None
        batch: list[Extracted] = []
        for index, suffix, data in generate(count, seed):
            path = Path(folder) / f"fuzz-{index}{suffix}"
            path.write_bytes(data)
            tally.inputs += 1
            tally.formats[suffix] += 1
            try:
                results = list(read_path(path, ReadOptions()))
            except IngestError as error:
                results = [error]
            except Exception:
                tally.reader_crashes += 1
                tally.problems.append(f"{path.name}: reader crash\n{traceback.format_exc(limit=-3)}")
                results = []
            path.unlink()
            for result in results:
                if isinstance(result, ReadFailed):  # a reader raised what it did not foresee: a bug
                    tally.reader_crashes += 1
                    tally.problems.append(f"{path.name}: reader crash caught as {result}")
                    continue
                if isinstance(result, IngestError):
                    tally.read_errors += 1
                    continue
                tally.documents += 1
                record = check_document(result, tally, path.name)
                if writer and record is not None:
                    batch.append(Extracted(result, record))
            if writer and (len(batch) >= 50 or index == count - 1):
                _write(writer, batch, tally)
            if on_input:
                on_input(index)
        if engine:
            engine.dispose()
    return tally


def _write(writer: Any, batch: list[Any], tally: Tally) -> None:
    """Write ``batch``; every document must be stored or skipped as a duplicate, none fail."""
    try:
        counts = writer.write_batch(batch)
    except Exception:
        tally.store_crashes += 1
        tally.problems.append(f"store crash\n{traceback.format_exc(limit=-4)}")
    else:
        tally.store_failed += counts.failed
        tally.problems.extend(counts.failures)
        tally.store_lost += len(batch) - counts.documents - counts.skipped
    batch.clear()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--store", action="store_true", help="also ingest into a SQLite knowledge base")
    parser.add_argument("--show", type=int, default=5, help="problems to print")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def progress(index: int) -> None:
        if (index + 1) % 1000 == 0:
            print(f"  {index + 1} inputs, {time.perf_counter() - started:.0f} s", file=sys.stderr)

    tally = run(args.inputs, args.seed, store=args.store, on_input=progress)
    elapsed = time.perf_counter() - started
    print(
        f"{tally.inputs} inputs ({', '.join(f'{k} {v}' for k, v in sorted(tally.formats.items()))}) in {elapsed:.0f} s: "
        f"{tally.documents} documents, {tally.read_errors} read errors (reported); "
        f"reader crashes {tally.reader_crashes}, extractor crashes {tally.extractor_crashes}, "
        f"span violations {tally.span_violations}; store crashes {tally.store_crashes}, "
        f"documents not stored {tally.store_failed}, lost {tally.store_lost}"
    )
    for problem in tally.problems[: args.show]:
        print(problem, file=sys.stderr)
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
