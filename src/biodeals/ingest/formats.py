"""Format readers: bytes of one input in, Documents (or per-record errors) out.

Each reader is registered under a format name; ``sources`` decides which format an input has.
Readers yield an ``IngestError`` for a bad record inside a collection (one bad JSON line, one
empty feed entry) so that the rest of the collection is still read, and raise one when the
input as a whole cannot be read.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from biodeals.errors import (
    BinaryInput,
    DecodeFailed,
    EmptyInput,
    IngestError,
    InputTooLarge,
    MalformedInput,
)
from biodeals.ingest.cleanup import clean_text, find_sections, guess_language
from biodeals.ingest.document import Document

ReadResult = Document | IngestError
Reader = Callable[[bytes, str, str], Iterator[ReadResult]]
"""A reader takes (data, source, name) and yields documents or per-record errors."""

READERS: dict[str, Reader] = {}

TEXT_FIELDS = ("text", "body", "content", "article", "full_text", "description")
TITLE_FIELDS = ("title", "headline")
DATE_FIELDS = ("published", "date", "published_at", "pubdate", "publication_date")
URL_FIELDS = ("url", "link")
ID_FIELDS = ("id", "doc_id", "guid")


def register_reader(name: str) -> Callable[[Reader], Reader]:
    """Register ``reader`` as the reader of format ``name`` (replacing any earlier one)."""

    def decorate(reader: Reader) -> Reader:
        READERS[name] = reader
        return reader

    return decorate


def decode(data: bytes, source: str) -> str:
    """Decode bytes as text: UTF-8 (with or without BOM), UTF-16 with BOM, else the encoding
    charset-normalizer finds most plausible.

    Raises EmptyInput, BinaryInput or DecodeFailed, naming ``source``.
    """
    if not data.strip():
        raise EmptyInput(source, "the input is empty")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise DecodeFailed(source, f"invalid UTF-16 ({error.reason})") from error
    if b"\x00" in data[:8192]:
        raise BinaryInput(source, "looks like binary data (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding is None:
        raise DecodeFailed(source, "could not decode the bytes as text in any known encoding")
    text = data.decode(best.encoding, errors="replace")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 0.05 * min(len(text), 8192):
        raise BinaryInput(source, "looks like binary data (control characters), not text")
    return text


def parse_published(value: Any) -> date | None:
    """A date from ISO-8601 text, RFC 2822 text, a struct_time or a datetime; None if absent or
    unparseable (a bad date never costs the document)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, time.struct_time):
        return date(value.tm_year, value.tm_mon, value.tm_mday)
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def make_document(
    original: str,
    *,
    name: str,
    source: str,
    title: str | None = None,
    published: Any = None,
    url: str | None = None,
) -> Document:
    """Clean ``original`` and wrap it as a Document. Raises EmptyInput when it holds no text."""
    if not original or not original.strip():
        raise EmptyInput(source, "no text in this input")
    text, offsets = clean_text(original)
    return Document(
        text=text,
        original=original,
        offsets=offsets,
        name=name,
        source=source,
        title=(title or "").strip() or None,
        published=parse_published(published),
        url=url or None,
        language=guess_language(text),
        sections=find_sections(text),
    )


def _first(record: dict[str, Any], keys: Iterable[str]) -> Any:
    lowered = {str(k).lower(): v for k, v in record.items()}
    for key in keys:
        value = lowered.get(key)
        if value not in (None, ""):
            return value
    return None


def document_from_record(record: Any, source: str, fallback_name: str) -> Document:
    """A Document from a JSON/CSV record with id/title/published/url/text fields."""
    if not isinstance(record, dict):
        raise MalformedInput(source, f"expected an object, found {type(record).__name__}")
    text = _first(record, TEXT_FIELDS)
    if text is None:
        raise MalformedInput(
            source,
            f"no text field (looked for {', '.join(TEXT_FIELDS)}; found {', '.join(map(str, record)) or 'none'})",
        )
    if not isinstance(text, str):
        raise MalformedInput(source, f"the text field holds {type(text).__name__}, not text")
    name = _first(record, ID_FIELDS)
    return make_document(
        text,
        name=str(name) if name is not None else fallback_name,
        source=source,
        title=_as_text(_first(record, TITLE_FIELDS)),
        published=_first(record, DATE_FIELDS),
        url=_as_text(_first(record, URL_FIELDS)),
    )


def _as_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _guarded(source: str, make: Callable[[], Document]) -> Iterator[ReadResult]:
    try:
        yield make()
    except IngestError as error:
        yield error


@register_reader("text")
def read_text(data: bytes, source: str, name: str) -> Iterator[ReadResult]:
    """Plain text: the whole input is one document."""
    yield make_document(decode(data, source), name=name, source=source)


@register_reader("markdown")
def read_markdown(data: bytes, source: str, name: str) -> Iterator[ReadResult]:
    """Markdown; YAML front matter supplies title, date and url when present."""
    import frontmatter

    text = decode(data, source)
    try:
        post = frontmatter.loads(text)
    except Exception as error:  # malformed YAML in the front matter
        raise MalformedInput(source, f"unreadable front matter ({error})") from error
    meta = post.metadata
    yield make_document(
        post.content,
        name=name,
        source=source,
        title=_as_text(meta.get("title")),
        published=meta.get("date") or meta.get("published"),
        url=_as_text(meta.get("url")),
    )


@register_reader("html")
def read_html(data: bytes, source: str, name: str) -> Iterator[ReadResult]:
    """HTML: main content by trafilatura (navigation and footers dropped), title and date
    from the page's metadata."""
    import trafilatura

    text = decode(data, source)
    if "<" not in text:
        raise MalformedInput(source, "no HTML markup found")
    try:
        extracted = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False)
    except Exception as error:  # lxml raises a variety of parser errors
        raise MalformedInput(source, f"HTML could not be parsed ({error})") from error
    if extracted is None or not (extracted.text or "").strip():
        raise EmptyInput(source, "no main text found in the HTML")
    yield make_document(
        extracted.text,
        name=name,
        source=source,
        title=extracted.title,
        published=extracted.date,
        url=extracted.url,
    )


@register_reader("json")
def read_json(data: bytes, source: str, name: str) -> Iterator[ReadResult]:
    """JSON: one record object, or an array of them."""
    try:
        payload = json.loads(decode(data, source))
    except json.JSONDecodeError as error:
        raise MalformedInput(source, f"invalid JSON at line {error.lineno}: {error.msg}") from error
    records = payload if isinstance(payload, list) else [payload]
    if not records:
        raise EmptyInput(source, "the JSON array is empty")
    for index, record in enumerate(records):
        where = source if len(records) == 1 else f"{source}[{index}]"
        yield from _guarded(where, lambda r=record, w=where: document_from_record(r, w, name))


def read_json_lines(lines: Iterable[bytes], source: str, name: str, max_bytes: int) -> Iterator[ReadResult]:
    """JSON Lines: one record per line; a bad line is reported and skipped."""
    for number, line in enumerate(lines, 1):
        where = f"{source}:{number}"
        if len(line) > max_bytes:
            yield InputTooLarge(where, f"record of {len(line)} bytes exceeds the {max_bytes}-byte limit")
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            yield MalformedInput(where, f"invalid JSON ({error})")
            continue
        yield from _guarded(where, lambda r=record, w=where, n=number: document_from_record(r, w, f"{name}-{n}"))


@register_reader("jsonl")
def read_jsonl(data: bytes, source: str, name: str) -> Iterator[ReadResult]:
    """JSON Lines held in memory (streamed files go through ``read_json_lines`` directly)."""
    yield from read_json_lines(io.BytesIO(data), source, name, max_bytes=len(data) + 1)


@register_reader("csv")
def read_csv(data: bytes, source: str, name: str) -> Iterator[ReadResult]:
    """CSV with a header row and a text column (text, body, content, article, ...)."""
    text = decode(data, source)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    columns = [c.lower() for c in reader.fieldnames or []]
    if not any(c in TEXT_FIELDS for c in columns):
        raise MalformedInput(
            source,
            f"no text column (looked for {', '.join(TEXT_FIELDS)}; found {', '.join(columns) or 'none'})",
        )
    row_number = 1
    try:
        for row_number, row in enumerate(reader, 2):
            where = f"{source}:{row_number}"
            yield from _guarded(where, lambda r=row, w=where, n=row_number: document_from_record(r, w, f"{name}-{n}"))
    except csv.Error as error:
        yield MalformedInput(f"{source}:{row_number}", f"malformed CSV ({error})")


@register_reader("feed")
def read_feed(data: bytes, source: str, name: str) -> Iterator[ReadResult]:
    """RSS or Atom feed (feedparser): one document per entry, its HTML reduced to text."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = getattr(parsed, "bozo_exception", None)
        problem = f"not a readable feed ({reason})" if reason else "the feed has no entries"
        raise (MalformedInput if reason else EmptyInput)(source, problem)
    for index, entry in enumerate(parsed.entries, 1):
        where = f"{source}#{index}"
        body = ""
        if entry.get("content"):
            body = " ".join(part.get("value", "") for part in entry["content"])
        body = body or entry.get("summary", "") or entry.get("description", "")
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        entry_name = entry.get("id") or entry.get("link") or f"{name}-{index}"

        def make(b: str = body, e: Any = entry, p: Any = published, n: str = entry_name, w: str = where) -> Document:
            return make_document(
                html_to_text(b), name=n, source=w, title=e.get("title"), published=p, url=e.get("link")
            )

        yield from _guarded(where, make)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed summaries are too short for main-content
    extraction); paragraphs and line breaks become newlines."""
    if "<" not in fragment:
        return fragment
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml's parser errors are varied; fall back to the raw fragment
        return fragment
    for element in root.iter("p", "br", "div", "li", "h1", "h2", "h3", "h4"):
        element.tail = "\n" + (element.tail or "")
    return root.text_content().strip()
