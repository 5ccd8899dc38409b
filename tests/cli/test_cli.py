"""The `biodeals` command: output shapes, error lines and exit codes."""

import json

import pytest
from typer.testing import CliRunner

from biodeals.cli import app
from biodeals.cli.commands import sample_paths

runner = CliRunner()
ARTICLE = "Sanofi will license Innate Pharma's program for $26.6 million up front. Innate may get $1.44 billion."


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(ARTICLE)
    return path


def test_cli_extract_json_one_record(article):
    result = runner.invoke(app, ["extract", str(article)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["id"] == "seed" and record["readouts"] == []
    (deal,) = record["deals"]
    assert deal["types"] == ["license"]
    assert [(p["name"], p["role"]) for p in deal["parties"]] == [("Sanofi", "licensee"), ("Innate Pharma", "licensor")]
    assert deal["upfront"] == {"amount": 26_600_000, "currency": "USD"}
    companies = {c["name"]: c for c in record["entities"]["companies"]}
    assert companies["Innate Pharma"]["aliases"] == ["Innate"]
    assert [m["amount"] for m in record["entities"]["money"]] == [26_600_000, 1_440_000_000]


def test_cli_extract_jsonl_one_line_per_document(tmp_path, article):
    other = tmp_path / "other.md"
    other.write_text("Pfizer and BioNTech expanded their vaccine collaboration.")
    result = runner.invoke(app, ["extract", "--format", "jsonl", str(article), str(other)])
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["seed", "other"]


def test_cli_extract_reports_bad_inputs_and_goes_on(tmp_path, article):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = runner.invoke(app, ["extract", "--format", "jsonl", str(empty), str(article), str(tmp_path / "nope.txt")])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 1
    assert result.stderr.splitlines() == [
        f"Error: {empty}: the input is empty",
        f"Error: {tmp_path / 'nope.txt'}: no such file or folder",
    ]


def test_cli_extract_exits_1_when_nothing_could_be_read(tmp_path):
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    result = runner.invoke(app, ["extract", str(binary)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: {binary}: looks like binary data (NUL bytes), not text\n"


def test_cli_extract_size_limit_option(article):
    result = runner.invoke(app, ["extract", "--max-bytes", "10", str(article)])
    assert result.exit_code == 1
    assert "exceeds the 10-byte limit" in result.stderr


def test_cli_extract_rejects_unknown_format(article):
    result = runner.invoke(app, ["extract", "--format", "xml", str(article)])
    assert result.exit_code == 2
    assert "xml" in result.stderr


def test_cli_help_for_every_command():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("extract", "demo"):
        assert command in result.stdout
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0 and "Usage" in sub.stdout


def test_cli_demo_shows_the_bundled_samples(tmp_path):
    assert len(sample_paths()) >= 3
    result = runner.invoke(app, ["demo", "--db", str(tmp_path / "demo.db")], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Halcyon Therapeutics" in result.stdout and "velarutide" in result.stdout


def test_cli_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("biodeals ")


def test_cli_extract_reports_an_extraction_bug_and_goes_on(tmp_path, article, monkeypatch):
    import biodeals.nlp as nlp

    real = nlp.extract_record

    def flaky(document):
        if document.name == "boom":
            raise ValueError("simulated bug")
        return real(document)

    monkeypatch.setattr(nlp, "extract_record", flaky)
    boom = tmp_path / "boom.txt"
    boom.write_text("Acme and Beta signed a deal.")
    result = runner.invoke(app, ["extract", "--format", "jsonl", str(boom), str(article)])
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["seed"]
    assert result.stderr == f"Error: {boom}: extraction failed (ValueError: simulated bug)\n"


def test_cli_error_lines_cannot_be_forged_by_a_file_name(tmp_path, monkeypatch):
    """A newline in a file name is printed as an escape, so each problem stays one line."""
    import biodeals.nlp as nlp

    def broken(document):
        raise ValueError("simulated bug")

    monkeypatch.setattr(nlp, "extract_record", broken)
    forged = tmp_path / "a\nError: all is well.txt"
    forged.write_text("Acme and Beta signed a deal.")
    binary = tmp_path / "b\rError: fine.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    result = runner.invoke(app, ["extract", str(forged), str(binary)])
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and all(line.startswith(f"Error: {tmp_path}/") for line in lines)
    assert "a\\nError: all is well.txt: extraction failed" in lines[0] and "b\\rError: fine.txt" in lines[1]


def _slow_on(monkeypatch, module, name="slow"):
    """``module.extract_record`` made to take 5 s on the document called ``name``."""
    import time

    real = module.extract_record

    def slow(document, *args):
        if document.name == name:
            time.sleep(5)
        return real(document, *args)

    monkeypatch.setattr(module, "extract_record", slow)


def test_cli_extract_gives_up_on_a_document_past_the_time_limit(tmp_path, article, monkeypatch):
    import biodeals.nlp as nlp

    _slow_on(monkeypatch, nlp)
    slow = tmp_path / "slow.txt"
    slow.write_text("Acme and Beta signed a deal.")
    result = runner.invoke(app, ["extract", "--format", "jsonl", "--time-limit", "0.2", str(slow), str(article)])
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["seed"]
    assert result.stderr == f"Error: {slow}: extraction timed out (over 0.2 s)\n"


def test_cli_ingest_stores_a_timed_out_document_with_its_reason(tmp_path, article, monkeypatch):
    import biodeals.service.ingest as service

    _slow_on(monkeypatch, service)
    slow = tmp_path / "slow.txt"
    slow.write_text("Acme and Beta signed a deal.")
    db = tmp_path / "kb.db"
    result = runner.invoke(app, ["ingest", "-q", "--time-limit", "0.2", "--db", str(db), str(slow), str(article)])
    assert result.exit_code == 0, result.output
    assert "2 read, 2 new, 0 skipped (already stored), 1 failed" in result.stderr
    assert f"failed: {slow}: extraction timed out (over 0.2 s)" in result.stderr
