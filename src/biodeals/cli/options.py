"""What the knowledge-base commands share: the ``--db``, ``--format``, ``--limit`` and deal-filter
options, the consoles, error reporting and the output of rows as a table, JSON or CSV."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine

from biodeals.errors import BiodealsError
from biodeals.model import DEAL_STATUSES
from biodeals.service.export import write_csv
from biodeals.service.queries import DealFilter
from biodeals.store import connect
from biodeals.values import AMOUNT_HELP, DATE_HELP, parse_amount, parse_date_bound

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

# The deal filters, shared by `deals` and `export`.
CompanyOption = Annotated[str | None, typer.Option(help="A party's name or alias.")]
RoleOption = Annotated[str | None, typer.Option(help="Role of --company (or of any party): licensee, acquirer ...")]
TypeOption = Annotated[str | None, typer.Option("--type", help="license, acquisition, equity ...")]
StatusOption = Annotated[
    str | None, typer.Option(help=f"{', '.join(DEAL_STATUSES[:-1])} or {DEAL_STATUSES[-1]}.")
]
ModalityOption = Annotated[str | None, typer.Option(help="antibody, cell therapy ...")]
TargetOption = Annotated[str | None, typer.Option(help="Molecular target (e.g. PD-1).")]
IndicationOption = Annotated[str | None, typer.Option(help="Disease or condition.")]
AssetOption = Annotated[str | None, typer.Option(help="Drug or program name.")]


def _parsed(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """A typer parser: ``parse``'s ValueError becomes typer's own 'Invalid value' message."""

    def parser(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as error:
            raise typer.BadParameter(str(error)) from None

    return parser


def _amount(text: str) -> float:
    return parse_amount(text)[0]


SinceOption = Annotated[
    date | None, typer.Option(parser=_parsed(parse_date_bound), metavar="DATE", help=f"Announced on or after {DATE_HELP}.")
]
UntilOption = Annotated[
    date | None,
    typer.Option(
        parser=_parsed(lambda text: parse_date_bound(text, end=True)),
        metavar="DATE",
        help=f"Announced on or before {DATE_HELP} (its last day).",
    ),
]
MinUpfrontOption = Annotated[
    float | None, typer.Option(parser=_parsed(_amount), metavar="AMOUNT", help=f"Minimum upfront: {AMOUNT_HELP}.")
]
MinTotalOption = Annotated[
    float | None, typer.Option(parser=_parsed(_amount), metavar="AMOUNT", help="Minimum total value (as --min-upfront).")
]
ReviewOption = Annotated[
    str | None, typer.Option(help="Only deals in this review state: unreviewed, confirmed, rejected or edited.")
]
MinConfidenceOption = Annotated[
    float | None, typer.Option(min=0, max=1, help="Only deals the extractor is at least this sure of (0-1).")
]
AllOption = Annotated[
    bool,
    typer.Option("--all", help="Also rejected and low-confidence deals (left out by default unless asked for)."),
]
TextOption = Annotated[str | None, typer.Option("--text", help="Full-text query over the source articles.")]
TimeLimitOption = Annotated[
    float,
    typer.Option("--time-limit", min=0, help="Seconds one document's extraction may take (0: no limit)."),
]


def deal_filter(*, deal_type: str | None, everything: bool = False, **criteria: Any) -> DealFilter:
    """The DealFilter of the command-line options (``--type``; ``--all`` turns ``trusted`` off)."""
    return DealFilter(type=deal_type, trusted=not everything, **criteria)


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn biodeals errors into ``Error: ...`` on stderr and exit status 1."""
    try:
        yield
    except BiodealsError as error:
        stderr.print(f"Error: {error}", markup=False)
        raise typer.Exit(1) from error


@contextmanager
def database(db: str | None) -> Iterator[Engine]:
    """The knowledge base at ``db``, its connections closed on the way out."""
    engine = connect(db)
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
