"""Deal queries: filtering, sorting and counting deals, their facets, summaries and the full
record of one deal with its status history, per-source figures and evidence."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import Engine, and_, false, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from biodeals.errors import ConfigError, NotFound
from biodeals.model import DEAL_STAGES, DEAL_STATUSES, DEAL_TYPES, MILESTONE_SPLIT, MONEY_KINDS, ROLES
from biodeals.service.areas import deal_areas
from biodeals.service.display import headline
from biodeals.service.edits import list_edits
from biodeals.service.lookup import SEARCH_WORD, full_text_documents, matching_entities
from biodeals.store import schema as t

DealSort = Literal["announced", "year", "upfront", "milestones", "total_value", "sources", "confidence", "id"]
DEAL_SORTS: tuple[str, ...] = DealSort.__args__  # type: ignore[attr-defined]
REVIEW_STATES = t.REVIEW_STATES
LOW_CONFIDENCE = 0.5
"""An unreviewed deal the extractor gives less than this probability is left out of trusted views
(the learned scorer's own acceptance point)."""


class _Unindexed(FunctionElement[Any]):
    """A column SQLite must not answer from an index (``+column``: the same value); other
    databases, which keep statistics, see the column itself."""

    inherit_cache = True
    name = "unindexed"

    def __init__(self, column: ColumnElement[Any]) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(_Unindexed)
def _column_itself(element: _Unindexed, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(_Unindexed, "sqlite")
def _no_index_on_sqlite(element: _Unindexed, compiler: Any, **kw: Any) -> str:
    return "+" + compiler.process(element.clauses, **kw)


def trusted_deals(*, as_filter: bool = True) -> ColumnElement[bool]:
    """Deals a person confirmed or corrected, and unreviewed ones the extractor is sure enough of
    (or stored before confidences were kept); never a rejected one.

    As a filter, SQLite compares the review state without its index (``_Unindexed``): nearly every
    deal is trusted, and SQLite, which keeps no statistics, would otherwise collect them from
    ``ix_deals_review_confidence`` and sort them all rather than read a list's first page in the
    order of ``ix_deals_listing``. ``as_filter=False`` is for an expression computed for each deal
    (a CASE), where no index is in question."""
    d = t.deals.c
    review = _Unindexed(d.review) if as_filter else d.review
    sure = or_(d.confidence.is_(None), d.confidence >= LOW_CONFIDENCE)
    return or_(review.in_(("confirmed", "edited")), and_(review == "unreviewed", sure))


def untrusted_deals() -> ColumnElement[bool]:
    """The deals ``trusted_deals`` leaves out, as long as every review state is one of
    ``REVIEW_STATES`` (nothing else writes one): rejected, or unreviewed with a low confidence.
    Unlike ``~trusted_deals()`` it is two ranges of ``ix_deals_review_confidence``, for the few there are."""
    d = t.deals.c
    return or_(d.review == "rejected", and_(d.review == "unreviewed", d.confidence < LOW_CONFIDENCE))


@dataclass(frozen=True, slots=True)
class DealFilter:
    """Which deals to list and in what order. ``role`` applies to ``company`` when given, else
    to any party; ``text`` is a full-text query over the deals' source documents."""

    company: str | None = None
    role: str | None = None
    type: str | None = None
    status: str | None = None
    stage: str | None = None
    modality: str | None = None
    target: str | None = None
    indication: str | None = None
    asset: str | None = None
    year: int | None = None
    since: date | None = None
    until: date | None = None
    min_upfront: float | None = None
    min_total: float | None = None
    text: str | None = None
    review: str | None = None
    min_confidence: float | None = None
    trusted: bool = True  # leave out rejected and low-confidence deals (``trusted_deals``)
    reported_since: datetime | None = None  # only deals a document stored at or after this reports
    sort: DealSort = "announced"
    descending: bool = True
    limit: int | None = 50
    offset: int = 0

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("type", self.type, DEAL_TYPES),
            ("status", self.status, DEAL_STATUSES),
            ("stage", self.stage, DEAL_STAGES),
            ("role", self.role, ROLES),
            ("review", self.review, REVIEW_STATES),
            ("sort", self.sort, DEAL_SORTS),
        ):
            if value is not None and value not in allowed:
                raise ConfigError(f"{name} {value!r}: expected one of {', '.join(allowed)}")
        if (self.limit is not None and self.limit < 0) or self.offset < 0:
            raise ConfigError("limit and offset must not be negative")


def leaves_out_untrusted(f: DealFilter) -> bool:
    """Whether ``f`` selects the trusted deals only: it is trusted and asks for no review state or
    confidence (what is asked for explicitly is shown)."""
    return f.trusted and not f.review and f.min_confidence is None


def _reported_in(table: Any, *where: ColumnElement[bool], probe: bool, joined: Any = None) -> ColumnElement[bool]:
    """Deals a row of ``table`` (keyed by ``deal_id``, joined to ``joined``) matching ``where``
    links to: ``deals.id IN (...)``, which SQLite reads from the subquery's rows (best when few
    match), or with ``probe`` a correlated EXISTS it checks for each deal it reads (best when many
    do and the deals are read in an index's order, up to a limit)."""
    linked = select(table.c.deal_id).select_from(table if joined is None else joined)
    if probe:
        return linked.where(table.c.deal_id == t.deals.c.id, *where).exists()
    return t.deals.c.id.in_(linked.where(*where))


def deal_conditions(engine: Engine, f: DealFilter, *, probe: bool = False) -> list[ColumnElement[bool]]:
    """The WHERE conditions on ``deals`` of ``f``'s selection; ``probe`` writes them for reading
    the deals in ``ix_deals_listing``'s order, checking each: the conditions on linked rows as
    correlated EXISTS (see ``_reported_in``), the review state, stage and date compared without
    their own indexes (``_Unindexed``). The same deals either way."""
    d = t.deals.c
    own = _Unindexed if probe else (lambda column: column)
    conditions: list[ColumnElement[bool]] = []
    parties = t.deal_parties.c
    if f.company:
        ids = matching_entities(engine, "company", f.company)
        party = [parties.entity_id.in_(ids), *([parties.role == f.role] if f.role else [])]
        conditions.append(_reported_in(t.deal_parties, *party, probe=probe))
    elif f.role:
        conditions.append(_reported_in(t.deal_parties, parties.role == f.role, probe=probe))
    if f.type:
        conditions.append(_reported_in(t.deal_types, t.deal_types.c.type == f.type, probe=probe))
    if f.status:
        conditions.append(d.status == f.status)
    if f.stage:
        conditions.append(own(d.stage) == f.stage)
    if f.modality:
        modality = t.deal_modalities.c.modality == f.modality.lower()
        conditions.append(_reported_in(t.deal_modalities, modality, probe=probe))
    for kind, name in (("target", f.target), ("indication", f.indication), ("asset", f.asset)):
        if name:
            ids = matching_entities(engine, kind, name)
            conditions.append(_reported_in(t.deal_entities, t.deal_entities.c.entity_id.in_(ids), probe=probe))
    if f.year is not None:
        conditions.append(d.year == f.year)
    announced = own(d.announced)
    if f.since:
        conditions.append(or_(announced >= f.since, and_(announced.is_(None), d.year >= f.since.year)))
    if f.until:
        conditions.append(or_(announced <= f.until, and_(announced.is_(None), d.year <= f.until.year)))
    if f.min_upfront is not None:
        conditions.append(d.upfront_amount >= f.min_upfront)
    if f.min_total is not None:
        conditions.append(d.total_value_amount >= f.min_total)
    sources = t.deal_sources.c
    if f.text and not SEARCH_WORD.search(f.text):
        conditions.append(false())  # text without a word to search for ("±") selects nothing
    elif f.text:
        documents = full_text_documents(engine, f.text)
        conditions.append(_reported_in(t.deal_sources, sources.document_id.in_(documents), probe=probe))
    if f.review:
        conditions.append(own(d.review) == f.review)
    if f.min_confidence is not None:
        conditions.append(d.confidence >= f.min_confidence)
    if f.reported_since is not None:
        reports = t.deal_sources.join(t.documents, t.documents.c.id == sources.document_id)
        conditions.append(
            _reported_in(t.deal_sources, t.documents.c.ingested_at >= f.reported_since, probe=probe, joined=reports)
        )
    if leaves_out_untrusted(f):
        conditions.append(trusted_deals())
    return conditions


_SOURCE_COUNT = (
    select(func.count()).where(t.deal_sources.c.deal_id == t.deals.c.id).correlate(t.deals).scalar_subquery()
)


def _sort_column(sort: str) -> Any:
    d = t.deals.c
    return {
        "year": d.year,
        "upfront": d.upfront_amount,
        "milestones": d.milestones_amount,
        "total_value": d.total_value_amount,
        "sources": _SOURCE_COUNT,
        "confidence": d.confidence,
        "id": d.id,
    }[sort]


_PROBE_FACTOR = 4
"""Reading a deal in index order and checking it costs about this many times as much as sorting
one selected deal (SQLite, as benchmarks/pages.py measures them)."""
_INDEX_ORDERS = {("announced", True), ("id", True)}  # the orders of ix_deals_listing and the primary key


def _probes(f: DealFilter, selected: int | None, deals: int) -> bool:
    """Whether to read ``f``'s page in index order, checking each deal (``probe``), rather than
    sort every selected deal: when the order is an index's and the ``selected`` of ``deals`` are
    many enough that the page comes soon (after about (offset + limit) x deals / selected reads)."""
    if not selected or f.limit is None or (f.sort, f.descending) not in _INDEX_ORDERS:
        return False
    return selected * selected >= _PROBE_FACTOR * (f.offset + f.limit) * deals


def list_deals(engine: Engine, f: DealFilter | None = None, *, selected: int | None = None) -> list[dict[str, Any]]:
    """Deals selected by ``f``, sorted, as summary dicts (parties, types, money, linked names).
    ``selected``, how many deals ``f`` selects when the caller knows (``count_deals``), lets the
    query read a large selection in index order instead of sorting it."""
    f = f or DealFilter()
    # by date: the year first, so deals known only by year sort among the dated ones
    columns = [t.deals.c.year, t.deals.c.announced] if f.sort == "announced" else [_sort_column(f.sort)]
    order = [c.desc().nulls_last() if f.descending else c.asc().nulls_last() for c in columns]
    with engine.connect() as conn:
        deals = (conn.scalar(select(func.max(t.deals.c.id))) or 0) if selected else 0  # about how many there are
        probe = _probes(f, selected, deals)
        query = select(t.deals).where(*deal_conditions(engine, f, probe=probe)).order_by(*order, t.deals.c.id.desc())
        if f.limit is not None:
            query = query.limit(f.limit)
        if f.offset:
            query = query.offset(f.offset)
        rows = conn.execute(query).all()
        return deal_summaries(conn, rows)


def _money(row: Any, kind: str) -> dict[str, Any] | None:
    amount = row[f"{kind}_amount"]
    return {"amount": amount, "currency": row[f"{kind}_currency"]} if amount is not None else None


def deal_summaries(conn: Any, rows: list[Any]) -> list[dict[str, Any]]:
    """Summary dicts of the ``deals`` rows ``rows``, in their order: parties, types, money,
    linked assets, targets and indications, modalities and the number of sources."""
    ids = [r.id for r in rows]
    parties: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for deal_id, entity_id, name, role in conn.execute(
        select(t.deal_parties.c.deal_id, t.entities.c.id, t.entities.c.name, t.deal_parties.c.role)
        .join(t.entities, t.entities.c.id == t.deal_parties.c.entity_id)
        .where(t.deal_parties.c.deal_id.in_(ids))
        .order_by(t.deal_parties.c.deal_id, t.entities.c.id)
    ).all():
        parties[deal_id].append({"id": entity_id, "name": name, "role": role})
    types: dict[int, list[str]] = defaultdict(list)
    for deal_id, kind in conn.execute(
        select(t.deal_types.c.deal_id, t.deal_types.c.type)
        .where(t.deal_types.c.deal_id.in_(ids))
        .order_by(t.deal_types.c.type)
    ).all():
        types[deal_id].append(kind)
    modalities: dict[int, list[str]] = defaultdict(list)
    for deal_id, modality in conn.execute(
        select(t.deal_modalities.c.deal_id, t.deal_modalities.c.modality)
        .where(t.deal_modalities.c.deal_id.in_(ids))
        .order_by(t.deal_modalities.c.modality)
    ).all():
        modalities[deal_id].append(modality)
    linked: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    for deal_id, entity_id, kind, name, standard_id in conn.execute(
        select(
            t.deal_entities.c.deal_id, t.entities.c.id, t.entities.c.kind, t.entities.c.name, t.entities.c.standard_id
        )
        .join(t.entities, t.entities.c.id == t.deal_entities.c.entity_id)
        .where(t.deal_entities.c.deal_id.in_(ids))
        .order_by(t.entities.c.name)
    ).all():
        linked[deal_id, kind].append({"id": entity_id, "name": name, "standard_id": standard_id})
    sources = dict(
        conn.execute(
            select(t.deal_sources.c.deal_id, func.count())
            .where(t.deal_sources.c.deal_id.in_(ids))
            .group_by(t.deal_sources.c.deal_id)
        ).all()
    )
    summaries = [
        {
            "id": r.id,
            "announced": r.announced.isoformat() if r.announced else None,
            "year": r.year,
            "status": r.status,
            "stage": r.stage,
            "types": types[r.id],
            "parties": parties[r.id],
            **{kind: _money(r._mapping, kind) for kind in MONEY_KINDS},
            "royalties": r.royalties,
            "confidence": r.confidence,
            "review": r.review,
            "assets": linked[r.id, "asset"],
            "targets": linked[r.id, "target"],
            "indications": linked[r.id, "indication"],
            "therapeutic_areas": deal_areas(linked[r.id, "indication"]),
            "modalities": modalities[r.id],
            "sources": sources.get(r.id, 0),
        }
        for r in rows
    ]
    return [{"id": s["id"], "headline": headline(s), **s} for s in summaries]


def get_deal(engine: Engine, deal_id: int) -> dict[str, Any]:
    """One deal with every field, its status history (one entry per source document), money
    terms as each source states them, and the evidence (span and sentence) of every value."""
    with engine.connect() as conn:
        row = conn.execute(select(t.deals).where(t.deals.c.id == deal_id)).first()
        if row is None:
            raise NotFound(f"deal {deal_id}: no such deal")
        deal = deal_summaries(conn, [row])[0]
        history = conn.execute(
            select(
                t.deal_sources.c.status,
                t.deal_sources.c.year,
                t.deal_sources.c.published,
                t.deal_sources.c.stage,
                t.documents.c.id,
                t.documents.c.name,
                t.documents.c.title,
                t.documents.c.url,
                t.documents.c.source,
            )
            .join(t.documents, t.documents.c.id == t.deal_sources.c.document_id)
            .where(t.deal_sources.c.deal_id == deal_id)
            .order_by(t.deal_sources.c.published.asc().nulls_last(), t.documents.c.id)
        ).all()
        deal["history"] = [
            {
                "status": h.status,
                "year": h.year,
                "published": h.published.isoformat() if h.published else None,
                "stage": h.stage,
                "document": {"id": h.id, "name": h.name, "title": h.title, "url": h.url, "source": h.source},
            }
            for h in history
        ]
        terms = conn.execute(
            select(t.money_terms.c.kind, t.money_terms.c.amount, t.money_terms.c.currency, t.money_terms.c.document_id)
            .where(t.money_terms.c.deal_id == deal_id)
            .order_by(t.money_terms.c.kind, t.money_terms.c.document_id)
        ).all()
        deal["terms"] = [
            {"kind": m.kind, "amount": m.amount, "currency": m.currency, "document_id": m.document_id} for m in terms
        ]
        deal["milestone_split"] = _milestone_split(deal["milestones"], terms)
        deal["conflicts"] = sorted(
            {m.kind for m in terms if len({(n.amount, n.currency) for n in terms if n.kind == m.kind}) > 1}
        )
        deal["evidence"] = evidence_with_sentences(conn, t.evidence.c.deal_id == deal_id)
    deal["edits"] = list_edits(engine, "deal", deal_id)
    return deal


def _milestone_split(milestones: dict[str, Any] | None, terms: list[Any]) -> dict[str, Any] | None:
    """How the deal's milestones split (``model.MILESTONE_SPLIT``) as the source stating its
    current milestones figure splits them; None when that source does not."""
    if milestones is None:
        return None
    for term in terms:
        if term.kind == "milestones" and (term.amount, term.currency) == (milestones["amount"], milestones["currency"]):
            parts = {
                kind: {"amount": t.amount, "currency": t.currency}
                for kind, stored in MILESTONE_SPLIT.items()
                for t in terms
                if t.kind == stored and t.document_id == term.document_id
            }
            if parts:
                return parts
    return None


def evidence_with_sentences(conn: Any, condition: ColumnElement[bool]) -> list[dict[str, Any]]:
    """Evidence rows, each with the sentence (the stored 'deal'/'readout' span around it) and
    the document it is in."""
    rows = conn.execute(
        select(
            t.evidence.c.id,
            t.evidence.c.field,
            t.evidence.c.start,
            t.evidence.c.end,
            t.evidence.c.text,
            t.evidence.c.document_id,
            t.documents.c.name,
        )
        .join(t.documents, t.documents.c.id == t.evidence.c.document_id)
        .where(condition)
        .order_by(t.evidence.c.document_id, t.evidence.c.start)
    ).all()
    sentences = [r for r in rows if r.field in ("deal", "readout")]
    items = []
    for r in rows:
        around = next(
            (s.text for s in sentences if s.document_id == r.document_id and s.start <= r.start and r.end <= s.end),
            r.text,
        )
        items.append(
            {
                "id": r.id,
                "field": r.field,
                "start": r.start,
                "end": r.end,
                "text": r.text,
                "sentence": around,
                "document_id": r.document_id,
                "document": r.name,
            }
        )
    return items
