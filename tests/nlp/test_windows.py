"""Very long documents are read in windows: the windows tile the text, cut at breaks, and the
joined record points at the original text exactly and holds every window's findings."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from biodeals.nlp import annotate, record_spans
from biodeals.nlp.windows import extract_in_windows, window_bounds
from tests.conftest import doc

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "biodeals" / "data" / "samples"


def _extract(part):
    return annotate(part).record


@given(st.text(alphabet="ab .\n", max_size=400), st.integers(4, 60))
def test_window_bounds_tile_the_text_within_the_size(text, size):
    bounds = window_bounds(text, size)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(end == next_start for (_, end), (next_start, _) in pairwise(bounds))
    assert all(end - start <= size for start, end in bounds)


def test_window_bounds_cut_after_a_paragraph_break_in_preference_to_a_line_or_sentence():
    text = "First one. Still first.\n\nSecond part.\nMore. " + "x" * 20
    bounds = window_bounds(text, 40)
    assert text[: bounds[0][1]].endswith("\n\n")


def test_a_long_document_in_windows_points_exactly_and_keeps_every_window_findings():
    # markup-free samples joined with Windows line ends: clean-up edits the text, so cleaned and
    # original offsets differ and a window's spans must map through the whole document's map
    text = "\r\n\r\n".join(path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("*.txt")))
    document = doc((text + "\r\n\r\n") * 3)
    size = len(document.text) // 5
    record = extract_in_windows(document, _extract, size)
    whole = _extract(document)
    for span in record_spans(record):
        assert document.original[span["start"] : span["end"]] == span["text"]
    # every window's deals and readouts are kept; one pass over the whole finds none they lack
    assert len(record["deals"]) >= len(whole["deals"]) - 1 > 0  # one deal may straddle a cut
    assert len(record["readouts"]) >= len(whole["readouts"]) - 1
    for group in ("companies", "assets", "targets", "indications", "trials"):
        names = [entity["name"] for entity in record["entities"][group]]
        assert len(names) == len(set(names)), f"{group} merged by name"
    # the company named most often is one entity, with its mentions from every window (a window
    # that lacks the full name's first mention may link a shorter stretch: "Corvexa" of a headline)
    most = max(whole["entities"]["companies"], key=lambda e: len(e["mentions"]))
    merged = next(e for e in record["entities"]["companies"] if e["name"] == most["name"])
    assert [m["start"] for m in merged["mentions"]] == [m["start"] for m in most["mentions"]]
    assert record["published"] == whole["published"] and record["id"] == whole["id"]


def test_a_document_shorter_than_a_window_is_read_in_one_pass():
    document = doc((SAMPLES / sorted(p.name for p in SAMPLES.glob("*.txt"))[0]).read_text(encoding="utf-8"))
    assert extract_in_windows(document, _extract) == _extract(document)


def test_a_window_naming_a_company_by_its_short_name_alone_links_it_as_one_pass_would():
    first = (
        "Corvexa Biosciences, Inc. (NASDAQ: CRVX) today announced that it will acquire Lumiera Bio for $640 million "
        "in cash. Corvexa expects to close the acquisition in the third quarter.\n\n"
    )
    second = "Shareholders of Lumiera approved the merger. Corvexa will fund it from cash on hand; CorvexaX is no name.\n"
    document = doc(first + second)
    record = extract_in_windows(document, _extract, len(first) + 10)
    (corvexa,) = [c for c in record["entities"]["companies"] if c["name"].startswith("Corvexa")]
    linked = [m["start"] for m in corvexa["mentions"]]
    assert document.original.index("Corvexa will fund") in linked
    assert document.original.index("CorvexaX") not in linked  # a longer word is no mention of the name
    assert all(document.original[m["start"] : m["end"]] == m["text"] for m in corvexa["mentions"])
