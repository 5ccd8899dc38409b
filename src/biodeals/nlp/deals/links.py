"""Whether the words of a deal sentence relate two of its companies to each other: partners a
collaboration word joins, and companies named together as one side."""

from __future__ import annotations

import re

from biodeals import fastre
from biodeals.nlp.ranges import mentions_in
from biodeals.nlp.spans import Entity, Mention

_LINK_TO_SECOND = fastre.compile(r"^(?:\W*|.{0,60}?\b(?:with|between|and|to|of|including)\b\W*(?:the\s+)?)$", re.S)
_JOINED = fastre.compile(r"\band\b|&")  # "A and B", "A, a ..., and B"; not the list "A, B, C"
_ENUMERATION = fastre.compile(r"^\s*(?:,|,?\s*(?:and|&|or))\s*$")
# what the second of two partners is, between its name and the verb ("B, a specialized CMO ..., today")
_APPOSITION = fastre.compile(r"(?:\s*\([^()]{0,40}\))?,\s+(?:a|an|the)\s[^.;]{0,300}?,")
_POSSESSED_PARTNER = fastre.compile(r"(?:its|their|[’']s) (?:\w+ )?partner\b")
# B the object of a collaboration of its own ("with Kelun-Biotech; and MK-5684 ... in collaboration with Orion")
_PARTNER_OF_ANOTHER = fastre.compile(r"\b(?:collaboration|partnership|alliance|partnered|partnering)\s+with\s+(?:the\s+)?$", re.I)
_CO_SUBJECTS = fastre.compile(r"\s*(?:,[^;]{0,80}?,\s*)?(?:and|&)\s*")  # "Merck, known as MSD ..., and Ridgeback"


def co_subjects(first: Entity, second: Entity, text: str, start: int, end: int) -> bool:
    """Whether the sentence names the two side by side as one subject ("Merck and Ridgeback")."""
    pairs = ((a, b) for a in mentions_in(first, start, end) for b in mentions_in(second, start, end))
    gaps = ((a.end, b.start) if a.end <= b.start else (b.end, a.start) for a, b in pairs)
    return any(lo <= hi and _CO_SUBJECTS.fullmatch(text, lo, hi) for lo, hi in gaps)


def links_partners(cue: tuple[int, int], first: Entity, second: Entity, text: str, start: int, end: int) -> bool:
    """Whether a collaboration word relates the two companies to each other: "A partnered with B",
    "A and B announced a collaboration", "a partnership between A and B", "In collaboration with
    B, A ...". Not "partnering with A, B and C" (the partner is the speaker) nor "A's drug, with
    U.S. government collaborations ongoing" (nothing joins the two). Any mention of either may
    be the one the cue relates ("a payment from AbbVie under a partnership with AbbVie")."""
    firsts, seconds = mentions_in(first, start, end), mentions_in(second, start, end)
    if not firsts or not seconds:
        return True  # a pair carried over from the sentence before ("the two companies")
    return any(_links_mentions(cue, a, b, text) for a in firsts for b in seconds)


def _links_mentions(cue: tuple[int, int], a: Mention, b: Mention, text: str) -> bool:
    a, b = sorted((a, b), key=lambda m: m.start)
    cue_start, cue_end = cue
    if a.end <= cue_start and cue_end <= b.start:  # A ... cue ... B
        if _POSSESSED_PARTNER.match(text, cue_start, cue_end) and not text[cue_end : b.start].strip():
            return True  # "Merck said ... so that it and its partner Zhifei can ...": whose partner B is
        return cue_start - a.end <= 200 and bool(_LINK_TO_SECOND.match(text[cue_end : b.start]))
    if b.end <= cue_start:  # A and B ... cue
        described = _APPOSITION.match(text, b.end, cue_start)  # "B, a specialized CMO focusing on ..., announced"
        after_b = described.end() if described else b.end
        return cue_start - after_b <= 150 and bool(_JOINED.search(text, a.end, b.start)) and b.start - a.end <= 200
    if cue_end <= a.start:  # cue ... A ... B
        between = text[cue_end : a.start]
        if _PARTNER_OF_ANOTHER.search(text, a.end, b.start):
            return False  # "*In collaboration with Seagen **In collaboration with Eisai": each its own partnership
        return "between" in between or not _ENUMERATION.match(text[a.end : b.start])
    return True
