"""The deal steps' rule data: the deal-type cues and the word lexicons of ``rules``.

``deal_cues.toml`` gives, per deal type, the patterns by which a sentence states it (rows of one
type tried as one alternation, in file order) and the anchors the sentence pre-filter looks for;
``deal_words.toml`` the lexicons the steps ask for by id.
"""

from __future__ import annotations

import re
from pathlib import Path

from biodeals import fastre, rules
from biodeals.rules import Row, RuleError, RuleProblem


def _alternation(rows: list[Row]) -> re.Pattern[str]:
    """One pattern matching where any of ``rows`` matches, leftmost first (the first row on a tie)."""
    if len(rows) == 1 and rows[0].pattern is not None:
        return rows[0].pattern
    flags = {row.get("flags", "") for row in rows}
    if len(flags) == 1:  # shared flags apply to the whole pattern, which keeps fastre's guard
        return fastre.compile("|".join(f"(?:{row['pattern']})" for row in rows), rules.parse_flags(flags.pop()))
    return fastre.compile("|".join(f"(?{row.get('flags', '')}:{row['pattern']})" for row in rows))


def deal_type_patterns(folder: Path | None = None) -> dict[str, re.Pattern[str]]:
    """Each deal type's cue pattern, in the order the file first names the types (the shipped
    rules, or those of a draft ``folder``)."""
    by_type: dict[str, list[Row]] = {}
    for row in rules.load("deal_cues", folder):
        by_type.setdefault(row["type"], []).append(row)
    return {kind: _alternation(rows) for kind, rows in by_type.items()}


def cue_anchors(folder: Path | None = None) -> tuple[str, ...]:
    """The word stems every deal cue contains (the pre-filter's automaton words)."""
    return tuple(dict.fromkeys(a.lower() for row in rules.load("deal_cues", folder) for a in row["anchors"]))


def words(rule_id: str) -> re.Pattern[str]:
    """The pattern of row ``rule_id`` of ``deal_words.toml``; a RuleError names a missing row."""
    for row in rules.load("deal_words"):
        if row.id == rule_id and row.pattern is not None:
            return row.pattern
    raise RuleError([RuleProblem("deal_words.toml", 0, rule_id, "no such row, and the deal steps need it")])
