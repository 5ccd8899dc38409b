"""What the knowledge-base commands share: the ``--db``, ``--format``, ``--limit`` and deal-filter
options, the consoles, error reporting and the output of rows as a table, JSON or CSV."""

from __future__ import annotations

import functools
import inspect
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine

from biodeals.errors import BiodealsError
from biodeals.service.export import write_csv
from biodeals.service.filters import FILTERS, DealQuery, choices, cli_flag, deal_query, example
from biodeals.service.queries import DealFilter
from biodeals.store import connect

# piped or redirected, a table is as wide as its content: no word is broken at 80 columns
console = Console(width=None if sys.stdout.isatty() else 100_000)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLite file or postgresql:// URL [default: $BIODEALS_DB or ./biodeals.db]"),
]
LimitOption = Annotated[int, typer.Option("--limit", "-n", min=0, help="At most this many rows.")]


class QueryFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[QueryFormat, typer.Option("--format", "-f", help="table (Rich), json or csv.")]

ClusterOption = Annotated[
    str | None,
    typer.Option(
        "--cluster",
        metavar="local:N|tcp://HOST:PORT",
        help="Extract on Dask: local:N starts N worker processes here; tcp://HOST:PORT uses a running scheduler.",
    ),
]

PartitionSizeOption = Annotated[
    int, typer.Option("--partition-size", min=1, help="Documents (files, lines, rows) per cluster partition.")
]

TimeLimitOption = Annotated[
    float,
    typer.Option("--time-limit", min=0, help="Seconds one document's extraction may take (0: no limit)."),
]


def with_deal_filters(command: Callable[..., Any]) -> Callable[..., Any]:
    """``command`` with one option for each filter of ``DealQuery`` (``--company``, ``--since``,
    ``--min-upfront``, ``--text``, ``--all`` ...), named and explained as there; it receives the
    ones given as ``filters``, for ``deal_filter`` to validate."""
    own = inspect.signature(command, eval_str=True)
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=_default(name), annotation=_option(name))
        for name in FILTERS
    ]
    parameters = [p for p in own.parameters.values() if p.name != "filters"] + added

    @functools.wraps(command)
    def run(**options: Any) -> Any:
        given = {name: options.pop(name) for name in FILTERS}
        return command(filters={name: value for name, value in given.items() if value not in (None, False)}, **options)

    run.__signature__ = own.replace(parameters=parameters)  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in parameters}
    return run


def _default(name: str) -> Any:
    return DealQuery.model_fields[name].default


def _option(name: str) -> Any:
    """The typer option of the filter ``name``: its description, with other filters' names
    spelt as options, and its choices or an example."""
    field = DealQuery.model_fields[name]
    help_text = re.sub(r"`(\w+)`", lambda m: cli_flag(m[1]) if m[1] in FILTERS else m[1], field.description or "")
    if field.annotation is bool:
        return Annotated[bool, typer.Option(cli_flag(name), help=f"{help_text}.")]
    shown = choices(name)
    hint = f": {', '.join(shown)}" if shown else (f" ({example(name)})" if example(name) else "")
    return Annotated[str | None, typer.Option(cli_flag(name), help=f"{help_text.rstrip('. ')}{hint}.", show_default=False)]


# `stats` leaves out the same deals as the lists unless asked
AllOption = _option("all")


def deal_filter(
    filters: dict[str, Any], *, sort: str = "announced", ascending: bool = False, limit: int | None = None
) -> DealFilter:
    """The DealFilter of the given filter options, validated by ``DealQuery`` (ConfigError naming
    each bad option), sorted by ``sort`` and cut at ``limit`` (None: every deal)."""
    query = deal_query({**filters, "sort": sort}, cli_flag)
    return replace(query.to_filter(paged=False), descending=not ascending, limit=limit)


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn biodeals errors into ``Error: ...`` on stderr and exit status 1."""
    try:
        yield
    except BiodealsError as error:
        stderr.print(f"Error: {error}", markup=False)
        raise typer.Exit(1) from error


@contextmanager
def database(db: str | None, *, create: bool = False) -> Iterator[Engine]:
    """The knowledge base at ``db``, its connections closed on the way out; only a command that
    writes documents (``create``) makes a new one, so a misspelt ``--db`` is an error, not an
    empty answer."""
    engine = connect(db, create=create)
    try:
        yield engine
    finally:
        engine.dispose()


def names_of(items: list[dict[str, Any]]) -> str:
    return ", ".join(item["name"] for item in items) or "-"


def emit_rows(
    rows: list[dict[str, Any]], output: QueryFormat, table: Callable[[], Table], flat: Callable[[dict], dict] = dict
) -> None:
    """Print ``rows`` as JSON, as CSV (each row made ``flat``) or as the Rich ``table``."""
    if output is QueryFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
    elif output is QueryFormat.csv:
        flat_rows = [flat(r) for r in rows]
        columns = list(flat_rows[0]) if flat_rows else []
        write_csv(flat_rows, sys.stdout, columns)
    else:
        console.print(table())
