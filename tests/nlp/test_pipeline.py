"""Whole-pipeline behaviour: registered steps, offsets into the original text, the real corpus."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biodeals.ingest import ReadOptions, read_path
from biodeals.nlp import PIPELINE_STEPS, extract_record
from tests.conftest import doc

SNAPSHOT = Path(__file__).with_name("pipeline_steps.json")


def test_pipeline_registered_steps_match_snapshot():
    assert list(PIPELINE_STEPS) == json.loads(SNAPSHOT.read_text())


def _all_spans(record):
    for group in ("companies", "assets", "targets", "indications", "trials"):
        for entity in record["entities"][group]:
            yield from entity["mentions"]
    yield from record["entities"]["money"]


def test_pipeline_offsets_point_into_the_original_text_of_scraped_input():
    original = (
        "INDIANAPOLISandTOKYO,July 14, 2023 -- Eli Lilly and Company and Innate Pharma agreed a payment "
        "of$20 millionand royalties for IMP321 in non-small cell lung cancer.&quot;Innate is pleased,&quot; saidRuth."
    )
    record = extract_record(doc(original))
    spans = list(_all_spans(record))
    assert {s["text"] for s in spans} >= {"Eli Lilly and Company", "Innate Pharma", "$20 million", "IMP321"}
    for span in spans:
        assert original[span["start"] : span["end"]] == span["text"]


WORDS = st.sampled_from(
    ["Sanofi", "Innate Pharma", "of$20 millionand", "&amp;", "PD-1", "pembrolizumab", "obesity", "Lilly", "said",
     "Ruth", "INDIANAPOLISandTOKYO", "KEYNOTE-189", "trial", "€5m", "\u00a0", " ", ".", "the", "MK-3475"]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=30).map(" ".join).filter(str.strip))
def test_pipeline_every_span_slices_the_original(original):
    record = extract_record(doc(original))
    for span in _all_spans(record):
        assert original[span["start"] : span["end"]] == span["text"]
        assert span["text"].strip()


@pytest.mark.corpus
def test_pipeline_dev_corpus_spans_are_exact(dev_corpus):
    for path in sorted(dev_corpus.glob("*.txt")):
        document = next(read_path(path, ReadOptions()))
        record = extract_record(document)
        assert record["id"] == path.stem
        for span in _all_spans(record):
            assert document.original[span["start"] : span["end"]] == span["text"], path.name
