"""A financing round is one event however many sentences tell it: "Acme raised $50 million in a
Series B. The round was led by Beta Ventures. Other investors included Gamma Capital and Delta
Partners." is one equity deal of Acme with three investors, not three deals of pairs.

The sentence-level candidates (``candidates.group_deals``) pair the first two companies each
sentence names; this step gathers the current rounds' candidates into one per company funded, its
investors being every company the sentences cast as such, and names that company (``investee``)
before the candidate is scored, so a round whose sentences name only investors is judged as the
deal it is.
"""

from __future__ import annotations

import re

from biodeals import fastre
from biodeals.nlp.analysis import Analysis
from biodeals.nlp.deals.candidates import DealCandidate
from biodeals.nlp.deals.roles import INVESTOR_NAME, side_score
from biodeals.nlp.ranges import mentions_in
from biodeals.nlp.spans import Entity

MAX_INVESTORS = 24
"""More investors than a release lists for one round: the rest is a list of something else."""

# What introduces a round's investors: "led by", "with participation from", "investors included",
# "joined by"; every company named after it in the sentence invests
_INVESTORS_FOLLOW = fastre.compile(
    r"\b(?:(?:co-)?led by|participation (?:from|of|by)|investors?\b[^.;]{0,60}?\b(?:includ(?:ed|e|ing)|such as|were|are)"
    r"|joined by|backed by|(?:investments?|financing|funding) (?:of [^,;]{1,30}? )?(?:from|by))\b",
    re.I,
)


_POSSESSIVE = fastre.compile(r"[’']s\b")
# what ends a list of investors: a clause mark, or a long stretch without a name (a full stop may
# be an initial's: "W.A. de Vigier Foundation")
_LIST_BREAK = fastre.compile(r"[;:!?*|()]")
_MAX_LIST_GAP = 80
# a deal of these types may include an equity stake, but it is no financing round
_NOT_A_ROUND = frozenset({"acquisition", "asset_purchase", "license", "option"})


def _is_round(candidate: DealCandidate) -> bool:
    types = candidate.types
    return "equity" in types and not types & _NOT_A_ROUND and candidate.year is None and not candidate.past


def _investors(candidate: DealCandidate, text: str) -> set[str]:
    """Names of the companies the candidate's sentences list as investors: fund-shaped names and
    names after an investor cue."""
    found = {c.name for c in candidate.companies if INVESTOR_NAME.search(c.name)}
    for sentence in candidate.sentences:
        cue = _INVESTORS_FOLLOW.search(sentence.text)
        if cue is None:
            continue
        mentions = sorted(
            (m.start, m.end, company.name)
            for company in sentence.companies
            for m in mentions_in(company, sentence.start + cue.end(), sentence.end)
        )
        list_end = sentence.start + cue.end()
        for start, end, name in mentions:  # the list runs on while only list words part its names
            if start - list_end > _MAX_LIST_GAP or _LIST_BREAK.search(text, list_end, start):
                break
            if not _POSSESSIVE.match(text, end):  # not "supporting Limula’s vision": the company funded
                found.add(name)
            list_end = end
    return found


def round_subject(analysis: Analysis, investors: set[str]) -> Entity | None:
    """The company a round whose sentences name only investors is for ("The Series A was co-led
    by Radical Ventures and Sofinnova Partners"): the first company the document names that is
    neither one of them nor fund-shaped."""
    return next((c for c in analysis.of("company") if c.name not in investors and not INVESTOR_NAME.search(c.name)), None)


def _absorb(host: DealCandidate, other: DealCandidate) -> None:
    host.companies += [c for c in other.companies if c not in host.companies]
    host.sentences = sorted(host.sentences + other.sentences, key=lambda s: s.start)


def gather_rounds(candidates: list[DealCandidate], analysis: Analysis, text: str) -> list[DealCandidate]:
    """The candidates with each current financing round gathered into one: the round candidates
    (current, with an equity cue and no licence, option or acquisition) of one funded company
    become one, and so do those that name only investors, with the document's first round; each
    round's first company is the company funded (``investee``), the others its investors."""
    rounds = [c for c in candidates if _is_round(c)]
    if not rounds:
        return candidates
    investors_of = {id(c): _investors(c, text) for c in rounds}
    hosts: dict[str, DealCandidate] = {}  # investee name -> its round
    investor_only: list[DealCandidate] = []
    absorbed: set[int] = set()
    for candidate in rounds:
        funded = [c for c in candidate.companies if c.name not in investors_of[id(candidate)]]
        if not funded:
            investor_only.append(candidate)
            continue
        # the company most cast as the seller side ("a round for Acme", "Acme raised"); the first on a tie
        sides = {c.name: side_score(c, candidate.sentences, text) for c in funded}
        investee = min(funded, key=lambda c: sides[c.name])
        if not investors_of[id(candidate)] and sides[investee.name] > 0:
            continue  # "Lilly will invest $1 billion in ...": with no investor listed, it is the investor
        if investee.name in hosts:
            _absorb(hosts[investee.name], candidate)
            absorbed.add(id(candidate))
        else:
            candidate.investee = investee
            hosts[investee.name] = candidate
    if investor_only:
        host = next(iter(hosts.values()), None)
        if host is None:
            host = investor_only.pop(0)
            host.investee = round_subject(analysis, set().union(*investors_of.values()))
        for other in investor_only:
            _absorb(host, other)
            absorbed.add(id(other))
        if host.investee is not None:
            hosts.setdefault(host.investee.name, host)
    for host in hosts.values():
        others = [c for c in host.companies if c.name != host.investee.name]
        host.companies = [host.investee, *others[:MAX_INVESTORS]]
    return [c for c in candidates if id(c) not in absorbed]
