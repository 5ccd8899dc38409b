"""Rule tables as data: the TOML files beside this module, one row per rule.

A rule that lives in a Python tuple is changed by editing code, and a fact kept in two tuples
drifts (two INN-stem lists, three exchange lists, a unit table apart from the endpoints that need
it). Here each fact is one row with a stable ``id``, what it means, an optional ``pattern`` and the
strings it must and must not match. :func:`load` validates a file and raises one
:class:`RuleError` listing every bad row; :func:`check_all` reports the problems of every file
(``biodeals rules --check``). What each file holds is declared in :mod:`biodeals.rules.schemas`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any

from biodeals import fastre
from biodeals.errors import ConfigError

_COMMON = {
    "id": str,
    "pattern": str,
    "flags": str,
    "examples": list,
    "counter_examples": list,
    "why": str,
}
_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


@dataclass(frozen=True)
class RuleProblem:
    """One bad row (``row`` is its 1-based index in the file; 0 for the file as a whole)."""

    file: str
    row: int
    rule_id: str | None
    problem: str

    def __str__(self) -> str:
        where = self.file if not self.row else f"{self.file} row {self.row}"
        if self.rule_id is not None:
            schema = SCHEMAS.get(self.file.removesuffix(".toml"))
            where += f" ({schema.table if schema else 'id'} {self.rule_id!r})"
        return f"{where}: {self.problem}"


class RuleError(ConfigError):
    """A rule file has bad rows; ``problems`` lists every one."""

    def __init__(self, problems: list[RuleProblem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} bad rule(s):\n" + "\n".join(f"  {p}" for p in problems))


@dataclass(frozen=True)
class Row:
    """One validated rule: its id, its columns, and its pattern compiled through ``fastre``."""

    file: str
    index: int
    id: str
    fields: Mapping[str, Any]
    pattern: re.Pattern[str] | None = None
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()

    def __getitem__(self, column: str) -> Any:
        return self.fields[column]

    def get(self, column: str, default: Any = None) -> Any:
        return self.fields.get(column, default)

    @property
    def source(self) -> str | None:
        """The pattern as written (the compiled one carries ``fastre``'s guard in front)."""
        return self.fields.get("pattern")

    @property
    def flags(self) -> int:
        return parse_flags(self.fields.get("flags", ""))

    def matches(self, text: str) -> bool:
        """Whether the rule matches ``text``: its pattern, else its file's own test."""
        if self.pattern is not None:
            return self.pattern.search(text) is not None
        schema = SCHEMAS[self.file.removesuffix(".toml")]
        return schema.match is not None and schema.match(self, text)


@dataclass(frozen=True)
class Lookup:
    """What a row check may ask about the other rows of its file and of other files."""

    folder: Traversable
    rows: tuple[Row, ...]

    def ids(self, name: str) -> set[str]:
        """The ids of ``name``.toml in the same folder (read, not validated: no cycles)."""
        return _raw_ids(self.folder, name)


# A row check returns the row's problems ("" entries are ignored).
RowCheck = Callable[[Row, Lookup], list[str]]


@dataclass(frozen=True)
class Schema:
    """What the rows of one file hold and mean."""

    table: str  # the table array's name, also what one row is ("stem", "endpoint")
    means: str  # what the rows are for, shown by ``biodeals rules``
    columns: Mapping[str, type] = field(default_factory=dict)  # beyond id/pattern/flags/examples/why
    required: frozenset[str] = frozenset()
    defaults: Mapping[str, Any] = field(default_factory=dict)
    match: Callable[[Row, str], bool] | None = None  # how a row without pattern meets its examples
    checks: tuple[RowCheck, ...] = ()


def parse_flags(letters: str) -> int:
    """``"im"`` -> ``re.I | re.M``; raises ``KeyError`` on an unknown letter."""
    value = 0
    for letter in letters:
        value |= _FLAGS[letter]
    return value


@cache
def _default_folder() -> Traversable:
    return resources.files(__name__)


def _folder(folder: Path | Traversable | None) -> Traversable:
    return _default_folder() if folder is None else folder


def _read(folder: Traversable, name: str) -> tuple[list[Any] | None, str | None]:
    """The file's rows as TOML tables, or the reason they cannot be read."""
    schema = SCHEMAS[name]
    try:
        data = tomllib.loads((folder / f"{name}.toml").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, "file is missing"
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        return None, f"not valid TOML: {error}"
    unknown = sorted(set(data) - {schema.table})
    if unknown:
        return None, f"unknown table(s) {unknown}; rows go in [[{schema.table}]]"
    rows = data.get(schema.table)
    if not isinstance(rows, list):
        return None, f"no [[{schema.table}]] rows"
    return rows, None


@cache
def _raw_ids(folder: Traversable, name: str) -> set[str]:
    rows, _ = _read(folder, name)
    return {row["id"] for row in rows or () if isinstance(row, dict) and isinstance(row.get("id"), str)}


def _compile(source: str, flags: str) -> tuple[re.Pattern[str] | None, str | None]:
    try:
        value = parse_flags(flags)
    except KeyError as error:
        return None, f"unknown flag {error.args[0]!r} (use {''.join(_FLAGS)})"
    try:
        re.compile(source, value)
        return fastre.compile(source, value), None
    except re.error as error:
        return None, f"pattern does not compile: {error}"


def _row(name: str, index: int, raw: Any, seen: set[str]) -> tuple[Row | None, list[str]]:
    """One row built and checked on its own (cross-references come later)."""
    schema = SCHEMAS[name]
    if not isinstance(raw, dict):
        return None, ["a row must be a table"]
    problems: list[str] = []
    columns = {**_COMMON, **schema.columns}
    for column in sorted(set(raw) - set(columns)):
        problems.append(f"unknown column {column!r} (columns: {', '.join(columns)})")
    for column in sorted(({"id"} | schema.required) - set(raw)):
        problems.append(f"required column {column!r} is missing")
    for column, value in raw.items():
        kind = columns.get(column)
        if kind is not None and not isinstance(value, kind):
            problems.append(f"column {column!r} must be a {kind.__name__}, not {type(value).__name__}")
        elif kind is list and not all(isinstance(item, str) for item in value):
            problems.append(f"column {column!r} must list strings")
    if problems:
        return None, problems
    rule_id = raw["id"]
    if rule_id in seen:
        problems.append(f"id {rule_id!r} is used by an earlier row")
    seen.add(rule_id)
    pattern = None
    if "pattern" in raw:
        pattern, problem = _compile(raw["pattern"], raw.get("flags", ""))
        if problem:
            return None, [*problems, problem]
    elif "flags" in raw:
        return None, [*problems, "flags without a pattern"]
    fields = MappingProxyType({**schema.defaults, **raw})
    row = Row(
        f"{name}.toml",
        index,
        rule_id,
        fields,
        pattern,
        tuple(raw.get("examples", ())),
        tuple(raw.get("counter_examples", ())),
    )
    if (row.examples or row.counter_examples) and pattern is None and schema.match is None:
        return row, ["examples need a pattern: rows of this file have nothing else to match them with"]
    for example in row.examples:
        if not row.matches(example):
            problems.append(f"example {example!r} is not matched")
    for counter in row.counter_examples:
        if row.matches(counter):
            problems.append(f"counter-example {counter!r} is matched")
    return row, problems


def _validate(name: str, folder: Traversable) -> tuple[tuple[Row, ...], list[RuleProblem]]:
    """The good rows of ``name``.toml and the problems of the bad ones."""
    file = f"{name}.toml"
    raws, reason = _read(folder, name)
    if reason:
        return (), [RuleProblem(file, 0, None, reason)]
    problems: list[RuleProblem] = []
    built: list[Row] = []
    seen: set[str] = set()
    for index, raw in enumerate(raws or (), start=1):
        row, found = _row(name, index, raw, seen)
        rule_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        problems.extend(RuleProblem(file, index, rule_id, problem) for problem in found)
        if row is not None:  # well-formed: its cross-references are checked too
            built.append(row)
    lookup = Lookup(folder, tuple(built))
    bad = {problem.row for problem in problems}
    good: list[Row] = []
    for row in built:
        found = [problem for check in SCHEMAS[name].checks for problem in check(row, lookup) if problem]
        problems.extend(RuleProblem(file, row.index, row.id, problem) for problem in found)
        if not found and row.index not in bad:
            good.append(row)
    problems.sort(key=lambda p: p.row)
    return tuple(good), problems


@cache
def _load(name: str, folder: Traversable) -> tuple[Row, ...]:
    rows, problems = _validate(name, folder)
    if problems:
        raise RuleError(problems)
    return rows


def load(name: str, folder: Path | Traversable | None = None) -> tuple[Row, ...]:
    """The validated rows of ``name``.toml, in file order (read once; raises :class:`RuleError`
    listing every bad row). ``folder`` is for tests: the shipped files by default."""
    if name not in SCHEMAS:
        raise ConfigError(f"no rule file {name!r} (files: {', '.join(sorted(SCHEMAS))})")
    return _load(name, _folder(folder))


def names(folder: Path | Traversable | None = None) -> list[str]:
    """The rule files: every declared one, and any other ``.toml`` file in the folder."""
    present = {p.name.removesuffix(".toml") for p in _folder(folder).iterdir() if p.name.endswith(".toml")}
    return sorted(present | set(SCHEMAS))


def check_all(folder: Path | Traversable | None = None) -> list[RuleProblem]:
    """Every problem of every rule file (never raises for bad rows)."""
    problems: list[RuleProblem] = []
    for name in names(folder):
        if name not in SCHEMAS:
            problems.append(RuleProblem(f"{name}.toml", 0, None, "no schema declares this file"))
            continue
        problems.extend(_validate(name, _folder(folder))[1])
    return problems


from biodeals.rules.schemas import MODALITIES, SCHEMAS  # noqa: E402 - the schemas use Row and Schema

__all__ = [
    "MODALITIES",
    "SCHEMAS",
    "Lookup",
    "Row",
    "RuleError",
    "RuleProblem",
    "Schema",
    "check_all",
    "load",
    "names",
    "parse_flags",
]
