"""``biodeals pipeline``: the extraction steps in the order they run, with what each produces."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table


def pipeline_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print the steps as a JSON list.")] = False,
) -> None:
    """List the registered pipeline steps in order: name (with version), what each needs and produces, and its job."""
    from biodeals.nlp import default_pipeline

    steps = default_pipeline().components
    if as_json:
        rows = [{"name": c.name, "requires": list(c.requires), "produces": list(c.produces), "about": c.about} for c in steps]
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table("#", "step", "needs", "produces", "what it does", title=f"biodeals pipeline: {len(steps)} steps")
    for number, c in enumerate(steps, 1):
        table.add_row(str(number), c.name, ", ".join(c.requires) or "-", ", ".join(c.produces), c.about)
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add the ``pipeline`` command to ``app``."""
    app.command("pipeline")(pipeline_command)
