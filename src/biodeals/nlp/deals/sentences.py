"""Deal sentences: sentences that state a deal, with the companies the deal is between (a
group's parent and subsidiary are one side; a collaboration word must relate the two)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import pairwise

from biodeals import fastre
from biodeals.ingest.document import Document
from biodeals.nlp.analysis import Analysis
from biodeals.nlp.deals.cues import any_within, buys_named_drug, cue_positions, deal_cues, third_party_kinds
from biodeals.nlp.deals.links import co_subjects, links_partners
from biodeals.nlp.deals.sections import deal_section_sides, section_subject
from biodeals.nlp.deals.words import words
from biodeals.nlp.ranges import first_mention_in, mentions_in, section_at
from biodeals.nlp.resolve import GENERIC_FIRST_WORDS, normalise_name
from biodeals.nlp.sentences import LEDE_SENTENCES
from biodeals.nlp.spans import Entity

_NOT_A_DEAL = words("news.not_a_deal")
# a forward-looking statement outside the section it heads (the heading lost in scraping)
_FORWARD_LOOKING = fastre.compile(r"\bforward-looking statements?\b|\breflects? [^.;]{0,40}\bcurrent (?:beliefs|expectations)\b", re.I)
# "for $1.05 billion in cash upon regulatory approval", "if molnupiravir receives authorization or
# approval by Japan's PMDA, Merck will supply ...": a deal's condition, not approval news
_CONDITIONS = fastre.compile(
    r"\b(?:upon|subject to|pending|including|receipt of|conditioned on|following|if|once|when)\b[^.;]{0,60}?\bapprov\w*", re.I
)
_FINANCIAL_RESULTS = words("news.financial_results")
# A person's career ("Earlier in his career, he held roles at IBM Watson Health and Merge
# Healthcare, a platform acquired by ..."): the companies it names made no deal in this news.
_BIOGRAPHY = words("news.biography")
# "is in advanced talks to acquire SpringWorks": talks are no agreement yet
_IN_TALKS = words("news.in_talks")


_TRIAL_CONDUCT = words("news.trial_conduct")
# the trial groups, networks and institutes that run studies with a sponsor
_TRIAL_GROUP = fastre.compile(
    r"\b(?:Group|Network|Intergroup|Consortium|Cooperative|Organi[sz]ation|Institute|University|Foundation|Alliance"
    r"|NRG Oncology|EORTC|NIAID|NIH|NCI)\b"
)


def _drug_company(company: Entity) -> bool:
    """A company the vocabulary knows and no trial group: who may partner on a study as a deal."""
    return company.in_vocabulary and not _TRIAL_GROUP.search(company.name)


# "the two companies", "the parties": a deal sentence about the pair just named
_PAIR_ANAPHOR = words("news.pair_anaphor")


# the company a story is about, named by what it is: "the company", not "the companies"
SUBJECT_ANAPHOR = fastre.compile(r"\b[Tt]he (?:company|Company|firm|biotech|drugmaker)\b(?!s)")
# right after a company's mention: the company owns what follows ("Imago's lead candidate", "NGM’s program")
POSSESSIVE_AFTER = fastre.compile(r"['’]s?\s")
# "* The agreement to sell the rights of Baqsimi to Amphastar": a deal told without the one who
# makes it, as a release lists its own deals; the one who makes it is the company the story is about
_AGENTLESS_DEAL = fastre.compile(
    r"[\s*#•-]*(?:The|An?)\s+(?:[\w-]+\s+){0,2}?(?:agreement|acquisition|sale|divestiture|licen[cs]e|collaboration|partnership|deal)s?\b"
)
# "* CEO Chris Anzalone announced a licensing agreement with Sarepta": an officer named by title
# alone, as earnings-call summaries write them, speaks for the company the story is about
_OFFICER_SPEAKS = fastre.compile(
    r"[\s*#•-]*(?:(?:The|Its) )?(?:CEO|CFO|COO|Chief (?:Executive|Financial|Operating|Business|Medical|Scientific) Officer"
    r"|President(?: and CEO)?|Chairman)\s+(?:[A-Z][a-z]+\s+){1,2}(?:said|says|stated|announced|noted|highlighted|emphasized|disclosed)\b"
)
# the company that speaks in its own "About" section ("we", "our", "the Company")
_FIRST_PERSON = fastre.compile(r"\b(?:[Ww]e|[Oo]ur|[Uu]s|[Tt]he Company)\b")


@dataclass(slots=True)
class DealSentence:
    start: int
    end: int
    text: str
    companies: list[Entity]
    types: set[str]
    type_spans: dict[str, tuple[int, int]]  # where the sentence first states each deal type (evidence)
    in_lede: bool = False  # among the document's first sentences: what a story leads with is its news
    in_results: bool = False  # a financial-results sentence ("acquired IPR&D charges related to ...")
    deal_section: int | None = None  # start of the "About the A and B collaboration" section it is in
    joint: bool = False  # its first two companies, named together, are one side of a deal with the third


def _first_index(entity: Entity, start: int, end: int) -> int:
    first = first_mention_in(entity, start, end)
    return end if first is None else first.start


def _distinct_companies(companies: list[Entity]) -> list[Entity]:
    """Drop a company sharing a first name word with one named before it (or its short names): "Merck
    Animal Health" and "Merck & Co., Inc.", "Lilly Research Laboratories" and Lilly are one group."""
    kept: list[Entity] = []
    seen: set[str] = set()
    for company in companies:
        firsts = {normalise_name(name).split(" ", 1)[0] for name in (company.name, *company.aliases)}
        if any(len(first) >= 3 and first in seen and first not in GENERIC_FIRST_WORDS for first in firsts):
            continue
        seen |= firsts
        kept.append(company)
    return kept


# "its subsidiary, HOPE Therapeutics", not "Merck, through a subsidiary, will acquire Imago"
_CHILD_NEXT = fastre.compile(r"\b(?:subsidiary|sister (?:company|brand)|division)\W+(?-i:[A-Z]\w*\W+){0,2}$", re.I)
_PARENT_NEXT = fastre.compile(
    r"^,?\s+(?:a|an|its|the)\s+(?:wholly[- ]owned\s+)?(?:subsidiary|sister (?:company|brand)|division|(?:business )?unit"
    r"|(?:research and development|R&D|research|business) group|(?:[\w-]+\s+){0,2}arm) of\s+(?:the\s+)?$"
    r"|^,?\s+\(?(?:now|formerly)\s+(?:known as|called|named)\s+$"  # one company under two names
)


def _without_parents(companies: list[Entity], text: str, start: int, end: int) -> list[Entity]:
    """Drop a company the sentence names as the parent of another ("NRx ... its wholly owned
    subsidiary, HOPE Therapeutics, has signed ..."; "Wesley, a sister brand of Olympia"): a
    group's own companies are one side, and the one that acts is the subsidiary."""
    mentions = sorted((m.start, m.end, c) for c in companies for m in mentions_in(c, start, end))
    parents: set[str] = set()
    for index, (m_start, m_end, company) in enumerate(mentions):
        found = set()
        if index and _CHILD_NEXT.search(text, max(start, m_start - 40), m_start):
            found.add(mentions[index - 1][2].name)
        between = text[m_end : mentions[index + 1][0]] if index + 1 < len(mentions) else ""
        if _PARENT_NEXT.match(between) or between == " at ":  # "Loxo Oncology at Lilly" is a unit of Lilly
            found.add(mentions[index + 1][2].name)
        parents |= found - {company.name}  # "Lilly, a research group of Eli Lilly": no parent of itself
    return [c for c in companies if c.name not in parents]


# "Prometheus, Imago and Harpoon", "Seagen (NASDAQ: SGEN) and Astellas": names listed side by side
_LIST_GLUE = fastre.compile(r"^\s*(?:\([^()]{0,40}\))?\s*(?:,|,?\s*(?:and|&|or))\s*(?:the\s+)?$")
# "the disposition of A and the acquisition of B": two deal nouns, two deals
_PLURAL_OR_JOINED_DEALS = fastre.compile(
    r"\b(?:transactions|deals|acquisitions|divestitures)\b|\b(?:acquisition|disposition|divestiture|sale|purchase)\s+of\b"
    r"[^.;]{1,120}?\band\s+(?:the\s+)?(?:acquisition|disposition|divestiture|sale|purchase)\s+of\b",
    re.I,
)
# "the acquisitions of A and B", "collaborations with A and B": one deal with each
_PLURAL_DEALS = fastre.compile(
    r"\b(?:acquisitions|collaborations|partnerships|agreements|licen[cs]es|alliances|deals|transactions)\b", re.I
)


# the words between a deal noun and what it transfers ("the disposition of our remaining ownership in")
STAKE_WORDS = r"(?:\s+(?:the|our|its|their|remaining|ownership|stake|interest|shares|in)){0,5}"
# "the acquisition of Loxo", "the disposition of our remaining ownership in Elanco": a company
# named as what a deal transfers
_DEAL_OBJECT_BEFORE = fastre.compile(
    r"\b(?:acquisition|disposition|divestiture|divestment|sale|purchase|spin-?off|separation|merger)\s+(?:of|with)"
    rf"{STAKE_WORDS}\s+$",
    re.I,
)


def _deal_objects(companies: list[Entity], text: str, start: int, end: int) -> list[Entity]:
    """The companies a sentence names as what two or more deals transfer, each its own deal."""
    if not _PLURAL_OR_JOINED_DEALS.search(text, start, end):
        return []
    return [
        c
        for c in companies
        if any(_DEAL_OBJECT_BEFORE.search(text, max(start, m.start - 80), m.start) for m in mentions_in(c, start, end))
    ]


def split_lists(
    companies: list[Entity], text: str, start: int, end: int, story_subject: Entity | None, types: set[str]
) -> list[list[Entity]]:
    """The sides of each deal a sentence states. A list of three or more companies ("its
    acquisitions of Prometheus, Imago and Harpoon"; "a collaboration with Seagen, Astellas and
    Pfizer"), or of two after a plural deal word, is one deal of each listed company with the
    company outside the list (the one the sentence names besides, else the one the story is
    about), not a deal between the first two listed. A financing round's list is its investors."""
    if len(companies) < 2 or "equity" in types:
        return [companies]
    objects = _deal_objects(companies, text, start, end)
    if len(objects) > 1 and story_subject is not None and story_subject not in objects:
        # "the disposition of our ownership in Elanco and the acquisition of Loxo": two deals of
        # the one who speaks, not one between Elanco and Loxo
        return [[story_subject, company] for company in objects]
    firsts = sorted(
        ((m.start, m.end, c) for c in companies if (m := first_mention_in(c, start, end)) is not None),
        key=lambda x: x[0],
    )
    run: list[Entity] = []
    best: list[Entity] = []
    for index, (m_start, _, company) in enumerate(firsts):
        if run and _LIST_GLUE.match(text[firsts[index - 1][1] : m_start]):
            run.append(company)
        else:
            run = [company]
        if len(run) > len(best):
            best = list(run)
    listed = {c.name for c in best}
    if len(best) < 2 or (len(best) == 2 and not _PLURAL_DEALS.search(text, start, end)):
        return [companies]
    anchor = next((c for c in companies if c.name not in listed), None)
    if anchor is None and story_subject is not None and story_subject.name not in listed:
        anchor = story_subject
    if anchor is None:
        return [companies]
    return [[anchor, company] for company in best]


_PARENT_REACH = 160


def group_pairs(companies: list[Entity], text: str) -> dict[tuple[int, int], None]:
    """``(id(parent), id(child))`` for each pair of companies the document names as a group
    anywhere ("NRx subsidiary HOPE Therapeutics", "Akouos, a wholly owned subsidiary of Eli
    Lilly", "Loxo Oncology at Lilly"): a group's companies are one side of its deals, never two. One pass over the
    mentions, each compared with the few just before and after it. The pairs are keys in text
    order (a set of ids would iterate in memory order, and a company with two parents would join
    a different one from run to run)."""
    mentions = sorted(((m.start, m.end, c) for c in companies for m in c.mentions), key=lambda x: x[0])
    starts = [start for start, _, _ in mentions]
    pairs: dict[tuple[int, int], None] = {}
    for start, end, child in mentions:
        window = max(0, start - 60)
        if _CHILD_NEXT.search(text, window, start):
            # the company that opens the stretch before "its wholly owned subsidiary," (the
            # sentence's subject, "Quantum BioPharma maintains a portfolio of ... through its ...")
            low, high = bisect.bisect_left(starts, max(0, start - _PARENT_REACH)), bisect.bisect_left(starts, start)
            for _, _, parent in mentions[low:high][:1] + mentions[bisect.bisect_left(starts, window) : high]:
                pairs[(id(parent), id(child))] = None
        low, high = bisect.bisect_right(starts, end), bisect.bisect_right(starts, end + 70)
        for next_start, _, parent in mentions[low:high]:
            if _PARENT_NEXT.match(text[end:next_start]) or text[end:next_start] == " at ":  # "Loxo Oncology at Lilly"
                pairs[(id(parent), id(child))] = None
    return pairs


# "committed $18 billion to build, upgrade and acquire facilities": buying sites from no one named
# is a company's own capital spending, not a deal ("acquired a facility from Nexus" is one)
_SITE_BOUGHT = fastre.compile(r"\b(?:facilit(?:y|ies)|sites?|plants?|campus(?:es)?)$", re.I)
_FROM_SELLER = fastre.compile(r"^[^.;]{0,120}?\bfrom\s+(?:the\s+)?[A-Z]")


def _capital_spending(cue: tuple[int, int], text: str, end: int) -> bool:
    """Whether an asset-purchase cue of a one-company sentence buys sites from no seller named."""
    return bool(_SITE_BOUGHT.search(text, cue[0], cue[1])) and not _FROM_SELLER.match(text, cue[1], end)


PORTFOLIO = words("news.portfolio")
_FUND_HOLDER = fastre.compile(r"\b(?:Capital|Ventures?|Fund|Partners|Investments?|Holdings)\b")


def _portfolio_holder(
    text: str, named: list[Entity], found: list[DealSentence], story_subject: Entity | None
) -> Entity | None:
    """Who holds the stakes a portfolio sentence lists: a fund it names outside the list, else the
    company the deal sentences just before are about, else the story's company; none when the
    sentence lists fewer than two companies besides."""
    holders = [c for c in named if _FUND_HOLDER.search(c.name)]
    holder = holders[0] if len(holders) == 1 else (found[-1].companies[0] if found else story_subject)
    if holder is None or len([c for c in named if c is not holder]) < 2:
        return None
    return holder



# "the technology of TheraCour, which TheraCour licenses from AllExcel": a company that makes the
# deal inside a relative clause, whose sides are it and those named after it
_RELATIVE_SUBJECT_BEFORE = fastre.compile(r"(?:,\s*|\s)(?:which|that|whom)\s+$")
_RELATIVE_DEAL_VERB = fastre.compile(
    r"\s+(?:\w+\s+)?(?:licen[cs]e[sd]?|in-licen[cs]e[sd]?|acquired|bought|sold|partnered|signed|obtained)\b", re.I
)


def _relative_clause_sides(companies: list[Entity], text: str, start: int, end: int) -> list[Entity]:
    """The sides of a deal a relative clause states: its subject and the companies after it."""
    for company in companies[1:]:
        for m in mentions_in(company, start, end):
            if _RELATIVE_SUBJECT_BEFORE.search(text, max(start, m.start - 12), m.start) and _RELATIVE_DEAL_VERB.match(
                text, m.end
            ):
                after = [c for c in companies if c is not company and first_mention_in(c, m.end, end) is not None]
                return [company, *after] if after else companies
    return companies


# "ABVC ... today announced that its affiliate, OncoX BioPharma Inc., has entered into a definitive
# agreement to acquire the platform from APBDI": the announcer reports a deal between others
_ANNOUNCED_THAT = fastre.compile(r"\b(?:announc(?:ed|es)|said|reported|disclosed)\s+(?:today\s+)?that\b")


def _announced_sides(companies: list[Entity], text: str, start: int, end: int) -> list[Entity]:
    """The sides of a deal one company announces between two others it names after "announced that"."""
    announced = _ANNOUNCED_THAT.search(text, start, end)
    if announced is None or len(companies) < 3:
        return companies
    before = [c for c in companies if first_mention_in(c, start, announced.start()) is not None]
    after = [c for c in companies if first_mention_in(c, announced.end(), end) is not None]
    if len(before) == 1 and before[0] not in after and len(after) >= 2:
        return after
    return companies


def _clause_sides(companies: list[Entity], cues: dict[str, tuple[int, int]], text: str, start: int, end: int) -> list[Entity]:
    """In a sentence of clauses parted by semicolons whose deal words all stand in one clause
    ("...; allocating courses through UNICEF; and granting voluntary licenses to the Medicines
    Patent Pool"), the companies of that clause and of the first (its subject)."""
    bounds = [start, *(start + m.end() for m in re.finditer(";", text[start:end])), end]
    if len(bounds) < 4:  # fewer than three clauses
        return companies
    clauses = list(pairwise(bounds))
    holding = {i for cue, _ in cues.values() for i, (a, b) in enumerate(clauses) if a <= cue < b}
    if len(holding) != 1:
        return companies
    (cue_clause,) = holding
    kept = [c for c in companies if any(first_mention_in(c, *clauses[i]) for i in {0, cue_clause})]
    return kept or companies


def _buyer_sides(companies: list[Entity], cues: dict[str, tuple[int, int]], start: int) -> list[Entity]:
    """"Merck and Ridgeback Announce U.S. Government to Purchase 1.4 Million Courses": in a
    supply sentence of three companies or more, the one named last before the supply words buys,
    beside the first, who sells."""
    if set(cues) != {"supply"} or len(companies) < 3:
        return companies
    cue = cues["supply"][0]
    named = [(m.start, c) for c in companies for m in mentions_in(c, start, cue)]
    if not named:
        return companies
    buyer = max(named, key=lambda pair: pair[0])[1]
    if buyer in companies[:2]:
        return companies
    return [companies[0], buyer, *(c for c in companies[1:] if c is not buyer)]


# "founded by Johns Hopkins alumni George Petrocheilos", "former Merck executives": a company named
# to say who people are is no party
_PEOPLE_AFTER = fastre.compile(
    r"(?:\s+[A-Z][\w.-]*)?\s+(?:alumni|alumnus|graduates?|professors?|faculty|researchers?|scientists?|veterans?|executives?|employees?)\b"
)


def _only_describes_people(company: Entity, text: str, start: int, end: int) -> bool:
    mentions = mentions_in(company, start, end)
    return bool(mentions) and all(_PEOPLE_AFTER.match(text, m.end) for m in mentions)


def find_deal_sentences(document: Document, analysis: Analysis, spans: list[tuple[int, int]]) -> list[DealSentence]:
    """Sentences that state a deal: a deal word and at least one company, outside boilerplate
    (an "About" section still counts when it names two companies and a deal word)."""
    found: list[DealSentence] = []
    last_pair: list[Entity] = []  # the companies of the last sentence found that names two
    story_subject = next(iter(analysis.of("company")), None)  # the company the story names first
    cues = cue_positions(document.text)
    for index, (start, end) in enumerate(spans):
        if not any_within(cues, start, end):
            continue
        section = section_at(document, start)
        if section and section.kind in ("forward_looking", "contact"):
            continue
        text = document.text[start:end]
        if _BIOGRAPHY.search(text) or _IN_TALKS.search(text):
            continue
        named = [c for c in analysis.within("company", start, end) if not _only_describes_people(c, document.text, start, end)]
        companies = named
        if section and section.kind == "about" and _FIRST_PERSON.search(text):
            # "Our product candidates are licensed from the University of ...": "our" is the company
            # the section is about
            subject = section_subject(section.title, analysis)
            if subject is not None and subject not in named:
                companies = [subject, *named]
        if not companies and _PAIR_ANAPHOR.search(text):
            companies = last_pair[:2]
        elif (
            not section
            and story_subject is not None
            and story_subject not in companies
            and (
                SUBJECT_ANAPHOR.search(text)
                or (len(companies) == 1 and (_AGENTLESS_DEAL.match(text) or _OFFICER_SPEAKS.match(text)))
            )
        ):
            # "The company also reported a $2 million payment from AbbVie": the company the story is about
            companies = [story_subject, *companies]
        deal_section = section_at(document, end - 1)  # a heading's sentence starts before its section
        told_by = deal_section_sides(document, deal_section, analysis, start)
        heading_sides = [c for c in told_by if c not in companies] if all(c in told_by for c in companies) else []
        # "Merck has the option to extend the research agreement": the deal the heading names
        companies = [*companies, *heading_sides]
        if not companies or (section and len(companies) < 2):
            continue
        type_spans = deal_cues(document.text, start, end, named)
        types = set(type_spans)
        if not types:
            continue
        if _NOT_A_DEAL.search(_CONDITIONS.sub(" ", text)) and len(types) == 1 and "acquisition" not in types:
            continue
        if _FORWARD_LOOKING.search(text):
            # "statements ... about the supply of OLUMIANT, and reflects Lilly's and Incyte's current
            # beliefs": a topic of the caution, though a release cut short may name its acquisition only here
            type_spans = {kind: span for kind, span in type_spans.items() if kind == "acquisition"}
            types = set(type_spans)
            if not types:
                continue
        acquisition = type_spans.get("acquisition")
        if acquisition and buys_named_drug(acquisition, analysis, document.text, end):
            type_spans.setdefault("asset_purchase", type_spans.pop("acquisition"))
            types = set(type_spans)
        lone_purchase = types == {"asset_purchase"} and len(companies) == 1
        if lone_purchase and _capital_spending(type_spans["asset_purchase"], document.text, end):
            continue
        # in text order; a company the sentence refers to as "we" or "the company" goes first, as
        # the one that speaks or acts ("the company's strategy builds on the 2020 acquisition of Prevail")
        companies = _distinct_companies(
            sorted(companies, key=lambda e: (e in heading_sides, -1 if e not in named else _first_index(e, start, end)))
        )
        companies = _without_parents(companies, document.text, start, end)
        if not companies:
            continue
        companies = _relative_clause_sides(companies, document.text, start, end)
        companies = _announced_sides(companies, document.text, start, end)
        if "collaboration" in types and _TRIAL_CONDUCT.search(text) and not all(_drug_company(c) for c in companies):
            # "The OlympiA trial is led by the Breast International Group in partnership with NRG
            # Oncology, AstraZeneca and Merck", "conducted in collaboration with EORTC and ETOP": who
            # runs one study, no deal between them ("conducted by Merck in collaboration with Lilly" is one)
            del type_spans["collaboration"]
            types.discard("collaboration")
            if not types:
                continue
        if (
            "collaboration" in types
            and len(companies) > 1
            and not links_partners(type_spans["collaboration"], *companies[:2], document.text, start, end)
        ):
            del type_spans["collaboration"]
            types.discard("collaboration")
            if not types:
                continue
        companies = _clause_sides(companies, type_spans, document.text, start, end)
        companies = _buyer_sides(companies, type_spans, start)
        theirs = third_party_kinds(type_spans, companies, document.text, end) if len(companies) > 2 else set()
        if theirs < types:
            types -= theirs  # another deal the sentence names beside this one is its own sentence's
            type_spans = {kind: span for kind, span in type_spans.items() if kind in types}
        # "Merck and Ridgeback Announce Supply Agreement with UNICEF": the two together with the third
        joint = bool(theirs) and theirs == types and co_subjects(*companies[:2], document.text, start, end)
        lede = index < LEDE_SENTENCES
        results = not lede and bool(_FINANCIAL_RESULTS.search(text))  # a headline states its news
        holder = _portfolio_holder(text, named, found, story_subject) if not section and PORTFOLIO.search(text) else None
        if holder is not None:
            # "[Catalio ...] Its recent investments include Syndeio, Imbria and Aviceda": a stake in each
            held = {"equity": type_spans.get("equity", (start, end))}
            for company in (c for c in named if c is not holder):
                found.append(DealSentence(start, end, text, [holder, company], {"equity"}, held, lede, results))
            continue
        told_in = deal_section.start if told_by and deal_section else None
        for sides in split_lists(companies, document.text, start, end, story_subject, types):
            found.append(DealSentence(start, end, text, sides, types, type_spans, lede, results, told_in, joint))
        if len(companies) > 1:
            last_pair = companies
    return found
