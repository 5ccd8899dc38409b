"""Read queries over the knowledge base. Each returns plain dicts, the same for the CLI's tables,
its JSON/CSV output, exports and the HTTP API."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import Engine, Select, and_, func, literal_column, or_, select, text
from sqlalchemy.sql import ColumnElement

from biodeals.errors import ConfigError, NotFound
from biodeals.model import DEAL_STATUSES, DEAL_TYPES, MONEY_KINDS, ROLES
from biodeals.store import schema as t
from biodeals.store.names import entity_key

DealSort = Literal["announced", "year", "upfront", "milestones", "total_value", "sources", "id"]
DEAL_SORTS: tuple[str, ...] = DealSort.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class DealFilter:
    """Which deals to list and in what order. ``role`` applies to ``company`` when given, else
    to any party; ``text`` is a full-text query over the deals' source documents."""

    company: str | None = None
    role: str | None = None
    type: str | None = None
    status: str | None = None
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
    sort: DealSort = "announced"
    descending: bool = True
    limit: int | None = 50
    offset: int = 0

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("type", self.type, DEAL_TYPES),
            ("status", self.status, DEAL_STATUSES),
            ("role", self.role, ROLES),
            ("sort", self.sort, DEAL_SORTS),
        ):
            if value is not None and value not in allowed:
                raise ConfigError(f"{name} {value!r}: expected one of {', '.join(allowed)}")
        if (self.limit is not None and self.limit < 0) or self.offset < 0:
            raise ConfigError("limit and offset must not be negative")


# -- entities ------------------------------------------------------------------------------


def matching_entities(engine: Engine, kind: str, name: str) -> list[int]:
    """Entity ids ``name`` refers to: the entity owning its normalised key, else every entity
    of ``kind`` whose name contains it (case-insensitive)."""
    with engine.connect() as conn:
        exact = conn.scalar(
            select(t.entity_aliases.c.entity_id).where(
                t.entity_aliases.c.kind == kind, t.entity_aliases.c.key == entity_key(kind, name)
            )
        )
        if exact is not None:
            return [exact]
        pattern = f"%{name.lower()}%"
        return list(
            conn.scalars(
                select(t.entities.c.id).where(t.entities.c.kind == kind, func.lower(t.entities.c.name).like(pattern))
            )
        )


def _entity_ids_condition(engine: Engine, kind: str, name: str) -> ColumnElement[bool]:
    ids = matching_entities(engine, kind, name)
    return t.deals.c.id.in_(select(t.deal_entities.c.deal_id).where(t.deal_entities.c.entity_id.in_(ids)))


# -- full text -----------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+")


def _full_text_documents(engine: Engine, query: str) -> Select[Any]:
    """A select of the ids of documents matching ``query`` (all of its words)."""
    words = _TOKEN.findall(query)
    if not words:
        raise ConfigError(f"search text {query!r}: no words to search for")
    if engine.dialect.name == "sqlite":
        match = " ".join(f'"{word}"' for word in words)
        return (
            select(literal_column("rowid"))
            .select_from(text("documents_fts"))
            .where(text("documents_fts MATCH :q").bindparams(q=match))
        )
    return select(t.documents.c.id).where(
        text("to_tsvector('english', coalesce(title, '') || ' ' || text) @@ plainto_tsquery('english', :q)").bindparams(
            q=" ".join(words)
        )
    )


def search_documents(engine: Engine, query: str, limit: int = 20) -> list[dict[str, Any]]:
    """Documents matching ``query``, newest first, each with a snippet around the first hit."""
    ids = _full_text_documents(engine, query)
    words = [w.lower() for w in _TOKEN.findall(query)]
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                t.documents.c.id,
                t.documents.c.name,
                t.documents.c.title,
                t.documents.c.published,
                t.documents.c.source,
                t.documents.c.text,
            )
            .where(t.documents.c.id.in_(ids))
            .order_by(t.documents.c.published.desc().nulls_last(), t.documents.c.id.desc())
            .limit(limit)
        ).all()
        deal_counts = _deal_counts(conn, [r.id for r in rows])
    return [
        {
            "id": r.id,
            "name": r.name,
            "title": r.title,
            "published": r.published.isoformat() if r.published else None,
            "source": r.source,
            "snippet": _snippet(r.text, words),
            "deals": deal_counts.get(r.id, 0),
        }
        for r in rows
    ]


def _deal_counts(conn: Any, document_ids: list[int]) -> dict[int, int]:
    return dict(
        conn.execute(
            select(t.deal_sources.c.document_id, func.count())
            .where(t.deal_sources.c.document_id.in_(document_ids))
            .group_by(t.deal_sources.c.document_id)
        ).all()
    )


def _snippet(body: str, words: list[str], width: int = 160) -> str:
    lowered = body.lower()
    hits = [i for i in (lowered.find(w) for w in words) if i >= 0]
    at = min(hits) if hits else 0
    start = max(0, at - width // 2)
    piece = " ".join(body[start : start + width].split())
    return ("…" if start else "") + piece + ("…" if start + width < len(body) else "")


# -- deals ---------------------------------------------------------------------------------


def _deal_conditions(engine: Engine, f: DealFilter) -> list[ColumnElement[bool]]:
    d = t.deals.c
    conditions: list[ColumnElement[bool]] = []
    if f.company:
        ids = matching_entities(engine, "company", f.company)
        party = select(t.deal_parties.c.deal_id).where(t.deal_parties.c.entity_id.in_(ids))
        if f.role:
            party = party.where(t.deal_parties.c.role == f.role)
        conditions.append(d.id.in_(party))
    elif f.role:
        conditions.append(d.id.in_(select(t.deal_parties.c.deal_id).where(t.deal_parties.c.role == f.role)))
    if f.type:
        conditions.append(d.id.in_(select(t.deal_types.c.deal_id).where(t.deal_types.c.type == f.type)))
    if f.status:
        conditions.append(d.status == f.status)
    if f.modality:
        conditions.append(
            d.id.in_(select(t.deal_modalities.c.deal_id).where(t.deal_modalities.c.modality == f.modality.lower()))
        )
    for kind, name in (("target", f.target), ("indication", f.indication), ("asset", f.asset)):
        if name:
            conditions.append(_entity_ids_condition(engine, kind, name))
    if f.year is not None:
        conditions.append(d.year == f.year)
    if f.since:
        conditions.append(or_(d.announced >= f.since, and_(d.announced.is_(None), d.year >= f.since.year)))
    if f.until:
        conditions.append(or_(d.announced <= f.until, and_(d.announced.is_(None), d.year <= f.until.year)))
    if f.min_upfront is not None:
        conditions.append(d.upfront_amount >= f.min_upfront)
    if f.min_total is not None:
        conditions.append(d.total_value_amount >= f.min_total)
    if f.text:
        documents = _full_text_documents(engine, f.text)
        conditions.append(d.id.in_(select(t.deal_sources.c.deal_id).where(t.deal_sources.c.document_id.in_(documents))))
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
        "id": d.id,
    }[sort]


def count_deals(engine: Engine, f: DealFilter) -> int:
    """How many deals ``f`` selects, ignoring its limit and offset."""
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(t.deals).where(*_deal_conditions(engine, f))) or 0


def list_deals(engine: Engine, f: DealFilter | None = None) -> list[dict[str, Any]]:
    """Deals selected by ``f``, sorted, as summary dicts (parties, types, money, linked names)."""
    f = f or DealFilter()
    # by date: the year first, so deals known only by year sort among the dated ones
    columns = [t.deals.c.year, t.deals.c.announced] if f.sort == "announced" else [_sort_column(f.sort)]
    order = [c.desc().nulls_last() if f.descending else c.asc().nulls_last() for c in columns]
    query = select(t.deals).where(*_deal_conditions(engine, f)).order_by(*order, t.deals.c.id.desc())
    if f.limit is not None:
        query = query.limit(f.limit)
    if f.offset:
        query = query.offset(f.offset)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
        return _deal_summaries(conn, rows)


def deal_facets(engine: Engine, f: DealFilter, top: int = 12) -> dict[str, list[dict[str, Any]]]:
    """For the deals ``f`` selects: how many have each type, status, modality, year and (the
    ``top`` most frequent) company — the counts beside a deals table's filters."""
    selected = select(t.deals.c.id).where(*_deal_conditions(engine, f))
    count = func.count(func.distinct(t.deals.c.id)).label("deals")

    def counted(key: Any, *joins: tuple[Any, Any], limit: int | None = None) -> list[dict[str, Any]]:
        query = select(key.label("value"), count).select_from(t.deals)
        for table, on in joins:
            query = query.join(table, on)
        query = query.where(t.deals.c.id.in_(selected), key.is_not(None)).group_by(key)
        rows = conn.execute(query.order_by(count.desc(), key).limit(limit)).all()
        return [{"value": r.value, "deals": r.deals} for r in rows]

    with engine.connect() as conn:
        facets = {
            "type": counted(t.deal_types.c.type, (t.deal_types, t.deal_types.c.deal_id == t.deals.c.id)),
            "status": counted(t.deals.c.status),
            "modality": counted(
                t.deal_modalities.c.modality, (t.deal_modalities, t.deal_modalities.c.deal_id == t.deals.c.id)
            ),
            "year": counted(t.deals.c.year),
            "company": counted(
                t.entities.c.name,
                (t.deal_parties, t.deal_parties.c.deal_id == t.deals.c.id),
                (t.entities, t.entities.c.id == t.deal_parties.c.entity_id),
                limit=top,
            ),
        }
    facets["year"].sort(key=lambda item: -item["value"])
    return facets


def _money(row: Any, kind: str) -> dict[str, Any] | None:
    amount = row[f"{kind}_amount"]
    return {"amount": amount, "currency": row[f"{kind}_currency"]} if amount is not None else None


def _deal_summaries(conn: Any, rows: list[Any]) -> list[dict[str, Any]]:
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
    return [
        {
            "id": r.id,
            "announced": r.announced.isoformat() if r.announced else None,
            "year": r.year,
            "status": r.status,
            "types": types[r.id],
            "parties": parties[r.id],
            **{kind: _money(r._mapping, kind) for kind in MONEY_KINDS},
            "royalties": r.royalties,
            "assets": linked[r.id, "asset"],
            "targets": linked[r.id, "target"],
            "indications": linked[r.id, "indication"],
            "modalities": modalities[r.id],
            "sources": sources.get(r.id, 0),
        }
        for r in rows
    ]


def get_deal(engine: Engine, deal_id: int) -> dict[str, Any]:
    """One deal with every field, its status history (one entry per source document), money
    terms as each source states them, and the evidence (span and sentence) of every value."""
    with engine.connect() as conn:
        row = conn.execute(select(t.deals).where(t.deals.c.id == deal_id)).first()
        if row is None:
            raise NotFound(f"deal {deal_id}: no such deal")
        deal = _deal_summaries(conn, [row])[0]
        history = conn.execute(
            select(
                t.deal_sources.c.status,
                t.deal_sources.c.year,
                t.deal_sources.c.published,
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
        deal["conflicts"] = sorted(
            {m.kind for m in terms if len({(n.amount, n.currency) for n in terms if n.kind == m.kind}) > 1}
        )
        deal["evidence"] = _evidence(conn, t.evidence.c.deal_id == deal_id)
    return deal


def _evidence(conn: Any, condition: ColumnElement[bool]) -> list[dict[str, Any]]:
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


# -- documents -----------------------------------------------------------------------------


def get_document(engine: Engine, document_id: int) -> dict[str, Any]:
    """One stored document with its text, the deals it is a source of, its readouts and the
    evidence spans (into ``text``) of both."""
    with engine.connect() as conn:
        row = conn.execute(select(t.documents).where(t.documents.c.id == document_id)).first()
        if row is None:
            raise NotFound(f"document {document_id}: no such document")
        deal_ids = list(
            conn.scalars(
                select(t.deal_sources.c.deal_id)
                .where(t.deal_sources.c.document_id == document_id)
                .order_by(t.deal_sources.c.deal_id)
            )
        )
        deals = _deal_summaries(conn, conn.execute(select(t.deals).where(t.deals.c.id.in_(deal_ids))).all())
        evidence = _evidence(conn, t.evidence.c.document_id == document_id)
    return {
        **_document_fields(row),
        "content_hash": row.content_hash,
        "language": row.language,
        "error": row.error,
        "deals": deals,
        "readouts": list_readouts(engine, document_id=document_id, limit=None),
        "evidence": evidence,
    }


def document_texts(engine: Engine, document_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The stored text and labels of each of ``document_ids`` (missing ids are left out)."""
    d = t.documents.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(d.id, d.name, d.title, d.url, d.source, d.published, d.text).where(d.id.in_(document_ids))
        ).all()
    return {r.id: _document_fields(r) for r in rows}


def _document_fields(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "title": row.title,
        "url": row.url,
        "source": row.source,
        "published": row.published.isoformat() if row.published else None,
        "text": row.text,
    }


def document_id_by_hash(engine: Engine, content_hash: str) -> int | None:
    with engine.connect() as conn:
        return conn.scalar(select(t.documents.c.id).where(t.documents.c.content_hash == content_hash))


# -- companies, assets, readouts -------------------------------------------------------------


def list_companies(engine: Engine, name: str | None = None, limit: int | None = 50) -> list[dict[str, Any]]:
    """Companies that are party to a deal, most deals first."""
    deal_count = func.count(func.distinct(t.deal_parties.c.deal_id))
    query = (
        select(t.entities.c.id, t.entities.c.name, deal_count.label("deals"))
        .join(t.deal_parties, t.deal_parties.c.entity_id == t.entities.c.id)
        .where(t.entities.c.kind == "company")
        .group_by(t.entities.c.id, t.entities.c.name)
        .order_by(deal_count.desc(), t.entities.c.name)
        .limit(limit)
    )
    if name:
        query = query.where(t.entities.c.id.in_(matching_entities(engine, "company", name)))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
        aliases = _aliases(conn, [r.id for r in rows])
    return [{"id": r.id, "name": r.name, "aliases": aliases.get(r.id, []), "deals": r.deals} for r in rows]


def _aliases(conn: Any, entity_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for entity_id, alias in conn.execute(
        select(t.entity_aliases.c.entity_id, t.entity_aliases.c.alias)
        .where(t.entity_aliases.c.entity_id.in_(entity_ids))
        .order_by(t.entity_aliases.c.alias)
    ).all():
        if alias not in found[entity_id]:
            found[entity_id].append(alias)
    return found


def get_company(engine: Engine, name: str) -> dict[str, Any]:
    """A company (by name, alias or id) with its deals, partners and the assets of its deals."""
    ids = [int(name)] if name.isdigit() else matching_entities(engine, "company", name)
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.entities.c.id, t.entities.c.name, t.entities.c.standard_id).where(
                t.entities.c.id.in_(ids), t.entities.c.kind == "company"
            )
        ).all()
    if not rows:
        raise NotFound(f"company {name!r}: no such company")
    if len(rows) > 1:
        with engine.connect() as conn:
            counts = dict(
                conn.execute(
                    select(t.deal_parties.c.entity_id, func.count())
                    .where(t.deal_parties.c.entity_id.in_(ids))
                    .group_by(t.deal_parties.c.entity_id)
                ).all()
            )
        rows = sorted(rows, key=lambda r: -counts.get(r.id, 0))
    company = rows[0]
    deals = _company_deals(engine, company.id)
    partners: dict[int, dict[str, Any]] = {}
    assets: dict[int, dict[str, Any]] = {}
    for deal in deals:
        for party in deal["parties"]:
            if party["id"] != company.id:
                entry = partners.setdefault(party["id"], {"id": party["id"], "name": party["name"], "deals": 0})
                entry["deals"] += 1
        for asset in deal["assets"]:
            assets.setdefault(asset["id"], asset)
    with engine.connect() as conn:
        aliases = _aliases(conn, [company.id]).get(company.id, [])
    return {
        "id": company.id,
        "name": company.name,
        "aliases": aliases,
        "deals": deals,
        "partners": sorted(partners.values(), key=lambda p: (-p["deals"], p["name"])),
        "assets": sorted(assets.values(), key=lambda a: a["name"].lower()),
    }


def _company_deals(engine: Engine, company_id: int) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.deals)
            .where(t.deals.c.id.in_(select(t.deal_parties.c.deal_id).where(t.deal_parties.c.entity_id == company_id)))
            .order_by(t.deals.c.announced.desc().nulls_last(), t.deals.c.id.desc())
        ).all()
        return _deal_summaries(conn, rows)


def list_assets(engine: Engine, name: str | None = None, limit: int | None = 50) -> list[dict[str, Any]]:
    """Assets named in deals or readouts, with how many of each."""
    deals = select(func.count()).where(t.deal_entities.c.entity_id == t.entities.c.id).scalar_subquery()
    readouts = select(func.count()).where(t.readout_entities.c.entity_id == t.entities.c.id).scalar_subquery()
    query = (
        select(
            t.entities.c.id,
            t.entities.c.name,
            t.entities.c.standard_id,
            deals.label("deals"),
            readouts.label("readouts"),
        )
        .where(t.entities.c.kind == "asset")
        .order_by((deals + readouts).desc(), t.entities.c.name)
        .limit(limit)
    )
    if name:
        query = query.where(t.entities.c.id.in_(matching_entities(engine, "asset", name)))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
        aliases = _aliases(conn, [r.id for r in rows])
    return [
        {
            "id": r.id,
            "name": r.name,
            "standard_id": r.standard_id,
            "aliases": aliases.get(r.id, []),
            "deals": r.deals,
            "readouts": r.readouts,
        }
        for r in rows
    ]


def list_readouts(
    engine: Engine,
    *,
    asset: str | None = None,
    trial: str | None = None,
    indication: str | None = None,
    phase: str | None = None,
    document_id: int | None = None,
    limit: int | None = 50,
) -> list[dict[str, Any]]:
    """Clinical readouts, newest first, each with its trial, assets, indications and endpoints."""
    r = t.readouts.c
    query = select(
        r.id,
        r.phase,
        r.trial_id,
        t.documents.c.id.label("document_id"),
        t.documents.c.name.label("document"),
        t.documents.c.published,
    ).join(t.documents, t.documents.c.id == r.document_id)
    for kind, name in (("asset", asset), ("indication", indication)):
        if name:
            ids = matching_entities(engine, kind, name)
            query = query.where(
                r.id.in_(select(t.readout_entities.c.readout_id).where(t.readout_entities.c.entity_id.in_(ids)))
            )
    if trial:
        query = query.where(r.trial_id.in_(matching_entities(engine, "trial", trial)))
    if phase:
        query = query.where(r.phase == phase)
    if document_id is not None:
        query = query.where(r.document_id == document_id)
    query = query.order_by(t.documents.c.published.desc().nulls_last(), r.id.desc()).limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
        ids = [row.id for row in rows]
        names = dict(
            conn.execute(
                select(t.entities.c.id, t.entities.c.name).where(
                    t.entities.c.id.in_([row.trial_id for row in rows if row.trial_id])
                )
            ).all()
        )
        linked: dict[tuple[int, str], list[str]] = defaultdict(list)
        for readout_id, kind, name in conn.execute(
            select(t.readout_entities.c.readout_id, t.entities.c.kind, t.entities.c.name)
            .join(t.entities, t.entities.c.id == t.readout_entities.c.entity_id)
            .where(t.readout_entities.c.readout_id.in_(ids))
        ).all():
            linked[readout_id, kind].append(name)
        endpoints: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for readout_id, name, value, unit in conn.execute(
            select(t.endpoints.c.readout_id, t.endpoints.c.name, t.endpoints.c.value, t.endpoints.c.unit)
            .where(t.endpoints.c.readout_id.in_(ids))
            .order_by(t.endpoints.c.id)
        ).all():
            endpoints[readout_id].append({"name": name, "value": value, "unit": unit})
    return [
        {
            "id": row.id,
            "trial": names.get(row.trial_id),
            "phase": row.phase,
            "assets": linked[row.id, "asset"],
            "indications": linked[row.id, "indication"],
            "endpoints": endpoints[row.id],
            "published": row.published.isoformat() if row.published else None,
            "document_id": row.document_id,
            "document": row.document,
        }
        for row in rows
    ]


# -- stats ---------------------------------------------------------------------------------


def stats(engine: Engine) -> dict[str, Any]:
    """Counts of everything stored, and deal counts and money totals (per currency) by year,
    type and modality."""
    d = t.deals.c
    with engine.connect() as conn:
        totals = {
            name: conn.scalar(select(func.count()).select_from(table)) or 0
            for name, table in (("documents", t.documents), ("deals", t.deals), ("readouts", t.readouts))
        }
        totals["companies"] = conn.scalar(select(func.count(func.distinct(t.deal_parties.c.entity_id)))) or 0
        totals["failed_documents"] = conn.scalar(select(func.count()).where(t.documents.c.error.is_not(None))) or 0

        def grouped(key: Any, *joins: tuple[Any, Any]) -> list[dict[str, Any]]:
            query = select(
                key.label("key"),
                func.count(func.distinct(d.id)).label("deals"),
                d.total_value_currency,
                func.sum(d.total_value_amount).label("total_value"),
            ).select_from(t.deals)
            for table, on in joins:
                query = query.join(table, on)
            query = query.group_by(key, d.total_value_currency)
            merged: dict[Any, dict[str, Any]] = {}
            for row in conn.execute(query):
                entry = merged.setdefault(row.key, {"key": row.key, "deals": 0, "total_value": {}})
                entry["deals"] += row.deals
                if row.total_value_currency:
                    entry["total_value"][row.total_value_currency] = row.total_value
            return sorted(merged.values(), key=lambda e: (e["key"] is None, e["key"]))

        by_year = grouped(d.year)
        by_type = grouped(t.deal_types.c.type, (t.deal_types, t.deal_types.c.deal_id == d.id))
        by_modality = grouped(t.deal_modalities.c.modality, (t.deal_modalities, t.deal_modalities.c.deal_id == d.id))
    return {"totals": totals, "by_year": by_year, "by_type": by_type, "by_modality": by_modality}
