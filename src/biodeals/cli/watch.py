"""``biodeals watch``: saved deal queries. ``add`` saves the deal filters (the options of
``biodeals deals``) under a name, with an optional webhook; ``run`` lists the deals reported
since the last run; ``list``, ``show`` (with the webhook's delivery log), ``deliver`` (send what
is pending) and ``remove``."""

from __future__ import annotations

import json
import sys
from datetime import datetime, time
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from biodeals.cli.options import (
    DbOption,
    FormatOption,
    QueryFormat,
    console,
    database,
    deal_filter,
    emit_rows,
    reported_errors,
    stderr,
    with_deal_filters,
)
from biodeals.cli.tables import deals_table
from biodeals.service import watchlists
from biodeals.service.alerts import deliver_alerts, queue_alerts
from biodeals.service.export import flat_deal
from biodeals.values import DATE_HELP, parse_date_bound

NameArgument = Annotated[str, typer.Argument(help=f"The watchlist's name ({watchlists.NAME_HELP}).")]


def _filters_text(filters: dict[str, Any]) -> str:
    return " ".join(f"{key}={value}" for key, value in filters.items()) or "(every deal)"


def register(app: typer.Typer) -> None:
    """Add the ``watch`` command group to ``app``."""
    watch = typer.Typer(help="Saved deal queries: run them for what is new, follow them as feeds or webhooks.")
    app.add_typer(watch, name="watch")

    @watch.command("add")
    @with_deal_filters
    def add_command(
        filters: dict[str, Any],
        name: NameArgument,
        webhook: Annotated[
            str | None, typer.Option("--webhook", help="http(s) URL told (JSON POST) of each matching deal an ingest stores.")
        ] = None,
        db: DbOption = None,
    ) -> None:
        """Save the deal filters given (as for `biodeals deals`) as the watchlist NAME."""
        with reported_errors():
            deal_filter(filters)  # bad options named as options (--min-upfront), before the database
            with database(db) as engine:
                saved = watchlists.add_watchlist(engine, name, filters, webhook)
        stderr.print(f"watchlist {saved['name']}: {_filters_text(saved['filters'])}", markup=False)

    @watch.command("list")
    def list_command(db: DbOption = None, output: FormatOption = QueryFormat.table) -> None:
        """Every watchlist with its filters and the number of deals it selects."""
        with reported_errors(), database(db) as engine:
            rows = watchlists.list_watchlists(engine)

        def table() -> Table:
            view = Table("name", "filters", "deals", "last run", "webhook", "alerts sent", title=f"{len(rows)} watchlists")
            for w in rows:
                view.add_row(
                    w["name"], escape(_filters_text(w["filters"])), str(w["deals"]), w["last_run_at"] or "never",
                    escape(w["webhook"] or "-"), str(w["deliveries"]["sent"]),
                )  # fmt: skip
            return view

        emit_rows(rows, output, table, lambda w: {**w, "filters": json.dumps(w["filters"]), "deliveries": json.dumps(w["deliveries"])})

    @watch.command("run")
    def run_command(
        name: NameArgument,
        since: Annotated[
            str | None, typer.Option("--since", metavar="DATE", help=f"Reported on or after {DATE_HELP} instead of since the last run.")
        ] = None,
        db: DbOption = None,
        output: FormatOption = QueryFormat.table,
    ) -> None:
        """The deals of watchlist NAME that a document stored since its last run reports."""
        with reported_errors(), database(db) as engine:
            start = None
            if since is not None:
                try:
                    start = datetime.combine(parse_date_bound(since), time.min)
                except ValueError as error:
                    raise typer.BadParameter(str(error), param_hint="--since") from None
            result = watchlists.run_watchlist(engine, name, start)
        rows = result["deals"]
        period = f"since {result['since']}" if result["since"] else "(first run: every deal)"
        emit_rows(rows, output, lambda: deals_table(rows, f"{name}: {len(rows)} deals reported {period}"), flat_deal)

    @watch.command("show")
    def show_command(name: NameArgument, db: DbOption = None, output: FormatOption = QueryFormat.table) -> None:
        """Watchlist NAME: its filters, webhook and the log of its alerts."""
        with reported_errors(), database(db) as engine:
            watchlist = watchlists.get_watchlist(engine, name)
            log = watchlists.delivery_log(engine, name)
        if output is not QueryFormat.table:
            sys.stdout.write(json.dumps({**watchlist, "log": log}, ensure_ascii=False, indent=2) + "\n")
            return
        console.print(f"{watchlist['name']}: {_filters_text(watchlist['filters'])}", markup=False, highlight=False)
        console.print(
            f"webhook {watchlist['webhook'] or '-'} · made {watchlist['created_at']} · last run {watchlist['last_run_at'] or 'never'}",
            markup=False,
        )
        view = Table("deal", "status", "attempts", "queued", "sent", "last error", title="Alerts")
        for d in log:
            view.add_row(str(d["deal_id"]), d["status"], str(d["attempts"]), d["queued_at"], d["sent_at"] or "-", escape(d["last_error"] or "-"))
        console.print(view)

    @watch.command("deliver")
    def deliver_command(db: DbOption = None) -> None:
        """Queue and send the alerts still owed to every watchlist's webhook."""
        with reported_errors(), database(db) as engine:
            queued, problems = queue_alerts(engine)
            sent = deliver_alerts(engine)
        for problem in problems:
            stderr.print(f"Warning: {problem}", markup=False)
        stderr.print(f"{queued} alerts queued, {sent} sent", markup=False)

    @watch.command("remove")
    def remove_command(name: NameArgument, db: DbOption = None) -> None:
        """Forget watchlist NAME and its alert log."""
        with reported_errors(), database(db) as engine:
            watchlists.remove_watchlist(engine, name)
        stderr.print(f"watchlist {name} removed", markup=False)
