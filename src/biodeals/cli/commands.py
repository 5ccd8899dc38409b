"""``biodeals`` commands. Errors are printed as ``Error: <message>`` and exit with status 1."""

from __future__ import annotations

import errno
import json
import socket
import sys
from collections.abc import Iterator
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer

from biodeals import __version__
from biodeals.cli import analysis, curate, kb, pipeline, rules, watch
from biodeals.cli.options import (
    ClusterOption,
    DbOption,
    PartitionSizeOption,
    TimeLimitOption,
    console,
    database,
    reported_errors,
    stderr,
)
from biodeals.cli.tables import deals_table
from biodeals.errors import BiodealsError, ConfigError, IngestError, printable
from biodeals.limits import DEFAULT_MAX_BYTES, DEFAULT_PARTITION, DEFAULT_TIME_LIMIT
from biodeals.service.queries import list_deals

app = typer.Typer(
    name="biodeals",
    help="Turn biopharma news and press releases into structured deals, readouts and entities, "
    "each tied to the text that states it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"biodeals {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """biodeals: a structured, evidence-backed database of biopharma deals and readouts."""


def _extracted(inputs: list[str], max_bytes: int, seconds: float) -> Iterator[dict[str, Any]]:
    """Records of every readable input; unreadable inputs, documents on which extraction hits a
    bug and those it cannot finish within ``seconds`` are reported on stderr and skipped."""
    from biodeals.ingest import ReadOptions, read_inputs
    from biodeals.nlp import extract_record
    from biodeals.nlp.vocab import load_vocabulary
    from biodeals.service.workers import extract_bounded

    load_vocabulary()  # before the first document's time limit starts
    for result in read_inputs(inputs, ReadOptions(max_bytes=max_bytes)):
        if isinstance(result, IngestError):
            stderr.print(f"Error: {result}", markup=False)
            continue
        record, problem = extract_bounded(extract_record, result, seconds)
        if record is None:
            stderr.print(f"Error: {printable(result.source)}: {problem}", markup=False)
            continue
        yield record


@app.command("extract")
def extract_command(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders or http(s) URLs to read.", metavar="INPUT...")],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="json: one JSON document; jsonl: one record per line.")
    ] = OutputFormat.json,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Size limit of one document, in bytes.")
    ] = DEFAULT_MAX_BYTES,
    seconds: TimeLimitOption = DEFAULT_TIME_LIMIT,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write Parquet shards (one per partition) to this folder instead."),
    ] = None,
    cluster: ClusterOption = None,
    partition_size: PartitionSizeOption = DEFAULT_PARTITION,
) -> None:
    """Print the extraction record (../shared/eval/SCHEMA.md shape plus an `entities` section)
    of every document in INPUT... to stdout.

    With --out DIR, records go to Parquet shards in DIR instead (columns id, name, source,
    title, published, url, error, record as JSON), one per partition of --partition-size
    documents, extracted here or, with --cluster, by Dask workers; a re-run skips the shards
    that exist. Unreadable inputs are reported on stderr, one line each, and the others still
    processed; the exit status is 1 when no document could be read.
    """
    if out is not None:
        _extract_to_shards(inputs, out, max_bytes, seconds, cluster, partition_size)
        return
    if cluster is not None:
        stderr.print("Error: --cluster writes shards: give --out DIR", markup=False)
        raise typer.Exit(1)
    try:
        count = 0
        if output_format is OutputFormat.jsonl:
            for record in _extracted(inputs, max_bytes, seconds):
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
        else:
            records = list(_extracted(inputs, max_bytes, seconds))
            count = len(records)
            if records:
                payload: Any = records[0] if len(records) == 1 else records
                sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    except BiodealsError as error:
        stderr.print(f"Error: {error}", markup=False)
        raise typer.Exit(1) from error
    if count == 0:
        raise typer.Exit(1)


def _extract_to_shards(
    inputs: list[str], out: Path, max_bytes: int, seconds: float, cluster: str | None, partition_size: int
) -> None:
    from biodeals.ingest import ReadOptions
    from biodeals.service.shards import extract_to_shards

    with reported_errors():
        summary = extract_to_shards(
            inputs, out, cluster=cluster, partition_size=partition_size,
            options=ReadOptions(max_bytes=max_bytes), time_limit=seconds,
        )  # fmt: skip
    for problem in summary.unreadable:
        stderr.print(f"Error: {printable(problem)}", markup=False)
    stderr.print(
        f"shards: {summary.shards} written, {summary.shards_skipped} skipped (written by an earlier run); "
        f"documents: {summary.documents} extracted, {summary.failed} failed, {summary.repeats} repeats skipped",
        markup=False,
    )
    if not summary.documents and not summary.shards_skipped:
        raise typer.Exit(1)


def sample_paths() -> list[str]:
    """The sample articles bundled with biodeals (written for the project)."""
    folder = resources.files("biodeals.data") / "samples"
    return sorted(str(p) for p in Path(str(folder)).glob("*.txt"))


def check_port(host: str, port: int) -> None:
    """ConfigError naming ``host:port`` when no server can listen there (in use, or not an
    address of this machine), so ``serve`` says so before it says it is serving."""
    if port == 0:  # any free port
        return
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
            probe.bind(address)
    except OSError as error:
        busy = getattr(error, "errno", None) == errno.EADDRINUSE
        why = (
            "is in use (another server?); choose a free one with --port"
            if busy
            else f"cannot be listened on ({error.strerror or error})"
        )
        raise ConfigError(f"--port {port}: {host}:{port} {why}") from None


HostOption = Annotated[str, typer.Option("--host", help="Interface to listen on (loopback by default).")]
PortOption = Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port.")]


@app.command("serve")
def serve_command(
    db: DbOption = None,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Server processes.")] = 1,
    tokens: Annotated[
        str | None,
        typer.Option(
            "--tokens",
            help="Token file: 'USER TOKEN' lines; writes are recorded with the user [default: $BIODEALS_TOKEN_FILE].",
        ),
    ] = None,
) -> None:
    """Serve the web app at / and the JSON API at /api/ (docs at /docs) over the knowledge base.

    Reads are open to whoever reaches HOST:PORT; writes (ingesting a document, curating deals)
    need a token, sent as 'Authorization: Bearer <token>': $BIODEALS_API_TOKEN (user "api") or
    one of the --tokens file (each user by name).
    """
    import os

    import uvicorn

    from biodeals.api.middleware import read_token_file
    from biodeals.store import database_url

    with reported_errors(), database(db):  # an existing knowledge base, upgraded once, up front
        url = database_url(db)
        tokens = tokens or os.environ.get("BIODEALS_TOKEN_FILE")
        users = read_token_file(tokens) if tokens else {}
        check_port(host, port)
    os.environ["BIODEALS_DB"] = url
    if tokens:
        os.environ["BIODEALS_TOKEN_FILE"] = str(Path(tokens).resolve())
    if host not in ("127.0.0.1", "localhost", "::1"):
        stderr.print(f"Note: listening on {host}: anyone who can reach it can read the knowledge base.")
    writes = (
        f"enabled ({len(users)} users)"
        if users
        else "enabled (token set)"
        if os.environ.get("BIODEALS_API_TOKEN")
        else "disabled (no token)"
    )
    stderr.print(f"biodeals on http://{host}:{port}/ (API docs: /docs; writes {writes}). Ctrl-C stops it.")
    uvicorn.run(
        "biodeals.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )


@app.command("demo")
def demo_command(
    db: DbOption = None,
    serve: Annotated[bool, typer.Option("--serve", help="Then serve the web app over it.")] = False,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
) -> None:
    """Ingest the bundled sample articles (written for the project) into the knowledge base
    and list the deals found, merged across articles; with --serve, open them in the web app."""
    with reported_errors(), database(db, create=True) as engine:
        from biodeals.service.ingest import ingest

        summary = ingest(sample_paths(), engine)
        rows = list_deals(engine)
    console.print(deals_table(rows, f"biodeals {__version__}: {len(rows)} deals from {summary.read} sample articles"))
    console.print(
        f"Database: {engine.url.render_as_string(hide_password=True)}. Try: biodeals show {rows[0]['id'] if rows else 1}, "
        "biodeals readouts, biodeals stats, biodeals serve"
    )
    if serve:
        serve_command(db, host=host, port=port, workers=1, tokens=None)


kb.register(app)
curate.register(app)
pipeline.register(app)
rules.register(app)
watch.register(app)
analysis.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
