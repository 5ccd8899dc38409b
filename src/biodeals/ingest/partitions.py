"""Inputs split into partitions: shares of a run that one worker reads, cleans and extracts.

``plan_partitions`` walks the inputs as ``read_inputs`` does, in the same order, but reads no
document: a folder's plain files are grouped ``size`` at a time, a JSON Lines file is cut every
``size`` lines (byte ranges of a plain file; the lines themselves of a gzip file, which cannot be
sought), a Parquet file every ``size`` rows. Only URLs are read here (a worker may not reach
them). ``read_partition`` is what a worker runs: the same Documents and errors, in the same order
and with the same names, that ``read_inputs`` gives for that share. A partition's ``key`` names
it across runs (the files' paths, sizes and modification times, and the range), so a re-run
knows which it finished.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from biodeals.errors import IngestError, InputTooLarge
from biodeals.ingest.document import Document
from biodeals.ingest.formats import ReadResult, read_json_lines, shielded
from biodeals.ingest.parquet import parquet_rows, read_parquet
from biodeals.ingest.sources import ReadOptions, collection_format, folder_files, read_path, read_url, stem
from biodeals.limits import DEFAULT_PARTITION

_LINE_CHUNK = 1 << 20  # bytes read at a time when a line is longer than this

Kind = Literal["files", "lines", "rows", "documents"]


@dataclass(frozen=True, slots=True)
class Partition:
    """One share of the inputs. ``source`` is the input as the run names it; ``paths`` the files
    of a "files" share; ``start``/``stop`` a byte range ("lines") or row range ("rows"), ``first``
    the number of the first line; ``data`` the lines of a gzip share; ``documents`` what was read
    here (URLs)."""

    key: str
    kind: Kind
    source: str
    label: str
    paths: tuple[str, ...] = ()
    start: int = 0
    stop: int = 0
    first: int = 1
    data: bytes = b""
    documents: tuple[ReadResult, ...] = field(default=(), repr=False)


def plan_partitions(
    inputs: Iterable[str | Path], size: int = DEFAULT_PARTITION, options: ReadOptions | None = None
) -> Iterator[Partition | IngestError]:
    """The partitions of ``inputs``, in reading order, and an IngestError for every input that
    cannot be planned (missing, a broken link, an unreadable collection)."""
    options = options or ReadOptions()
    for item in inputs:
        text = str(item)
        if re.match(r"https?://", text, re.IGNORECASE):
            yield from _documents_partitions(text, shielded(text, read_url(text, options)), size)
            continue
        try:
            yield from _path_partitions(Path(text), size, options)
        except IngestError as error:
            yield error


def read_partition(partition: Partition, max_bytes: int) -> Iterator[ReadResult]:
    """The Documents and errors of one partition, as ``read_inputs`` gives them for its share."""
    if partition.kind == "documents":
        yield from partition.documents
    elif partition.kind == "files":
        options = ReadOptions(max_bytes=max_bytes)
        for path in partition.paths:
            yield from shielded(path, read_path(Path(path), options))
    elif partition.kind == "rows":
        path = Path(partition.source)
        rows = (partition.start, partition.stop)
        yield from shielded(partition.source, read_parquet(path, partition.source, stem(path), max_bytes, rows))
    else:
        yield from shielded(partition.source, _read_lines(partition, max_bytes))


def _read_lines(partition: Partition, max_bytes: int) -> Iterator[ReadResult]:
    data = partition.data
    if not data:
        try:
            with open(partition.source, "rb") as handle:
                handle.seek(partition.start)
                data = handle.read(partition.stop - partition.start)
        except OSError as error:
            raise IngestError(partition.source, f"could not be read ({error})") from error
    name = stem(Path(partition.source))
    yield from read_json_lines(io.BytesIO(data), partition.source, name, max_bytes, partition.first)


def _path_partitions(path: Path, size: int, options: ReadOptions) -> Iterator[Partition | IngestError]:
    files: list[Path] = []
    for found in folder_files(path) if path.is_dir() else iter([path]):
        if isinstance(found, IngestError):
            yield found
            continue
        if collection_format(found) is None:
            files.append(found)
            if len(files) == size:
                yield _files_partition(files)
                files = []
            continue
        if files:
            yield _files_partition(files)
            files = []
        yield from _collection_partitions(found, size, options)
    if files:
        yield _files_partition(files)


def _collection_partitions(path: Path, size: int, options: ReadOptions) -> Iterator[Partition | IngestError]:
    """A JSON Lines or Parquet file cut every ``size`` records; one that cannot be opened is one
    "files" partition, whose reading reports why, as ``read_path`` would."""
    source = str(path)
    try:
        if collection_format(path) == "parquet":
            total = parquet_rows(path, source)
            for start in range(0, total, size):
                stop = min(start + size, total)
                yield _partition("rows", source, f"{source} rows {start + 1}-{stop}", start=start, stop=stop)
        elif path.suffix.lower() == ".gz":
            yield from _gzip_line_partitions(path, size, options.max_bytes)
        else:
            yield from _line_partitions(path, size)
    except IngestError:
        yield _files_partition([path])


def _line_partitions(path: Path, size: int) -> Iterator[Partition]:
    """Byte ranges of a plain JSON Lines file, ``size`` lines each; the worker reads its range."""
    source = str(path)
    try:
        with open(path, "rb") as handle:
            start, first, number = 0, 1, 0
            while _skip_line(handle):
                number += 1
                if number - first + 1 == size:
                    stop = handle.tell()
                    yield _partition("lines", source, f"{source} lines {first}-{number}", start=start, stop=stop, first=first)
                    start, first = stop, number + 1
            if handle.tell() > start:
                yield _partition("lines", source, f"{source} lines {first}-{number}", start=start, stop=handle.tell(), first=first)
    except OSError as error:
        raise IngestError(source, f"could not be read ({error})") from error


def _skip_line(handle: io.BufferedReader) -> bool:
    """Read past one line in bounded chunks; False at the end of the file."""
    chunk = handle.readline(_LINE_CHUNK)
    if not chunk:
        return False
    while not chunk.endswith(b"\n") and (chunk := handle.readline(_LINE_CHUNK)):
        pass
    return True


def _gzip_line_partitions(path: Path, size: int, max_bytes: int) -> Iterator[Partition | IngestError]:
    """The decompressed lines of a gzip JSON Lines file, ``size`` to a partition. A line over
    ``max_bytes`` is reported here and left out (an empty line keeps the numbering)."""
    source = str(path)
    try:
        with gzip.open(path, "rb") as handle:
            lines: list[bytes] = []
            first = number = 0
            while line := handle.readline(max_bytes + 1):
                number += 1
                first = first or number
                if len(line) > max_bytes and not line.endswith(b"\n"):
                    while (more := handle.readline(_LINE_CHUNK)) and not more.endswith(b"\n"):
                        pass  # the rest of the line, read in bounded chunks and dropped
                    yield InputTooLarge(f"{source}:{number}", f"record exceeds the {max_bytes}-byte limit")
                    line = b"\n"
                lines.append(line)
                if len(lines) == size:
                    yield _lines_partition(source, first, number, lines)
                    lines, first = [], 0
            if lines:
                yield _lines_partition(source, first, number, lines)
    except (OSError, EOFError, zlib.error) as error:
        raise IngestError(source, f"could not be read ({error})") from error


def _lines_partition(source: str, first: int, last: int, lines: list[bytes]) -> Partition:
    data = b"".join(line if line.endswith(b"\n") else line + b"\n" for line in lines)
    key = _key("lines", source, hashlib.sha256(data).hexdigest(), first)
    return Partition(key, "lines", source, f"{source} lines {first}-{last}", first=first, data=data)


def _documents_partitions(source: str, results: Iterator[ReadResult], size: int) -> Iterator[Partition]:
    batch: list[ReadResult] = []
    for result in results:
        batch.append(result)
        if len(batch) == size:
            yield _read_partition(source, batch)
            batch = []
    if batch:
        yield _read_partition(source, batch)


def _read_partition(source: str, results: list[ReadResult]) -> Partition:
    ids = [r.id if isinstance(r, Document) else str(r) for r in results]
    key = _key("documents", source, *ids)
    return Partition(key, "documents", source, f"{source} ({len(results)} read)", documents=tuple(results))


def _files_partition(files: list[Path]) -> Partition:
    paths = tuple(str(p) for p in files)
    label = paths[0] if len(paths) == 1 else f"{paths[0]} .. {paths[-1]} ({len(paths)} files)"
    return Partition(_key("files", *(_identity(p) for p in files)), "files", paths[0], label, paths=paths)


def _partition(kind: Kind, source: str, label: str, *, start: int, stop: int, first: int = 1) -> Partition:
    key = _key(kind, _identity(Path(source)), start, stop)
    return Partition(key, kind, source, label, start=start, stop=stop, first=first)


def _identity(path: Path) -> str:
    """A file as a re-run finds it again: where it is, how large, when last changed."""
    try:
        status = path.stat()
    except OSError:
        return str(path)
    return f"{os.path.realpath(path)}\0{status.st_size}\0{status.st_mtime_ns}"


def _key(*parts: object) -> str:
    return hashlib.sha256("\0".join(map(str, parts)).encode("utf-8", "surrogatepass")).hexdigest()
