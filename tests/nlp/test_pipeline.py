"""Whole-pipeline behaviour: registered steps, offsets into the original text, the real corpus."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biodeals.errors import ConfigError
from biodeals.ingest import ReadOptions, read_path
from biodeals.nlp import Pipeline, default_pipeline, extract_record, registered, steps
from biodeals.nlp.vocab import load_vocabulary
from tests.conftest import doc

SNAPSHOT = Path(__file__).with_name("pipeline_steps.json")


def test_pipeline_registered_steps_match_snapshot():
    # the live registry, in the default pipeline's order: a step added, renamed, reordered or
    # given other inputs or outputs shows here (update the snapshot with the change)
    live = [{"name": c.name, "requires": list(c.requires), "produces": list(c.produces)} for c in default_pipeline().components]
    assert live == json.loads(SNAPSHOT.read_text())
    assert set(default_pipeline().names) | set(steps.ALTERNATIVES) == set(registered())


def test_pipeline_runs_with_an_alternative_in_place_of_its_step():
    # the learned candidate scorer in place of the rules: the same candidates, scored by the model
    names = [next((a for a, replaced in steps.ALTERNATIVES.items() if replaced == n), n) for n in default_pipeline().names]
    text = "Eli Lilly and Company and Kestrel Therapeutics, Inc. today announced a license agreement for antibody drugs."
    annotations = Pipeline(names).annotate(doc(text), load_vocabulary())
    (candidate,) = annotations.candidates
    assert 0.0 < candidate.score < 1.0 and candidate.features["rules"]
    assert annotations.record is not None


def test_pipeline_refuses_a_step_before_what_it_needs_naming_both():
    names = default_pipeline().names
    reordered = [names[-1], *names[:-1]]  # the record step first
    with pytest.raises(ConfigError, match=r"'biodeals.record.v1' needs \['analysis'"):
        Pipeline(reordered)
    with pytest.raises(ConfigError, match=r"no component named \['biodeals.nothing.v1'\]"):
        Pipeline([*names, "biodeals.nothing.v1"])


def test_pipeline_every_step_says_what_it_is_for():
    assert all(c.about and c.produces for c in registered().values())


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
