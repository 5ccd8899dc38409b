"""Span types shared by the nlp steps.

A ``Mention`` is a half-open ``[start, end)`` range of character offsets into the cleaned
document text (``Document.text``); ``text`` is always ``document_text[start:end]``. Offsets are
mapped to the original text only when a record is serialised (``record.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from biodeals import fastre

Label = Literal["company", "drug", "target", "disease", "trial", "modality"]

LABELS: tuple[Label, ...] = ("company", "drug", "target", "disease", "trial", "modality")


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity in the text.

    ``key`` identifies what the mention refers to before resolution: a vocabulary entry index
    (``"v:123"``) or the normalised surface form for pattern matches (``"p:innate pharma"``).
    ``source`` names the step that found it (``"gazetteer"``, ``"pattern"``, ...).
    """

    label: Label
    start: int
    end: int
    text: str
    key: str
    source: str = "pattern"

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(slots=True)
class Entity:
    """One thing the document talks about, with every name it uses for it.

    ``name`` is the most complete name the text uses; ``aliases`` the others; ``standard_id``
    an HGNC / MONDO / UNII identifier when the vocabulary knows one. ``mentions`` are in text
    order (by start), which the range look-ups of ``ranges.py`` rely on.
    """

    label: Label
    name: str
    aliases: list[str] = field(default_factory=list)
    standard_id: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    # the starts of ``mentions``, filled by ``ranges.mention_starts`` when first needed
    starts_cache: list[int] = field(default_factory=list, init=False, repr=False, compare=False)

    def mention_starts(self) -> list[int]:
        """The starts of ``mentions``, in order (worked out once; mentions only ever grow)."""
        if len(self.starts_cache) != len(self.mentions):
            self.starts_cache = [m.start for m in self.mentions]
        return self.starts_cache

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    @property
    def in_vocabulary(self) -> bool:
        """Whether the vocabulary knows this entity (one of its mentions is keyed to an entry)."""
        return any(m.key.startswith("v:") for m in self.mentions)

    @property
    def first_offset(self) -> int:
        return min(m.start for m in self.mentions) if self.mentions else 0


_BROAD_CLASS = fastre.compile(
    r"^(?:[\w-]+ )?(?:diseases|disorders|conditions|cancers|infections)$|^(?:cancer|tumou?rs?|neoplasms?)$", re.I
)


def most_specific(entities: list[Entity]) -> list[Entity]:
    """Drop an entity whose name is contained in another's ("tumor" in "solid tumors"), and
    disease classes ("metabolic diseases", "cancer") when a specific disease is named."""
    names = [e.name.lower() for e in entities]
    kept = [e for e, n in zip(entities, names, strict=True) if not any(n != o and n.rstrip("s") in o for o in names)]
    specific = [e for e in kept if not _BROAD_CLASS.match(e.name)]
    return specific or kept
