"""``biodeals rules [--check]``: the rule files of the recogniser, and whether every row is valid."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType
from typing import Annotated

import typer

from biodeals.errors import ConfigError


def _loader() -> ModuleType:
    """``biodeals.rules``, also when a bad shipped row stops ``biodeals.nlp`` from importing
    (the recognisers build their patterns from the rows at import): the loader module itself has
    been imported by then, and it is what ``--check`` needs to list every bad row."""
    try:
        from biodeals import rules
    except ConfigError:
        if "biodeals.rules" not in sys.modules:
            raise
        return sys.modules["biodeals.rules"]
    return rules


def rules_command(
    check: Annotated[
        bool, typer.Option("--check", help="Validate every row; list each bad one on stderr and exit 1 if any.")
    ] = False,
    folder: Annotated[
        Path | None,
        typer.Option("--folder", help="Read the rule files of this folder (a draft) instead of the shipped ones."),
    ] = None,
) -> None:
    """List the rule files (rows and what they mean), or check every row of them."""
    rules = _loader()
    if folder is not None and not folder.is_dir():
        typer.echo(f"Error: {folder} is not a folder", err=True)
        raise typer.Exit(1)
    if check:
        problems = rules.check_all(folder)
        for problem in problems:
            typer.echo(str(problem), err=True)
        if problems:
            typer.echo(f"{len(problems)} problem(s) in the rule files", err=True)
            raise typer.Exit(1)
        names = rules.names(folder)
        total = sum(len(rules.load(name, folder)) for name in names)
        typer.echo(f"{total} rules in {len(names)} files: all valid")
        return
    for name in rules.names(folder):
        schema = rules.SCHEMAS.get(name)
        try:
            count = str(len(rules.load(name, folder))) if schema else "?"
        except rules.RuleError as error:
            count = f"{len(error.problems)} bad"
        typer.echo(f"{name + '.toml':<26} {count:>6}  {schema.means if schema else 'no schema declares this file'}")


def register(app: typer.Typer) -> None:
    """Add the ``rules`` command to ``app``."""
    app.command("rules")(rules_command)
