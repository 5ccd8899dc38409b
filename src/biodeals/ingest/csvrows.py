"""CSV rows that an unterminated quote cannot swallow.

With its default (lenient) parsing, ``csv`` reads a quote that is never closed as a field that
runs on over every following line up to the next quote or the end of the file, and the rows in
those lines silently become the text of one field. Here rows are parsed strictly; a row the
strict parser rejects is read again leniently (as before) unless the lines its field runs
over look like rows of their own, in which case the row is reported and those lines are read
as the rows they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from biodeals.errors import MalformedInput

Row = tuple[int, list[str]]
"""A row's number (the header is row 1; blank lines are not rows) and its fields."""

_ROW_LIKE_LINES_CHECKED = 1000


def _lines_from(lines: list[str], start: int) -> Iterator[str]:
    """``lines[start:]`` without copying, and without walking the first ``start`` lines as
    ``islice`` does: a file with a bad row on every line would otherwise cost quadratic time."""
    return (lines[index] for index in range(start, len(lines)))


def _lenient_row(lines: list[str], start: int, dialect: Any) -> tuple[list[str] | None, int, str]:
    """The row starting on line index ``start`` as csv reads it by default, the index of the
    line after it, and csv's complaint if even that fails."""
    reader = csv.reader(_lines_from(lines, start), dialect)
    try:
        return next(reader, []), start + max(reader.line_num, 1), ""
    except csv.Error as error:
        return None, start + 1, str(error)


def _doubling(dialect: Any) -> Any:
    class Doubling(csv.Dialect):
        delimiter = dialect.delimiter
        quotechar = dialect.quotechar or '"'
        escapechar = None
        doublequote = True
        skipinitialspace = dialect.skipinitialspace
        lineterminator = dialect.lineterminator
        quoting = dialect.quoting

    return Doubling


def _lines(count: int) -> str:
    return f"{count} line" if count == 1 else f"{count:,} lines"


def _looks_like_a_row(line: str, dialect: Any, width: int) -> bool:
    if width < 2:
        return bool(line.strip())
    try:
        return len(next(csv.reader([line], dialect), [])) >= width
    except csv.Error:
        return False


def csv_rows(text: str, dialect: Any, source: str) -> Iterator[Row | MalformedInput]:
    """Rows of CSV ``text``, and a MalformedInput naming ``source:row`` for each row that an
    unterminated quote (or other damage) makes unreadable."""
    if not getattr(dialect, "escapechar", None):
        # the Sniffer says doublequote=False whenever its sample holds no '""'; CSV escapes a quote
        # by doubling it, and only then does the strict parser see a quote that closes too early
        dialect = _doubling(dialect)
    lines = io.StringIO(text).readlines()
    number = 0
    width = 0  # the number of fields of the header
    position = 0
    while position < len(lines):
        reader = csv.reader(_lines_from(lines, position), dialect, strict=True)
        while True:
            start = position + reader.line_num
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                row, end, complaint = _lenient_row(lines, start, dialect)
                swallowed = lines[start + 1 : min(end, start + 1 + _ROW_LIKE_LINES_CHECKED)]
                if row is None or (width and any(_looks_like_a_row(line, dialect, width) for line in swallowed)):
                    number += 1
                    problem = (
                        f"malformed CSV on line {start + 1} ({complaint}); the row is skipped"
                        if row is None
                        else f"unterminated quote on line {start + 1}: its field would swallow the next "
                        f"{_lines(end - start - 1)}, which look like rows; this row is skipped and they are read as rows"
                    )
                    yield MalformedInput(f"{source}:{number}", problem)
                    position = start + 1
                else:
                    if row:
                        number += 1
                        width = width or len(row)
                        yield number, row
                    position = end
                break
            if row:
                number += 1
                width = width or len(row)
                yield number, row
