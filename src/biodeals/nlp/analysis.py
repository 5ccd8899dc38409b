"""What recognition found in one document: entities, money and dates, with the range look-ups
the extraction steps ask of them."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from biodeals.nlp.dates import DateMention
from biodeals.nlp.money import Money
from biodeals.nlp.spans import Entity, Label


@dataclass(slots=True)
class Analysis:
    """What recognition found in one document (offsets index ``Document.text``)."""

    entities: list[Entity] = field(default_factory=list)
    money: list[Money] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    # per label: its entities, and (mention start, entity index) pairs in text order
    _index: dict[Label, tuple[list[Entity], list[tuple[int, int]]]] = field(default_factory=dict, repr=False)
    _money_starts: list[tuple[int, int]] | None = field(default=None, repr=False)  # (start, index) sorted

    def _indexed(self, label: Label) -> tuple[list[Entity], list[tuple[int, int]]]:
        if label not in self._index:
            entities = [e for e in self.entities if e.label == label]
            starts = sorted((m.start, i) for i, e in enumerate(entities) for m in e.mentions)
            self._index[label] = (entities, starts)
        return self._index[label]

    def of(self, label: Label) -> list[Entity]:
        return list(self._indexed(label)[0])

    def within(self, label: Label, start: int, end: int) -> list[Entity]:
        """Entities of ``label`` mentioned in the cleaned-text range ``[start, end)``, in the
        order of ``of(label)``."""
        entities, starts = self._indexed(label)
        first = bisect.bisect_left(starts, (start, -1))
        last = bisect.bisect_left(starts, (end, -1), first)
        if first == last:
            return []
        return [entities[i] for i in sorted({i for _, i in starts[first:last]})]

    def money_in(self, start: int, end: int) -> list[Money]:
        """Money stated from ``[start, end)`` on (its start in the range), in the order of ``money``."""
        if self._money_starts is None:
            self._money_starts = sorted((m.start, i) for i, m in enumerate(self.money))
        first = bisect.bisect_left(self._money_starts, (start, -1))
        last = bisect.bisect_left(self._money_starts, (end, -1), first)
        return [self.money[i] for i in sorted(i for _, i in self._money_starts[first:last])]
