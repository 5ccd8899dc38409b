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
import re
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

from biodeals.errors import EmptyInput, IngestError, InputTooLarge, MalformedInput, ReadFailed
from biodeals.ingest.cleanup import clean_text, find_sections, guess_language
from biodeals.ingest.csvrows import csv_rows
from biodeals.ingest.decoding import decode, decode_mixed, storable
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
        try:
            return date(value.tm_year, value.tm_mon, value.tm_mday)
        except ValueError:  # feedparser's struct_time of a nonsense date
            return None
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


# "newswire-ibn-2025-0515-cybin-taps-thermo-fisher", "2024_03_28 release", "...com20250211g246":
# a year, month and day written together in a file name or record id
_DATE_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")


def date_in_name(name: str) -> date | None:
    """The date a document's file name or id states ("2025-0515", "2024-03-28", "20250211"),
    for an input that carries no date of its own; None when the name holds none, or one that
    is no real calendar date or lies in the future."""
    for match in _DATE_IN_NAME.finditer(name):
        try:
            found = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:  # "2023-0231"
            continue
        if found <= date.today():
            return found
    return None


# a title line: a markdown heading ("# Corvexa to Acquire ..."), or a short first line standing
# alone (a blank line after it) that is not a list item, image, quote, byline or sentence
_FIRST_LINES = re.compile(r"\A\s*(?P<line>[^\n]*)(?P<alone>\n[ \t]*\n)?")
_HEADING = re.compile(r"#{1,2}[ \t]+")  # a page title, not a sub-heading
_NOT_A_TITLE = re.compile(r"[*!\[>|<-]|By\s|\(?\w+\)?\s*$", re.IGNORECASE)
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")  # markdown [text](url): its text
_SENTENCE_END = (".", ":", ",", ";", "\u2014", "\u2013", "-")


def heading_title(text: str) -> str | None:
    """The title ``text`` opens with, when it opens with one: its ``#`` heading line, or a
    short first line followed by a blank line (as releases pasted as text begin)."""
    match = _FIRST_LINES.match(text[:2000])
    line = match["line"].strip() if match else ""
    heading = _HEADING.match(line)
    if heading:
        line = line[heading.end() :].rstrip("# \t")
    elif not match or not match["alone"] or _NOT_A_TITLE.match(line.replace("**", "")):
        return None
    title = " ".join(_LINK.sub(r"\1", line).replace("**", "").split())
    if not heading and (title.endswith(_SENTENCE_END) or len(title) > 200):
        return None
    return title if len(title.split()) >= 3 and len(title) <= 300 else None


def make_document(
    original: str,
    *,
    name: str,
    source: str,
    title: str | None = None,
    published: Any = None,
    url: str | None = None,
) -> Document:
    """Clean ``original`` and wrap it as a Document. Raises EmptyInput when it holds no text,
    and only IngestErrors.

    Every string of the Document is made storable first (NUL and lone surrogates become
    U+FFFD, one character for one), so ``original`` and ``text`` agree, the offset map stays
    exact, and no store or hash fails on one bad record later.
    """
    if not isinstance(original, str) or not original.strip():
        raise EmptyInput(source, "no text in this input")
    original = storable(original)
    try:
        text, offsets = clean_text(original)
        return Document(
            text=text,
            original=original,
            offsets=offsets,
            name=storable(name),
            source=storable(source),
            title=storable((title or "").strip()) or heading_title(original),
            published=parse_published(published) or date_in_name(name),
            url=storable(url) if url else None,
            language=guess_language(text),
            sections=find_sections(text),
        )
    except Exception as error:  # a bug in clean-up must cost this document only
        raise ReadFailed(source, f"could not be made a document ({type(error).__name__}: {error})") from error


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
    if text.lstrip()[:5] == "%PDF-":  # a scraper that stored the file it fetched: no words to read
        raise MalformedInput(source, "the text field holds a PDF file, not its text")
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


def guarded(source: str, make: Callable[[], Document]) -> Iterator[ReadResult]:
    """The Document ``make`` builds for one record, or the error that costs only this record."""
    try:
        yield make()
    except IngestError as error:
        yield error
    except Exception as error:  # RecursionError, a library's bug ...: one record, not the run
        yield ReadFailed(source, f"could not be read ({type(error).__name__}: {error})")


def shielded(source: str, results: Iterator[ReadResult]) -> Iterator[ReadResult]:
    """``results`` of a reader, its failure (an IngestError or anything unforeseen) ending it as
    one IngestError naming ``source``: what a reader raises never stops the rest of the run."""
    while True:
        try:
            result = next(results)
        except StopIteration:
            return
        except IngestError as error:
            yield error
            return
        except Exception as error:
            yield ReadFailed(source, f"could not be read ({type(error).__name__}: {error})")
            return
        yield result


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


def _json_problem(error: Exception) -> str:
    if isinstance(error, RecursionError):
        return "invalid JSON: nested too deeply to read"
    if isinstance(error, json.JSONDecodeError):
        return f"invalid JSON at line {error.lineno}: {error.msg}"
    return f"invalid JSON ({error})"  # e.g. an integer of more than 4,300 digits


@register_reader("json")
def read_json(data: bytes, source: str, name: str) -> Iterator[ReadResult]:
    """JSON: one record object, or an array of them."""
    text = decode(data, source)
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise MalformedInput(source, _json_problem(error)) from error
    records = payload if isinstance(payload, list) else [payload]
    if not records:
        raise EmptyInput(source, "the JSON array is empty")
    for index, record in enumerate(records):
        where = source if len(records) == 1 else f"{source}[{index}]"
        yield from guarded(where, lambda r=record, w=where: document_from_record(r, w, name))


class LineSource(Protocol):
    """A binary file (plain or gzip) read line by line."""

    def readline(self, size: int = -1, /) -> bytes: ...


def _json_line(line: bytes) -> Any:
    """One JSON Lines record; a line that is not valid UTF-8 is read as UTF-8 mixed with
    Windows-1252 (like a file) rather than lost."""
    try:
        return json.loads(line)
    except UnicodeDecodeError:
        return json.loads(decode_mixed(line))


def _skip_rest_of_line(handle: LineSource, chunk: int) -> int:
    """Read past the end of the current line, ``chunk`` bytes at a time; the bytes skipped
    (its newline not counted)."""
    skipped = 0
    while piece := handle.readline(chunk):
        if piece.endswith(b"\n"):
            return skipped + len(piece) - 1
        skipped += len(piece)
    return skipped


def read_json_lines(
    handle: LineSource, source: str, name: str, max_bytes: int, first_line: int = 1
) -> Iterator[ReadResult]:
    """JSON Lines: one record per line; a bad line is reported and skipped. ``first_line`` is
    the number of the handle's first line in its file (a partition starts mid-file).

    Each line is read with a bounded ``readline``: a line over ``max_bytes`` (a small gzip file
    can expand to one line of gigabytes) is skipped in bounded chunks and reported, so memory
    stays within a small multiple of the limit.
    """
    chunk = min(max(max_bytes, 1 << 12), 1 << 20)
    number = first_line - 1
    while line := handle.readline(max_bytes + 1):
        number += 1
        where = f"{source}:{number}"
        if len(line) > max_bytes and not line.endswith(b"\n"):
            size = len(line) + _skip_rest_of_line(handle, chunk)
            yield InputTooLarge(where, f"record of {size} bytes exceeds the {max_bytes}-byte limit")
            continue
        if not line.strip():
            continue
        try:
            record = _json_line(line)
        except (ValueError, RecursionError) as error:
            yield MalformedInput(where, _json_problem(error))
            continue
        yield from guarded(where, lambda r=record, w=where, n=number: document_from_record(r, w, f"{name}-{n}"))


@register_reader("jsonl")
def read_jsonl(data: bytes, source: str, name: str) -> Iterator[ReadResult]:
    """JSON Lines held in memory (streamed files go through ``read_json_lines`` directly)."""
    yield from read_json_lines(io.BytesIO(data), source, name, max_bytes=len(data) + 1)


@register_reader("csv")
def read_csv(data: bytes, source: str, name: str) -> Iterator[ReadResult]:
    """CSV with a header row and a text column (text, body, content, article, ...). A row whose
    quote is never closed is reported (``source:row``) and the rows it swallowed are read."""
    text = decode(data, source)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    if csv.field_size_limit() < len(text):  # one article may be longer than csv's 128 KB; the file is held to max_bytes
        csv.field_size_limit(len(text))
    rows = csv_rows(text, dialect, source)
    header = next(rows, None)
    if isinstance(header, MalformedInput):
        raise header
    fields = header[1] if header else []
    columns = [c.lower() for c in fields]
    if not any(c in TEXT_FIELDS for c in columns):
        raise MalformedInput(
            source,
            f"no text column (looked for {', '.join(TEXT_FIELDS)}; found {', '.join(columns) or 'none'})",
        )
    for row in rows:
        if isinstance(row, MalformedInput):
            yield row
            continue
        number, values = row
        record: dict[str | None, Any] = dict(zip(fields, values, strict=False))  # as csv.DictReader builds it
        if len(values) > len(fields):
            record[None] = values[len(fields) :]
        where = f"{source}:{number}"
        yield from guarded(where, lambda r=record, w=where, n=number: document_from_record(r, w, f"{name}-{n}"))


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

        yield from guarded(where, make)


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
