"""The deal-merge policy: when a newly extracted deal is one already known from other documents,
and what a deal reported by several documents currently is. Pure functions over plain values
(``biodeals.store.merging``); the writer loads the values, asks ``POLICY`` and persists the answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from biodeals.model import MONEY_KINDS, Amount, Role, status_rank
from biodeals.store.merging import CandidateBounds, DealReport, DealSource, DealState, KnownDeal, StatedTerm

MAX_TERM_RATIO = 2.0
"""Figures of two reports (same kind and currency) that differ by more than this factor describe
different deals."""
MAX_YEARS_APART = 1
"""Reports of one deal give years at most this far apart."""
ORDER_TYPES = frozenset({"supply", "manufacturing"})
MAX_ORDER_RATIO = 1.05
"""A buyer places many orders with one supplier ("300,000 vials for $375 million", then "the
purchase agreement is for $210 million"): reports of a supply deal whose figures differ by more
than this factor (rounding) are two orders."""


def report_year(year: int | None, status: str | None, published: date | None) -> int | None:
    """The year the report states, else its publication year when it gives the deal a status
    (news of the deal); a passing mention without a year has none."""
    return year or (published.year if published and status else None)


def candidate_deals(shared_parties: Mapping[int, int], n_parties: int) -> list[int]:
    """Stored deals sharing at least two of the report's parties (its only one, for a report
    naming one), those sharing the most first and, among equals, the newest (highest id) first."""
    needed = min(2, n_parties)
    return [deal_id for _n, deal_id in sorted(((n, d) for d, n in shared_parties.items() if n >= needed), reverse=True)]


def candidate_bounds(report: DealReport) -> CandidateBounds | None:
    """What ``same_deal`` asks of a stored deal that the database can check first: shared
    parties as ``candidate_deals`` needs them, a year it allows (the same year, for a report
    naming one party; else at most ``MAX_YEARS_APART`` apart, or none)."""
    n_parties = len(report.parties)
    if n_parties < 2:
        return CandidateBounds(n_parties, (report.year, report.year), undated=False) if report.year else None
    if report.year is None:
        return CandidateBounds(2)
    return CandidateBounds(2, (report.year - MAX_YEARS_APART, report.year + MAX_YEARS_APART))


def types_agree(new: frozenset[str] | set[str], known: frozenset[str] | set[str]) -> bool:
    """Two reports' deal types describe the same deal: either says none, one contains the
    other, or they share at least half of their union."""
    if not new or not known:
        return True
    return new <= known or known <= new or 2 * len(new & known) >= len(new | known)


def terms_agree(new: Mapping[str, Amount], known: Mapping[str, Amount], max_ratio: float = MAX_TERM_RATIO) -> bool:
    """No figure of the same kind and currency is more than ``max_ratio`` apart (a zero figure
    says nothing)."""
    for kind, term in new.items():
        stated = known.get(kind)
        if stated is None or not stated.amount or not term.amount or stated.currency != term.currency:
            continue
        if max(stated.amount, term.amount) / min(stated.amount, term.amount) > max_ratio:
            return False
    return True


def same_deal(new: DealReport, known: KnownDeal) -> bool:
    """Whether ``new`` reports the stored deal ``known``: years at most ``MAX_YEARS_APART``
    apart (the same year when the report names a single party), types that agree, figures that
    agree (the same figures and year, for a supply order), and not from a document already
    reporting it (the extractor told that document's deals apart)."""
    if new.year and known.year and abs(new.year - known.year) > MAX_YEARS_APART:
        return False
    if len(new.parties) < 2 and not (new.year and known.year == new.year):
        return False
    if not types_agree(new.types, known.types):
        return False
    if new.document_id in known.documents:
        return False
    orders = bool(new.types) and new.types <= ORDER_TYPES
    if orders and new.year and known.year and new.year != known.year:
        return False  # an order of another year is another order
    return terms_agree(new.terms, known.terms, MAX_ORDER_RATIO if orders else MAX_TERM_RATIO)


def types_to_add(new: DealReport, merged: bool) -> frozenset[str]:
    """The report's types; none when it merged into a known deal without giving it a status: a
    passing mention confirms a deal, it does not redefine what it is."""
    return frozenset() if merged and not new.status else new.types


def role_to_store(known: str, new: str, news: bool = False) -> str:
    """A party known only as a partner takes the specific role a later report gives it, and a
    report that is news of the deal (``news``: it gives the deal a status) sets the specific role
    it states, since the announcement says best who does what ("Lilly will supply API ... to EVA
    Pharma", after a results release that named the alliance in passing); otherwise a specific
    role is kept."""
    if new == Role.PARTNER:
        return known
    return new if known == Role.PARTNER or news else known


def royalties(known: bool | None, reported: bool | None) -> bool | None:
    """Royalties once reported stay: a later report that states none does not take them away."""
    return known if reported is None else bool(known) or reported


def current_status(sources: Sequence[DealSource]) -> str | None:
    """The furthest status any source reports (the newest source among equals): a later article
    recalling the "announced" deal does not undo its closing. None when no source gives one."""
    news = [s for s in sources if s.status]
    latest = max(news, key=lambda s: (status_rank(s.status), s.published or date.min), default=None)
    return latest.status if latest else None


def current_terms(terms: Sequence[StatedTerm]) -> dict[str, StatedTerm | None]:
    """For each money kind, the figure of the newest source stating one (None: none does)."""
    return {
        kind: max((term for term in terms if term.kind == kind), key=lambda term: term.published or date.min, default=None)
        for kind in MONEY_KINDS
    }


def deal_state(sources: Sequence[DealSource], terms: Sequence[StatedTerm]) -> DealState:
    """A deal's current values: ``current_status``, the earliest year any source gives, the date
    of the first source that is news of it (a background mention does not date the deal) and
    ``current_terms`` and ``stage_at_signing``."""
    years = [s.year for s in sources if s.year]
    dates = [s.published for s in sources if s.status and s.published]
    return DealState(
        status=current_status(sources),
        year=min(years) if years else None,
        announced=min(dates) if dates else None,
        terms=current_terms(terms),
        stage=stage_at_signing(sources),
    )


def stage_at_signing(sources: Sequence[DealSource]) -> str | None:
    """The stage the earliest report stating one gives: the nearest to the signing (a later
    article tells where the programme has since got to); undated reports come last."""
    staged = [s for s in sources if s.stage]
    if not staged:
        return None
    return min(staged, key=lambda s: (s.published is None, s.published or date.min)).stage


class DealMergePolicy:
    """The functions of this module as the writer's ``MergePolicy``."""

    report_year = staticmethod(report_year)
    candidate_bounds = staticmethod(candidate_bounds)
    candidate_deals = staticmethod(candidate_deals)
    same_deal = staticmethod(same_deal)
    types_to_add = staticmethod(types_to_add)
    role_to_store = staticmethod(role_to_store)
    royalties = staticmethod(royalties)
    deal_state = staticmethod(deal_state)


POLICY = DealMergePolicy()
"""The merge policy the ingest gives the writer."""
