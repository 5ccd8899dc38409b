"""The knowledge-base commands end to end: ingest the samples, query, show, export, and clear
errors for bad input — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from biodeals.cli import app
from tests.conftest import core_samples

runner = CliRunner()
WIDE = {"COLUMNS": "220"}


def run(*args: str) -> object:
    return runner.invoke(app, list(args), env=WIDE)


@pytest.fixture
def kb(db_url):
    result = run("ingest", *core_samples(), "--db", db_url, "--quiet")
    assert result.exit_code == 0, result.output
    return db_url


def test_ingest_prints_a_summary_and_is_idempotent(kb):
    again = run("ingest", *core_samples(), "--db", kb)
    assert again.exit_code == 0
    assert f"{len(core_samples())} read, 0 new, {len(core_samples())} skipped" in " ".join(again.stderr.split())


def test_deals_in_every_format(kb):
    table = run("deals", "--db", kb)
    assert table.exit_code == 0 and "Lumiera Bio" in table.stdout and "€640M" in table.stdout
    deals = json.loads(run("deals", "--db", kb, "--format", "json", "--type", "acquisition").stdout)
    assert len(deals) == 1 and deals[0]["status"] == "completed"
    rows = list(csv.DictReader(io.StringIO(run("deals", "--db", kb, "--format", "csv", "--company", "Halcyon").stdout)))
    assert len(rows) == 1 and rows[0]["upfront_amount"] == "75000000.0"


def test_show_company_assets_readouts_search_stats(kb):
    [acquisition] = json.loads(run("deals", "--db", kb, "-f", "json", "--type", "acquisition").stdout)
    shown = run("show", str(acquisition["id"]), "--db", kb)
    assert shown.exit_code == 0
    assert "Status history" in shown.stdout and "04-corvexa-agreement" in shown.stdout and "completed" in shown.stdout
    assert json.loads(run("show", str(acquisition["id"]), "--db", kb, "-f", "json").stdout)["evidence"]
    company = run("company", "Halcyon", "--db", kb)
    assert company.exit_code == 0 and "Norvale Pharma" in company.stdout and "HT-2041" in company.stdout
    assert "HT-2041" in run("assets", "--db", kb).stdout
    readouts = json.loads(run("readouts", "--db", kb, "-f", "json", "--asset", "velarutide").stdout)
    assert readouts and readouts[0]["assets"] == ["velarutide"]
    assert readouts[0]["sponsor"]["name"] == "Tessaly Medicines plc"
    assert json.loads(run("readouts", "--db", kb, "-f", "json", "--sponsor", "Tessaly").stdout) == readouts
    assert "Tessaly Medicines plc" in run("readouts", "--db", kb, "-f", "csv").stdout
    assert "Corvexa" in run("search", "KRAS", "--db", kb).stdout
    figures = json.loads(run("stats", "--db", kb, "-f", "json").stdout)
    assert figures["totals"]["documents"] == len(core_samples())
    assert "by_type" in run("stats", "--db", kb, "-f", "csv").stdout


def test_show_prints_each_sentence_once_with_the_fields_it_states(kb):
    [acquisition] = json.loads(run("deals", "--db", kb, "-f", "json", "--type", "acquisition").stdout)
    deal = json.loads(run("show", str(acquisition["id"]), "--db", kb, "-f", "json").stdout)
    shown = run("show", str(acquisition["id"]), "--db", kb).stdout
    assert shown.splitlines()[0] == deal["headline"] == acquisition["headline"]
    sentences = {e["sentence"] for e in deal["evidence"]}
    assert len(sentences) < len(deal["evidence"])  # sentences that state several fields
    evidence = shown.split("Evidence (one row per sentence)")[1]
    for sentence in sentences:  # a cell of its own, once
        assert len(re.findall(rf"│ {re.escape(sentence)} *│", evidence)) == 1, sentence
    assert "parties: Corvexa Biosciences, Lumiera Bio" in shown


def test_export_writes_the_file(kb, tmp_path):
    target = tmp_path / "deals.xlsx"
    result = run("export", str(target), "--db", kb, "--type", "license")
    assert result.exit_code == 0 and "1 deals written" in result.stderr
    assert target.stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "9999"], "deal 9999: no such deal"),
        (["company", "No Such Company"], "no such company"),
        (["deals", "--type", "merger"], "--type: 'merger': Input should be 'acquisition'"),
        (["search", "!!"], "no words to search for"),
        (["export", "out.docx"], "unknown export format"),
    ],
)
def test_bad_requests_are_clear_errors(kb, args, message):
    result = run(*args, "--db", kb)
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output


def test_a_database_in_a_missing_folder_is_a_clear_error(tmp_path):
    result = run("deals", "--db", str(tmp_path / "nowhere" / "kb.db"))
    assert result.exit_code == 1 and "does not exist" in result.stderr


def test_demo_builds_a_database_from_the_samples(tmp_path):
    result = run("demo", "--db", str(tmp_path / "demo.db"))
    assert result.exit_code == 0, result.output
    assert "Halcyon Therapeutics" in result.stdout and "Lumiera Bio" in result.stdout


# what each command needs besides --db to get as far as opening it
_ARGUMENTS = {"review": ["1", "--confirm"], "edit": ["1", "status", "completed"], "export": ["out.csv"]}


def _commands_that_read() -> list[str]:
    """Every command with a --db option but those that write documents (and so make a new one)."""
    import typer

    commands = typer.main.get_command(app).commands
    with_db = [name for name, c in commands.items() if any("--db" in p.opts for p in c.params)]
    return sorted(set(with_db) - {"ingest", "demo"})


@pytest.mark.parametrize("command", _commands_that_read())
def test_a_command_that_reads_refuses_a_missing_database(tmp_path, monkeypatch, command):
    import typer

    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "misspelt.db"
    click_command = typer.main.get_command(app).commands[command]
    required = [p for p in click_command.params if p.required and not p.opts[0].startswith("-")]
    args = _ARGUMENTS.get(command, ["1"] * len(required))
    result = runner.invoke(app, [command, *args, "--db", str(missing)], env={**WIDE, "BIODEALS_USER": "tester"})
    assert result.exit_code == 1, result.output
    assert f"--db {missing}: no knowledge base there" in result.stderr and "Traceback" not in result.output
    assert not missing.exists()
