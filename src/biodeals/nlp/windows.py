"""Very long documents are extracted in independent windows, so cost is proportional to size.

A press release is a few thousand characters, the longest of the bulk corpus's 26,000 releases
about 66,000; what runs to megabytes is a digest or a concatenation of many articles, and no deal
or readout is stated across 128 KB of text. Each window is cut at a paragraph break (else a line
break, else a sentence end) and read as a document of its own whose offsets map through the
whole document's offset map; the windows' records are then joined, entities of the same name
merged, so the record has the shape and the exact evidence spans a single pass would give. A
company a window names only by its short name ("Corvexa", its full name being in another window)
is found again by the names the other windows know it by, as one pass over the whole would.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from datetime import date
from typing import Any

import ahocorasick_rs

from biodeals.ingest.document import Document, OffsetMap, Section
from biodeals.nlp.dates import find_dates, publication_date

WINDOW_CHARS = 131_072
"""The longest text extracted in one pass (characters); longer ones go in windows of about this size."""

_BREAKS = ("\n\n", "\n", ". ")
_NAMED_GROUPS = ("companies", "assets", "targets", "indications", "trials")  # the groups whose entities have mentions


def window_bounds(text: str, size: int = WINDOW_CHARS) -> list[tuple[int, int]]:
    """``[start, end)`` ranges covering ``text`` in order, each at most ``size`` characters and
    cut after the last paragraph break (else line break, else sentence end) in its second half."""
    bounds, start = [], 0
    while len(text) - start > size:
        limit = start + size
        cut = next((at + len(b) for b in _BREAKS if (at := text.rfind(b, start + size // 2, limit)) >= 0), limit)
        bounds.append((start, cut))
        start = cut
    bounds.append((start, len(text)))
    return bounds


class _ShiftedOffsets(OffsetMap):
    """The offset map of a window: window offsets shifted to document offsets, then mapped."""

    __slots__ = ("_base", "_parent")

    def __init__(self, parent: OffsetMap, base: int) -> None:
        super().__init__([])
        self._parent, self._base = parent, base

    def start(self, position: int) -> int:
        return self._parent.start(position + self._base)

    def end(self, position: int) -> int:
        return self._parent.end(position + self._base)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self._parent.span(start + self._base, end + self._base)


def _window(document: Document, start: int, end: int, published: date | None) -> Document:
    sections = [
        Section(s.kind, max(s.start, start) - start, min(s.end, end) - start, s.title)
        for s in document.sections
        if s.start < end and s.end > start
    ]
    return Document(
        text=document.text[start:end],
        original=document.original,
        offsets=_ShiftedOffsets(document.offsets, start),
        name=document.name,
        source=document.source,
        title=document.title,
        published=published,
        url=document.url,
        language=document.language,
        sections=sections,
        id=document.id,
    )


def _merge_entities(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The windows' entity sections as one: entities of a group merged by name (aliases and
    mentions joined in text order), modalities united, money mentions concatenated."""
    merged: dict[str, Any] = {}
    for group in records[0]["entities"]:
        if group == "modalities":
            merged[group] = sorted({m for r in records for m in r["entities"][group]})
            continue
        if group == "money":
            merged[group] = [m for r in records for m in r["entities"][group]]
            continue
        by_name: dict[str, dict[str, Any]] = {}
        for record in records:
            for entity in record["entities"][group]:
                kept = by_name.get(entity["name"])
                if kept is None:
                    by_name[entity["name"]] = {**entity, "aliases": list(entity["aliases"])}
                    continue
                kept["aliases"] += [a for a in entity["aliases"] if a not in kept["aliases"]]
                kept["id"] = kept["id"] or entity["id"]
                kept["mentions"] = kept["mentions"] + entity["mentions"]
        merged[group] = list(by_name.values())
    return merged


def _relink_companies(document: Document, entities: dict[str, Any]) -> None:
    """Add to each company the mentions of its names (name and aliases, each naming that company
    alone) that no entity's mention covers yet: what a window could not link for want of the
    full name it saw in another one."""
    companies = entities["companies"]
    owners: dict[str, int | None] = {}
    for index, company in enumerate(companies):
        for name in {company["name"], *company["aliases"]}:
            if len(name) >= 3:
                owners[name] = index if owners.get(name, index) == index else None  # shared: no one's
    names = [name for name, owner in owners.items() if owner is not None]
    if not names:
        return
    named = (e for group in _NAMED_GROUPS for e in entities.get(group, ()))
    taken = sorted((m["start"], m["end"]) for entity in named for m in entity["mentions"])
    starts = [start for start, _ in taken]
    text = document.text  # cleaned: no name inside markup; mentions point into the original
    automaton = ahocorasick_rs.AhoCorasick(names, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    for which, clean_start, clean_end in automaton.find_matches_as_indexes(text):
        if (clean_start and text[clean_start - 1].isalnum()) or (clean_end < len(text) and text[clean_end].isalnum()):
            continue  # part of a longer word
        start, end = document.to_original(clean_start, clean_end)
        at = bisect.bisect_right(starts, start) - 1
        if (at >= 0 and taken[at][1] > start) or (at + 1 < len(taken) and taken[at + 1][0] < end):
            continue  # inside, or across, a mention of something
        company = companies[owners[names[which]]]  # type: ignore[index]
        company["mentions"].append({"start": start, "end": end, "text": document.original[start:end]})
    for company in companies:
        company["mentions"].sort(key=lambda m: m["start"])


def extract_in_windows(
    document: Document, extract: Callable[[Document], dict[str, Any]], size: int | None = None
) -> dict[str, Any]:
    """``extract(document)``, or for a text longer than ``size`` the joined records of
    ``extract`` over its windows (``size`` defaults to ``WINDOW_CHARS``; all dated by the whole document's publication date)."""
    bounds = window_bounds(document.text, size or WINDOW_CHARS)
    if len(bounds) == 1:
        return extract(document)
    published = document.published or publication_date(find_dates(document.text))
    records = [extract(_window(document, start, end, published)) for start, end in bounds]
    first = records[0]
    entities = _merge_entities(records)
    if "companies" in entities:
        _relink_companies(document, entities)
    return {
        **first,
        "deals": [deal for r in records for deal in r["deals"]],
        "readouts": [readout for r in records for readout in r["readouts"]],
        "entities": entities,
    }
