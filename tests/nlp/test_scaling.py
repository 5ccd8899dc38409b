"""Extraction work grows linearly with the document, and the look-ups that made it so answer
exactly what the scans they replaced did (timings live in benchmarks/scaling.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from biodeals.ingest.document import Section
from biodeals.nlp import extract_record, longest_first, split_sentences
from biodeals.nlp.ranges import Cover, SectionLookup, first_mention_in, mentions_in
from biodeals.nlp.spans import Entity, Mention
from tests.conftest import doc

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "biodeals" / "data" / "samples"


def _calls(text: str) -> int:
    """Python and built-in function calls made extracting ``text``: a measure of work that,
    unlike time, does not depend on the machine or its load."""
    document = doc(text)
    count = 0

    def profile(_frame, event, _arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        extract_record(document)
    finally:
        sys.setprofile(None)
    return count


def test_extraction_work_grows_linearly_with_document_size():
    # the samples repeated: the same companies named ever more often, as in a long digest
    seed = "\n\n".join(path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("*.txt"))) + "\n\n"
    extract_record(doc(seed))  # vocabulary loaded outside the count
    small, large = _calls(seed * 4), _calls(seed * 16)
    assert large / small < 4.4, f"4x the text took {large / small:.1f}x the calls"


_RANGES = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30)).map(lambda r: (r[0], r[0] + r[1])), max_size=12)


@given(_RANGES, st.integers(-2, 95), st.integers(0, 10))
def test_cover_answers_as_a_scan_of_its_ranges(ranges, position, length):
    cover = Cover(ranges)
    assert cover.covers(position) == any(s <= position < e for s, e in ranges)
    end = position + length
    assert cover.contains(position, end) == any(s <= position and end <= e for s, e in ranges)


@given(st.lists(st.integers(0, 80), max_size=15), st.integers(-2, 90), st.integers(0, 30))
def test_mentions_in_answers_as_a_scan_of_the_mentions(starts, start, length):
    mentions = [Mention("company", s, s + 3, "abc", "p:abc") for s in sorted(starts)]
    entity = Entity("company", "Abc", mentions=mentions)
    end = start + length
    expected = [m for m in mentions if start <= m.start < end]
    assert mentions_in(entity, start, end) == expected
    assert first_mention_in(entity, start, end) == (expected[0] if expected else None)
    entity.mentions.append(Mention("company", 200, 203, "abc", "p:abc"))  # mentions only grow
    assert mentions_in(entity, 199, 201) == [entity.mentions[-1]]


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(-3, 30)), max_size=8), st.integers(-1, 95))
def test_section_lookup_answers_as_section_at(bounds, position):
    sections = [Section("about", s, s + n) for s, n in bounds]
    expected = next((s for s in sections if s.start <= position < s.end), None)
    assert SectionLookup(sections).at(position) == expected
    # the reader's sections: sorted, each running to the next
    starts = sorted({s for s, _ in bounds})
    tiled = [Section("about", a, b) for a, b in zip(starts, [*starts[1:], 100], strict=False)]
    assert SectionLookup(tiled).at(position) == next((s for s in tiled if s.start <= position < s.end), None)



def _split_by_copying(text: str) -> list[tuple[int, int]]:
    """``split_sentences`` as it was written before it read tokens backwards (the reference)."""
    from biodeals.nlp.sentences import _ABBREVIATIONS as abbreviations
    from biodeals.nlp.sentences import _BOUNDARY

    spans, start = [], 0
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.start()]
        token = before.rsplit(None, 1)[-1].rstrip(".!?\"'”’)]").lower() if before.strip() else ""
        list_item = "\n" in match.group() and text[match.end() : match.end() + 1] in ("*", "•", "-")
        if not list_item and (
            (match.group().strip() == "" and token in abbreviations) or (len(token) == 1 and "a" <= token <= "z")
        ):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


_PIECES = st.sampled_from(["A.", "b.", "Inc.", "Co.", "Dr.", "U.S.", "Jan.", "Lilly", "said", ".", "!", "?", "”", ")"])
_GAPS = st.sampled_from([" ", "  ", "   ", "\n", "\n\n", "\u00a0", "\u2003", " * ", " ** ", "# ", "\n* ", "; * ", ""])


@settings(max_examples=300)
@given(st.lists(st.tuples(_PIECES | st.text(max_size=4), _GAPS), max_size=30))
def test_split_sentences_reads_the_same_boundaries(parts):
    text = "".join(piece + gap for piece, gap in parts)
    assert split_sentences(text) == _split_by_copying(text)


_MENTIONS = st.lists(
    st.tuples(
        st.sampled_from(["company", "drug", "target"]), st.integers(0, 40), st.integers(1, 8), st.integers(0, 3)
    ).map(lambda t: Mention(t[0], 1000 + t[1], 1000 + t[1] + t[2], "x" * t[2], f"v:{t[3]}")),
    max_size=12,
)


@given(_MENTIONS)
def test_longest_first_keeps_what_a_whole_text_bitmap_kept(mentions):
    ranked = sorted(mentions, key=lambda m: (-m.length, ["company", "drug", "target"].index(m.label), m.start))
    occupied, kept = bytearray(1100), []
    for m in ranked:
        if not any(occupied[m.start : m.end]):
            kept.append(m)
            occupied[m.start : m.end] = b"\x01" * m.length
    assert longest_first(mentions) == sorted(kept, key=lambda m: m.start)


def test_section_look_ups_of_two_threads_do_not_mix():
    """Each thread keeps the look-up of its own document: another thread asking about another
    document in between (or at the same time) leaves it in place."""
    import threading

    from biodeals.nlp import ranges

    first = doc("Intro text here.\n\nAbout Acme\nAcme makes drugs.\n", name="a")
    second = doc("Only one paragraph and no sections at all, long enough to hold the position.", name="b")
    position = first.text.index("Acme makes")
    assert ranges.section_at(first, position) == first.section_at(position) is not None
    other = threading.Thread(target=ranges.section_at, args=(second, position))
    other.start()
    other.join()
    assert ranges._LAST.sections is first.sections  # this thread's look-up was not replaced
    assert ranges.section_at(first, position) == first.section_at(position)
