"""Deal candidates: the deal sentences grouped by the pair of companies they name (and the
year a past deal is dated), plus the sentences that state their money."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from biodeals import fastre
from biodeals.ingest.document import Document
from biodeals.model import DealType
from biodeals.nlp.analysis import Analysis
from biodeals.nlp.deals.cues import any_within, type_matches
from biodeals.nlp.deals.sentences import PORTFOLIO, DealSentence
from biodeals.nlp.deals.words import words
from biodeals.nlp.ranges import section_at
from biodeals.nlp.spans import Entity

# deal types in the order the main type of a deal is chosen
TYPE_PRIORITY: tuple[str, ...] = tuple(t.value for t in DealType)
_MAX_PARTIES = 6
_NEAR = 300
# a deal that transfers a business or asset, and the services its buyer or seller may render after it
_OWNERSHIP_TYPES = {"acquisition", "asset_purchase"}
SERVICE_TYPES = {"manufacturing", "supply"}


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# "In January 2011", and "InJanuary 2011" as scraped text glues it
_YEAR_IN = fastre.compile(
    rf"\b(?:[Ii]n|[Ss]ince|[Dd]uring|[Oo]n|[Aa]t the (?:end|start|beginning|close) of)(?:\s+|(?={_MONTH}\s))(?:(?:early|late|mid-?)\s*)?"
    rf"(?:{_MONTH}\s+(?:\d{{1,2}},?\s+)?)?((?:19|20)\d{{2}})\b"
)  # "In March 2021", "since 2015", "at the end of 2022"
# "builds on the 2020 acquisition of Prevail": a year naming the deal it precedes
_YEAR_OF_DEAL = fastre.compile(
    r"\b(?:the|its|their|a|an) ((?:19|20)\d{2}) (?:\w+ )?(?:acquisition|merger|purchase|deal|agreement|collaboration"
    r"|licen[cs]e|partnership|investment|transaction)s?\b"
)
# "CVX-12, the biotech's inhibitor that Novartis licensed in 2023": a year in a relative clause
# dates what the clause tells, not the deal of the sentence
# or a participle of the agreement ("Under the agreement, established in 2016, Merck will pay")
_IN_RELATIVE = fastre.compile(
    r"\b(?:that|which|who)\b[^,.;]{0,60}$|,\s*(?:first |originally )?(?:established|signed|entered into|formed)"
    r"(?:\s+in\s+(?:19|20)\d{2}\s+and\s+(?:amended|extended|expanded|renewed))?\s*$"
)
# A deal the document reports as news, rather than one it mentions as background.
_FRESH = words("news.fresh")
# "The pivotal phase 3 trial ... has been completed": a study done, no deal news
_TRIAL_DONE = words("news.trial_done")
# A deal the text places before its news without dating it.
_EARLIER = words("news.earlier")
# "As part of the agreement, Xilio will receive ... a $10 million equity investment": a sentence
# that tells the terms of a deal already named, not a deal of its own
_PART_OF_DEAL = words("news.part_of_deal")
_FINANCIAL_RESULTS = words("news.financial_results")
_DEAL_ANAPHOR = words("news.deal_anaphor")


@dataclass(slots=True)
class DealCandidate:
    """A possible deal: the companies it is between and the sentences that state it (offsets
    index ``Document.text``), then what decides it: ``scope`` (where its subject is read),
    ``features`` (named evidence for and against it, filled by scoring), ``score`` and, when it
    is not a deal, ``rejected`` (the reason)."""

    companies: list[Entity]
    sentences: list[DealSentence] = field(default_factory=list)
    year: int | None = None
    past: bool = False  # a deal the text dates before its news ("previously led") without a year
    this_year: bool = False  # a sentence dates it in the publication year ("sold ... in December 2024")
    investee: Entity | None = None  # the company a financing round is for (``rounds.gather_rounds``)
    scope: list[tuple[int, int]] = field(default_factory=list)
    features: dict[str, bool] = field(default_factory=dict)
    score: float | None = None
    rejected: str | None = None
    rule_failure: str | None = None  # the first rule check that fails, if any

    @property
    def types(self) -> set[str]:
        """The deal types its sentences state; a results sentence's ("charges related to business
        development transactions with Foghorn") only when no other sentence states one."""
        told = [s for s in self.sentences if s.types and not s.in_results]
        return set().union(*(s.types for s in told or self.sentences))

    @property
    def is_news(self) -> bool:
        """Whether a deal sentence reports it as news ("today announced", "signed", "will pay"), or
        the story leads with it, naming both sides ("Kyowa Kirin acquired Orchard ..."), rather
        than mentioning it as background."""
        led_with = len(self.companies) > 1  # a lone company's lede may be background ("Acme has rights to ...")
        return not self.past and any(
            (led_with and s.in_lede) or _FRESH.search(_TRIAL_DONE.sub(" ", s.text)) for s in self.sentences if s.types
        )


def group_deals(sentences: list[DealSentence], published_year: int | None) -> list[DealCandidate]:
    """One candidate per pair of companies (or lone company); a sentence that names a past year
    ("In 2016, ...") starts a separate candidate for that year."""
    # keyed by pair, year (-1: an undated past deal) and a kind that keeps two deals of one pair
    # apart ("service": a service agreement after a purchase; "round": a lone company's financing)
    candidates: dict[tuple[frozenset[str], int | None, str], DealCandidate] = {}
    lone: list[tuple[DealSentence, int | None, bool]] = []
    section_years: dict[int, int] = {}  # a deal section's start -> the year its story dates the deal
    for sentence in sentences:
        year_match = next(
            (m for m in _YEAR_IN.finditer(sentence.text) if not _IN_RELATIVE.search(sentence.text, 0, m.start())), None
        ) or _YEAR_OF_DEAL.search(sentence.text)
        year = int(year_match.group(1)) if year_match else None
        this_year = year is not None and published_year is not None and year >= published_year
        if this_year:
            year = None
        if sentence.deal_section is not None:
            # "**About Merck and NGM's Collaboration** In 2015, ...": the section tells one deal's story
            if year is None and not this_year:
                year = section_years.get(sentence.deal_section)
            elif year is not None:
                section_years[sentence.deal_section] = year
        # "On Sept. 30, 2021, Merck announced that it had entered into ...", told in 2021: this year's deal
        past = year is None and not this_year and bool(_EARLIER.search(sentence.text) or PORTFOLIO.search(sentence.text))
        if len(sentence.companies) < 2:
            lone.append((sentence, year, past, this_year))
            continue
        sides = sentence.companies[: 3 if sentence.joint else 2]
        pair = frozenset(e.name for e in sides)
        key = (pair, -1 if past else year, "")
        candidate = candidates.get(key)
        if candidate is not None and sentence.types <= SERVICE_TYPES and candidate.types <= _OWNERSHIP_TYPES:
            # "Bora completes its acquisition of MacroGenics' plant ... signed a long-term CDMO
            # service agreement with MacroGenics": the buyer's service to the seller is a deal of its own
            key = (pair, key[1], "service")
            candidate = candidates.get(key)
        if candidate is None:
            candidate = candidates[key] = DealCandidate(list(sides), year=year, past=past)
        if "equity" in sentence.types:  # a financing round has many investors
            known = {c.name for c in candidate.companies}
            candidate.companies += [c for c in sentence.companies[2:_MAX_PARTIES] if c.name not in known]
        candidate.sentences.append(sentence)
        candidate.this_year |= this_year
    # a partnership the document only refers to ("its strategic partner") is the past deal it dates
    first_dated: dict[frozenset[str], DealCandidate] = {}
    for (pair, year, _), candidate in candidates.items():
        if year is not None:
            first_dated.setdefault(pair, candidate)
    for key, candidate in list(candidates.items()):
        dated = first_dated.get(key[0])
        if key[1] is None and dated and not candidate.is_news:
            dated.sentences = sorted(dated.sentences + candidate.sentences, key=lambda s: s.start)
            del candidates[key]
    # a sentence with one company joins the current-year deal that includes it
    current: dict[str, list[DealCandidate]] = {}  # company name -> the current-year deals naming it
    for (pair, year, _), candidate in candidates.items():
        if year is None:
            for name in pair:
                current.setdefault(name, []).append(candidate)
    # a deal sentence naming one company joins the current-year deal that includes it, else it
    # states a deal of its own whose other side the sentence does not name as a company
    # ("Mankind Pharma completed the acquisition of Bharat Serums and Vaccines")
    for sentence, year, past, this_year in lone:
        company = sentence.companies[0]
        # of several deals of the company, the one of the kind the sentence states ("Merck entered
        # into licensing agreements" beside its supply deal with the U.S. government and its
        # collaboration with Ridgeback), else the one told last before it ("Under the terms of the
        # expanded license agreement" follows the alliance it refers to, in a list of news items)
        deals = current.get(company.name, [])
        candidate = next((d for d in deals if sentence.types & d.types), None)
        if candidate is None and deals:
            if _PART_OF_DEAL.search(sentence.text) or _DEAL_ANAPHOR.search(sentence.text):
                candidate = _latest_before(deals, sentence.start)
            elif any(0 <= sentence.start - s.end <= _NEAR for s in deals[0].sentences):
                candidate = deals[0]
        # a round the company raised is its own deal, not part of its partnership; nor is one it dates
        # before the news ("compounds acquired in 2023")
        own_round = (
            sentence.types == {"equity"} and "equity" not in candidate.types and not _PART_OF_DEAL.search(sentence.text)
            if candidate
            else False
        )
        # a results sentence of another kind of deal ("the gain on the sale of the company's
        # antibiotics business", in a report that names the Dermira acquisition) is no part of it
        other_kind = (
            candidate is not None
            and not sentence.types & candidate.types
            and sentence.in_results
        )
        if candidate is not None and not own_round and not other_kind and year is None:
            candidate.sentences.append(sentence)
            candidate.this_year |= this_year
            continue
        # a lone company's raise is no part of what else it tells of its business
        key = (frozenset({company.name}), -1 if past else year, "round" if "equity" in sentence.types else "")
        if key not in candidates:
            candidates[key] = DealCandidate([company], year=year, past=past)
        candidates[key].sentences.append(sentence)
        candidates[key].this_year |= this_year
    return list(candidates.values())


def _latest_before(deals: list[DealCandidate], at: int) -> DealCandidate:
    """Of ``deals``, the one the text told last before ``at`` (else the first): what a sentence
    that refers back to "the agreement" refers to."""
    return max(deals, key=lambda d: max((s.start for s in d.sentences if s.start < at), default=-1))


def merge_unit_deals(candidates: list[DealCandidate], groups: Iterable[tuple[int, int]]) -> list[DealCandidate]:
    """A deal of a company's unit with a partner the company itself has a deal with, dated alike,
    is that deal ("Loxo Oncology at Lilly" and Kumquat, beside Lilly and Kumquat): ``groups`` are
    the document's ``(id(parent), id(child))`` pairs."""
    parent_of = {child: parent for parent, child in groups}
    by_pair = {(frozenset(id(c) for c in d.companies), d.year, d.past): d for d in candidates if len(d.companies) == 2}
    kept = []
    for candidate in candidates:
        into = None
        if len(candidate.companies) == 2:
            first, second = (id(c) for c in candidate.companies)
            for unit, partner in ((first, second), (second, first)):
                parent = parent_of.get(unit)
                if parent is not None:
                    into = by_pair.get((frozenset({parent, partner}), candidate.year, candidate.past))
                    if into is not None and into is not candidate:
                        break
                into = None
        if into is None:
            kept.append(candidate)
        else:
            into.sentences = sorted(into.sentences + candidate.sentences, key=lambda s: s.start)
    return kept


_MONEY_CONTEXT = words("money.context")
_FINANCING_MONEY = words("money.financing")


def tells_results(text: str) -> bool:
    """Whether ``text`` uses the words of financial results, leaving out what a financing raised
    ("raising approximately $16.5 million in gross proceeds" is a deal's sum, no result)."""
    return bool(_FINANCIAL_RESULTS.search(_FINANCING_MONEY.sub(" ", text)))
# the kinds of deal whose money a sentence that names them is (a purchase's price, a supply's sum),
# unlike the stake or option a licence or collaboration often includes
_OWN_KIND = _OWNERSHIP_TYPES | SERVICE_TYPES
_MARKET_STATISTICS = words("money.market_statistics")


def attach_money_sentences(
    candidates: list[DealCandidate], analysis: Analysis, text: str, spans: list[tuple[int, int]], document: Document
) -> None:
    """Sentences that state deal money without a deal word ("Innate may receive up to $1.44
    billion in milestones") join the current deal that names one of their companies, else, when
    they name none, the first current deal; money a sentence ties to other companies is theirs."""
    current = [d for d in candidates if d.year is None and not d.past]
    if not current:
        return
    taken = {(s.start, s.end) for d in candidates for s in d.sentences}
    amounts = sorted(m.start for m in analysis.money if not m.per_share)
    first_naming: dict[str, int] = {}  # company name -> index of the first current deal naming it
    for index, candidate in enumerate(current):
        for company in candidate.companies:
            first_naming.setdefault(company.name, index)
    extended: dict[int, DealCandidate] = {}
    for start, end in spans:
        if (start, end) in taken or not any_within(amounts, start, end):
            continue
        section = section_at(document, start)
        if section:
            continue
        sentence_text = text[start:end]
        financing = bool(_FINANCING_MONEY.search(sentence_text))  # "Gross proceeds from the offering were $15M"
        if not (financing or _MONEY_CONTEXT.search(sentence_text)) or tells_results(sentence_text):
            continue  # "EPS was inclusive of $0.10 of acquired IPR&D" states no deal's money
        if _MARKET_STATISTICS.search(sentence_text):
            continue  # "In 2024, 32 pharma deals, worth $19.2 billion, were completed" counts a market
        companies = analysis.within("company", start, end)
        named = [first_naming[c.name] for c in companies if c.name in first_naming]
        if len(named) < len(companies):
            continue  # "Merck will supply 1.6 million courses to the Japanese government for $1.2 billion"
        type_spans = type_matches(sentence_text, start)
        kinds = set(type_spans) & _OWN_KIND | ({"equity"} if financing else set())
        chosen = [i for i in named or range(len(current)) if not kinds or kinds & current[i].types]
        if not chosen:
            continue  # "The purchase agreement is for $812.5 million", beside a collaboration: another deal's price
        target = current[min(chosen)]
        stated = set(type_spans) & {"equity", "option"}
        target.sentences.append(DealSentence(start, end, sentence_text, companies, stated, type_spans))
        extended[id(target)] = target
    for target in extended.values():  # one stable sort, as after each addition
        target.sentences.sort(key=lambda s: s.start)
