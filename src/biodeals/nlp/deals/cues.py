"""Deal cues: the words by which a sentence states a deal of each type, and the tests that
set aside cue words that state none (part of a name, a description, a quote, a wish)."""

from __future__ import annotations

import bisect
import re

import ahocorasick_rs

from biodeals import fastre
from biodeals.nlp.analysis import Analysis
from biodeals.nlp.deals.words import cue_anchors, deal_type_patterns, words
from biodeals.nlp.ranges import mentions_in
from biodeals.nlp.spans import Entity

DEAL_TYPES: dict[str, re.Pattern[str]] = deal_type_patterns()
"""Each deal type's cue pattern (``rules/deal_cues.toml``)."""
# Word stems every deal cue contains; one Aho-Corasick pass finds the few sentences worth the
# deal-type patterns (most sentences of a release have none).
_CUE_STEMS = cue_anchors()
_CUE_AUTOMATON = ahocorasick_rs.AhoCorasick(_CUE_STEMS)


def cue_positions(text: str) -> list[int]:
    """Sorted offsets of the last characters of deal-cue stems in ``text`` (case-insensitive)."""
    return [end - 1 for _, _, end in _CUE_AUTOMATON.find_matches_as_indexes(text.lower(), overlapping=True)]


def any_within(positions: list[int], start: int, end: int) -> bool:
    """Whether the sorted ``positions`` hold one in ``[start, end)``."""
    index = bisect.bisect_left(positions, start)
    return index < len(positions) and positions[index] < end


# A cue inside a wider cue of another type states that type: "license" in "an option to license"
# states the option, "acquisition" in "the acquisition of its manufacturing operations" an asset purchase.
_STATED_BY_WIDER = (("license", "option"), ("acquisition", "asset_purchase"))


def type_matches(text: str, offset: int) -> dict[str, tuple[int, int]]:
    """The first words of ``text`` (which starts at ``offset``) stating each deal type; a cue
    word inside a wider cue of another type (``_STATED_BY_WIDER``) is not its own type's."""
    found = {kind: match.span() for kind, pattern in DEAL_TYPES.items() if (match := pattern.search(text))}
    for inner, wider in _STATED_BY_WIDER:
        if inner in found and wider in found:
            spans = [m.span() for m in DEAL_TYPES[wider].finditer(text)]
            outside = (m for m in DEAL_TYPES[inner].finditer(text) if not any(s <= m.start() < e for s, e in spans))
            match = next(outside, None)
            if match:
                found[inner] = match.span()
            else:
                del found[inner]
    return {kind: (offset + start, offset + end) for kind, (start, end) in found.items()}


_INVESTEE_NEXT = fastre.compile(
    r"\b(?:in|from|by)\s+(?:the (?:common )?shares of )?$|founded (?:in \d{4} )?by\s*$", re.I
)
# "Phlow Corp., a contract development and manufacturing organization (CDMO), has closed ..." and
# "AGC Biologics is a leading global CDMO": the words between a company and a cue describe it
_APPOSITION_SO_FAR = fastre.compile(r"^[’']?s?(?:,|\s+is)\s+(?:a|an)\s+[^,;.()]{0,120}$")


def _describes_company(span: tuple[int, int], names: list[tuple[int, int]], text: str) -> bool:
    """Whether a deal cue is part of the description of a company named just before it."""
    before = [end for _, end in names if end <= span[0]]
    return bool(before) and bool(_APPOSITION_SO_FAR.match(text[max(before) : span[0]]))


def _names_investee(span: tuple[int, int], companies: list[Entity], text: str) -> bool:
    """Whether an equity cue that ends before a name ("investment in Acme") is followed by a
    company ("investment in NK cells" is not an equity deal)."""
    start, end = span
    if not _INVESTEE_NEXT.search(text, start, end):
        return True
    return any(mentions_in(c, end, end + 5) for c in companies)


_WORD = fastre.compile(r"[A-Za-z][\w&-]*")
# "Upon closing, the acquisition will broaden ...": a deal word that refers back to the deal the
# text states elsewhere, naming neither what is bought nor what kind of deal it is
_REFERS_BACK = fastre.compile(r"\b(?:[Tt]he|[Tt]his) (?:acquisition|merger|transaction)\b(?! (?:of|by|agreement|with)\b)")


def _in_proper_name(span: tuple[int, int], text: str, start: int, end: int) -> bool:
    """Whether a capitalised cue word in running text sits inside a name ("BARDA's Rapid Response
    Partnership Vehicle"); headlines, where most words are capitalised, are not judged."""
    if not text[span[0]].isupper():
        return False
    if sum(len(w) > 4 and w.islower() for w in _WORD.findall(text, start, end)) < 3:
        return False  # a headline, where most words are capitalised
    before = _WORD.findall(text, max(start, span[0] - 30), span[0])
    after = _WORD.findall(text, span[1], min(end, span[1] + 30))
    if len(after) > 1 and after[0] in ("for", "of"):  # "The Partnership for Safe Medicines"
        if before and before[-1] in ("the", "The") and after[1][0].isupper():
            return True  # "the Alliance for Better Medicine" (not "the License Agreement")
        after = after[1:]
    return bool(before and after and before[-1][0].isupper() and after[0][0].isupper())


_ATTRIBUTION = fastre.compile(r"\W{0,3}\s*(?:said|says|stated|added|commented|noted|explained|according)\b")
_QUOTE_MARK = fastre.compile(r"[“”\"]")


def _quoted(position: int, text: str, start: int, end: int) -> bool:
    """Whether ``position`` in the sentence ``text[start:end]`` lies inside quoted speech ("“We are
    proud to partner with Gilead,” said ..."): a quote says how someone feels about a deal; the
    release states the deal itself in its own words."""
    before = text[start:position]
    opened, closed = before.count("“"), before.count("”")
    if opened or closed:
        return opened > closed
    if before.count('"') % 2:
        return True
    # a quote that began in an earlier sentence ends in this one: ... partnership,” said X.
    quote = _QUOTE_MARK.search(text, position, end)
    return bool(quote) and quote.group() != "“" and bool(_ATTRIBUTION.match(text, quote.end(), quote.end() + 40))


# "stands ready to partner with HHS", "seeking potential licensing partners": a wish, not a deal
_WISHED = words("cue.wished")


# "Merck acquired exclusive rights to sotatercept ... through the acquisition of Acceleron": the
# rights came with the company bought, no licence of their own
_RIGHTS_BY_PURCHASE = fastre.compile(
    r"[^.;]{0,120}?\brights?\b[^.;]{0,120}?\b(?:through|via|by way of|with) (?:the|its|our|their) (?:acquisition|purchase) of\b"
)


def deal_cues(text: str, start: int, end: int, companies: list[Entity]) -> dict[str, tuple[int, int]]:
    """Where the sentence ``text[start:end]`` states each deal type, leaving out cue words that
    are part of a company's name ("Merge Healthcare") or description ("Phlow, a contract
    manufacturer, closed a round") and investment words not followed by the investee; after a
    cue word left out, the sentence's next one of the same type is tried."""
    type_spans = type_matches(text[start:end], start)
    names = [(m.start, m.end) for c in companies for m in mentions_in(c, start, end)]
    for kind, span in list(type_spans.items()):
        while span and (
            any(s <= span[0] < e for s, e in names)
            or _in_proper_name(span, text, start, end)
            or _quoted(span[0], text, start, end)
            or _WISHED.search(text, max(start, span[0] - 30), span[0])
            or (kind == "equity" and not _names_investee(span, companies, text))
            or (kind == "acquisition" and _REFERS_BACK.search(text, max(start, span[0] - 5), span[1] + 12) is not None)
            or (kind == "license" and _RIGHTS_BY_PURCHASE.match(text, span[0], end) is not None)
        ):
            match = DEAL_TYPES[kind].search(text, span[1], end)
            span = match.span() if match else None
        if span is None or _describes_company(span, names, text):
            del type_spans[kind]
        else:
            type_spans[kind] = span
    return type_spans


# "acquired GSK's Strimvelis", "bought Acme's gene therapy Zolgen": another company's named drug
# bought, not the company
_OWNER_POSSESSIVE = fastre.compile(r"\s+(?:[A-Z][\w&.-]*\s+){0,2}?[A-Z][\w&.-]*(?:[’']s|s[’'])\s+(?P<words>(?:[a-z][\w-]*\s+){0,3})")
_OBJECT_START = fastre.compile(r"\s+(?:the\s+)?")
_FROM_SELLER = fastre.compile(r"\W{0,3}(?:rights\s+)?from\s")
# "Acquired by Lilly from Locemia Solutions in 2015, BAQSIMI is ...": the drug the participle is said of
_PASSIVE_OBJECT = fastre.compile(r"\s+by\s+[^,;.]{1,80}?\bfrom\s+[^,;.]{1,80},\s+(?:the\s+)?")


def buys_named_drug(cue: tuple[int, int], analysis: Analysis, text: str, end: int) -> bool:
    """Whether an acquisition cue's object is a drug named as the analysis knows it: a company's
    ("acquire Acme's ACM-12") or one bought from its seller ("will acquire CVX-101 from Corvexa",
    "Acquired by Lilly from Locemia in 2015, BAQSIMI ...";
    not "acquired Quantified Ag®, an analytics company", a company the drug's name misread)."""
    if owner := _OWNER_POSSESSIVE.match(text, cue[1], end):
        return bool(analysis.within("drug", owner.start("words"), owner.end() + 1))
    if passive := _PASSIVE_OBJECT.match(text, cue[1], end):
        return bool(analysis.within("drug", passive.end(), passive.end() + 1))
    if (start := _OBJECT_START.match(text, cue[1], end)) is None:
        return False
    drugs = analysis.within("drug", start.end(), start.end() + 1)
    ends = [m.end for drug in drugs for m in drug.mentions if m.start == start.end()]
    return any(_FROM_SELLER.match(text, at, end) for at in ends)


_WITH_NEXT = fastre.compile(r"[^.;$€£]{0,50}?\bwith\s+(?:the\s+)?")


def third_party_kinds(type_spans: dict[str, tuple[int, int]], companies: list[Entity], text: str, end: int) -> set[str]:
    """The kinds a sentence states of a deal "with" a company beyond the two it is about, the
    first two of ``companies`` ("the acquisition of Imago ... and a license and collaboration
    agreement with Kelun-Biotech"; "Loxo's Vitrakvi, developed in collaboration with Bayer")."""
    others = companies[2:]
    kinds = set()
    for kind, (_start, cue_end) in type_spans.items():
        joined = _WITH_NEXT.match(text, cue_end, end)
        if joined and any(mentions_in(c, joined.end(), joined.end() + 1) for c in others):
            kinds.add(kind)
    return kinds
