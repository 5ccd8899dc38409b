"""The first-character guards of ``biodeals.fastre`` never change what a pattern matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biodeals.ingest
import biodeals.nlp  # noqa: F401 - compiles every pattern of the pipeline
from biodeals import fastre

# Words the pipeline's patterns look for, in several cases, so random texts hit real matches.
_WORDS = [
    "acquire",
    "Acquisition",
    "merger",
    "license",
    "LICENSE",
    "option to license",
    "collaboration",
    "Therapeutics",
    "Pharma",
    "Inc.",
    "Ltd.",
    "(NASDAQ: ABC)",
    "Phase",
    "2b",
    "study",
    "trial",
    "ORR",
    "PFS",
    "HR",
    "0.62",
    "47%",
    "months",
    "$",
    "US$",
    "26.6",
    "million",
    "billion",
    "July",
    "14,",
    "2023",
    "2016",
    "Series",
    "B",
    "equity",
    "investment",
    "in",
    "Acme",
    "the",
    "and",
    "of",
    "said",
    "MK-0616",
    "NCT01234567",
    "KEYTRUDA®",
    "pembrolizumab",
    "inhibitor",
    "About",
    "Forward-Looking",
    "Statements",
    "Contact:",
    "&amp;",
    "\u00a0",
    "customer",
    "Ruth",
    "rates.The",
    "supply",
    "CDMO",
    "manufacture",
    "royalties",
    "upfront",
    "milestone",
    "antagonist",
    "agonists",
    "platform",
    "programme",
    "Co., Ltd.",
    "Inc.5",
    "Biotechnology",
    "Venture Fund",
    "Ltd",
    "Media Contact:",
    "SOURCE Acme Inc",
    "cautionary note",
    "SAFE HARBOR STATEMENT",
    "This press release contains forward",
    "ofUS$5",
    "aAU$",
    "clinical",
    "trials",
    "Phase I",
    "therapeutic",
    "biotechs",
    "IND",
    "NDA",
    "BLA",
    "FDA",
    "EMA",
    "Investor Relations",
    "Press Inquiries",
    "C$9",
    "€1.2bn",
    "RMB 30 million yuan",
    "Rs. 5 crore",
    "HK$ 2",
]
_TEXT = st.lists(
    st.one_of(st.sampled_from(_WORDS), st.text(alphabet="aAzZ09 ,.;:-()$%\n'’", max_size=4)),
    max_size=40,
).map(" ".join)


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], ...]]:
    return [tuple(m.span(g) for g in range(pattern.groups + 1)) for m in pattern.finditer(text)]


def test_the_pipeline_patterns_are_guarded() -> None:
    guarded = [source for source, flags, pattern in fastre.compiled() if pattern.pattern != source]
    assert len(guarded) > 40  # the mechanism is in use, not silently falling back


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_guarded_patterns_match_exactly_what_the_plain_ones_do(text: str) -> None:
    for source, flags, pattern in fastre.compiled():
        plain = re.compile(source, flags)
        assert _spans(pattern, text) == _spans(plain, text), source


@pytest.mark.parametrize(
    ("source", "flags", "guard"),
    [
        (r"\b(?:acquire|merger)\b", re.I, r"(?=[AMam][CEce])"),
        (r"(?<!customer )\bbuy", 0, r"(?=[b][u])"),
        (r"(?:US)?\$\d", 0, r"(?=[$U][S\d])"),
        (r"\b(?:ab|c)x?", 0, r"(?=[ac])"),  # "c" may be the whole match: no second character to test
        (r"x{2,}y", 0, ""),  # a run of one class is tested by the engine as it is
        (r"[a-z]+", 0, ""),  # the engine already skips to a character class
        (r"(?:Jan|Feb)\s\d", 0, ""),  # ... and to a choice of literals
        (r"x?", 0, ""),  # may match empty: no character is required
        (r".foo", 0, ""),  # any character: nothing to gain
        (r"(?:[A-Z]\w+|[a-z]+[A-Z])\b", 0, ""),  # nearly any letter: the test would cost more than it saves
        (r"^(?:NCT|EU)\d", 0, ""),  # anchored: tried at one position only
    ],
)
def test_guard_for_names_the_possible_first_characters(source: str, flags: int, guard: str) -> None:
    expected = re.sub(r"\\U([0-9a-f]{8})", lambda m: chr(int(m.group(1), 16)), fastre.guard_for(source, flags))
    assert expected == guard


_LITERAL_SETS = [
    (("inhibitor", "antagonist", "agonist", "antibod"), False),
    (("program", "programme", "platform"), True),
    (("Inc.", "Inc", "Ltd.", "Ltd", "Co., Ltd.", "Co.", "A/S"), True),
    (("Bio", "Biotech", "Biotechnology", "Venture Fund", "Fund"), True),
]


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_literals_find_what_the_alternation_finds(text: str) -> None:
    for strings, whole_words in _LITERAL_SETS:
        alternation = "|".join(map(re.escape, strings))
        pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)" if whole_words else alternation)
        assert fastre.Literals(strings, whole_words).spans(text) == [m.span() for m in pattern.finditer(text)]


def test_literals_choose_as_the_alternation_does() -> None:
    # the earlier-listed string wins at one position; a failed word boundary falls back to a shorter one
    assert fastre.Literals(("agonist", "antagonist", "ant")).spans("antagonists") == [(0, 10)]
    assert fastre.Literals(("ant", "antagonist", "agonist")).spans("antagonists") == [(0, 3), (3, 10)]
    assert fastre.Literals(("Inc.", "Inc"), whole_words=True).spans("Acme Inc.5 and Inc") == [(5, 8), (15, 18)]
    assert fastre.Literals(("Fund",), whole_words=True).spans("Refund Fund Funds") == [(7, 11)]


def test_the_pipeline_uses_anchored_patterns() -> None:
    assert len(fastre.anchored()) >= 4


# the anchors themselves begin many matches ("BLA" is one of the life-science words)
_ANCHORED_TEXT = st.lists(
    st.one_of(
        st.sampled_from(_WORDS),
        st.sampled_from(sorted({a for p in fastre.anchored() for a in p.anchors.strings})),
        st.text(alphabet="aAzZ09 ,.;:-()$%\n'’", max_size=4),
    ),
    max_size=40,
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(_ANCHORED_TEXT)
def test_anchored_patterns_match_exactly_what_the_plain_ones_do(text: str) -> None:
    for anchored in fastre.anchored():
        plain = anchored.pattern
        assert [m.span() for m in anchored.finditer(text)] == [m.span() for m in plain.finditer(text)], plain.pattern


@pytest.mark.parametrize("text", [" ".join(_WORDS), *_WORDS, *(f"a{word}1" for word in _WORDS)])
def test_anchored_patterns_find_in_the_sample_words_what_the_plain_ones_do(text: str) -> None:
    for anchored in fastre.anchored():
        plain = anchored.pattern
        assert [m.span() for m in anchored.finditer(text)] == [m.span() for m in plain.finditer(text)], plain.pattern


def test_an_anchored_pattern_misses_matches_that_begin_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    # the test above can fail: a match that begins with no anchor is not found
    monkeypatch.setattr(fastre, "_ANCHORED", [])
    anchored = fastre.Anchored(r"\d+ mg", anchors=("1",))
    assert [m.group() for m in anchored.finditer("10 mg and 20 mg")] == ["10 mg"]
