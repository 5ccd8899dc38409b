"""Deal terms read from a candidate's sentences: status, money (upfront, equity, milestones,
total value) and royalties."""

from __future__ import annotations

import itertools
import re
from typing import Any

from biodeals import fastre
from biodeals.nlp.analysis import Analysis
from biodeals.nlp.deals.candidates import DealCandidate
from biodeals.nlp.deals.roles import WITH_BEFORE
from biodeals.nlp.deals.sentences import DealSentence
from biodeals.nlp.deals.words import words
from biodeals.nlp.money import Money
from biodeals.nlp.ranges import mentions_in

_COMPLETED = words("status.completed")
_PROSPECTIVE = words("status.prospective")
# "terminates the agreement", not "refundable in the event of early termination"
_TERMINATED = words("status.terminated")
# an investment reported in the present or past tense has happened
_INVESTED = words("status.invested")
_AMENDED = words("status.amended")
_CHANGED_HANDS = words("status.changed_hands")
_TRIAL_DONE = words("news.trial_done")
_HANDED_OVER = words("status.handed_over")
_AGREED = words("status.agreed")
_OWNERSHIP = {"acquisition", "asset_purchase"}
_ROYALTY = words("terms.royalty")
_NO_ROYALTY = words("terms.no_royalty")

_UPFRONT = words("money.upfront")
_UPON_CLOSING = words("money.upon_closing")
_LATER_PAYMENT = words("money.later_payment")
_MILESTONE = words("money.milestones")
_SALES_MILESTONE = words("money.sales_milestones")
_DEVELOPMENT_MILESTONE = words("money.development_milestones")
_EQUITY_MONEY = words("money.equity")
_WHOLE_COMPANY = words("money.whole_company")
_TOTAL = words("money.total")


_NOT_TERMS = words("money.not_terms")
_DEAL_TERMS = words("money.deal_terms")
# a payment "based on the achievement of" events is contingent, however far its "milestones" follow
_MILESTONE_WORD = re.compile(r"milestone|contingent|biobucks|\b(?:achievement|attainment) of\b", re.I)
_MILESTONE_NOUN = re.compile(r"\bmilestones?\b", re.I)
_SMALLEST_DEAL_TERM = 100_000
# money one company gives another's research: the deal's value, though "R&D" reads like spending
_FUNDING_AFTER = fastre.compile(r"^\s*(?:in|of)\s+(?:R&D|research(?: and development)?|development|clinical)\s+funding\b", re.I)
# "$1.375 billion in upfront and near-term payments": the upfront with more, the deal's upfront
# only when the text breaks out no upfront of its own ("This includes a $500 million upfront payment")
_COMBINED_UPFRONT = fastre.compile(r"^\s*(?:in\s+)?(?:up[- ]?front|initial)(?: payments?)? and (?:near-term|other|additional|future)\b", re.I)


def _classify_money(
    before: str, after: str, money: Money, restates_price: bool = False, paid_later: bool = False
) -> str | None:
    """What deal term a figure is, from the words ``before`` and ``after`` it (up to the
    neighbouring figures: ``_contexts``); ``restates_price`` when it restates the per-share price
    before it as a whole ("$235.00 per share in cash, or approximately $8.0 billion"); ``paid_later``
    when the sentence states a payment after this one ("with an additional $305 million upon the
    one year anniversary"), which makes the cash paid upon closing the upfront."""
    near = before[-45:] + " " + after[:60]
    if money.per_share or money.amount < _SMALLEST_DEAL_TERM:
        return None  # share prices and per-share earnings ("EPS of $6.28") are not deal terms
    if "|" in before[-40:] + after[:40]:
        return None  # a cell of a results table ("Research & Development | $7.0 to $7.2 billion |")
    if _FUNDING_AFTER.match(after):
        return "total_value"  # "will deliver $250 million in R&D funding for the company's lupus drug"
    says_milestone = bool(_MILESTONE_WORD.search(before[-60:] + " " + after[:100]))
    stated_as_term = _UPFRONT.search(near) or says_milestone
    if not stated_as_term and _NOT_TERMS.search(before[-45:] + " " + after[:60]):
        return None  # "Total Worldwide Sales Were $16.0 Billion", "a $3.7 billion investment in a new plant"
    if _PART_BEFORE.search(before) and _CASH_AFTER.match(after):
        return "upfront"  # "an upfront payment of $500 million, consisting of $150 million cash and $350 million in equity"
    if restates_price or _PARTS_AFTER.match(after) or re.search(
        r"(?:total|aggregate|deal|transaction|equity) (?:potential )?(?:value|consideration|amount) (?:of\s*)?(?:up to )?(?:approximately |about |up to )?$"
        r"|\bvalue of the (?:transaction|deal|acquisition|agreement) (?:is|was|will be|could be)\s*[\w ]{0,20}$"
        r"|\btotal (?:potential )?(?:deal |transaction )?value\b[^$]{0,60}?\b(?:is|of|exceeds|exceeding|reaches|could reach)"
        r"\s*(?:approximately |about |up to |more than |over )?$",
        before,
    ):
        return "total_value"  # "The total deal value, including milestones and royalties, exceeds $11 billion"
    if _COMBINED_UPFRONT.match(after):
        return "combined_upfront"
    if _UPFRONT.search(near) or (paid_later and _UPON_CLOSING.match(after)):
        return "upfront"
    if says_milestone and _MILESTONE.search(after[:100] + before[-60:]):
        return "milestones"  # "up to $3.5 billion in development, regulatory, and sales milestones"
    if _WHOLE_COMPANY.search(near):
        return "total_value"  # "to acquire all outstanding shares of VelosBio for $2.75 billion": its price
    if _EQUITY_MONEY.search(near):
        return "equity"
    if _LATER_PAYMENT.search(before[-40:]):
        return None  # "followed by a payment of $300 million upon closing": a later part, not the whole
    if _TOTAL.search(before[-30:]) or re.search(r"acqui|deal|transaction|agreement|collaboration", near, re.I):
        return "total_value"
    return None


# a sum stated with its parts after it, and a part of such a sum paid in cash (the upfront of the whole)
_PARTS_AFTER = fastre.compile(r"\s*(?:in cash\s*)?,?\s*(?:inclusive of|including|comprising|consisting of)\b")
_PART_BEFORE = fastre.compile(r"\b(?:consisting of|comprising|including|inclusive of)\s+(?:approximately\s+|about\s+)?$")
_CASH_AFTER = fastre.compile(r"\s*(?:in\s+)?(?:cash|up[- ]?front)\b")
# where the words between two figures change from the first's to the second's: "$4 billion
# upfront | and up to $16.5 billion contingent upon sales milestones"
_JOIN = fastre.compile(r",|;|\band\b|\bplus\b|\bas well as\b|\bin addition to\b")
_RESTATED_PRICE = fastre.compile(r"^\s?per share(?: in cash)?,? or (?:approximately |about |roughly )?$")


def _contexts(sentence: DealSentence, figures: list[Money]) -> list[tuple[str, str, bool]]:
    """For each figure of a sentence: the words before and after it that are its own, and
    whether it restates the per-share price before it."""
    text, offset = sentence.text, sentence.start
    found = []
    for index, money in enumerate(figures):
        start, end = money.start - offset, money.end - offset
        previous = figures[index - 1] if index else None
        following = figures[index + 1] if index + 1 < len(figures) else None
        before = text[max(0, start - 80, previous.end - offset if previous else 0) : start]
        restates = bool(previous and previous.per_share and _RESTATED_PRICE.match(before))
        if previous is not None:
            joins = list(_JOIN.finditer(before))
            before = before[joins[-1].end() :] if joins else before
        after = text[end : min(len(text), end + 110, following.start - offset if following else len(text))]
        # "$500 million in cash upon regulatory approval and closing, with an additional $125 million": the
        # condition the figure is paid on is its own, "and" within it included
        condition = _UPON_CLOSING.match(after)
        joins = list(_JOIN.finditer(after, condition.end() if condition else 0)) if following is not None else []
        if joins:
            # the words up to the last join before the next figure are this one's ("$450 million in
            # development and regulatory milestones and up to $750 million in sales milestones");
            # "$500 million, consisting of $150 million cash and ...": a whole whose parts follow keeps the words that say so
            after = after if _PARTS_AFTER.match(after) else after[: joins[-1].start()]
        found.append((before, after, restates))
    return found


def _third_party_mentions(
    candidate: DealCandidate, sentence: DealSentence, analysis: Analysis, text: str
) -> list[int]:
    """Starts of the sentence's mentions of companies that are no party to ``candidate`` and
    that a deal is "with" ("a license and collaboration agreement with Kelun-Biotech")."""
    parties = {c.name for c in candidate.companies}
    return sorted(
        m.start
        for c in analysis.within("company", sentence.start, sentence.end)
        if c.name not in parties
        for m in mentions_in(c, sentence.start, sentence.end)
        if WITH_BEFORE.search(text, max(sentence.start, m.start - 12), m.start)
    )


def _nearest_named(others: list[int], candidate: DealCandidate, sentence: DealSentence, at: int) -> bool:
    """Whether the company named last before ``at`` in the sentence is a third party (one of
    ``others``), whose deal a figure there is."""
    last_other = max((start for start in others if start < at), default=-1)
    last_party = max(
        (m.start for c in candidate.companies for m in mentions_in(c, sentence.start, at)),
        default=-1,
    )
    return last_other > last_party


def _milestone_kind(before: str, after: str) -> str | None:
    """Whether a milestone figure is paid on development and regulatory events or on sales, from
    the words that are its own — those after it up to the word "milestones" ("$450 million in
    development and regulatory milestones"), else the phrase before it that ends in it
    ("sales milestones of $300 million"); None when they name both ("development, regulatory and
    sales milestones") or neither. Words further off describe something else ("Kestrel, a
    clinical-stage company, is eligible for up to $500 million in milestones")."""
    named = _MILESTONE_NOUN.search(after)
    if named:
        words = after[: named.end()]
    else:
        lead = before[-45:]
        noun = list(_MILESTONE_NOUN.finditer(lead))
        words = lead[max(0, noun[-1].start() - 35) :] if noun else ""
    sales, development = bool(_SALES_MILESTONE.search(words)), bool(_DEVELOPMENT_MILESTONE.search(words))
    return "sales" if sales and not development else "development" if development and not sales else None


def money_terms(candidate: DealCandidate, analysis: Analysis, text: str) -> dict[str, Any]:
    """The deal's money: kind -> Money for ``upfront``, ``equity``, ``milestones`` and
    ``total_value``, and under ``milestone_split`` (when the sentence stating its milestones
    gives each figure's kind) kind -> Money for the kinds of ``model.MILESTONE_SPLIT``."""
    terms: dict[str, Any] = {}
    milestones: list[Money] = []
    kinds: dict[int, str | None] = {}  # id of a milestone figure -> what it is paid on
    combined_upfront: Money | None = None
    for sentence in candidate.sentences:
        if _NOT_TERMS.search(sentence.text) and not _DEAL_TERMS.search(sentence.text):
            continue  # "R&D expenses are expected to be in the range of $6.5 billion to $6.7 billion"
        figures = analysis.money_in(sentence.start, sentence.end)
        contexts = _contexts(sentence, figures)
        later = [bool(_LATER_PAYMENT.search(before)) for before, _after, _restates in contexts]
        others = _third_party_mentions(candidate, sentence, analysis, text)
        for index, (money, (before, after, restates)) in enumerate(zip(figures, contexts, strict=True)):
            if others and _nearest_named(others, candidate, sentence, money.start):
                continue  # "... and a license agreement with Kelun-Biotech, which includes an upfront payment of $175 million"
            kind = _classify_money(before, after, money, restates, paid_later=any(later[index + 1 :]))
            if kind == "equity" and "acquisition" in candidate.types and "equity" not in candidate.types:
                kind = "total_value"  # "all outstanding shares of Loxo ... for approximately $8.0 billion": its price
            if kind == "milestones":
                milestones.append(money)
                kinds[id(money)] = _milestone_kind(before, after)
            elif kind == "combined_upfront":
                combined_upfront = combined_upfront or money
            elif kind and kind not in terms:
                terms[kind] = money
            elif kind == "total_value" and _supersedes(terms[kind], money, text[max(sentence.start, money.start - 120) : money.start]):
                # "valued at $487 million plus a CVR for an aggregate amount up to $610 million"; "options to
                # purchase 1.4 million courses for $1 billion. ... committed to purchase a total of 3.1 million
                # courses, for approximately $2.2 billion"
                terms[kind] = money
    if combined_upfront is not None:
        terms.setdefault("upfront", combined_upfront)
    if terms and (originals := _converted_from(analysis, text)):
        terms = {kind: originals.get((m.amount, m.currency), m) for kind, m in terms.items()}
    if milestones:
        terms["milestones"], figures = _milestone_total(milestones, kinds, candidate, text)
        split = _split(figures, kinds)
        if split:
            terms["milestone_split"] = split
    total = terms.get("total_value")
    parts = [terms[k] for k in ("upfront", "milestones") if k in terms]
    if total is not None and any(p.currency == total.currency and p.amount > total.amount for p in parts):
        # "$70 million consisting of a cash upfront payment and an equity investment" beside "up to
        # $2 billion in milestones": a sum smaller than one of its parts is no total of the deal
        del terms["total_value"]
    return terms


_CONVERSION_BETWEEN = fastre.compile(r"\s*\(\s*(?:approximately |about |approx\. |around |~|≈)?")


_AGGREGATE_BEFORE = fastre.compile(r"\b(?:aggregate|in total|a total|totall?ing)\b(?:[^$€£.;]|\.(?=\d)){0,90}$", re.I)


def _supersedes(total: Money, later: Money, before: str) -> bool:
    """Whether a later figure is the deal's total instead of ``total``: a larger sum in the same
    currency that the words of its sentence ``before`` it call the aggregate."""
    return later.currency == total.currency and later.amount > total.amount and bool(_AGGREGATE_BEFORE.search(before))


def _converted_from(analysis: Analysis, text: str) -> dict[tuple[float, str], Money]:
    """Figures the text gives as conversions of another ("CHF6.2M ($6.8M)"), each mapped to the
    figure as first stated: a deal's money is what the text states in the deal's own currency,
    wherever else (a headline) the converted figure appears alone."""
    found = {}
    for first, second in itertools.pairwise(analysis.money):
        if first.currency != second.currency and _CONVERSION_BETWEEN.fullmatch(text, first.end, second.start):
            found[(second.amount, second.currency)] = first
    return found


def _split(figures: list[Money], kinds: dict[int, str | None]) -> dict[str, Money] | None:
    """The milestones by kind, when every figure of the sentence stating them says its kind
    ("up to $400 million in development and regulatory milestones and up to $700 million in
    sales milestones"), in one currency; None otherwise."""
    if any(kinds.get(id(m)) is None for m in figures) or len({m.currency for m in figures}) > 1:
        return None
    split: dict[str, Money] = {}
    for money in figures:
        kind = kinds[id(money)]
        known = split.get(kind)  # type: ignore[arg-type]
        amount = money.amount + (known.amount if known else 0.0)
        split[kind] = Money(amount, money.currency, (known or money).start, money.end, "")  # type: ignore[index]
    return split


def _milestone_total(
    milestones: list[Money], kinds: dict[int, str | None], candidate: DealCandidate, text: str
) -> tuple[Money, list[Money]]:
    """The milestones a deal states: the distinct figures of one sentence add up ("$100 million in
    development and $200 million in sales milestones"), and the sentence stating the most is the
    deal's, since releases restate and break down their totals ("up to $835 million" in the
    headline and again in the body is $835 million, not $1.67 billion). Two sentences each
    stating one kind alone ("up to $210 million in development and regulatory milestones. ...
    up to $180 million in sales milestones") state parts, which add up. The evidence is the
    figures of the sentence stating the most; the second value is every figure counted."""
    by_sentence: dict[int, dict[tuple[float, str | None], Money]] = {}
    for money in milestones:
        sentence = next((s.start for s in candidate.sentences if s.start <= money.start < s.end), money.start)
        # a figure stated twice counts once; two figures of one amount and different kinds are two
        by_sentence.setdefault(sentence, {}).setdefault((money.amount, kinds.get(id(money))), money)

    def kind_of(distinct: dict[tuple[float, str | None], Money]) -> str | None:
        found = {kinds.get(id(m)) for m in distinct.values()}
        return found.pop() if len(found) == 1 else None

    def stated(distinct: dict[tuple[float, str | None], Money]) -> float:
        return sum(amount for amount, _ in distinct)

    figures = max(by_sentence.values(), key=stated)
    first, last = min(figures.values(), key=lambda m: m.start), max(figures.values(), key=lambda m: m.end)
    counted = list(figures.values())
    if (kind := kind_of(figures)) is not None:
        other = [d for d in by_sentence.values() if kind_of(d) not in (None, kind) and _one_currency(d, first.currency)]
        if other:
            counted += max(other, key=stated).values()
    total = Money(sum(m.amount for m in counted), first.currency, first.start, last.end, text[first.start : last.end])
    return total, sorted(counted, key=lambda m: m.start)


def _one_currency(figures: dict[tuple[float, str | None], Money], currency: str) -> bool:
    return all(m.currency == currency for m in figures.values())


_TENSE_REACH = 40


def _told_done(pattern: re.Pattern[str], sentence: str) -> bool:
    """Whether ``sentence`` tells what ``pattern`` matches as done: no prospective word near the
    match ("is expected to close", "closed ..., subject to"), though the sentence may say what
    the deal will bring ("announced the closure of the agreement, which will provide $1.4 billion")."""
    return any(
        not _PROSPECTIVE.search(sentence[max(0, m.start() - _TENSE_REACH) : m.end() + _TENSE_REACH])
        for m in pattern.finditer(sentence)
    )


def deal_status(candidate: DealCandidate, news: bool) -> str | None:
    """The status of the deal ``candidate`` states: read from its sentences when it is the
    document's ``news``; of a past deal, only what a change of hands tells (``_past_status``)."""
    if not news:
        return _past_status(candidate)
    words = " ".join(s.text for s in candidate.sentences)
    if _TERMINATED.search(words):
        return "terminated"
    if any(_told_done(_COMPLETED, s.text) and not _TRIAL_DONE.search(s.text) for s in candidate.sentences):
        return "completed"
    if _AMENDED.search(words):
        return "amended"
    if candidate.types == {"equity"} and any(
        _told_done(_INVESTED, s.text) for s in candidate.sentences
    ):
        return "completed"
    if candidate.types & _OWNERSHIP and any(_told_done(_HANDED_OVER, s.text) for s in candidate.sentences if s.types):
        return "completed"  # "The company sold its FC2 female condom business for $18 million in December 2024"
    return "announced"


def _past_status(candidate: DealCandidate) -> str | None:
    """A past acquisition or asset purchase told as done ("acquired Orchard in January 2024",
    "its 2023 acquisition of Seagen") is completed, one told as agreed ("in 2015 it agreed to buy
    Sigma-Aldrich") announced; a past licence or collaboration says nothing of its state now."""
    if not candidate.types & _OWNERSHIP:
        return None
    words = " ".join(s.text for s in candidate.sentences)
    if _TERMINATED.search(words):
        return "terminated"
    # a sentence telling the change of hands as done, without agreeing to it, outweighs what the
    # company "plans to" do with it after ("sold its FC2 business ... Veru plans to leverage")
    if any(_told_done(_CHANGED_HANDS, s.text) and not _AGREED.search(s.text) for s in candidate.sentences if s.types):
        return "completed"
    if _AGREED.search(words):
        return "announced"
    return None


def royalties_of(text: str) -> bool | None:
    """True when ``text`` (a deal's sentences) says royalties are part of the deal, False when it
    excludes them ("royalty-free"), else None."""
    if not _ROYALTY.search(text):
        return None
    return not _NO_ROYALTY.search(text)
