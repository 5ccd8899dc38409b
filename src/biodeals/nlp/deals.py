"""Deal extraction: from recognised entities, money and sentences to SCHEMA.md deal records.

Steps, each replaceable: find deal sentences (a deal verb or noun plus at least one company),
group them by the pair of companies they name, then fill types, status, year, roles, money,
royalties, assets, targets, indications and modalities from the group's sentences, each value
with the evidence span (cleaned-text offsets) it came from.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

import ahocorasick_rs

from biodeals import fastre
from biodeals.ingest.document import Document
from biodeals.nlp.descriptions import company_kind, descriptions
from biodeals.nlp.money import Money
from biodeals.nlp.patterns import INN_STEM_MODALITIES
from biodeals.nlp.pipeline import Analysis
from biodeals.nlp.ranges import Cover, first_mention_in, mentions_in, section_at
from biodeals.nlp.resolve import GENERIC_FIRST_WORDS, normalise_name
from biodeals.nlp.spans import Entity, Label, most_specific

DEAL_TYPES: dict[str, re.Pattern[str]] = {
    "acquisition": fastre.compile(
        r"(?<!customer )(?<!patient )(?<!user )(?<!talent )(?<!client )(?<!data )(?<!image )"
        r"\b(?:acquir(?:e|es|ed|ing)|acquisition|merger|merge[sd]?|buy(?:s|out)?|bought|takeover|tender offer)\b"
        r"(?!\s+(?:\S+\s+){0,3}?(?:shares|stake|equity|rights|an? (?:option|license|licence)))"
        r"(?!\s+(?:rating|recommendation))"  # an analyst's "Buy rating"
        r"(?!\s+(?:funding|financing|facility|inventory|equipment|land)\b)",  # money for deals, goods
        re.I,
    ),
    "license": fastre.compile(
        r"\b(?:licen[cs](?:e|es|ed|ing|or|ee)|sublicen[cs]e|in-licen[cs]\w*|exclusive (?:[\w-]+,? (?:and )?){0,3}?rights?"
        r"|(?:acquire|gain|obtain|receive|grant)s? (?:[\w-]+,? (?:and )?){0,4}?rights to (?:develop|commerciali[sz]e|market))\b",
        re.I,
    ),
    "option": fastre.compile(
        r"\boptions?\s+(?:to|for)\s+(?:\w+\s+){0,2}?(?:license|licence|in-license|acquire|exclusive|extend|expand|obtain)"
        r"|\bexercis\w+\s+(?:its|an|the)\s+option|\b(?:able|right|rights)\s+to\s+license\s+(?:\w+\s+)?(?:additional|further|more)",
        re.I,
    ),
    "collaboration": fastre.compile(
        r"\b(?:collaborat\w*|partnership|partner(?:ed|ing)? with|(?:strategic|key|development|manufacturing) partners?"
        r"|alliance|joint venture|co-develop\w*"
        r"|research agreement|memorandum of understanding|MOU)\b",
        re.I,
    ),
    "equity": fastre.compile(
        r"\b(?:equity (?:investment|stake|purchase)|(?:minority|strategic) investment|invest(?:s|ed|ing|ment)? (?:of )?(?:US)?\$"
        r"|(?:invest(?:s|ed|ing|ment)?|stake) (?:of \S+ )?in (?:the (?:common )?shares of )?(?-i:(?=[A-Z]))|investment (?:from|by) (?-i:(?=[A-Z]))"
        r"|purchase of \w+ equity|co-invest\w*|founded (?:in \d{4} )?by|Series [A-F]\b|financing round"
        r"|private placement|led the (?:round|financing)|participat\w+ in the (?:round|financing)|purchase of (?:common )?shares)",
        re.I,
    ),
    "manufacturing": fastre.compile(
        r"\b(?:manufactur\w+ (?:agreement|partnership|collaboration|services|capacity)|contract (?:development and )?manufactur\w+"
        r"|CDMO|CMO agreement|to manufacture)\b",
        re.I,
    ),
    "supply": fastre.compile(
        r"\b(?:supply agreement|supply (?:of|up to)|to supply|procurement (?:agreement|contract|deal)|to procure"
        r"|purchase agreement|doses? to)\b",
        re.I,
    ),
}
# Word stems every deal cue contains; one Aho-Corasick pass finds the few sentences worth the
# seven deal-type patterns (most sentences of a release have none).
_CUE_STEMS = (
    "acqui",
    "merge",
    "buy",
    "bought",
    "takeover",
    "tender",
    "licen",
    "exclusive",
    "option",
    "collaborat",
    "partner",
    "allian",
    "joint",
    "co-develop",
    "agreement",
    "memorandum",
    "mou",
    "invest",
    "stake",
    "series",
    "financ",
    "placement",
    "round",
    "shares",
    "equity",
    "founded",
    "manufactur",
    "cdmo",
    "cmo",
    "suppl",
    "procure",
    "purchase",
    "dose",
    "exercis",
    "right",
)
_CUE_AUTOMATON = ahocorasick_rs.AhoCorasick(_CUE_STEMS)


def cue_positions(text: str) -> list[int]:
    """Sorted offsets of the last characters of deal-cue stems in ``text`` (case-insensitive)."""
    return [end - 1 for _, _, end in _CUE_AUTOMATON.find_matches_as_indexes(text.lower(), overlapping=True)]


def _any_within(positions: list[int], start: int, end: int) -> bool:
    """Whether the sorted ``positions`` hold one in ``[start, end)``."""
    index = bisect.bisect_left(positions, start)
    return index < len(positions) and positions[index] < end


_NOT_A_DEAL = fastre.compile(
    r"\b(?:approv\w+|launch\w*|tender offer for (?:its|the company's) (?:own )?(?:notes|bonds)|notes due|senior notes"
    r"|debt financing|term loan|credit facility|loan agreement|dividend|share repurchase|price cut)\b",
    re.I,
)
# A person's career ("Earlier in his career, he held roles at IBM Watson Health and Merge
# Healthcare, a platform acquired by ..."): the companies it names made no deal in this news.
_BIOGRAPHY = fastre.compile(
    r"\b(?:[Hh]e|[Ss]he) (?:also |currently |previously |most recently )?(?:has |had )?"
    r"(?:served|serves|held|holds|was|joined|worked|sits|led|oversaw|founded|co-founded|spent|brings)\b"
    r"|\b(?:[Hh]e|[Ss]he|Mr\. \w+|Ms\. \w+|Dr\. \w+) (?:is|was) an? (?:industry |seasoned |pharmaceutical |biotech )?veteran\b"
    r"|\bplayed an? (?:\w+ )?role\b|\b(?:his|her) time at\b|\bbrings? (?:\w+ ){0,3}experience\b"
    r"|\b(?:[Hh]is|[Hh]er) (?:career|tenure)\b|\b[Pp]rior to (?:joining|that)\b|\bBoard of Directors (?:for|of)\b"
)
_COMPLETED = fastre.compile(r"\b(?:completed|completes|completion of the|closed|closes|has acquired|finalized)\b", re.I)
_PROSPECTIVE = fastre.compile(r"\b(?:expect\w*|anticipat\w*|subject to|upon|will|would|to be)\b", re.I)
# "terminates the agreement", not "refundable in the event of early termination"
_TERMINATED = fastre.compile(
    r"(?<!event of )(?<!early )(?<!right to )(?<!may )(?<!can )(?<!could )\bterminat(?:es?|ed|ing|ion of (?:the|its|their))\b",
    re.I,
)
# an investment reported in the present or past tense has happened
_INVESTED = fastre.compile(
    r"\b(?:invests|invested|has made|made an?|closed|closes|raised|raises|completed|led|co-led|participated)\b", re.I
)
_AMENDED = fastre.compile(
    r"\b(?:expand\w*|extend\w*|extension of|amend\w*|renew\w*)\s+(?:\w+\s+){0,4}?"
    r"(?:agreement|collaboration|partnership|license|licence|alliance|deal)",
    re.I,
)
_ROYALTY = fastre.compile(r"\broyalt(?:y|ies)\b", re.I)
_NO_ROYALTY = fastre.compile(r"\b(?:no|without|royalty-free)\b[^.]{0,30}\broyalt", re.I)

_UPFRONT = fastre.compile(r"up[- ]?front|initial payment|license fee|signing|at closing|near-term payment", re.I)
_MILESTONE = fastre.compile(
    r"milestone|contingent|development|regulatory|commercial|sales[- ]based|success-based", re.I
)
_EQUITY_MONEY = fastre.compile(r"equity|invest|stake|shares|financing|Series [A-F]|round", re.I)
_TOTAL = fastre.compile(
    r"total|worth|valued|value of|aggregate|deal value|transaction value|for (?:approximately |about )?$|up to$", re.I
)

BUYER_ROLE = {
    "acquisition": "acquirer",
    "license": "licensee",
    "option": "licensee",
    "equity": "investor",
    "manufacturing": "client",
    "supply": "client",
    "collaboration": "partner",
}
SELLER_ROLE = {
    "acquisition": "target",
    "license": "licensor",
    "option": "licensor",
    "equity": "investee",
    "manufacturing": "provider",
    "supply": "provider",
    "collaboration": "partner",
}
# The side a deal is about: what is bought, licensed or funded.
_SUBJECT_ROLES = frozenset({"target", "licensor", "investee"})
TYPE_PRIORITY = ("acquisition", "license", "option", "equity", "manufacturing", "supply", "collaboration")
_MAX_PARTIES = 6
_FUND_WORDS = r"Ventures?|Capital|Fund|Investments?"
_FUND_NAME = fastre.compile(rf"\b(?:{_FUND_WORDS})\b")
_INVESTOR_NAME = fastre.compile(rf"\b(?:{_FUND_WORDS}|Partners|Equity)\b")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_YEAR_IN = fastre.compile(
    rf"\b(?:[Ii]n|[Ss]ince|[Dd]uring|[Oo]n)\s+(?:(?:early|late|mid-?)\s*)?(?:{_MONTH}\s+(?:\d{{1,2}},?\s+)?)?((?:19|20)\d{{2}})\b"
)
# A deal the document reports as news, rather than one it mentions as background.
_FRESH = fastre.compile(
    r"\b(?:today|announc\w+|enter(?:s|ed)? into|sign(?:s|ed)?|agree[sd]?|complet\w+|clos(?:es|ed)|to acquire"
    r"|will (?:acquire|receive|pay|make|invest|have)|definitive|rais(?:es|ed)|co-led)\b",
    re.I,
)
# A deal the text places before its news without dating it.
_EARLIER = fastre.compile(
    r"\b(?:previously|formerly|earlier|had) (?:\w+ )?(?:led|co-led|entered|signed|made|invested|acquired|licensed"
    r"|partnered|participated)\b",
    re.I,
)
# "the two companies", "the parties": a deal sentence about the pair just named
_PAIR_ANAPHOR = fastre.compile(r"\b(?:the|both) (?:two )?(?:companies|parties|partners)\b", re.I)


@dataclass(slots=True)
class _Sentence:
    start: int
    end: int
    text: str
    companies: list[Entity]
    types: set[str]
    type_spans: dict[str, tuple[int, int]]  # where the sentence first states each deal type (evidence)


def _type_matches(text: str, offset: int) -> dict[str, tuple[int, int]]:
    """The first words of ``text`` (which starts at ``offset``) stating each deal type; "license"
    inside an option ("an option to license") states the option, not a licence."""
    found = {kind: match.span() for kind, pattern in DEAL_TYPES.items() if (match := pattern.search(text))}
    if "license" in found and "option" in found:
        options = [m.span() for m in DEAL_TYPES["option"].finditer(text)]
        licence = (m for m in DEAL_TYPES["license"].finditer(text) if not any(s <= m.start() < e for s, e in options))
        match = next(licence, None)
        if match:
            found["license"] = match.span()
        else:
            del found["license"]
    return {kind: (offset + start, offset + end) for kind, (start, end) in found.items()}


@dataclass(slots=True)
class DealDraft:
    """A deal being assembled; offsets index ``Document.text``."""

    companies: list[Entity]
    sentences: list[_Sentence] = field(default_factory=list)
    year: int | None = None
    past: bool = False  # a deal the text dates before its news ("previously led") without a year

    @property
    def types(self) -> set[str]:
        return set().union(*(s.types for s in self.sentences)) if self.sentences else set()

    @property
    def is_news(self) -> bool:
        """Whether a deal sentence reports it as news ("today announced", "signed", "will pay")
        rather than mentioning it as background."""
        return not self.past and any(_FRESH.search(s.text) for s in self.sentences if s.types)


def _first_index(entity: Entity, start: int, end: int) -> int:
    first = first_mention_in(entity, start, end)
    return end if first is None else first.start


def _distinct_companies(companies: list[Entity]) -> list[Entity]:
    """Drop a company that shares its first name word with one named before it: "Merck Animal
    Health" and "Merck & Co., Inc." are a subsidiary and its parent, not two sides of a deal."""
    kept: list[Entity] = []
    seen: set[str] = set()
    for company in companies:
        first = normalise_name(company.name).split(" ", 1)[0]
        if len(first) >= 3 and first in seen and first not in GENERIC_FIRST_WORDS:
            continue
        seen.add(first)
        kept.append(company)
    return kept


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
_WISHED = fastre.compile(
    r"\b(?:ready|looking|seeking|seeks?|hopes?|hoping|aims?|aiming|wants?|poised|positioned|eager|open)\s+to\s+$"
    r"|\b(?:potential|prospective|possible|future)\s+(?:\w+\s+)?$",
    re.I,
)


def _deal_cues(text: str, start: int, end: int, companies: list[Entity]) -> dict[str, tuple[int, int]]:
    """Where the sentence ``text[start:end]`` states each deal type, leaving out cue words that
    are part of a company's name ("Merge Healthcare") or description ("Phlow, a contract
    manufacturer, closed a round") and investment words not followed by the investee."""
    type_spans = _type_matches(text[start:end], start)
    names = [(m.start, m.end) for c in companies for m in mentions_in(c, start, end)]
    for kind, span in list(type_spans.items()):
        while span and (
            any(s <= span[0] < e for s, e in names)
            or _in_proper_name(span, text, start, end)
            or _quoted(span[0], text, start, end)
            or _WISHED.search(text, max(start, span[0] - 30), span[0])
        ):
            match = DEAL_TYPES[kind].search(text, span[1], end)
            span = match.span() if match else None
        if span is None or _describes_company(span, names, text):
            del type_spans[kind]
        else:
            type_spans[kind] = span
    if "equity" in type_spans and not _names_investee(type_spans["equity"], companies, text):
        del type_spans["equity"]
    return type_spans


# "its subsidiary, HOPE Therapeutics", not "Merck, through a subsidiary, will acquire Imago"
_CHILD_NEXT = fastre.compile(r"\b(?:subsidiary|sister (?:company|brand)|division)\W+(?-i:[A-Z]\w*\W+){0,2}$", re.I)
_PARENT_NEXT = fastre.compile(
    r"^,?\s+(?:a|an|its)\s+(?:wholly[- ]owned\s+)?(?:subsidiary|sister (?:company|brand)|division) of\s+(?:the\s+)?$"
)


def _without_parents(companies: list[Entity], text: str, start: int, end: int) -> list[Entity]:
    """Drop a company the sentence names as the parent of another ("NRx ... its wholly owned
    subsidiary, HOPE Therapeutics, has signed ..."; "Wesley, a sister brand of Olympia"): a
    group's own companies are one side, and the one that acts is the subsidiary."""
    mentions = sorted((m.start, m.end, c) for c in companies for m in mentions_in(c, start, end))
    parents = set()
    for index, (m_start, m_end, company) in enumerate(mentions):
        if index and _CHILD_NEXT.search(text, max(start, m_start - 40), m_start):
            parents.add(mentions[index - 1][2].name)
        if index + 1 < len(mentions) and _PARENT_NEXT.match(text[m_end : mentions[index + 1][0]]):
            parents.add(mentions[index + 1][2].name)
        parents.discard(company.name)
    return [c for c in companies if c.name not in parents]


_LINK_TO_SECOND = fastre.compile(r"^(?:\W*|.{0,60}?\b(?:with|between|and|to|of|including)\b\W*(?:the\s+)?)$", re.S)
_JOINED = fastre.compile(r"\band\b|&")  # "A and B", "A, a ..., and B"; not the list "A, B, C"
_ENUMERATION = fastre.compile(r"^\s*(?:,|,?\s*(?:and|&|or))\s*$")


def _links_partners(cue: tuple[int, int], first: Entity, second: Entity, text: str, start: int, end: int) -> bool:
    """Whether a collaboration word relates the two companies to each other: "A partnered with B",
    "A and B announced a collaboration", "a partnership between A and B", "In collaboration with
    B, A ...". Not "partnering with A, B and C" (the partner is the speaker) nor "A's drug, with
    U.S. government collaborations ongoing" (nothing joins the two)."""
    a, b = first_mention_in(first, start, end), first_mention_in(second, start, end)
    if a is None or b is None:
        return True  # a pair carried over from the sentence before ("the two companies")
    a, b = sorted((a, b), key=lambda m: m.start)
    cue_start, cue_end = cue
    if a.end <= cue_start and cue_end <= b.start:  # A ... cue ... B
        return cue_start - a.end <= 200 and bool(_LINK_TO_SECOND.match(text[cue_end : b.start]))
    if b.end <= cue_start:  # A and B ... cue
        return cue_start - b.end <= 150 and bool(_JOINED.search(text, a.end, b.start)) and b.start - a.end <= 200
    if cue_end <= a.start:  # cue ... A ... B
        between = text[cue_end : a.start]
        return "between" in between or not _ENUMERATION.match(text[a.end : b.start])
    return True


def group_pairs(companies: list[Entity], text: str) -> set[tuple[int, int]]:
    """``(id(parent), id(child))`` for each pair of companies the document names as a group
    anywhere ("NRx subsidiary HOPE Therapeutics", "Akouos, a wholly owned subsidiary of Eli
    Lilly"): a group's companies are one side of its deals, never two. One pass over the
    mentions, each compared with the few just before and after it."""
    mentions = sorted(((m.start, m.end, c) for c in companies for m in c.mentions), key=lambda x: x[0])
    starts = [start for start, _, _ in mentions]
    pairs: set[tuple[int, int]] = set()
    for start, end, child in mentions:
        window = max(0, start - 60)
        if _CHILD_NEXT.search(text, window, start):
            low, high = bisect.bisect_left(starts, window), bisect.bisect_left(starts, start)
            pairs.update((id(parent), id(child)) for _, _, parent in mentions[low:high])
        low, high = bisect.bisect_right(starts, end), bisect.bisect_right(starts, end + 70)
        for next_start, _, parent in mentions[low:high]:
            if _PARENT_NEXT.match(text[end:next_start]):
                pairs.add((id(parent), id(child)))
    return pairs


def find_deal_sentences(document: Document, analysis: Analysis, spans: list[tuple[int, int]]) -> list[_Sentence]:
    """Sentences that state a deal: a deal word and at least one company, outside boilerplate
    (an "About" section still counts when it names two companies and a deal word)."""
    found: list[_Sentence] = []
    last_pair: list[Entity] = []  # the companies of the last sentence found that names two
    cues = cue_positions(document.text)
    for start, end in spans:
        if not _any_within(cues, start, end):
            continue
        section = section_at(document, start)
        if section and section.kind in ("forward_looking", "contact"):
            continue
        text = document.text[start:end]
        if _BIOGRAPHY.search(text):
            continue
        named = analysis.within("company", start, end)
        companies = named
        if not companies and _PAIR_ANAPHOR.search(text):
            companies = last_pair[:2]
        if not companies or (section and len(companies) < 2):
            continue
        type_spans = _deal_cues(document.text, start, end, named)
        types = set(type_spans)
        if not types:
            continue
        if _NOT_A_DEAL.search(text) and len(types) == 1 and "acquisition" not in types:
            continue
        companies = _distinct_companies(sorted(companies, key=lambda e: _first_index(e, start, end)))
        companies = _without_parents(companies, document.text, start, end)
        if not companies:
            continue
        if (
            "collaboration" in types
            and len(companies) > 1
            and not _links_partners(type_spans["collaboration"], *companies[:2], document.text, start, end)
        ):
            del type_spans["collaboration"]
            types.discard("collaboration")
            if not types:
                continue
        found.append(_Sentence(start, end, text, companies, types, type_spans))
        if len(companies) > 1:
            last_pair = companies
    return found


def group_deals(sentences: list[_Sentence], published_year: int | None) -> list[DealDraft]:
    """One draft per pair of companies (or lone company); a sentence that names a past year
    ("In 2016, ...") starts a separate draft for that year."""
    drafts: dict[tuple[frozenset[str], int | None], DealDraft] = {}  # year -1: undated past deal
    lone: list[_Sentence] = []
    for sentence in sentences:
        year_match = _YEAR_IN.search(sentence.text)
        year = int(year_match.group(1)) if year_match else None
        if year is not None and published_year is not None and year >= published_year:
            year = None
        past = year is None and bool(_EARLIER.search(sentence.text))
        if len(sentence.companies) < 2:
            lone.append(sentence)
            continue
        pair = frozenset(e.name for e in sentence.companies[:2])
        key = (pair, -1 if past else year)
        draft = drafts.get(key)
        if draft is None:
            draft = drafts[key] = DealDraft(sentence.companies[:2], year=year, past=past)
        if "equity" in sentence.types:  # a financing round has many investors
            known = {c.name for c in draft.companies}
            draft.companies += [c for c in sentence.companies[2:_MAX_PARTIES] if c.name not in known]
        draft.sentences.append(sentence)
    # a partnership the document only refers to ("its strategic partner") is the past deal it dates
    first_dated: dict[frozenset[str], DealDraft] = {}
    for (pair, year), draft in drafts.items():
        if year is not None:
            first_dated.setdefault(pair, draft)
    for (pair, year), draft in list(drafts.items()):
        dated = first_dated.get(pair)
        if year is None and dated and not draft.is_news:
            dated.sentences = sorted(dated.sentences + draft.sentences, key=lambda s: s.start)
            del drafts[(pair, year)]
    # a sentence with one company joins the current-year deal that includes it
    current: dict[str, DealDraft] = {}  # company name -> the first current-year deal naming it
    for (pair, year), draft in drafts.items():
        if year is None:
            for name in pair:
                current.setdefault(name, draft)
    for sentence in lone:
        if (draft := current.get(sentence.companies[0].name)) is not None:
            draft.sentences.append(sentence)
    return list(drafts.values())


_MONEY_CONTEXT = fastre.compile(
    r"up[- ]?front|milestone|royalt|payment|deal|agreement|transaction|acqui|equity|invest|consideration|receive|pay",
    re.I,
)


def attach_money_sentences(
    drafts: list[DealDraft], analysis: Analysis, text: str, spans: list[tuple[int, int]], document: Document
) -> None:
    """Sentences that state deal money without a deal word ("Innate may receive up to $1.44
    billion in milestones") join the current deal that names one of their companies, else the
    first current deal."""
    current = [d for d in drafts if d.year is None and not d.past]
    if not current:
        return
    taken = {(s.start, s.end) for d in drafts for s in d.sentences}
    amounts = sorted(m.start for m in analysis.money if not m.per_share)
    first_naming: dict[str, int] = {}  # company name -> index of the first current deal naming it
    for index, draft in enumerate(current):
        for company in draft.companies:
            first_naming.setdefault(company.name, index)
    extended: dict[int, DealDraft] = {}
    for start, end in spans:
        if (start, end) in taken or not _any_within(amounts, start, end):
            continue
        section = section_at(document, start)
        if section:
            continue
        sentence_text = text[start:end]
        if not _MONEY_CONTEXT.search(sentence_text):
            continue
        companies = analysis.within("company", start, end)
        target = current[min((first_naming[c.name] for c in companies if c.name in first_naming), default=0)]
        type_spans = _type_matches(sentence_text, start)
        stated = set(type_spans) & {"equity", "option"}
        target.sentences.append(_Sentence(start, end, sentence_text, companies, stated, type_spans))
        extended[id(target)] = target
    for target in extended.values():  # one stable sort, as after each addition
        target.sentences.sort(key=lambda s: s.start)


_SMALLEST_DEAL_TERM = 100_000


def _classify_money(sentence: str, money: Money, relative_start: int) -> str | None:
    before = sentence[max(0, relative_start - 80) : relative_start]
    after = sentence[relative_start + len(money.text) : relative_start + len(money.text) + 80]
    near = before[-45:] + " " + after[:60]
    if money.per_share or money.amount < _SMALLEST_DEAL_TERM:
        return None  # share prices and per-share earnings ("EPS of $6.28") are not deal terms
    if re.match(r"\s*(?:in cash\s*)?,?\s*(?:inclusive of|including|comprising|consisting of)", after) or re.search(
        r"(?:total|aggregate|deal|transaction|equity) value of\s*(?:approximately |about |up to )?$"
        r"|\bvalue of the (?:transaction|deal|acquisition|agreement) (?:is|was|will be|could be)\s*[\w ]{0,20}$",
        before,
    ):
        return "total_value"
    if _UPFRONT.search(near):
        return "upfront"
    if _MILESTONE.search(after[:60]) or re.search(r"milestone", before[-60:], re.I):
        return "milestones"
    if _EQUITY_MONEY.search(near):
        return "equity"
    if _TOTAL.search(before[-30:]) or re.search(r"acqui|deal|transaction|agreement|collaboration", near, re.I):
        return "total_value"
    return None


def _money_terms(draft: DealDraft, analysis: Analysis, text: str) -> dict[str, Any]:
    terms: dict[str, Any] = {}
    milestones: list[Money] = []
    for sentence in draft.sentences:
        for money in analysis.money_in(sentence.start, sentence.end):
            kind = _classify_money(sentence.text, money, money.start - sentence.start)
            if kind == "milestones":
                milestones.append(money)
            elif kind and kind not in terms:
                terms[kind] = money
    if milestones:
        total = sum(m.amount for m in milestones)
        terms["milestones"] = Money(
            total,
            milestones[0].currency,
            milestones[0].start,
            milestones[-1].end,
            text[milestones[0].start : milestones[-1].end],
        )
    return terms


# Cues that a company is on the buyer side (acquirer, licensee, investor, client, payer) or the
# seller side (target, licensor, investee, provider, payee), read right after or right before
# one of its mentions in a deal sentence.
_NEW_CLAUSE = r"(?![’']?s?\W{0,3}(?:as|while|when|because|since|if|but|who|which|that)\b)"
_BUYER_AFTER = fastre.compile(
    rf"^{_NEW_CLAUSE}[’']?s?\W{{0,3}}(?:\w+\W+){{0,3}}?"
    r"(?:will |has |have |had |agreed to |to |is to |would )?"
    r"(?:acquir(?!ed by)|buy|bought|purchas|licens(?:e|es|ed|ing)\b(?! to| its| their)|in-licens|invest|pay|paid"
    r"|make (?:an? )?(?:upfront |equity |one-time )?(?:payment|investment)|led |lead |participat|obtain|gain"
    r"|receives? (?:an? )?(?:exclusive |worldwide |global )*(?:rights|license|licence|option)|exercis"
    r"|(?:be|been|was|were|is) granted|co-invest)",
    re.I,
)
_SELLER_AFTER = fastre.compile(
    rf"^{_NEW_CLAUSE}[’']?s?\W{{0,3}}(?:\w+\W+){{0,3}}?"
    r"(?:will |to |may |is eligible to |could |would |has |shareholders (?:will|could|would) )?"
    r"(?:receive (?:up to |an? |the )?(?:upfront|\$|US\$|€|£|payments?|milestones?|royalt|cash|consideration)"
    r"|be (?:eligible|entitled) to receive|(?<!be )(?<!been )(?<!was )(?<!is )grant|out-licens|sell|sold|be acquired"
    r"|was acquired|has been acquired|(?:was|were|is) (?:co-)?founded"
    r"|raised|rais|clos\w+ (?:a|an|its) .{0,30}financing|supply|manufactur|provide)",
    re.I,
)
_BUYER_BEFORE = fastre.compile(
    r"(?:acquired by|be acquired by|led by|paid by|licen[cs]ed to|licen[cs]e to|rights to|granted|grants?"
    r"|investment (?:from|by)|participation (?:from|of)|investors? (?:including|such as)|on behalf of|client|customer"
    r"|(?:co-)?founded (?:in \d{4} )?by|provided by|enabl\w+|allow\w+)"
    r"\W+(?:the\s+)?$",
    re.I,
)
_SELLER_BEFORE = fastre.compile(
    r"(?:acquisition of|acquire|acquires|acquiring|to buy|purchase of|licen[cs]e from|licen[cs]ed from|rights from"
    r"|invest(?:ment|s|ed)? (?:of \S+ )?in|stake in|shares of|option to acquire|manufactured by|supplied by|from)"
    r"\W+(?:the\s+)?$",
    re.I,
)


# "WuXi Biologics, a company offering ... manufacturing," is cast as the provider
_PROVIDER_APPOSITION = fastre.compile(
    r",\s+(?:a|an)\s+[^.;]{0,220}?\b(?:CDMO|CMO|contract (?:development|research|manufacturing)|manufacturing)\b"
)


def _side_score(entity: Entity, sentences: list[_Sentence], text: str) -> int:
    """Positive when the text casts ``entity`` as the buyer side, negative as the seller side."""
    score = 0
    for sentence in sentences:
        for mention in mentions_in(entity, sentence.start, sentence.end):
            after = text[mention.end : min(sentence.end, mention.end + 90)]
            before = text[max(sentence.start, mention.start - 50) : mention.start]
            score += bool(_BUYER_AFTER.search(after)) + bool(_BUYER_BEFORE.search(before))
            score -= bool(_SELLER_AFTER.search(after)) + bool(_SELLER_BEFORE.search(before))
            score -= bool(_PROVIDER_APPOSITION.match(text, mention.end, min(sentence.end, mention.end + 260)))
    return score


def _roles(draft: DealDraft, primary: str, text: str) -> list[tuple[Entity, str]]:
    first, second = draft.companies[0], draft.companies[1] if len(draft.companies) > 1 else None
    if second is None:
        return [(first, BUYER_ROLE[primary])]
    if primary == "collaboration":
        return [(first, "partner"), (second, "partner")]
    if primary == "equity":
        # the investee is the one company cast as the seller side, never a fund-shaped name
        ranked = sorted(
            draft.companies,
            key=lambda c: (not _INVESTOR_NAME.search(c.name), -_side_score(c, draft.sentences, text)),
        )
        return [(c, "investor") for c in ranked[:-1]] + [(ranked[-1], "investee")]
    first_score = _side_score(first, draft.sentences, text)
    second_score = _side_score(second, draft.sentences, text)
    buyer, seller = (second, first) if second_score > first_score else (first, second)
    return [(buyer, BUYER_ROLE[primary]), (seller, SELLER_ROLE[primary])]


def _round_subject(draft: DealDraft, analysis: Analysis) -> Entity | None:
    """The company a financing round is for, when its sentences name only the investors ("The
    Series A was co-led by Radical Ventures and Sofinnova Partners"): the first company the
    document names that is not fund-shaped."""
    if not all(_INVESTOR_NAME.search(c.name) for c in draft.companies):
        return None
    named = {c.name for c in draft.companies}
    return next((c for c in analysis.of("company") if c.name not in named and not _INVESTOR_NAME.search(c.name)), None)


def _named(entity: Entity) -> dict[str, Any]:
    return {"name": entity.name, "aliases": entity.aliases}


def _status(draft: DealDraft) -> str | None:
    words = " ".join(s.text for s in draft.sentences)
    if draft.year is not None:
        return None
    if _TERMINATED.search(words):
        return "terminated"
    if any(_COMPLETED.search(s.text) and not _PROSPECTIVE.search(s.text) for s in draft.sentences):
        return "completed"
    if _AMENDED.search(words):
        return "amended"
    if draft.types == {"equity"} and any(
        _INVESTED.search(s.text) and not _PROSPECTIVE.search(s.text) for s in draft.sentences
    ):
        return "completed"
    return "announced"


_BIOPHARMA_NAME = fastre.compile(
    r"\bBio(?=(?:,?\s+(?:Inc|Ltd|LLC|Corp|AG|SA|plc|GmbH)\.?)?$)"  # "Versanis Bio", not "Eco Bio Plastics"
    r"|\b(?:Therapeutics|Pharma\w*|Bio(?:sciences?|tech\w*|[Pp]harma\w*|logics|therapeutics)|Medicines"
    r"|Oncology|Vaccines?|Immuno\w*|Animal Health)\b"
)
# What a deal about medicines says in its own sentences; "patients", "clinical" and diseases alone
# are as common in releases about clinics, care services and health software.
_DRUG_DEVELOPMENT = fastre.compile(
    r"\b(?:drugs?|therapeutics?|therap(?:y|ies)|medicines?|clinical[- ](?:trials?|stage|stud(?:y|ies)|development|programs?)"
    r"|trials?|Phase (?:[1-4]|I{1,3}V?)\b|FDA|EMA|IND|NDA|BLA|preclinical|biotech\w*|(?:bio)?pharmaceuticals?|biopharma\w*"
    r"|oncology|antibod(?:y|ies)|molecules?|vaccines?|biologics?|(?:drug|product|lead|clinical|development) candidates?)\b",
    re.I,
)
# drug words that name an industry or also fit devices and counselling
_WEAK_DRUG_WORDS = fastre.compile(r"therap(?:y|ies)|biotech\w*|(?:bio)?pharmaceuticals?|biopharma\w*", re.I)
_NAMED_DRUG_SOURCES = frozenset({"gazetteer", "inn-stem", "code", "brand", "alias"})
# What a deal is about when it is no medicine: tests, devices, software, coins
_NON_MEDICINE_PRODUCT = fastre.compile(
    r"\b(?:diagnostic|tests?|assays?|devices?|platforms?|software|apps?|AI|cameras?|scanners?|readers?|tracers?"
    r"|wearables?|robots?|syringes?|implants?|stimulators?|database|crypto\w*|bitcoin|custody|beverages?|supplements?"
    r"|investor (?:awareness|relations)|corporate communications|marketing|co-organi[sz]\w*|exhibitions?|webinars?)\b",
    re.I,
)


_BIOPHARMA_WORDS = fastre.Anchored(
    r"\b(?:clinical|trials?|FDA|EMA|preclinical|Phase [1-3I]|patients|therap(?:y|ies|eutics?)|drugs?|biotech\w*"
    r"|pharmaceutical|oncology|antibod(?:y|ies)|molecules?|vaccines?|biologics?|candidates?|indications?|IND|NDA|BLA)\b",
    anchors=(
        *("clinical", "trial", "FDA", "EMA", "preclinical", "Phase ", "patients", "therap", "drug", "biotech"),
        *("pharmaceutical", "oncology", "antibod", "molecule", "vaccine", "biologic", "candidate", "indication"),
        *("IND", "NDA", "BLA"),
    ),
)
# Governments, agencies and charities buy and fund medicines, but naming one makes no release biopharma.
_PUBLIC_BODY = fastre.compile(
    r"\b(?:Government|Department|Ministry|Agency|Organization|Organisation|Authority|Fund|Foundation|Association"
    r"|University|Institute|UNICEF|BARDA|WHO)\b"
)
_SHAREHOLDER_ALERT = fastre.compile(
    r"\b(?:class action|securities (?:fraud|litigation)|investors who (?:purchased|acquired))\b", re.I
)


def _in_vocabulary(company: Entity) -> bool:
    return any(m.key.startswith("v:") for m in company.mentions)


class DocumentFacts:
    """What deal extraction asks many times about one document's entities (every deal of a long
    digest asks about "Lilly"), worked out once each: cost stays linear in the document's size."""

    def __init__(self, document: Document, analysis: Analysis, spans: list[tuple[int, int]]) -> None:
        self.document, self.text, self.analysis, self.spans = document, document.text, analysis, spans
        self._span_starts = [start for start, _ in spans]
        self._described: dict[int, tuple[Entity, list[tuple[int, int]]]] = {}
        self._covers: dict[int, tuple[Entity, Cover]] = {}
        self._flags: dict[tuple[str, int], tuple[Entity, bool]] = {}
        self._body_spans: dict[int, tuple[Entity, list[int]]] = {}
        self._pairs: set[tuple[int, int]] | None = None
        self._biopharma_words: int | None = None

    def descriptions(self, company: Entity) -> list[tuple[int, int]]:
        if id(company) not in self._described:
            self._described[id(company)] = (company, descriptions(company, self.text))
        return self._described[id(company)][1]

    def kind(self, company: Entity) -> str | None:
        return company_kind(company, self.text, self.descriptions(company))

    def names(self, entity: Entity) -> Cover:
        """Where the text names ``entity``."""
        if id(entity) not in self._covers:
            self._covers[id(entity)] = (entity, Cover((m.start, m.end) for m in entity.mentions))
        return self._covers[id(entity)][1]

    def _flag(self, what: str, entity: Entity) -> bool:
        key = (what, id(entity))
        if key not in self._flags:
            if what == "vocabulary":
                value = _in_vocabulary(entity)
            else:  # a drug named as drugs are, not only by a pattern ("the ANKET platform")
                value = any(m.source in _NAMED_DRUG_SOURCES for m in entity.mentions)
            self._flags[key] = (entity, value)
        return self._flags[key][1]

    def in_vocabulary(self, company: Entity) -> bool:
        return self._flag("vocabulary", company)

    def named_drug(self, drug: Entity) -> bool:
        return self._flag("named drug", drug)

    def same_group(self, first: Entity, second: Entity) -> bool:
        """Whether the document names one company a subsidiary of the other anywhere."""
        if self._pairs is None:
            self._pairs = group_pairs(self.analysis.of("company"), self.text)
        return (id(first), id(second)) in self._pairs or (id(second), id(first)) in self._pairs

    def talks_biopharma(self, enough: int) -> bool:
        """Whether the text uses at least ``enough`` (at most 8) life-science words."""
        if self._biopharma_words is None:
            self._biopharma_words = len(list(islice(_BIOPHARMA_WORDS.finditer(self.text), 8)))
        return self._biopharma_words >= enough

    def body_spans(self, entity: Entity) -> list[int]:
        """Indexes of the sentences (``spans``, sorted and disjoint) that name ``entity`` outside
        boilerplate sections."""
        if id(entity) not in self._body_spans:
            found: set[int] = set()
            for m in entity.mentions:
                index = bisect.bisect_right(self._span_starts, m.start) - 1
                if index >= 0 and m.start < self.spans[index][1] and section_at(self.document, m.start) is None:
                    found.add(index)
            self._body_spans[id(entity)] = (entity, sorted(found))
        return self._body_spans[id(entity)][1]


def is_biopharma(
    draft: DealDraft, analysis: Analysis, text: str, scope: list[tuple[int, int]], facts: DocumentFacts
) -> bool:
    """Whether a deal belongs in a biopharma database. The deal itself must be about medicines:
    its sentences (``scope``) name drugs or modalities or use drug-development words outside the
    parties' names, once when a party is a known or life-science-named company ("... Therapeutics"),
    else twice; a deal of a known life-science-named company, or an investment in any, needs no
    more. Unless a party is so named, the document must also talk like a life-science release;
    law-firm shareholder alerts never are. What the text says the parties are counts too: no
    medicines developer among the described parties (or a described non-medicines partner in a
    collaboration) means no biopharma deal, and a deal with a non-medicines party or about a test,
    device or event must name a drug in its own sentences."""
    if _SHAREHOLDER_ALERT.search(text[:600]):  # the lede; forward-looking sections mention litigation
        return False
    described_by = [facts.descriptions(c) for c in draft.companies]
    kinds = [company_kind(c, text, spans) for c, spans in zip(draft.companies, described_by, strict=True)]
    if "other" in kinds and ("medicines" not in kinds or draft.types == {"collaboration"}):
        # "PathAI, a global leader in AI-powered pathology"; a drug developer's partnership with
        # "IDEA Pharma, a biopharmaceutical strategy consultancy" is a service, not a deal
        return False
    if draft.types == {"collaboration"} and any(_FUND_NAME.search(c.name) for c in draft.companies):
        return False  # investors fund companies; "operating in collaboration with Leonhardt Ventures" is no deal
    named = [c for c in draft.companies if _BIOPHARMA_NAME.search(c.name)]
    names = [facts.names(c) for c in draft.companies]

    def outside_names(position: int) -> bool:  # "Atlas Lithium", "Supportive Oncology" say nothing of the deal
        return not any(cover.covers(position) for cover in names)

    # each drug and modality, with where the scope first names it
    named_things: dict[tuple[str, str], int] = {}
    for start, end in scope:
        for label in ("drug", "modality"):
            for entity in analysis.within(label, start, end):
                if (label == "drug" and not facts.named_drug(entity)) or entity.name == "platform":
                    continue
                for m in mentions_in(entity, start, end):
                    if outside_names(m.start):
                        named_things.setdefault((label, entity.name), m.start)
    words = [
        m for start, end in scope for m in _DRUG_DEVELOPMENT.finditer(text, start, end) if outside_names(m.start())
    ]
    # whether the deal's own sentences, outside what they say the parties are ("Quantum BioPharma,
    # a biopharmaceutical company, announced that its licensee ..."), name a drug or use a drug
    # word other than "therapy" (devices and counselling are therapies too) or "biotech"
    own = [(s.start, s.end) for s in draft.sentences]
    own_cover = Cover(own)
    described = Cover(span for spans in described_by for span in spans)
    stated = [*named_things.values(), *(m.start() for m in words if not _WEAK_DRUG_WORDS.fullmatch(m.group()))]

    def in_own_words(position: int) -> bool:
        return own_cover.covers(position) and not described.covers(position)

    about_medicines = any(map(in_own_words, stated))
    about_other = any(
        in_own_words(m.start()) for start, end in own for m in _NON_MEDICINE_PRODUCT.finditer(text, start, end)
    )
    if not about_medicines and ("other" in kinds or about_other):
        # "exclusive rights to distribute AXIM's TearScan diagnostic tests"; "its licensee Unbuzzd
        # Wellness will host an Investor Webinar"
        return False
    # a party the text describes as developing medicines ("Imago is a clinical stage
    # biopharmaceutical company") says what the deal is about as well as its own sentences do
    signals = len(named_things) + len(words) + ("medicines" in kinds)
    known = any(facts.in_vocabulary(c) and not _PUBLIC_BODY.search(c.name) for c in draft.companies)
    # funding a company named for medicines ("Tilos Therapeutics") is a biopharma deal in itself, and
    # so is any deal of a known one ("Innate Pharma")
    self_evident = bool(named) and (any(map(facts.in_vocabulary, named)) or draft.types == {"equity"})
    needed = 0 if self_evident else 1 if named or known else 2
    if signals < needed:
        return False
    enough = 3 if known else 8
    return bool(named) or facts.talks_biopharma(enough)


_FOLLOWING = 2  # sentences after a deal sentence that usually describe what the deal is about


def _subject_scope(draft: DealDraft, facts: DocumentFacts) -> list[tuple[int, int]]:
    """Where a deal's assets, targets and indications are read: its own sentences and, for the
    deal the document announces, the body sentences right after each of them ("Versanis' lead
    asset is bimagrumab, a monoclonal antibody ...")."""
    scope = [(s.start, s.end) for s in draft.sentences]
    if draft.year is not None:
        return scope
    spans, in_scope = facts.spans, set(scope)
    starts = {s.start for s in draft.sentences if s.types}
    for start in sorted(starts):
        index = bisect.bisect_left(facts._span_starts, start)
        if index == len(spans) or spans[index][0] != start:
            continue
        for following in spans[index + 1 : index + 1 + _FOLLOWING]:
            if section_at(facts.document, following[0]) is None and following not in in_scope:
                scope.append(following)
                in_scope.add(following)
    return scope


# A modality named in a list of product classes ("medicines and vaccines", "pharmaceuticals,
# vaccines and animal intelligence solutions") describes a company's portfolio, not the deal.
_PRODUCT_CLASSES = (
    r"(?:medicines|pharmaceuticals|therapeutics|therapies|treatments|drugs|devices|diagnostics|products"
    r"|solutions|biologics|vaccines|animal health)"
)
_PORTFOLIO_BEFORE = fastre.compile(rf"\b{_PRODUCT_CLASSES},?\s+(?:and\s+|or\s+)?(?:\w+\s+)?$", re.I)
_PORTFOLIO_AFTER = fastre.compile(rf"^,?\s+(?:and|or)\s+(?:\w+\s+)?{_PRODUCT_CLASSES}\b|^,\s+\w+(?:\s+\w+)?,", re.I)


def _stem_modality(asset: Entity) -> str | None:
    """The modality the stem of one of the asset's names states ("velarutinib" -> small molecule)."""
    for name in asset.names:
        word = name.lower().rsplit(maxsplit=1)[-1] if name.strip() else ""
        for stems, modality in INN_STEM_MODALITIES:
            if word.endswith(stems):
                return modality
    return None


def _deal_modalities(
    analysis: Analysis, text: str, scope: list[tuple[int, int]], assets: list[Entity]
) -> tuple[list[str], list[dict[str, Any]]]:
    """The deal's modalities with evidence: modality words in its scope (not those listing a
    company's product classes) and the modality the INN stems of its assets state."""
    found: dict[str, dict[str, Any]] = {}
    for start, end in scope:
        for entity in analysis.within("modality", start, end):
            for m in mentions_in(entity, start, end):
                if entity.name in found:
                    continue
                if _PORTFOLIO_BEFORE.search(text[max(0, m.start - 40) : m.start]) or _PORTFOLIO_AFTER.search(
                    text[m.end : m.end + 40]
                ):
                    continue
                found[entity.name] = {"field": "modalities", "start": m.start, "end": m.end}
    for asset in assets:
        modality = _stem_modality(asset)
        if modality and modality not in found:
            first = asset.mentions[0]  # mentions are in text order
            found[modality] = {"field": "modalities", "start": first.start, "end": first.end}
    return sorted(found), list(found.values())


def _asset_sentences(assets: list[Entity], facts: DocumentFacts) -> list[tuple[int, int]]:
    """Body sentences that name one of the deal's assets: where the text says what it targets
    ("patritumab deruxtecan (HER3-DXd), a HER3 directed DXd ADC")."""
    indexes = sorted({index for asset in assets for index in facts.body_spans(asset)})
    return [facts.spans[index] for index in indexes]


def _mention_evidence(field: str, entities: list[Entity], ranges: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """For each entity, its first mention inside ``ranges``: where the text names that value."""
    evidence = []
    for entity in entities:
        mentions, starts = entity.mentions, entity.mention_starts()  # in text order
        best: tuple[int, int] | None = None  # (start, index) of the first mention inside a range
        for start, end in ranges:
            low = bisect.bisect_left(starts, start)
            for index in range(low, bisect.bisect_right(starts, end, low)):
                if mentions[index].end <= end:
                    if best is None or (mentions[index].start, index) < best:
                        best = (mentions[index].start, index)
                    break
        if best is not None:
            mention = mentions[best[1]]
            evidence.append({"field": field, "start": mention.start, "end": mention.end})
    return evidence


def _type_evidence(draft: DealDraft, types: set[str]) -> list[dict[str, Any]]:
    """For each deal type, the first words of the deal's sentences that state it."""
    evidence = []
    for kind in sorted(types, key=TYPE_PRIORITY.index):
        span = next((s.type_spans[kind] for s in draft.sentences if kind in s.type_spans), None)
        if span:
            evidence.append({"field": "types", "start": span[0], "end": span[1]})
    return evidence


def extract_deals(
    document: Document, analysis: Analysis, spans: list[tuple[int, int]], published: date | None
) -> list[dict[str, Any]]:
    """SCHEMA.md deal records, each with ``evidence`` spans in cleaned-text offsets (mapped to
    the original text by ``record.py``)."""
    published_year = published.year if published else None
    drafts = group_deals(find_deal_sentences(document, analysis, spans), published_year)
    attach_money_sentences(drafts, analysis, document.text, spans, document)
    facts = DocumentFacts(document, analysis, spans)
    deals = []
    for draft in drafts:
        types = draft.types
        scope = _subject_scope(draft, facts)
        if draft.year is None and len(draft.companies) == 2 and facts.same_group(*draft.companies):
            continue  # (a dated acquisition is how the group came to be)
        if not types or not is_biopharma(draft, analysis, document.text, scope, facts):
            continue
        primary = next(t for t in TYPE_PRIORITY if t in types)
        subject = _round_subject(draft, analysis) if primary == "equity" else None
        if subject:
            draft.companies.append(subject)
        news = draft.year is None and draft.is_news
        text_of = " ".join(s.text for s in draft.sentences)
        money = _money_terms(draft, analysis, document.text)
        evidence = [{"field": "deal", "start": s.start, "end": s.end} for s in draft.sentences]
        evidence += [{"field": k, "start": m.start, "end": m.end} for k, m in money.items()]

        def inside(label: Label, scope: list[tuple[int, int]] = scope) -> list[Entity]:
            seen: dict[str, Entity] = {}
            for start, end in scope:
                for e in analysis.within(label, start, end):
                    seen.setdefault(e.name, e)
            return list(seen.values())

        assets = inside("drug")
        in_scope = set(scope)
        asset_scope = scope + [span for span in _asset_sentences(assets, facts) if span not in in_scope]
        targets = inside("target", asset_scope)
        indications = most_specific(inside("disease"))
        modalities, modality_evidence = _deal_modalities(analysis, document.text, scope, assets)
        parties = _roles(draft, primary, document.text)
        if any(role in _SUBJECT_ROLES and facts.kind(e) == "other" for e, role in parties):
            continue  # a drug company buying a clinic or licensing a diagnostic test
        sentence_spans = [(s.start, s.end) for s in draft.sentences]
        evidence += _type_evidence(draft, types)
        subject_spans = [(m.start, m.end) for m in subject.mentions[:1]] if subject else []
        evidence += _mention_evidence("parties", [e for e, _ in parties], sentence_spans + subject_spans)
        evidence += _mention_evidence("assets", assets, scope)
        evidence += _mention_evidence("targets", targets, asset_scope)
        evidence += _mention_evidence("indications", indications, scope)
        evidence += modality_evidence

        royalties = None
        if _ROYALTY.search(text_of):
            royalties = not _NO_ROYALTY.search(text_of)
        deals.append(
            {
                "types": sorted(types, key=TYPE_PRIORITY.index),
                "status": _status(draft) if news else None,
                "year": draft.year or (published_year if news else None),
                "parties": [{**_named(e), "role": role} for e, role in parties],
                "upfront": money["upfront"].as_record() if "upfront" in money else None,
                "equity": money["equity"].as_record() if "equity" in money else None,
                "milestones": money["milestones"].as_record() if "milestones" in money else None,
                "total_value": money["total_value"].as_record() if "total_value" in money else None,
                "royalties": royalties,
                "assets": [_named(e) for e in assets],
                "targets": [_named(e) for e in targets],
                "indications": [_named(e) for e in indications],
                "modalities": modalities,
                "evidence": evidence,
            }
        )
    return deals
