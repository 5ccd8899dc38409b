"""Range look-ups by binary search, so extraction time stays linear in the document's size.

A long document (a digest of many releases, a scraped page of news) names the same companies
hundreds of times and has hundreds of sentences and sections; scanning every mention for every
sentence, or every section for every position, made a 4 MB text take seventy times as long as a
1 MB one. These helpers answer the same questions in logarithmic time.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable

from biodeals.ingest.document import Document, Section
from biodeals.nlp.spans import Entity, Mention


def mentions_in(entity: Entity, start: int, end: int) -> list[Mention]:
    """The entity's mentions that start in ``[start, end)``, in text order."""
    starts = entity.mention_starts()
    first = bisect.bisect_left(starts, start)
    return entity.mentions[first : bisect.bisect_left(starts, end, first)]


def first_mention_in(entity: Entity, start: int, end: int) -> Mention | None:
    """The entity's first mention that starts in ``[start, end)``, if any."""
    starts = entity.mention_starts()
    index = bisect.bisect_left(starts, start)
    return entity.mentions[index] if index < len(starts) and starts[index] < end else None


class Cover:
    """A set of ``[start, end)`` ranges (overlapping or not, in any order) asked whether one of
    them holds a position or a whole range."""

    __slots__ = ("_max_ends", "_starts")

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(ranges)
        self._starts = [start for start, _ in ordered]
        self._max_ends: list[int] = []  # the furthest end of the ranges up to each index
        furthest = -(2**63)
        for _, end in ordered:
            furthest = max(furthest, end)
            self._max_ends.append(furthest)

    def _furthest_end(self, position: int) -> int | None:
        """The furthest end among the ranges starting at or before ``position`` (None if none)."""
        index = bisect.bisect_right(self._starts, position)
        return self._max_ends[index - 1] if index else None

    def covers(self, position: int) -> bool:
        """Whether some range has ``start <= position < end``."""
        furthest = self._furthest_end(position)
        return furthest is not None and furthest > position

    def contains(self, start: int, end: int) -> bool:
        """Whether some range has ``range_start <= start`` and ``end <= range_end``."""
        furthest = self._furthest_end(start)
        return furthest is not None and furthest >= end


class SectionLookup:
    """``Document.section_at`` for many positions: the first section that holds a position.
    The reader's sections are sorted and disjoint, so a binary search finds the only one; any
    other list is scanned as ``section_at`` does."""

    __slots__ = ("_disjoint", "_ends", "_sections", "_starts")

    def __init__(self, sections: list[Section]) -> None:
        self._sections = [s for s in sections if s.start < s.end]  # an empty one holds nothing
        self._starts = [s.start for s in self._sections]
        self._ends = [s.end for s in self._sections]
        self._disjoint = all(a.end <= b.start for a, b in zip(self._sections, self._sections[1:], strict=False))

    def at(self, position: int) -> Section | None:
        if not self._disjoint:
            return next((s for s in self._sections if s.start <= position < s.end), None)
        index = bisect.bisect_right(self._starts, position) - 1
        if index >= 0 and position < self._ends[index]:
            return self._sections[index]
        return None


class _LastLookup(threading.local):
    """The section look-up of the document a thread last asked about (one per thread: two
    threads extracting at once must not read each other's)."""

    key: tuple[int, int] | None = None
    sections: list[Section] | None = None
    lookup: SectionLookup | None = None


_LAST = _LastLookup()


def section_at(document: Document, position: int) -> Section | None:
    """``document.section_at(position)`` in logarithmic time (the look-up of the document last
    asked about in this thread is kept)."""
    sections = document.sections
    if _LAST.sections is not sections or _LAST.key != (id(sections), len(sections)) or _LAST.lookup is None:
        _LAST.sections, _LAST.key, _LAST.lookup = sections, (id(sections), len(sections)), SectionLookup(sections)
    return _LAST.lookup.at(position)
