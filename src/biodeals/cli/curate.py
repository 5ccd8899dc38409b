"""Curation commands: ``review``, ``edit``, ``split-party``, ``merge-deals``, ``merge-companies``,
``undo`` and ``edits`` (the record of decisions). Each decision is stored with the user
(``--user``, default the login name) and an optional ``--note``, and outlasts every re-ingest."""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer
from sqlalchemy import Engine

from biodeals.cli.options import DbOption, FormatOption, QueryFormat, console, database, emit_rows, reported_errors
from biodeals.cli.tables import edits_table
from biodeals.errors import ConfigError
from biodeals.service import curation
from biodeals.service.display import describe_edit
from biodeals.service.edits import list_edits

DealId = Annotated[int, typer.Argument(min=1, help="The deal's id (see `biodeals deals`).")]
NoteOption = Annotated[str | None, typer.Option("--note", help="Why (kept in the history).")]
UserOption = Annotated[
    str | None, typer.Option("--user", help="Who decides [default: $BIODEALS_USER or the login name].")
]


def _user(user: str | None) -> str:
    return user or os.environ.get("BIODEALS_USER") or getpass.getuser()


def _decided(db: str | None, output: QueryFormat, decide: Callable[[Engine], dict[str, Any]]) -> None:
    """Make the decision ``decide`` takes on the knowledge base at ``db`` and print it."""
    with reported_errors(), database(db) as engine:
        edit = decide(engine)
    _done(edit, output)


def _done(edit: dict[str, Any], output: QueryFormat) -> None:
    if output is QueryFormat.json:
        sys.stdout.write(json.dumps(edit, ensure_ascii=False, indent=2) + "\n")
    else:
        console.print(f"edit {edit['id']}: {edit['subject']} {edit['subject_id']}: {describe_edit(edit)}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the curation commands to ``app``."""

    @app.command("review")
    def review_command(
        deal_id: DealId,
        confirm: Annotated[bool, typer.Option("--confirm", help="The deal is right.")] = False,
        reject: Annotated[bool, typer.Option("--reject", help="The deal is wrong: left out of trusted views.")] = False,
        reset: Annotated[bool, typer.Option("--reset", help="Back to unreviewed.")] = False,
        readout: Annotated[bool, typer.Option("--readout", help="The id is a readout's, not a deal's.")] = False,
        note: NoteOption = None,
        user: UserOption = None,
        db: DbOption = None,
        output: FormatOption = QueryFormat.table,
    ) -> None:
        """Confirm or reject a deal (or, with --readout, a readout)."""
        with reported_errors():
            if confirm + reject + reset != 1:
                raise ConfigError("review: give exactly one of --confirm, --reject and --reset")
            state = "confirmed" if confirm else "rejected" if reject else "unreviewed"
            with database(db) as engine:
                edit = curation.review(engine, "readout" if readout else "deal", deal_id, state, _user(user), note)
        _done(edit, output)

    @app.command("edit")
    def edit_command(
        deal_id: DealId,
        field: Annotated[str, typer.Argument(help=f"One of: {', '.join(curation.DEAL_FIELDS)}.")],
        value: Annotated[
            str,
            typer.Argument(help="The new value: 50M, completed, 2024, 'license; collaboration', 'Lilly=licensee; ProQR=licensor', none."),
        ],
        quote: Annotated[
            str | None, typer.Option("--quote", help="The words of a source that state it (kept as evidence).")
        ] = None,
        note: NoteOption = None,
        user: UserOption = None,
        db: DbOption = None,
        output: FormatOption = QueryFormat.table,
    ) -> None:
        """Set one field of a deal; later ingests keep it."""
        _decided(db, output, lambda engine: curation.edit_deal(engine, deal_id, field, value, _user(user), note, quote))

    @app.command("split-party")
    def split_party_command(
        deal_id: DealId,
        company: Annotated[str, typer.Argument(help="The party to take off: name, alias or id.")],
        note: NoteOption = None,
        user: UserOption = None,
        db: DbOption = None,
        output: FormatOption = QueryFormat.table,
    ) -> None:
        """Take a company off a deal it was wrongly made party to."""
        _decided(db, output, lambda engine: curation.split_party(engine, deal_id, company, _user(user), note))

    @app.command("merge-deals")
    def merge_deals_command(
        keep: Annotated[int, typer.Argument(min=1, help="The deal that stays.")],
        absorb: Annotated[int, typer.Argument(min=1, help="The deal that becomes part of it.")],
        note: NoteOption = None,
        user: UserOption = None,
        db: DbOption = None,
        output: FormatOption = QueryFormat.table,
    ) -> None:
        """Two deals are one: ABSORB's sources, figures and evidence join KEEP."""
        _decided(db, output, lambda engine: curation.merge_deals(engine, keep, absorb, _user(user), note))

    @app.command("merge-companies")
    def merge_companies_command(
        keep: Annotated[str, typer.Argument(help="The company that stays: name, alias or id.")],
        absorb: Annotated[str, typer.Argument(help="The company that is the same: its names become aliases.")],
        note: NoteOption = None,
        user: UserOption = None,
        db: DbOption = None,
        output: FormatOption = QueryFormat.table,
    ) -> None:
        """Two companies are one: ABSORB's names and deals become KEEP's."""
        _decided(db, output, lambda engine: curation.merge_companies(engine, keep, absorb, _user(user), note))

    @app.command("undo")
    def undo_command(
        edit_id: Annotated[int, typer.Argument(min=1, help="The decision to revert (see `biodeals edits`).")],
        note: NoteOption = None,
        user: UserOption = None,
        db: DbOption = None,
        output: FormatOption = QueryFormat.table,
    ) -> None:
        """Revert one decision (a review, edit, split or merge)."""
        _decided(db, output, lambda engine: curation.undo(engine, edit_id, _user(user), note))

    @app.command("edits")
    def edits_command(
        deal: Annotated[int | None, typer.Option("--deal", min=1, help="Only the decisions about this deal.")] = None,
        limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many.")] = 100,
        db: DbOption = None,
        output: FormatOption = QueryFormat.table,
    ) -> None:
        """The record of decisions, newest first."""
        with reported_errors(), database(db) as engine:
            rows = list_edits(engine, "deal" if deal else None, deal, limit)
        emit_rows(rows, output, lambda: edits_table(rows, f"{len(rows)} decisions"), _flat)


def _flat(edit: dict[str, Any]) -> dict[str, Any]:
    return {**edit, "value": json.dumps(edit["value"]), "evidence": json.dumps(edit["evidence"]), "what": describe_edit(edit)}
