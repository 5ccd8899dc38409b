"""The deal rule files: each cue row's examples state its deal type through the real cue step
and pass the sentence pre-filter; a new way of stating a deal is one row; bad rows are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from biodeals import rules
from biodeals.nlp.deals.cues import cue_positions, type_matches
from biodeals.nlp.deals.words import cue_anchors, deal_type_patterns, words


def _cue_rows() -> list:
    return [pytest.param(row, id=f"deal_cues:{row.id}") for row in rules.load("deal_cues")]


@pytest.mark.parametrize("row", _cue_rows())
def test_deal_cue_examples_state_their_type_through_the_cue_step(row: rules.Row):
    for example in row.examples:
        assert cue_positions(example), f"the pre-filter finds no anchor in {example!r}"
        assert row["type"] in type_matches(example, 0), example
    for counter in row.counter_examples:
        assert row["type"] not in type_matches(counter, 0), counter


AMALGAMATE = """
[[cue]]
id = 'acquisition.amalgamate'
type = 'acquisition'
means = 'two companies joined into one'
pattern = '''\\bamalgamat(?:e|es|ed|ing|ion)\\b'''
flags = 'i'
anchors = ['amalgamat']
examples = ['agreed to amalgamate with Beta']
counter_examples = ['an amalgam filling']
"""


def test_a_new_deal_cue_is_one_row_and_its_anchor_joins_the_pre_filter(folder: Path):
    path = folder / "deal_cues.toml"
    path.write_text(path.read_text(encoding="utf-8") + AMALGAMATE, encoding="utf-8")
    assert rules.check_all(folder) == []
    acquisition = deal_type_patterns(folder)["acquisition"]
    assert acquisition.search("Acme agreed to amalgamate with Beta")
    assert acquisition.search("Lilly to acquire Verve")  # the type's other rows still hold
    assert "amalgamat" in cue_anchors(folder) and "amalgamat" not in cue_anchors()


def test_bad_deal_cue_rows_are_named_with_file_row_and_problem(folder: Path):
    (folder / "deal_cues.toml").write_text(
        AMALGAMATE.replace("type = 'acquisition'", "type = 'merger'").replace(
            "anchors = ['amalgamat']", "anchors = ['sell']"
        ),
        encoding="utf-8",
    )
    problems = [str(p) for p in rules.check_all(folder) if p.file == "deal_cues.toml"]
    assert any("row 1" in p and "type 'merger' is not a deal type" in p for p in problems), problems
    assert any("row 1" in p and "holds none of its anchors" in p for p in problems), problems


def test_a_deal_word_the_steps_need_but_the_file_lacks_is_a_rule_error():
    with pytest.raises(rules.RuleError, match=r"deal_words\.toml.*'status\.postponed'.*no such row"):
        words("status.postponed")
