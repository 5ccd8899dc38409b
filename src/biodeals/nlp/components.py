"""The extraction pipeline as named components with one job each, run in order by a ``Pipeline``.

Modelled on spaCy's ``Language.factory``: a component is registered under a versioned name
(``biodeals.deal_candidates.v1``) with what it needs and what it produces; it reads those
fields of the shared ``Annotations`` and sets the ones it produces. ``Pipeline`` checks, when it
is built, that every component finds what it needs made by one before it, so a reordered or
replaced step fails at once with a message naming both, never half-way through a document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from biodeals.errors import ConfigError
from biodeals.ingest.document import Document
from biodeals.model import Deal, Readout
from biodeals.nlp.analysis import Analysis
from biodeals.nlp.dates import DateMention
from biodeals.nlp.deals.candidates import DealCandidate
from biodeals.nlp.deals.facts import DocumentFacts
from biodeals.nlp.money import Money
from biodeals.nlp.spans import Entity, Mention
from biodeals.nlp.vocab import Vocabulary


@dataclass(slots=True)
class Annotations:
    """What the components know of one document so far. Offsets index ``document.text``
    (the cleaned text) until ``record``, whose spans index ``document.original``."""

    document: Document
    vocab: Vocabulary
    sentences: list[tuple[int, int]] = field(default_factory=list)
    known: list[Mention] = field(default_factory=list)  # vocabulary mentions
    found: list[Mention] = field(default_factory=list)  # pattern mentions, overlapping the known ones
    mentions: list[Mention] = field(default_factory=list)  # after the overlap rule
    entities: list[Entity] = field(default_factory=list)
    money: list[Money] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    published: date | None = None
    analysis: Analysis | None = None  # entities, money and dates with their look-ups
    facts: DocumentFacts | None = None  # what deal steps ask many times about the entities
    candidates: list[DealCandidate] = field(default_factory=list)
    deals: list[Deal] = field(default_factory=list)
    readouts: list[Readout] = field(default_factory=list)
    record: dict[str, Any] | None = None


Step = Callable[[Annotations], None]


@dataclass(frozen=True, slots=True)
class Component:
    """A registered step: its versioned ``name``, the ``Annotations`` fields it ``requires``
    and ``produces``, the function that runs it and what it is for (its docstring's first line)."""

    name: str
    requires: tuple[str, ...]
    produces: tuple[str, ...]
    run: Step
    about: str


_REGISTRY: dict[str, Component] = {}
_FIELDS = frozenset(Annotations.__slots__)  # type: ignore[attr-defined]
_GIVEN = ("document", "vocab")


def component(name: str, *, requires: Sequence[str] = (), produces: Sequence[str]) -> Callable[[Step], Step]:
    """Register the decorated function as the component ``name`` (``biodeals.<job>.v<N>``)."""

    def register(run: Step) -> Step:
        unknown = [f for f in (*requires, *produces) if f not in _FIELDS]
        if unknown:
            raise ConfigError(f"component {name!r}: no such annotation {unknown}; known: {sorted(_FIELDS)}")
        if name in _REGISTRY:
            raise ConfigError(f"component {name!r} is registered twice")
        about = (run.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
        _REGISTRY[name] = Component(name, tuple(requires), tuple(produces), run, about)
        return run

    return register


def registered() -> dict[str, Component]:
    """Every registered component by name, in registration order."""
    return dict(_REGISTRY)


class Pipeline:
    """Components run in order over one document at a time."""

    def __init__(self, names: Sequence[str]) -> None:
        missing = [n for n in names if n not in _REGISTRY]
        if missing:
            raise ConfigError(f"no component named {missing}; registered: {list(_REGISTRY)}")
        self.components = [_REGISTRY[n] for n in names]
        made = {*_GIVEN}
        for step in self.components:
            lacking = [f for f in step.requires if f not in made]
            if lacking:
                raise ConfigError(f"component {step.name!r} needs {lacking}, which no component before it produces")
            made.update(step.produces)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]

    def annotate(self, document: Document, vocab: Vocabulary) -> Annotations:
        """Run every component over ``document``."""
        annotations = Annotations(document, vocab)
        for step in self.components:
            step.run(annotations)
        return annotations
