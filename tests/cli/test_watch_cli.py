"""`biodeals watch`: add a watchlist with the deal filters of `biodeals deals`, run it for what is
new since its last run, list, show and remove it — and clear errors for bad names and filters."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from biodeals.cli import app
from tests.conftest import core_samples

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_a_watchlist_from_the_command_line(tmp_path):
    db = str(tmp_path / "kb.db")
    assert run("ingest", *core_samples(), "--db", db, "--quiet").exit_code == 0
    added = run("watch", "add", "big", "--type", "acquisition", "--min-total", "100M", "--db", db)
    assert added.exit_code == 0 and "type=acquisition min_total=100000000.0" in added.stderr
    first = json.loads(run("watch", "run", "big", "--db", db, "-f", "json").stdout)
    assert [d["types"] for d in first] == [["acquisition"]]
    assert json.loads(run("watch", "run", "big", "--db", db, "-f", "json").stdout) == []  # nothing new since
    again = json.loads(run("watch", "run", "big", "--since", "2020", "--db", db, "-f", "json").stdout)
    assert [d["id"] for d in again] == [d["id"] for d in first]
    [listed] = json.loads(run("watch", "list", "--db", db, "-f", "json").stdout)
    assert listed["name"] == "big" and listed["deals"] == 1 and listed["last_run_at"]
    assert "Alerts" in run("watch", "show", "big", "--db", db).stdout
    assert run("watch", "remove", "big", "--db", db).exit_code == 0
    gone = run("watch", "run", "big", "--db", db)
    assert gone.exit_code == 1 and "no such watchlist" in gone.stderr


def test_bad_watchlists_are_clear_errors(tmp_path):
    db = str(tmp_path / "kb.db")
    assert run("ingest", core_samples()[0], "--db", db, "--quiet").exit_code == 0
    for args, message in (
        (["watch", "add", "two words"], "expected 1-64 letters"),
        (["watch", "add", "x", "--min-upfront", "lots"], "--min-upfront: 'lots'"),
        (["watch", "add", "x", "--webhook", "file:///etc/passwd"], "expected an http:// or https:// URL"),
        (["watch", "run", "x", "--since", "soon"], "--since"),
    ):
        result = run(*args, "--db", db)
        assert result.exit_code in (1, 2) and message in result.stderr and "Traceback" not in result.output, args
