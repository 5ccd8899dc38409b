"""What the writer asks when it stores a deal, and the plain values it asks with.

Whether a report is a deal already known, and what a deal's current status, year, figures and stage are
once several documents report it, are decisions of the service layer (``biodeals.service.merge``),
which hands the writer a ``MergePolicy``; the store only loads the values the policy looks at
and persists its answers. The store imports no service code: data flows one way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from biodeals.model import Amount


@dataclass(frozen=True, slots=True)
class DealReport:
    """What one document says about a deal, its parties resolved to entity ids."""

    document_id: int
    parties: Mapping[int, str]  # entity id -> role
    types: frozenset[str]
    status: str | None
    year: int | None  # the report's year as the policy's ``report_year`` gave it
    terms: Mapping[str, Amount] = field(default_factory=dict)  # money kind -> amount stated


@dataclass(frozen=True, slots=True)
class CandidateBounds:
    """Which stored deals could be the one a report describes, as the store can ask its
    database: those sharing at least ``min_shared`` of its parties, of a year within ``years``
    (None: any year) or, when ``undated``, of no year."""

    min_shared: int
    years: tuple[int, int] | None = None
    undated: bool = True


@dataclass(frozen=True, slots=True)
class KnownDeal:
    """A stored deal as a merge decision sees it: its year, types, current figures and the
    documents already reporting it."""

    id: int
    year: int | None
    types: frozenset[str]
    documents: frozenset[int]
    terms: Mapping[str, Amount] = field(default_factory=dict)  # money kind -> current amount


@dataclass(frozen=True, slots=True)
class DealSource:
    """One document's report of a stored deal: the status it gave (None for a passing mention),
    its year and the document's publication date."""

    status: str | None
    year: int | None
    published: date | None
    stage: str | None = None  # the stage at signing it states


@dataclass(frozen=True, slots=True)
class StatedTerm:
    """A money term one source of a deal states, with that source's publication date."""

    kind: str
    amount: float
    currency: str
    published: date | None


@dataclass(frozen=True, slots=True)
class DealState:
    """A deal's current values, computed from all of its sources."""

    status: str | None
    year: int | None
    announced: date | None
    terms: Mapping[str, StatedTerm | None]  # money kind -> the current figure, or None
    stage: str | None = None  # stage at signing


class MergePolicy(Protocol):
    """The decisions of merging deal reports across documents (``biodeals.service.merge``)."""

    def report_year(self, year: int | None, status: str | None, published: date | None) -> int | None:
        """The year a document's report of a deal gives it."""
        ...

    def candidate_bounds(self, report: DealReport) -> CandidateBounds | None:
        """The stored deals worth comparing with ``report`` (None: no stored deal can be it)."""
        ...

    def candidate_deals(self, shared_parties: Mapping[int, int], n_parties: int) -> list[int]:
        """Ids of stored deals worth comparing with a report naming ``n_parties`` parties, given
        how many of them each stored deal shares, in the order to try them."""
        ...

    def same_deal(self, new: DealReport, known: KnownDeal) -> bool:
        """Whether ``new`` reports the stored deal ``known``."""
        ...

    def types_to_add(self, new: DealReport, merged: bool) -> frozenset[str]:
        """The types ``new`` adds to the deal it is stored as (``merged``: a deal already known)."""
        ...

    def role_to_store(self, known: str, new: str, news: bool = False) -> str:
        """The role to keep for a party of a deal given as ``known`` and now reported as ``new``
        (``news``: by a report giving the deal a status)."""
        ...

    def royalties(self, known: bool | None, reported: bool | None) -> bool | None:
        """Whether the deal has royalties once a report states ``reported`` (None: it says nothing)."""
        ...

    def deal_state(self, sources: Sequence[DealSource], terms: Sequence[StatedTerm]) -> DealState:
        """The deal's current status, year, announcement date, figures and stage at signing from
        its sources."""
        ...
