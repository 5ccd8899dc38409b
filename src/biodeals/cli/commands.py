"""``biodeals`` commands. Errors are printed as ``Error: <message>`` and exit with status 1."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer

from biodeals import __version__
from biodeals.cli import kb
from biodeals.errors import BiodealsError, IngestError, InternalError
from biodeals.limits import DEFAULT_MAX_BYTES
from biodeals.service.queries import list_deals

app = typer.Typer(
    name="biodeals",
    help="Turn biopharma news and press releases into structured deals, readouts and entities, "
    "each tied to the text that states it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stderr = kb.stderr


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


def _extracted(inputs: list[str], max_bytes: int) -> Iterator[dict[str, Any]]:
    """Records of every readable input; unreadable inputs, and documents on which extraction
    hits a bug, are reported on stderr and skipped."""
    from biodeals.ingest import ReadOptions, read_inputs
    from biodeals.nlp import extract_record

    for result in read_inputs(inputs, ReadOptions(max_bytes=max_bytes)):
        if isinstance(result, IngestError):
            stderr.print(f"Error: {result}", markup=False)
            continue
        try:
            yield extract_record(result)
        except Exception as error:  # a bug of ours must not cost the rest of the run
            problem = InternalError(f"{result.source}: extraction failed ({type(error).__name__}: {error})")
            stderr.print(f"Error: {problem}", markup=False)


@app.command("extract")
def extract_command(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders or http(s) URLs to read.", metavar="INPUT...")],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="json: one JSON document; jsonl: one record per line.")
    ] = OutputFormat.json,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Size limit of one document, in bytes.")
    ] = DEFAULT_MAX_BYTES,
) -> None:
    """Print the extraction record (../shared/eval/SCHEMA.md shape plus an `entities` section)
    of every document in INPUT... to stdout.

    Unreadable inputs are reported on stderr, one line each, and the others still processed;
    the exit status is 1 when no document could be read.
    """
    try:
        count = 0
        if output_format is OutputFormat.jsonl:
            for record in _extracted(inputs, max_bytes):
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
        else:
            records = list(_extracted(inputs, max_bytes))
            count = len(records)
            if records:
                payload: Any = records[0] if len(records) == 1 else records
                sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    except BiodealsError as error:
        stderr.print(f"Error: {error}", markup=False)
        raise typer.Exit(1) from error
    if count == 0:
        raise typer.Exit(1)


def sample_paths() -> list[str]:
    """The sample articles bundled with biodeals (written for the project)."""
    folder = resources.files("biodeals.data") / "samples"
    return sorted(str(p) for p in Path(str(folder)).glob("*.txt"))


@app.command("demo")
def demo_command(db: kb.DbOption = None) -> None:
    """Ingest the bundled sample articles (written for the project) into the knowledge base
    and list the deals found, merged across articles."""
    with kb.reported_errors(), kb.database(db) as engine:
        from biodeals.service.ingest import ingest

        summary = ingest(sample_paths(), engine)
        rows = list_deals(engine)
    kb.console.print(kb.deals_table(rows, f"biodeals {__version__}: {len(rows)} deals from {summary.read} sample articles"))
    kb.console.print(
        f"Database: {engine.url.render_as_string(hide_password=True)}. Try: biodeals show {rows[0]['id'] if rows else 1}, "
        "biodeals readouts, biodeals stats, biodeals extract --format json FILE"
    )


kb.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
