"""Deal terms read from a candidate's sentences: status, money (upfront, equity, milestones,
total value) and royalties."""

from __future__ import annotations

import re
from typing import Any

from biodeals.nlp.analysis import Analysis
from biodeals.nlp.deals.candidates import DealCandidate
from biodeals.nlp.deals.words import words
from biodeals.nlp.money import Money

_COMPLETED = words("status.completed")
_PROSPECTIVE = words("status.prospective")
# "terminates the agreement", not "refundable in the event of early termination"
_TERMINATED = words("status.terminated")
# an investment reported in the present or past tense has happened
_INVESTED = words("status.invested")
_AMENDED = words("status.amended")
_ROYALTY = words("terms.royalty")
_NO_ROYALTY = words("terms.no_royalty")

_UPFRONT = words("money.upfront")
_MILESTONE = words("money.milestones")
_EQUITY_MONEY = words("money.equity")
_TOTAL = words("money.total")


_NOT_TERMS = words("money.not_terms")
_DEAL_TERMS = words("money.deal_terms")
_MILESTONE_WORD = re.compile(r"milestone", re.I)
_SMALLEST_DEAL_TERM = 100_000


def _classify_money(sentence: str, money: Money, relative_start: int) -> str | None:
    before = sentence[max(0, relative_start - 80) : relative_start]
    after = sentence[relative_start + len(money.text) : relative_start + len(money.text) + 80]
    near = before[-45:] + " " + after[:60]
    if money.per_share or money.amount < _SMALLEST_DEAL_TERM:
        return None  # share prices and per-share earnings ("EPS of $6.28") are not deal terms
    stated_as_term = _UPFRONT.search(near) or _MILESTONE.search(after[:60]) or _MILESTONE_WORD.search(before[-60:])
    if not stated_as_term and _NOT_TERMS.search(before[-45:] + " " + after[:60]):
        return None  # "Total Worldwide Sales Were $16.0 Billion", "a $3.7 billion investment in a new plant"
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


def money_terms(candidate: DealCandidate, analysis: Analysis, text: str) -> dict[str, Any]:
    terms: dict[str, Any] = {}
    milestones: list[Money] = []
    for sentence in candidate.sentences:
        if _NOT_TERMS.search(sentence.text) and not _DEAL_TERMS.search(sentence.text):
            continue  # "R&D expenses are expected to be in the range of $6.5 billion to $6.7 billion"
        for money in analysis.money_in(sentence.start, sentence.end):
            kind = _classify_money(sentence.text, money, money.start - sentence.start)
            if kind == "milestones":
                milestones.append(money)
            elif kind and kind not in terms:
                terms[kind] = money
    if milestones:
        terms["milestones"] = _milestone_total(milestones, candidate, text)
    return terms


def _milestone_total(milestones: list[Money], candidate: DealCandidate, text: str) -> Money:
    """The milestones a deal states, each figure once: "up to $835 million" in the headline and
    again in the body is $835 million, not $1.67 billion; distinct figures of one sentence ("$100
    million in development and $200 million in sales milestones") add up. The evidence is the
    sentence whose figures make the total, or the first figure."""
    distinct: dict[float, Money] = {}
    for money in milestones:
        distinct.setdefault(money.amount, money)
    figures = sorted(distinct.values(), key=lambda m: m.start)
    total = sum(m.amount for m in figures)
    within = next((s for s in candidate.sentences if s.start <= figures[0].start and figures[-1].end <= s.end), None)
    start, end = (figures[0].start, figures[-1].end) if within else (figures[0].start, figures[0].end)
    return Money(total, figures[0].currency, start, end, text[start:end])


# Cues that a company is on the buyer side (acquirer, licensee, investor, client, payer) or the
# seller side (target, licensor, investee, provider, payee), read right after or right before


def deal_status(candidate: DealCandidate) -> str | None:
    words = " ".join(s.text for s in candidate.sentences)
    if candidate.year is not None:
        return None
    if _TERMINATED.search(words):
        return "terminated"
    if any(_COMPLETED.search(s.text) and not _PROSPECTIVE.search(s.text) for s in candidate.sentences):
        return "completed"
    if _AMENDED.search(words):
        return "amended"
    if candidate.types == {"equity"} and any(
        _INVESTED.search(s.text) and not _PROSPECTIVE.search(s.text) for s in candidate.sentences
    ):
        return "completed"
    return "announced"


def royalties_of(text: str) -> bool | None:
    """True when ``text`` (a deal's sentences) says royalties are part of the deal, False when it
    excludes them ("royalty-free"), else None."""
    if not _ROYALTY.search(text):
        return None
    return not _NO_ROYALTY.search(text)
