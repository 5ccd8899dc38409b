"""Knowledge-base commands: ``ingest``, the queries (``deals``, ``show``, ``companies``,
``company``, ``assets``, ``readouts``, ``search``, ``stats``) and ``export``. Every one takes
``--db`` (a SQLite path or a ``postgresql://`` URL; default ``$BIODEALS_DB`` or ./biodeals.db).

``ingest`` is in ``ingest_command``, the shared options in ``options`` and the deal renderings
in ``tables``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from biodeals.cli import ingest_command
from biodeals.cli.options import (
    AllOption,
    DbOption,
    FormatOption,
    LimitOption,
    QueryFormat,
    console,
    database,
    deal_filter,
    emit_rows,
    names_of,
    reported_errors,
    stderr,
    with_deal_filters,
)
from biodeals.cli.tables import deals_table, print_deal
from biodeals.service.display import format_money
from biodeals.service.export import export_deals, flat_deal, write_csv
from biodeals.service.queries import (
    get_company,
    get_deal,
    list_assets,
    list_companies,
    list_deals,
    list_readouts,
    search_documents,
    stats,
)


def register(app: typer.Typer) -> None:
    """Add the knowledge-base commands to ``app``."""
    ingest_command.register(app)

    @app.command("deals")
    @with_deal_filters
    def deals_command(
        filters: dict[str, Any],
        db: DbOption = None,
        sort: Annotated[
            str, typer.Option(help="announced, year, upfront, milestones, total_value, sources, confidence, id.")
        ] = "announced",
        ascending: Annotated[bool, typer.Option("--asc", help="Ascending order (default: descending).")] = False,
        limit: LimitOption = 50,
        output: FormatOption = QueryFormat.table,
    ) -> None:
        """List deals, filtered and sorted."""
        with reported_errors(), database(db) as engine:
            rows = list_deals(engine, deal_filter(filters, sort=sort, ascending=ascending, limit=limit))
        emit_rows(rows, output, lambda: deals_table(rows), flat_deal)

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
        print_deal(deal)

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

        emit_rows(rows, output, table, lambda r: {**r, "aliases": "; ".join(r["aliases"])})

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
        console.print("Assets: " + names_of(company["assets"]), markup=False)

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

        emit_rows(rows, output, table, lambda r: {**r, "aliases": "; ".join(r["aliases"])})

    @app.command("readouts")
    def readouts_command(
        db: DbOption = None,
        sponsor: Annotated[str | None, typer.Option(help="The company whose trial it is.")] = None,
        asset: Annotated[str | None, typer.Option(help="Drug name.")] = None,
        trial: Annotated[str | None, typer.Option(help="Trial name or registry number.")] = None,
        indication: Annotated[str | None, typer.Option(help="Disease or condition.")] = None,
        phase: Annotated[str | None, typer.Option(help='"1", "1/2", "2", "2/3", "3" or "4".')] = None,
        limit: LimitOption = 50,
        output: FormatOption = QueryFormat.table,
    ) -> None:
        """Clinical trial readouts with their endpoint values, newest first."""
        with reported_errors(), database(db) as engine:
            chosen = {"sponsor": sponsor, "asset": asset, "trial": trial, "indication": indication, "phase": phase}
            rows = list_readouts(engine, limit=limit, **chosen)

        def endpoints(r: dict[str, Any]) -> str:
            return "; ".join(
                f"{e['name']} {e['value']:g}{'' if e['unit'] in (None, '%') else ' '}{e['unit'] or ''}"
                for e in r["endpoints"]
            )

        def table() -> Table:
            view = Table(
                "id", "published", "sponsor", "trial", "phase", "assets", "indications", "endpoints",
                title=f"{len(rows)} readouts",
            )  # fmt: skip
            for r in rows:
                view.add_row(
                    str(r["id"]),
                    r["published"] or "-",
                    r["sponsor"]["name"] if r["sponsor"] else "-",
                    r["trial"] or "-",
                    r["phase"] or "-",
                    ", ".join(r["assets"]) or "-",
                    ", ".join(r["indications"]) or "-",
                    endpoints(r) or "-",
                )
            return view

        emit_rows(
            rows,
            output,
            table,
            lambda r: {
                **r,
                "sponsor": r["sponsor"]["name"] if r["sponsor"] else None,
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

        emit_rows(rows, output, table)

    @app.command("stats")
    def stats_command(db: DbOption = None, everything: AllOption = False, output: FormatOption = QueryFormat.table) -> None:
        """Counts, and deal counts and total values by year, type and modality (rejected and
        low-confidence deals left out unless --all)."""
        with reported_errors(), database(db) as engine:
            figures = stats(engine, trusted=not everything)
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
        if sum(figures["left_out"].values()):
            out = figures["left_out"]
            console.print(
                f"left out: {out['rejected']} rejected and {out['low_confidence']} low-confidence deals (--all counts them)"
            )
        for group, label in (("by_year", "year"), ("by_type", "type"), ("by_modality", "modality")):
            view = Table(label, "deals", "total value", title=f"Deals by {label}")
            for e in figures[group]:
                money = ", ".join(format_money({"amount": v, "currency": c}) for c, v in e["total_value"].items())
                view.add_row(str(e["key"] if e["key"] is not None else "-"), str(e["deals"]), money or "-")
            console.print(view)

    @app.command("export")
    @with_deal_filters
    def export_command(
        filters: dict[str, Any],
        path: Annotated[Path, typer.Argument(help="Output file: .csv, .json, .jsonl, .parquet or .xlsx.")],
        db: DbOption = None,
    ) -> None:
        """Export the deals (with the same filters as `deals`) to PATH."""
        with reported_errors(), database(db) as engine:
            count = export_deals(engine, path, deal_filter(filters))
        stderr.print(f"{count} deals written to {path}", markup=False)
