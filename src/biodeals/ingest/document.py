"""The ``Document`` every reader produces, and the map from cleaned text back to the original.

Offsets everywhere in biodeals are half-open ``[start, end)`` character ranges. The nlp layer
works on ``Document.text`` (the cleaned text); ``Document.to_original`` turns such a range into a
range of ``Document.original`` (the text exactly as read), which is what evidence spans point at.
"""

from __future__ import annotations

import hashlib
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

SectionKind = Literal["about", "forward_looking", "contact", "navigation"]


@dataclass(frozen=True, slots=True)
class Edit:
    """One change made by clean-up: ``original[start:end]`` became ``replacement``."""

    start: int
    end: int
    replacement: str


class OffsetMap:
    """Maps character offsets of a cleaned text to offsets of the text it was cleaned from.

    Built from the sorted, non-overlapping edits clean-up made. Text outside edits is copied
    unchanged, so a cleaned offset maps to an original offset by a constant shift per segment;
    a range that starts or ends inside a replacement is widened to cover the whole original
    stretch that was replaced.
    """

    __slots__ = ("_clean_ends", "_clean_starts", "_edits", "_original_starts")

    def __init__(self, edits: list[Edit]) -> None:
        self._edits = edits
        self._original_starts = [edit.start for edit in edits]
        self._clean_starts: list[int] = []
        self._clean_ends: list[int] = []
        shift = 0  # cleaned offset minus original offset, before the current edit
        for edit in edits:
            clean_start = edit.start + shift
            self._clean_starts.append(clean_start)
            self._clean_ends.append(clean_start + len(edit.replacement))
            shift += len(edit.replacement) - (edit.end - edit.start)

    @property
    def edits(self) -> list[Edit]:
        return self._edits

    def start(self, position: int) -> int:
        """The original offset at which cleaned text from ``position`` onwards begins."""
        i = bisect_right(self._clean_starts, position) - 1
        if i < 0:
            return position
        edit = self._edits[i]
        if position < self._clean_ends[i]:
            return edit.start
        return position - self._clean_ends[i] + edit.end

    def end(self, position: int) -> int:
        """The original offset at which cleaned text up to ``position`` ends."""
        i = bisect_left(self._clean_starts, position) - 1
        if i < 0:
            return position
        edit = self._edits[i]
        if position <= self._clean_ends[i]:
            return edit.end
        return position - self._clean_ends[i] + edit.end

    def from_original(self, start: int, end: int) -> tuple[int, int]:
        """Map an original ``[start, end)`` range to the cleaned range (the inverse of ``span``);
        an end inside a replaced stretch takes in its whole replacement, as does a start."""
        if not self._edits:
            return start, end
        i = bisect_right(self._original_starts, start) - 1
        clean_start = start if i < 0 else (
            self._clean_starts[i] if start < self._edits[i].end else start - self._edits[i].end + self._clean_ends[i]
        )
        j = bisect_left(self._original_starts, end) - 1
        clean_end = end if j < 0 else (
            self._clean_ends[j] if end <= self._edits[j].end else end - self._edits[j].end + self._clean_ends[j]
        )
        return clean_start, max(clean_start, clean_end)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a cleaned ``[start, end)`` range to the original ``[start, end)`` range."""
        if end <= start:
            point = self.start(start)
            return point, point
        if not self._edits:
            return start, end
        return self.start(start), self.end(end)


@dataclass(frozen=True, slots=True)
class Section:
    """A stretch ``[start, end)`` of cleaned text recognised as boilerplate of some kind."""

    kind: SectionKind
    start: int
    end: int
    title: str = ""


def content_hash(text: str) -> str:
    """SHA-256 (hex) of the text after Unicode NFC normalisation and whitespace collapsing."""
    normal = " ".join(unicodedata.normalize("NFC", text).split())  # str.split() splits on what \s matches
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Document:
    """One article or press release, ready for extraction.

    ``id`` is the content hash of ``text``, so the same text read twice is the same document;
    ``name`` is the caller-facing label (a file stem or the id field of a JSON record).
    """

    text: str
    original: str
    offsets: OffsetMap
    name: str
    source: str
    title: str | None = None
    published: date | None = None
    url: str | None = None
    language: str = "und"
    sections: list[Section] = field(default_factory=list)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_hash(self.text)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original-text ``[start, end)`` for a ``[start, end)`` range of ``text``."""
        return self.offsets.span(start, end)

    def section_at(self, position: int) -> Section | None:
        """The boilerplate section containing cleaned offset ``position``, if any."""
        for section in self.sections:
            if section.start <= position < section.end:
                return section
        return None
