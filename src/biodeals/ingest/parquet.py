"""Parquet collections: one document per row, from ``id, title, published, url, text`` columns
(any of the names JSON records accept for each), streamed a batch of rows at a time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from biodeals.errors import IngestError, InputTooLarge, MalformedInput
from biodeals.ingest.formats import (
    DATE_FIELDS,
    ID_FIELDS,
    TEXT_FIELDS,
    TITLE_FIELDS,
    URL_FIELDS,
    ReadResult,
    document_from_record,
    guarded,
)

_BATCH_ROWS = 256  # rows decoded at a time: memory is a batch's, however large the row group
_FIELDS = frozenset(TEXT_FIELDS + TITLE_FIELDS + DATE_FIELDS + ID_FIELDS + URL_FIELDS)


def parquet_rows(path: Path, source: str) -> int:
    """How many rows the file holds (from its footer; nothing else is read)."""
    return _open(path, source).metadata.num_rows


def read_parquet(
    path: Path, source: str, name: str, max_bytes: int, rows: tuple[int, int] | None = None
) -> Iterator[ReadResult]:
    """Documents of the rows ``[start, stop)`` of a Parquet file (all rows by default), named
    ``name-N`` (row N, from 1) when the row has no id; a row whose text is over ``max_bytes`` or
    not text is reported as ``source:N`` and skipped. Raises IngestError if the file is no
    Parquet file or has no text column."""
    table = _open(path, source)
    columns = [c for c in table.schema_arrow.names if c.lower() in _FIELDS]
    if not any(c.lower() in TEXT_FIELDS for c in columns):
        found = ", ".join(table.schema_arrow.names) or "none"
        raise MalformedInput(source, f"no text column (looked for {', '.join(TEXT_FIELDS)}; found {found})")
    start, stop = rows or (0, table.metadata.num_rows)
    at = 0  # the first row of the current row group
    for group in range(table.num_row_groups):
        size = table.metadata.row_group(group).num_rows
        if at + size <= start or at >= stop:
            at += size
            continue
        try:
            batches = table.iter_batches(batch_size=_BATCH_ROWS, row_groups=[group], columns=columns)
            for batch in batches:
                for offset, row in enumerate(batch.to_pylist()):
                    number = at + offset  # from 0
                    if start <= number < stop:
                        yield from _row_document(row, f"{source}:{number + 1}", f"{name}-{number + 1}", max_bytes)
                at += batch.num_rows
        except (OSError, pa.ArrowException) as error:
            raise IngestError(source, f"could not be read ({error})") from error


def _row_document(row: dict, where: str, fallback_name: str, max_bytes: int) -> Iterator[ReadResult]:
    text = next((row[c] for c in row if c.lower() in TEXT_FIELDS and row[c] not in (None, "")), None)
    if isinstance(text, str) and len(text) > max_bytes // 4 and len(text.encode()) > max_bytes:
        yield InputTooLarge(where, f"record of {len(text.encode())} bytes exceeds the {max_bytes}-byte limit")
        return
    yield from guarded(where, lambda: document_from_record(row, where, fallback_name))


def _open(path: Path, source: str) -> pq.ParquetFile:
    try:
        return pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as error:
        raise IngestError(source, f"could not be read as Parquet ({error})") from error
