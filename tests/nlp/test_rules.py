"""The rule files: every row's examples are test cases, a bad row is reported with its file, row
and problem, and the recognisers built from the rows behave as the rows say."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from biodeals import rules
from biodeals.errors import ConfigError
from biodeals.nlp.patterns import _CODE_EXCLUDE, INN_STEM_MODALITIES, find_companies, find_drug_names
from biodeals.nlp.readouts import endpoints_in

SCHEMA_MD = Path(__file__).resolve().parents[3] / "shared" / "eval" / "SCHEMA.md"


def _rows(*names: str) -> list:
    """``pytest.param(row, id="file:id")`` for every row of the named files (all files if none)."""
    return [
        pytest.param(row, id=f"{name}:{row.id}")
        for name in names or rules.names()
        for row in rules.load(name)
        if row.examples or row.counter_examples or names
    ]


@pytest.mark.parametrize("row", _rows())
def test_rule_examples(row: rules.Row):
    """Each example is matched by its row, no counter-example is (``pattern.search`` for rows
    with a pattern, the file's own test otherwise)."""
    assert [e for e in row.examples if not row.matches(e)] == []
    assert [c for c in row.counter_examples if row.matches(c)] == []


def test_shipped_rule_files_are_valid():
    assert rules.check_all() == []
    assert set(rules.names()) == set(rules.SCHEMAS)


# ---- the recognisers derived from the rows do what each row says


def _stem_modality(name: str) -> str | None:
    """The modality lookup of ``nlp.deals`` (the last word of a name, its first stem)."""
    word = name.lower().rsplit(maxsplit=1)[-1]
    return next((modality for stems, modality in INN_STEM_MODALITIES if word.endswith(stems)), None)


@pytest.mark.parametrize("row", _rows("inn_stems"))
def test_inn_stem_states_its_modality_and_is_recognised(row: rules.Row):
    for example in row.examples:
        assert _stem_modality(example) == row.get("modality")
        found = [m.text.split()[-1] for m in find_drug_names(f"Patients received {example} daily.")]
        if row["recognise"]:
            assert example.split()[-1] in found


@pytest.mark.parametrize("row", _rows("inn_false_positives"))
def test_inn_false_positive_is_no_drug(row: rules.Row):
    assert row.id not in [m.text for m in find_drug_names(f"We saw the {row.id} again.")]


@pytest.mark.parametrize("row", _rows("designators", "legal_forms"))
def test_company_name_ends_in_its_designator_or_legal_form(row: rules.Row):
    for example in row.examples:
        names = [m.text for m in find_companies(example)]
        assert any(name.endswith(row.id) for name in names), names


@pytest.mark.parametrize("row", _rows("exchanges"))
def test_company_before_a_ticker_is_found(row: rules.Row):
    for example in row.examples:
        assert ("Corvexa Nova", "ticker") in [(m.text, m.source) for m in find_companies(example)]


@pytest.mark.parametrize("row", _rows("code_exclusions"))
def test_code_exclusion_excludes(row: rules.Row):
    assert all(_CODE_EXCLUDE.match(example) for example in row.examples)


@pytest.mark.parametrize("row", _rows("endpoints"))
def test_endpoint_value_is_read_in_its_unit(row: rules.Row):
    for example in row.examples:
        if any(c.isdigit() for c in example):
            found = [(e["name"], e["unit"]) for e in endpoints_in(example)]
            assert (row["name"], row["unit"]) in found, (example, found)


def test_modalities_are_those_of_schema_md():
    if not SCHEMA_MD.exists():
        pytest.skip("no ../shared/eval/SCHEMA.md")
    text = " ".join(SCHEMA_MD.read_text(encoding="utf-8").split())
    listed = text.split("`modalities`: any of", 1)[1].split(".", 1)[0]
    assert set(re.findall(r"`([^`]+)`", listed)) == rules.MODALITIES


# ---- bad rows are reported with file, row and problem, all in one error


GOOD_ENDPOINT = """
[[endpoint]]
id = "orr"
pattern = '\\bORR\\b'
name = "ORR"
unit = "%"
examples = ["ORR of 40%"]
"""


def _write(folder: Path, name: str, text: str) -> None:
    (folder / f"{name}.toml").write_text(text, encoding="utf-8")


def _problems(folder: Path, name: str) -> list[tuple[int, str | None, str]]:
    with pytest.raises(rules.RuleError) as raised:
        rules.load(name, folder)
    assert raised.value.problems == [p for p in rules.check_all(folder) if p.file == f"{name}.toml"]
    return [(p.row, p.rule_id, p.problem) for p in raised.value.problems]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        pytest.param('id = "fev1"\npattern = "FEV1"\nname = "FEV1"\nunit = "mL"\nexamples = ["FEV1"]',
                     "unit 'mL' does not exist in units.toml", id="unit-does-not-exist"),
        pytest.param('id = "x"\npattern = "(ORR"\nname = "X"\nunit = "%"\nexamples = ["ORR"]',
                     "pattern does not compile: missing ), unterminated subpattern at position 0", id="bad-pattern"),
        pytest.param('id = "x"\npattern = "DCR"\nname = "X"\nunit = "%"\nexamples = ["disease control rate"]',
                     "example 'disease control rate' is not matched", id="example-fails"),
        pytest.param('id = "x"\npattern = "DCR"\nname = "X"\nunit = "%"\nexamples = ["DCR"]\ncounter_examples = ["DCRs"]',
                     "counter-example 'DCRs' is matched", id="counter-example-matches"),
        pytest.param('id = "orr"\npattern = "DCR"\nname = "X"\nunit = "%"\nexamples = ["DCR"]',
                     "id 'orr' is used by an earlier row", id="duplicate-id"),
        pytest.param('id = "x"\npattern = "DCR"\nname = "X"\nunit = "%"\nexamples = ["DCR"]\nmeaning = "?"',
                     "unknown column 'meaning' (columns: id, pattern, flags, examples, counter_examples, why, name, unit)",
                     id="unknown-column"),
        pytest.param('id = "x"\npattern = "DCR"\nname = "X"\nexamples = ["DCR"]',
                     "required column 'unit' is missing", id="missing-column"),
        pytest.param('id = "x"\npattern = "DCR"\nname = "X"\nunit = "%"', "a row with a pattern needs at least one example",
                     id="no-example"),
        pytest.param('id = "x"\npattern = "DCR"\nflags = "q"\nname = "X"\nunit = "%"\nexamples = ["DCR"]',
                     "unknown flag 'q' (use imsx)", id="unknown-flag"),
    ],
)
def test_bad_endpoint_row_is_reported(folder: Path, row: str, problem: str):
    _write(folder, "endpoints", GOOD_ENDPOINT + "\n[[endpoint]]\n" + row + "\n")
    assert _problems(folder, "endpoints") == [(2, "x" if "id = \"x\"" in row else row.split('"')[1], problem)]


def test_every_bad_row_is_in_one_error(folder: Path):
    bad = [
        'id = "a"\npattern = "("\nname = "A"\nunit = "%"\nexamples = ["("]',
        'id = "b"\npattern = "B"\nname = "B"\nunit = "mg"\nexamples = ["B"]',
        'id = "b"\npattern = "B"\nname = "B"\nunit = "%"\nexamples = ["C"]',
    ]
    _write(folder, "endpoints", GOOD_ENDPOINT + "".join(f"\n[[endpoint]]\n{row}\n" for row in bad))
    problems = _problems(folder, "endpoints")
    assert [(row, rule_id) for row, rule_id, _ in problems] == [(2, "a"), (3, "b"), (4, "b"), (4, "b")]
    with pytest.raises(rules.RuleError) as raised:
        rules.load("endpoints", folder)
    message = str(raised.value)
    assert "endpoints.toml row 3 (endpoint 'b'): unit 'mg' does not exist in units.toml" in message
    assert message.count("endpoints.toml row") == 4


def test_bad_inn_stem_rows(folder: Path):
    _write(
        folder,
        "inn_stems",
        '[[stem]]\nid = "mab"\nmodality = "antibody"\n'
        '[[stem]]\nid = "xmab"\nmodality = "protein"\n'  # ends in "mab", states another modality
        '[[stem]]\nid = "bart"\n'  # no modality and no reason
        '[[stem]]\nid = "kinib"\nmodality = "monoclonal"\n'
        '[[stem]]\nid = "ase"\nmodality = "protein"\nrecognise = false\nexamples = ["alteplase", "insulin"]\n',
    )
    assert _problems(folder, "inn_stems") == [
        (2, "xmab", "stem 'xmab' ends in stem 'mab', whose modality 'antibody' differs from 'protein'"),
        (3, "bart", "a stem without modality needs a 'why'"),
        (4, "kinib", "modality 'monoclonal' is not one of SCHEMA.md's modalities"),
        (5, "ase", "example 'insulin' is not matched"),
        (5, "ase", "a stem with recognise = false needs a 'why'"),
    ]


def test_false_positive_must_name_a_stem_it_ends_in(folder: Path):
    _write(folder, "inn_false_positives", '[[word]]\nid = "excel"\nstem = "cel"\n[[word]]\nid = "model"\nstem = "el"\n'
           '[[word]]\nid = "panel"\nstem = "cel"\n')
    assert _problems(folder, "inn_false_positives") == [
        (2, "model", "stem 'el' does not exist in inn_stems.toml"),
        (3, "panel", "word 'panel' does not end in its stem 'cel'"),
    ]


def test_unit_pattern_needs_a_value_group(folder: Path):
    _write(folder, "units", '[[unit]]\nid = "%"\npattern = "\\\\d+%"\nmeans = "a percentage"\nexamples = ["4%"]\n')
    assert _problems(folder, "units") == [(1, "%", "a unit's pattern needs a group (?P<value>...) holding the number")]


def test_file_level_problems(folder: Path):
    _write(folder, "units", "[[units]]\nid = 1\n")
    _write(folder, "designators", "[[designator]\n")
    (folder / "cues.toml").write_text("[[cue]]\nid = 'x'\n", encoding="utf-8")
    problems = {(p.file, p.row): p.problem for p in rules.check_all(folder)}
    assert problems[("units.toml", 0)] == "unknown table(s) ['units']; rows go in [[unit]]"
    assert problems[("designators.toml", 0)].startswith("not valid TOML")
    assert problems[("cues.toml", 0)] == "no schema declares this file"
    with pytest.raises(ConfigError, match="no rule file 'cues'"):
        rules.load("cues", folder)


def test_rule_problem_reads_as_file_row_id_problem():
    problem = rules.RuleProblem("inn_stems.toml", 12, "mab", "unit 'mg' does not exist")
    assert str(problem) == "inn_stems.toml row 12 (stem 'mab'): unit 'mg' does not exist"
    assert str(rules.RuleProblem("units.toml", 0, None, "file is missing")) == "units.toml: file is missing"
    assert isinstance(rules.RuleError([problem]), ConfigError)


def test_load_is_cached():
    assert rules.load("endpoints") is rules.load("endpoints")


# ---- biodeals rules [--check]


@pytest.fixture
def app() -> typer.Typer:
    from biodeals.cli.rules import register

    app = typer.Typer()
    app.callback()(lambda: None)  # a group, so that the command is called by its name
    register(app)
    return app


def test_cli_rules_lists_files_with_counts(app: typer.Typer):
    result = CliRunner().invoke(app, ["rules"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(rules.names())
    count = len(rules.load("endpoints"))
    assert any(line.startswith("endpoints.toml") and f" {count} " in line for line in lines)


def test_cli_rules_check_passes_on_shipped_files(app: typer.Typer):
    result = CliRunner().invoke(app, ["rules", "--check"])
    assert result.exit_code == 0, result.output
    total = sum(len(rules.load(name)) for name in rules.names())
    assert result.stdout.strip() == f"{total} rules in {len(rules.names())} files: all valid"


def test_cli_rules_check_fails_on_a_bad_row(app: typer.Typer, folder: Path):
    _write(folder, "endpoints", GOOD_ENDPOINT.replace('unit = "%"', 'unit = "mg"'))
    result = CliRunner().invoke(app, ["rules", "--check", "--folder", str(folder)])
    assert result.exit_code == 1
    assert "endpoints.toml row 1 (endpoint 'orr'): unit 'mg' does not exist in units.toml" in result.stderr
    assert result.stdout == ""


def test_examples_without_anything_to_match(folder: Path):
    _write(folder, "inn_false_positives", '[[word]]\nid = "excel"\nstem = "cel"\nexamples = ["excel"]\n')
    assert _problems(folder, "inn_false_positives") == [
        (1, "excel", "examples need a pattern: rows of this file have nothing else to match them with")
    ]


CHECK_SCRIPT = """
import typer
from typer.testing import CliRunner
from biodeals.cli.rules import register
app = typer.Typer()
app.callback()(lambda: None)
register(app)
result = CliRunner().invoke(app, ["rules", "--check"])
print(result.stderr, end="")
raise SystemExit(result.exit_code)
"""


def test_a_bad_shipped_row_stops_extraction_at_load_and_check_lists_it(tmp_path: Path):
    """An endpoint with a unit that does not exist is a RuleError when the recognisers load (it
    was a KeyError at extraction time), and ``rules --check`` still lists it."""
    import biodeals

    package = tmp_path / "biodeals"
    shutil.copytree(Path(biodeals.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__", "web"))
    with (package / "rules" / "endpoints.toml").open("a", encoding="utf-8") as out:
        out.write('\n[[endpoint]]\nid = "fev1"\npattern = "FEV1"\nname = "FEV1"\nunit = "mL"\nexamples = ["FEV1"]\n')
    row = len(rules.load("endpoints")) + 1
    expected = f"endpoints.toml row {row} (endpoint 'fev1'): unit 'mL' does not exist in units.toml"
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    extract = subprocess.run([sys.executable, "-c", "import biodeals.nlp"], capture_output=True, text=True, env=env)
    assert extract.returncode == 1 and "RuleError" in extract.stderr and expected in extract.stderr
    check = subprocess.run([sys.executable, "-c", CHECK_SCRIPT], capture_output=True, text=True, env=env)
    assert check.returncode == 1, check.stderr
    assert check.stdout.splitlines() == [expected, "1 problem(s) in the rule files"]
