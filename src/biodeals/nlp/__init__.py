"""Pure functions from a ``Document`` to entities and the SCHEMA.md record (no I/O)."""

from biodeals.nlp.analysis import Analysis
from biodeals.nlp.components import Annotations, Component, Pipeline, component, registered
from biodeals.nlp.dates import DateMention, dateline, find_dates
from biodeals.nlp.gazetteer import longest_first, match_gazetteer
from biodeals.nlp.money import Money, find_money, parse_money
from biodeals.nlp.pipeline import annotate, default_pipeline, extract_record, recognize
from biodeals.nlp.record import record_spans
from biodeals.nlp.resolve import normalise_name, resolve_entities
from biodeals.nlp.sentences import split_sentences
from biodeals.nlp.spans import Entity, Mention
from biodeals.nlp.vocab import Vocabulary, load_vocabulary

__all__ = [
    "Analysis",
    "Annotations",
    "Component",
    "DateMention",
    "Entity",
    "Mention",
    "Money",
    "Pipeline",
    "Vocabulary",
    "annotate",
    "component",
    "dateline",
    "default_pipeline",
    "extract_record",
    "find_dates",
    "find_money",
    "load_vocabulary",
    "longest_first",
    "match_gazetteer",
    "normalise_name",
    "parse_money",
    "recognize",
    "record_spans",
    "registered",
    "resolve_entities",
    "split_sentences",
]
