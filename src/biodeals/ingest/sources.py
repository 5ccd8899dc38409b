"""Where inputs come from: files, folders, gzip files and http(s) URLs.

``read_inputs`` is the one entry point the CLI uses: it takes what the user typed and yields
Documents and, for inputs or records that cannot be read, ``IngestError``s, so one bad input
never stops a run.
"""

from __future__ import annotations

import errno
import gzip
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from biodeals.errors import (
    IngestError,
    InputTooLarge,
    UnsupportedInput,
)
from biodeals.ingest.fetch import Resolver, fetch, resolve_host
from biodeals.ingest.formats import READERS, ReadResult, read_json_lines, shielded
from biodeals.ingest.parquet import read_parquet
from biodeals.limits import DEFAULT_MAX_BYTES

# DEFAULT_MAX_BYTES: the size limit of one document (a file, a fetched URL, or one record of a collection)
ALLOW_HOSTS_ENV = "BIODEALS_ALLOW_HOSTS"  # hosts fetched even at private addresses, comma separated

SUFFIX_FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".parquet": "parquet",
}


def _allowed_hosts_from_environment() -> frozenset[str]:
    listed = os.environ.get(ALLOW_HOSTS_ENV, "")
    return frozenset(host.strip().lower() for host in listed.split(",") if host.strip())


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How inputs are read: the per-document size limit (bytes); for URLs the time limit of a
    whole fetch (seconds), the redirects followed, the hosts fetched even at private addresses
    (default ``$BIODEALS_ALLOW_HOSTS``), the resolver, and an optional httpx client (tests inject
    a mock transport and a resolver). See ``biodeals.ingest.fetch``."""

    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = 20.0
    client: httpx.Client | None = None
    max_redirects: int = 5
    allow_hosts: frozenset[str] = field(default_factory=_allowed_hosts_from_environment)
    resolver: Resolver = resolve_host


def read_inputs(inputs: Iterable[str | Path], options: ReadOptions | None = None) -> Iterator[ReadResult]:
    """Documents from files, folders (recursively) and http(s) URLs, in the order given.

    Yields an ``IngestError`` for every input or record that cannot be read, then goes on:
    whatever a reader raises, even unforeseen, costs that input only.
    """
    options = options or ReadOptions()
    for item in inputs:
        text = str(item)
        if re.match(r"https?://", text, re.IGNORECASE):
            yield from shielded(text, read_url(text, options))
        else:
            yield from shielded(text, read_path(Path(text), options))


def _link_problem(path: Path) -> str | None:
    """Why the symbolic link ``path`` cannot be read (a loop, a missing target), else None."""
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop (the link leads back to itself); skipped"
        return f"broken symbolic link ({error.strerror.lower() if error.strerror else error}); skipped"
    return None


def read_path(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    """Documents from one file or a folder tree. Raises IngestError if it cannot be read."""
    source = str(path)
    if path.is_symlink() and (problem := _link_problem(path)):
        raise IngestError(source, problem)
    if path.is_dir():
        for found in folder_files(path):
            if isinstance(found, IngestError):
                yield found
            else:
                yield from shielded(str(found), read_path(found, options))
        return
    if not path.exists():
        raise IngestError(source, "no such file or folder")
    fmt = _format_of(path)
    name = stem(path)
    compressed = path.suffix.lower() == ".gz"
    if fmt == "jsonl":
        # collections are streamed, so only each record is held to the size limit
        opener = gzip.open if compressed else open
        try:
            with opener(path, "rb") as handle:
                yield from read_json_lines(handle, source, name, options.max_bytes)
        except (OSError, EOFError, zlib.error) as error:
            raise IngestError(source, f"could not be read ({error})") from error
        return
    if fmt == "parquet":  # read from its footer and row groups, a batch of rows at a time
        yield from read_parquet(path, source, name, options.max_bytes)
        return
    data = _read_bytes(path, options.max_bytes, compressed)
    yield from READERS[fmt or _sniff(data)](data, source, name)


def folder_files(folder: Path) -> Iterator[Path | IngestError]:
    """The readable files of a folder tree, in name order, hidden ones left out, and an
    IngestError for each broken link among them. Raises UnsupportedInput if there is none."""
    found = False
    for child in sorted(folder.rglob("*")):
        if _hidden(child, folder):
            continue
        if child.is_symlink() and (problem := _link_problem(child)):
            if "loop" in problem or _format_of(child) is not None:
                found = True
                yield IngestError(str(child), problem)
            continue
        if child.is_file() and _format_of(child) is not None:
            found = True
            yield child
    if not found:
        raise UnsupportedInput(str(folder), f"no readable files in this folder ({', '.join(sorted(SUFFIX_FORMATS))})")


def collection_format(path: Path) -> str | None:
    """"jsonl" or "parquet" for a file of many records read a record at a time, else None."""
    fmt = _format_of(path)
    return fmt if fmt in ("jsonl", "parquet") else None


def read_url(url: str, options: ReadOptions) -> Iterator[ReadResult]:
    """Documents from an http(s) URL: a page, a feed, JSON or plain text, by content type.
    Private, loopback and other non-public addresses are refused (``biodeals.ingest.fetch``)."""
    client = options.client or httpx.Client(timeout=options.timeout, trust_env=False)
    try:
        fetched = fetch(
            url,
            client,
            max_bytes=options.max_bytes,
            timeout=options.timeout,
            max_redirects=options.max_redirects,
            allow_hosts=options.allow_hosts,
            resolver=options.resolver,
        )
    finally:
        if options.client is None:
            client.close()
    fmt = _format_of_content_type(fetched.content_type) or _sniff(fetched.data)
    name = fetched.url.rstrip("/").rsplit("/", 1)[-1] or fetched.url
    for result in READERS[fmt](fetched.data, url, name):
        if not isinstance(result, IngestError) and result.url is None:
            result.url = fetched.url
        yield result


def _read_bytes(path: Path, max_bytes: int, compressed: bool) -> bytes:
    source = str(path)
    try:
        if compressed:  # never more than the limit in memory, however far the file expands
            with gzip.open(path, "rb") as handle:
                data = handle.read(max_bytes + 1)
        else:
            if path.stat().st_size > max_bytes:
                raise InputTooLarge(source, f"file of {path.stat().st_size} bytes exceeds the {max_bytes}-byte limit")
            data = path.read_bytes()
    except (OSError, EOFError, zlib.error) as error:
        raise IngestError(source, f"could not be read ({error})") from error
    if len(data) > max_bytes:
        raise InputTooLarge(source, f"content exceeds the {max_bytes}-byte limit")
    return data


def stem(path: Path) -> str:
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    return name.rsplit(".", 1)[0] if "." in name else name


def _format_of(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return SUFFIX_FORMATS.get(suffixes[-1]) if suffixes else None


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _format_of_content_type(content_type: str) -> str | None:
    for marker, fmt in (
        ("html", "html"),
        ("rss", "feed"),
        ("atom", "feed"),
        ("xml", "feed"),
        ("ndjson", "jsonl"),
        ("jsonl", "jsonl"),
        ("json", "json"),
        ("csv", "csv"),
        ("markdown", "markdown"),
        ("text/plain", "text"),
    ):
        if marker in content_type:
            return fmt
    return None


def _sniff(data: bytes) -> str:
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")) and (
        b"<rss" in head or b"<feed" in head or b"<rdf" in head
    ):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    if head.startswith((b"{", b"[")):
        return "json"
    return "text"
