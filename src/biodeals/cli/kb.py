"""Knowledge-base commands: ``ingest``, the queries (``deals``, ``show``, ``companies``,
``company``, ``assets``, ``readouts``, ``search``, ``stats``) and ``export``. Every one takes
``--db`` (a SQLite path or a ``postgresql://`` URL; default ``$BIODEALS_DB`` or ./biodeals.db)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine

from biodeals.errors import BiodealsError, printable
from biodeals.limits import DEFAULT_BATCH, DEFAULT_MAX_BYTES, DEFAULT_TIME_LIMIT
from biodeals.service.display import format_money
from biodeals.service.export import export_deals, flat_deal, write_csv
from biodeals.service.queries import (
    DealFilter,
    get_company,
    get_deal,
    list_assets,
    list_companies,
    list_deals,
    list_readouts,
    search_documents,
    stats,
)
from biodeals.store import connect

if TYPE_CHECKING:
    from biodeals.service.ingest import IngestSummary

console = Console()
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
StatusOption = Annotated[str | None, typer.Option(help="announced, completed, terminated or amended.")]
ModalityOption = Annotated[str | None, typer.Option(help="antibody, cell therapy ...")]
TargetOption = Annotated[str | None, typer.Option(help="Molecular target (e.g. PD-1).")]
IndicationOption = Annotated[str | None, typer.Option(help="Disease or condition.")]
AssetOption = Annotated[str | None, typer.Option(help="Drug or program name.")]
SinceOption = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Announced on or after.")]
UntilOption = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Announced on or before.")]
MinUpfrontOption = Annotated[float | None, typer.Option(help="Minimum upfront (units, e.g. 50e6).")]
MinTotalOption = Annotated[float | None, typer.Option(help="Minimum total value (units).")]
TextOption = Annotated[str | None, typer.Option("--text", help="Full-text query over the source articles.")]
TimeLimitOption = Annotated[
    float,
    typer.Option("--time-limit", min=0, help="Seconds one document's extraction may take (0: no limit)."),
]


def deal_filter(*, deal_type: str | None, since: datetime | None, until: datetime | None, **criteria: Any) -> DealFilter:
    """The DealFilter of the command-line options (``--type``, dates given as datetimes)."""
    return DealFilter(
        type=deal_type, since=since.date() if since else None, until=until.date() if until else None, **criteria
    )


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


def _names(items: list[dict[str, Any]]) -> str:
    return ", ".join(item["name"] for item in items) or "-"


def _emit(
    rows: list[dict[str, Any]], output: QueryFormat, table: Callable[[], Table], flat: Callable[[dict], dict] = dict
) -> None:
    if output is QueryFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
    elif output is QueryFormat.csv:
        flat_rows = [flat(r) for r in rows]
        columns = list(flat_rows[0]) if flat_rows else []
        write_csv(flat_rows, sys.stdout, columns)
    else:
        console.print(table())


def register(app: typer.Typer) -> None:
    """Add the knowledge-base commands to ``app``."""

    @app.command("ingest")
    def ingest_command(
        inputs: Annotated[list[str], typer.Argument(help="Files, folders, feeds or http(s) URLs.", metavar="INPUT...")],
        db: DbOption = None,
        workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Extraction processes.")] = 1,
        batch_size: Annotated[
            int, typer.Option("--batch-size", min=1, help="Documents per transaction.")
        ] = DEFAULT_BATCH,
        max_bytes: Annotated[
            int, typer.Option("--max-bytes", min=1, help="Size limit of one document.")
        ] = DEFAULT_MAX_BYTES,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
        seconds: TimeLimitOption = DEFAULT_TIME_LIMIT,
    ) -> None:
        """Read, extract and store INPUT... in the knowledge base. Documents already stored
        (same content hash) are skipped, so re-running, or resuming after a crash, adds nothing twice.
        A document whose extraction takes over --time-limit is stored with a 'timed out' error."""
        with reported_errors(), database(db) as engine:
            summary = _run_ingest(inputs, engine, workers, batch_size, max_bytes, quiet, seconds)
        _print_summary(summary)
        if summary.read and summary.failed == summary.read:
            raise typer.Exit(1)

    @app.command("deals")
    def deals_command(
        db: DbOption = None,
        company: CompanyOption = None,
        role: RoleOption = None,
        deal_type: TypeOption = None,
        status: StatusOption = None,
        modality: ModalityOption = None,
        target: TargetOption = None,
        indication: IndicationOption = None,
        asset: AssetOption = None,
        since: SinceOption = None,
        until: UntilOption = None,
        min_upfront: MinUpfrontOption = None,
        min_total: MinTotalOption = None,
        text: TextOption = None,
        sort: Annotated[
            str, typer.Option(help="announced, year, upfront, milestones, total_value, sources, id.")
        ] = "announced",
        ascending: Annotated[bool, typer.Option("--asc", help="Ascending order (default: descending).")] = False,
        limit: LimitOption = 50,
        output: FormatOption = QueryFormat.table,
    ) -> None:
        """List deals, filtered and sorted."""
        with reported_errors(), database(db) as engine:
            f = deal_filter(
                company=company, role=role, deal_type=deal_type, status=status, modality=modality, target=target,
                indication=indication, asset=asset, since=since, until=until, min_upfront=min_upfront,
                min_total=min_total, text=text, sort=sort, descending=not ascending, limit=limit,
            )  # fmt: skip
            rows = list_deals(engine, f)
        _emit(rows, output, lambda: deals_table(rows), flat_deal)

    @app.command("show")
    def show_command(
        deal_id: Annotated[int, typer.Argument(help="The deal's id (see `biodeals deals`).")],
        db: DbOption = None,
        output: FormatOption = QueryFormat.table,
    ) -> None:
        """Every field of one deal, each with the sentences and documents it came from."""
        with reported_errors(), database(db) as engine:
            deal = get_deal(engine, deal_id)
        if output is not QueryFormat.table:
            sys.stdout.write(json.dumps(deal, ensure_ascii=False, indent=2) + "\n")
            return
        _print_deal(deal)

    @app.command("companies")
    def companies_command(
        db: DbOption = None,
        name: Annotated[str | None, typer.Option(help="Only companies matching this name.")] = None,
        limit: LimitOption = 50,
        output: FormatOption = QueryFormat.table,
    ) -> None:
        """Companies party to deals, most deals first."""
        with reported_errors(), database(db) as engine:
            rows = list_companies(engine, name, limit)

        def table() -> Table:
            view = Table("id", "company", "deals", "also known as", title=f"{len(rows)} companies")
            for r in rows:
                view.add_row(
                    str(r["id"]), r["name"], str(r["deals"]), ", ".join(a for a in r["aliases"] if a != r["name"])
                )
            return view

        _emit(rows, output, table, lambda r: {**r, "aliases": "; ".join(r["aliases"])})

    @app.command("company")
    def company_command(
        name: Annotated[str, typer.Argument(help="Name, alias or id.")],
        db: DbOption = None,
        output: FormatOption = QueryFormat.table,
    ) -> None:
        """One company: its deals, partners and the assets its deals are about."""
        with reported_errors(), database(db) as engine:
            company = get_company(engine, name)
        if output is not QueryFormat.table:
            sys.stdout.write(json.dumps(company, ensure_ascii=False, indent=2) + "\n")
            return
        console.print(f"[bold]{company['name']}[/bold] (id {company['id']})")
        if company["aliases"]:
            console.print("Also known as: " + ", ".join(company["aliases"]), markup=False)
        console.print(deals_table(company["deals"], f"{len(company['deals'])} deals"))
        partners = Table("partner", "deals", title="Partners")
        for p in company["partners"]:
            partners.add_row(p["name"], str(p["deals"]))
        console.print(partners)
        console.print("Assets: " + _names(company["assets"]), markup=False)

    @app.command("assets")
    def assets_command(
        db: DbOption = None,
        name: Annotated[str | None, typer.Option(help="Only assets matching this name.")] = None,
        limit: LimitOption = 50,
        output: FormatOption = QueryFormat.table,
    ) -> None:
        """Drugs and programs named in deals and readouts."""
        with reported_errors(), database(db) as engine:
            rows = list_assets(engine, name, limit)

        def table() -> Table:
            view = Table(
                "id", "asset", "standard id", "deals", "readouts", "also known as", title=f"{len(rows)} assets"
            )
            for r in rows:
                others = ", ".join(a for a in r["aliases"] if a != r["name"] and a != r["standard_id"])
                view.add_row(
                    str(r["id"]), r["name"], r["standard_id"] or "-", str(r["deals"]), str(r["readouts"]), others
                )
            return view

        _emit(rows, output, table, lambda r: {**r, "aliases": "; ".join(r["aliases"])})

    @app.command("readouts")
    def readouts_command(
        db: DbOption = None,
        asset: Annotated[str | None, typer.Option(help="Drug name.")] = None,
        trial: Annotated[str | None, typer.Option(help="Trial name or registry number.")] = None,
        indication: Annotated[str | None, typer.Option(help="Disease or condition.")] = None,
        phase: Annotated[str | None, typer.Option(help='"1", "1/2", "2", "2/3", "3" or "4".')] = None,
        limit: LimitOption = 50,
        output: FormatOption = QueryFormat.table,
    ) -> None:
        """Clinical trial readouts with their endpoint values, newest first."""
        with reported_errors(), database(db) as engine:
            rows = list_readouts(engine, asset=asset, trial=trial, indication=indication, phase=phase, limit=limit)

        def endpoints(r: dict[str, Any]) -> str:
            return "; ".join(
                f"{e['name']} {e['value']:g}{'' if e['unit'] in (None, '%') else ' '}{e['unit'] or ''}"
                for e in r["endpoints"]
            )

        def table() -> Table:
            view = Table(
                "id", "published", "trial", "phase", "assets", "indications", "endpoints", title=f"{len(rows)} readouts"
            )
            for r in rows:
                view.add_row(
                    str(r["id"]),
                    r["published"] or "-",
                    r["trial"] or "-",
                    r["phase"] or "-",
                    ", ".join(r["assets"]) or "-",
                    ", ".join(r["indications"]) or "-",
                    endpoints(r) or "-",
                )
            return view

        _emit(
            rows,
            output,
            table,
            lambda r: {
                **r,
                "assets": "; ".join(r["assets"]),
                "indications": "; ".join(r["indications"]),
                "endpoints": endpoints(r),
            },
        )

    @app.command("search")
    def search_command(
        query: Annotated[str, typer.Argument(help="Words to find (all of them) in titles and texts.")],
        db: DbOption = None,
        limit: LimitOption = 20,
        output: FormatOption = QueryFormat.table,
    ) -> None:
        """Full-text search over the stored documents."""
        with reported_errors(), database(db) as engine:
            rows = search_documents(engine, query, limit)

        def table() -> Table:
            view = Table("id", "published", "document", "deals", "snippet", title=f"{len(rows)} documents")
            for r in rows:
                view.add_row(
                    str(r["id"]), r["published"] or "-", r["title"] or r["name"], str(r["deals"]), r["snippet"]
                )
            return view

        _emit(rows, output, table)

    @app.command("stats")
    def stats_command(db: DbOption = None, output: FormatOption = QueryFormat.table) -> None:
        """Counts, and deal counts and total values by year, type and modality."""
        with reported_errors(), database(db) as engine:
            figures = stats(engine)
        if output is QueryFormat.json:
            sys.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
            return
        if output is QueryFormat.csv:
            rows = [
                {
                    "group": group,
                    "key": e["key"],
                    "deals": e["deals"],
                    **{f"total_value_{c}": v for c, v in e["total_value"].items()},
                }
                for group in ("by_year", "by_type", "by_modality")
                for e in figures[group]
            ]
            columns = ["group", "key", "deals", *sorted({k for r in rows for k in r if k.startswith("total_value_")})]
            write_csv(rows, sys.stdout, columns)
            return
        console.print(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in figures["totals"].items()))
        for group, label in (("by_year", "year"), ("by_type", "type"), ("by_modality", "modality")):
            view = Table(label, "deals", "total value", title=f"Deals by {label}")
            for e in figures[group]:
                money = ", ".join(format_money({"amount": v, "currency": c}) for c, v in e["total_value"].items())
                view.add_row(str(e["key"] if e["key"] is not None else "-"), str(e["deals"]), money or "-")
            console.print(view)

    @app.command("export")
    def export_command(
        path: Annotated[Path, typer.Argument(help="Output file: .csv, .json, .jsonl, .parquet or .xlsx.")],
        db: DbOption = None,
        company: CompanyOption = None,
        role: RoleOption = None,
        deal_type: TypeOption = None,
        status: StatusOption = None,
        modality: ModalityOption = None,
        target: TargetOption = None,
        indication: IndicationOption = None,
        asset: AssetOption = None,
        since: SinceOption = None,
        until: UntilOption = None,
        min_upfront: MinUpfrontOption = None,
        min_total: MinTotalOption = None,
        text: TextOption = None,
    ) -> None:
        """Export the deals (with the same filters as `deals`) to PATH."""
        with reported_errors(), database(db) as engine:
            f = deal_filter(
                company=company, role=role, deal_type=deal_type, status=status, modality=modality, target=target,
                indication=indication, asset=asset, since=since, until=until, min_upfront=min_upfront,
                min_total=min_total, text=text, limit=None,
            )  # fmt: skip
            count = export_deals(engine, path, f)
        stderr.print(f"{count} deals written to {path}", markup=False)


def _run_ingest(
    inputs: list[str], engine: Engine, workers: int, batch_size: int, max_bytes: int, quiet: bool, seconds: float
) -> IngestSummary:
    from functools import partial

    from biodeals.ingest import ReadOptions
    from biodeals.service.ingest import ingest

    run = partial(
        ingest, inputs, engine, workers=workers, batch_size=batch_size, options=ReadOptions(max_bytes=max_bytes),
        time_limit=seconds,
    )  # fmt: skip
    if quiet:
        return run()
    started = time.monotonic()
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=stderr, transient=False) as progress:
        task = progress.add_task("ingesting", total=None, rate="")

        def update(summary: IngestSummary) -> None:
            rate = summary.read / max(time.monotonic() - started, 1e-6)
            progress.update(
                task,
                completed=summary.read,
                description=f"read {summary.read}, new {summary.new}",
                rate=f"{rate:,.0f} docs/s",
            )

        return run(on_progress=update)


def _print_summary(summary: IngestSummary) -> None:
    s = summary.stored
    stderr.print(
        f"documents: {summary.read} read, {summary.new} new, {summary.skipped} skipped (already stored), "
        f"{summary.failed} failed; deals: {s.deals_added} added, {s.deals_merged} merged; readouts: {s.readouts_added} added",
        markup=False,
    )
    for failure in summary.failures[:20]:
        stderr.print(f"  failed: {printable(failure)}", markup=False)
    if len(summary.failures) > 20:
        stderr.print(f"  ... and {len(summary.failures) - 20} more", markup=False)


def deals_table(rows: list[dict[str, Any]], title: str | None = None) -> Table:
    view = Table(title=title or f"{len(rows)} deals", show_lines=False)
    for column in (
        "id",
        "announced",
        "status",
        "types",
        "parties",
        "upfront",
        "milestones",
        "total",
        "assets / targets",
        "src",
    ):
        view.add_column(column, overflow="fold")
    for d in rows:
        parties = "\n".join(f"{p['name']} ({p['role']})" for p in d["parties"]) or "-"
        assets = ", ".join(x["name"] for x in d["assets"] + d["targets"]) or "-"
        view.add_row(
            str(d["id"]),
            d["announced"] or (str(d["year"]) if d["year"] else "-"),
            d["status"] or "-",
            ", ".join(d["types"]) or "-",
            parties,
            format_money(d["upfront"]),
            format_money(d["milestones"]),
            format_money(d["total_value"]),
            assets,
            str(d["sources"]),
        )
    return view


def _print_deal(deal: dict[str, Any]) -> None:
    console.print(
        f"[bold]Deal {deal['id']}[/bold]: {', '.join(deal['types']) or '-'} · status {deal['status'] or '-'} · "
        f"announced {deal['announced'] or '-'} · year {deal['year'] or '-'}"
    )
    fields = Table("field", "value", show_header=False)
    fields.add_row("parties", "\n".join(f"{p['name']} ({p['role']})" for p in deal["parties"]) or "-")
    for kind in ("upfront", "equity", "milestones", "total_value"):
        stated = [f"{format_money(m)} ({m['document_id']})" for m in deal["terms"] if m["kind"] == kind]
        note = " — sources disagree: " + ", ".join(stated) if kind in deal["conflicts"] else ""
        fields.add_row(kind, format_money(deal[kind]) + note)
    fields.add_row("royalties", {True: "yes", False: "no", None: "-"}[deal["royalties"]])
    for group in ("assets", "targets", "indications"):
        fields.add_row(group, _names(deal[group]))
    fields.add_row("modalities", ", ".join(deal["modalities"]) or "-")
    console.print(fields)
    history = Table("published", "status", "document", "title", title="Status history (one row per source)")
    for h in deal["history"]:
        history.add_row(
            h["published"] or "-", h["status"] or "(mentioned)", h["document"]["name"], h["document"]["title"] or "-"
        )
    console.print(history)
    evidence = Table("field", "value", "sentence", "document", title="Evidence")
    for ev in deal["evidence"]:
        evidence.add_row(ev["field"], ev["text"] if ev["field"] != "deal" else "", ev["sentence"], ev["document"])
    console.print(evidence)
