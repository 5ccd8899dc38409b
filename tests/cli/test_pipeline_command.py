"""``biodeals pipeline`` lists the live registry's steps in order."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from biodeals.cli.pipeline import register
from biodeals.nlp import default_pipeline


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    app.command("noop", hidden=True)(lambda: None)  # a Typer app with one command would make it the root
    return app


def test_pipeline_command_prints_every_step_in_order_with_what_it_produces():
    result = CliRunner().invoke(_app(), ["pipeline", "--json"])
    assert result.exit_code == 0, result.output
    steps = json.loads(result.output)
    assert [s["name"] for s in steps] == default_pipeline().names
    deal_slots = next(s for s in steps if s["name"] == "biodeals.deal_slots.v1")
    assert deal_slots["produces"] == ["deals"] and "candidates" in deal_slots["requires"]


def test_pipeline_command_table_names_each_step():
    result = CliRunner().invoke(_app(), ["pipeline"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for name in default_pipeline().names:
        assert name in result.output
