"""Analysis commands: ``value`` (the risk-adjusted NPV of a deal's terms, every assumption and
cash flow shown) and ``comparables`` (the deals most like one, with why and their terms' spread)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from biodeals.cli.options import DbOption, FormatOption, QueryFormat, console, database, reported_errors
from biodeals.service.comparables import MAX_K, comparables
from biodeals.service.display import format_money
from biodeals.service.valuation import STAGES, value_deal


def register(app: typer.Typer) -> None:
    """Add the analysis commands to ``app``."""

    @app.command("value")
    def value_command(
        deal_id: Annotated[int, typer.Argument(min=1, help="The deal's id (see `biodeals deals`).")],
        stage: Annotated[
            str | None, typer.Option(help=f"The programme's stage at signing: {', '.join(STAGES)} (needed to value milestones).")
        ] = None,
        area: Annotated[
            str | None, typer.Option(help="Success rates of: all, oncology (or an area of --table) [default: the deal's area when the table has it, else all].")
        ] = None,
        discount_rate: Annotated[
            float | None, typer.Option("--discount-rate", help="Yearly discount rate [default: the table's, 0.10].")
        ] = None,
        table: Annotated[
            Path | None, typer.Option("--table", help="A TOML file of assumptions read over the shipped ones (see data/valuation.toml).")
        ] = None,
        db: DbOption = None,
        output: FormatOption = QueryFormat.table,
    ) -> None:
        """The risk-adjusted NPV of a deal's stated terms (licensor's side), with every cash flow
        and assumption."""
        with reported_errors(), database(db) as engine:
            valued = value_deal(engine, deal_id, stage=stage, area=area, discount_rate=discount_rate, table=table)
        if output is not QueryFormat.table:
            sys.stdout.write(json.dumps(valued, ensure_ascii=False, indent=2) + "\n")
            return
        console.print(f"Deal {deal_id}: {valued['headline']}", markup=False, highlight=False)
        if valued["rnpv"] is None:
            console.print(valued["reason"], markup=False)
        else:
            view = Table("event", "years", "amount", "probability", "discount", "risk-adjusted", title=f"Stage at signing: {valued['stage'] or '-'}")
            for flow in valued["cash_flows"]:
                money = {"currency": flow["currency"]}
                view.add_row(
                    escape(flow["event"]), f"{flow['years']:g}", format_money({**money, "amount": flow["amount"]}),
                    f"{flow['probability']:.1%}", f"{flow['discount_factor']:.3f}",
                    format_money({**money, "amount": flow["risk_adjusted_value"]}),
                )  # fmt: skip
            console.print(view)
            console.print(f"rNPV {format_money(valued['rnpv'])} of {format_money(valued['stated'])} stated", markup=False)
            a = valued["assumptions"]
            console.print(
                f"Assumptions: success rates ({a['therapeutic_area']}) {a['source']}; discount rate {a['discount_rate']:.0%} a year; "
                f"milestones split {a['milestone_split']}; years per stage {a['years']}",
                markup=False,
            )
        for note in valued["not_valued"]:
            console.print(f"Note: {note}", markup=False)

    @app.command("comparables")
    def comparables_command(
        deal_id: Annotated[int, typer.Argument(min=1, help="The deal's id (see `biodeals deals`).")],
        k: Annotated[int, typer.Option("--k", min=1, max=MAX_K, help="How many comparables.")] = 10,
        db: DbOption = None,
        output: FormatOption = QueryFormat.table,
    ) -> None:
        """The deals most like one (type, target, modality, indication, year), each with why it
        matched, and the median and quartiles of their upfronts and totals."""
        with reported_errors(), database(db) as engine:
            found = comparables(engine, deal_id, k)
        if output is not QueryFormat.table:
            sys.stdout.write(json.dumps(found, ensure_ascii=False, indent=2) + "\n")
            return
        console.print(f"Deal {deal_id}: {found['headline']}", markup=False, highlight=False)
        view = Table("id", "score", "deal", "upfront", "total", "why", title=f"{len(found['comparables'])} of {found['considered']} deals considered")
        for c in found["comparables"]:
            view.add_row(
                str(c["id"]), f"{c['score']:g}", escape(c["headline"]), format_money(c["upfront"]),
                format_money(c["total_value"]), escape("; ".join(c["why"])),
            )  # fmt: skip
        console.print(view)
        for currency, kinds in found["terms"].items():
            for kind, spread in kinds.items():
                if spread:
                    money = {"currency": currency}
                    console.print(
                        f"{kind} ({currency}, {spread['n']} deals): median {format_money({**money, 'amount': spread['median']})}, "
                        f"quartiles {format_money({**money, 'amount': spread['q1']})} - {format_money({**money, 'amount': spread['q3']})}",
                        markup=False,
                    )
