"""Each heading row of rules/sections.toml opens a section of its kind in a real text."""

from __future__ import annotations

import pytest

from biodeals import rules
from biodeals.ingest.cleanup import find_sections


@pytest.mark.parametrize("row", [pytest.param(r, id=f"sections:{r.id}") for r in rules.load("sections")])
def test_section_heading_examples_open_a_section_of_their_kind(row: rules.Row):
    for example in row.examples:
        text = "Acme announced a deal today.\n\n" + example + "\nMore text follows here."
        kinds = [s.kind for s in find_sections(text)]
        assert row["kind"] in kinds, (example, kinds)
    for counter in row.counter_examples:
        text = "Acme announced a deal today.\n\n" + counter + "\nMore text follows here."
        assert row["kind"] not in [s.kind for s in find_sections(text)], counter
