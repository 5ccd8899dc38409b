"""Extraction never raises, whatever the text, and every span it reports slices the original.

Vocabulary terms ending in punctuation ("Eli Lilly and Co.") used to index past the end of a
text that ends with the words but not the full stop; arbitrary Unicode (combining marks,
ligatures, "ß") must keep every offset aligned as well.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biodeals.nlp import extract_record, match_gazetteer, record_spans
from biodeals.nlp.vocab import load_vocabulary
from tests.conftest import doc


def _check(original: str) -> None:
    record = extract_record(doc(original))
    for span in record_spans(record):
        assert 0 <= span["start"] <= span["end"] <= len(original)
        assert original[span["start"] : span["end"]] == span["text"]


@pytest.mark.parametrize(
    "text",
    [
        "Eli Lilly andCo",
        "Eli Lilly and Co",
        "Merck & Co",
        "Pfizer Inc",
        "Daiichi Sankyo Co., Ltd",
        "acquired by Eli Lilly and Co",
        "ﬁ Eli Lilly andCo",
        "Stra\u00dfe Eli Lilly and Co",
        "e\u0301 Eli Lilly and Co",
        "Co",
        ".",
    ],
)
def test_text_ending_in_a_company_name_without_its_full_stop(text):
    _check(text)


def test_a_term_ending_in_punctuation_still_matches_where_the_text_has_it():
    text = "Eli Lilly and Co., today"
    names = {m.text for m in match_gazetteer(text, load_vocabulary()) if m.label == "company"}
    assert "Eli Lilly and Co." in names
    assert all(m.end <= len("Eli Lilly andCo") for m in match_gazetteer("Eli Lilly andCo", load_vocabulary()))


_WORDS = st.sampled_from(
    [
        *("Eli Lilly and", "Co", "Co.", "Inc", "Inc.", "Ltd", "Merck &", "Pfizer", "Innate Pharma", "Therapeutics"),
        *("$", "$20", "million", "billion", "€5m", "US$1.2", "upfront", "milestones", "acquire", "license"),
        *("agreement", "Phase 2", "trial", "KEYNOTE-189", "PD-1", "pembrolizumab", "obesity", "said", "“", "”"),
        *("ﬁ", "ß", "ﬂ", "e\u0301", "\u0301", "\u00a0", "TGFβ", "HIF-2α", "Ⅳ", "İ", "ǅ", "①", "𝐀", "\u200b"),
        *(" ", "  ", ".", ",", "(", ")", "\n", "\n\n", "&amp;", "-", "2023", "July 14, 2023", "per share"),
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS | st.text(max_size=6), min_size=1, max_size=40).map("".join).filter(str.strip))
def test_extraction_never_raises_and_spans_are_exact(original):
    _check(original)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS, min_size=1, max_size=30).map(" ".join).filter(str.strip))
def test_extraction_of_word_salad_never_raises_and_spans_are_exact(original):
    _check(original)
