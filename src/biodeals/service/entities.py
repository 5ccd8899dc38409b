"""Company and asset queries: lists with deal counts and aliases, and one company with its
deals, partners and assets."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Engine, func, select

from biodeals.errors import NotFound
from biodeals.service.deals import deal_summaries
from biodeals.service.edits import list_edits
from biodeals.service.lookup import matching_entities
from biodeals.store import schema as t
from biodeals.store.names import entity_key


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


def suggest(conn: Any, kind: str, name: str, limit: int = 3) -> list[str]:
    """The known names of ``kind`` nearest to a name that matched none ('Eli Lily' -> 'Eli Lilly')."""
    from rapidfuzz import fuzz, process, utils

    names = list(dict.fromkeys(conn.scalars(
        select(t.entity_aliases.c.alias).where(t.entity_aliases.c.kind == kind)
    )))
    found = process.extract(name, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit, score_cutoff=80)
    return [match for match, _score, _index in found]


def not_found(conn: Any, kind: str, name: str) -> NotFound:
    """NotFound for a name that matched no ``kind``, naming the nearest known ones."""
    near = suggest(conn, kind, name)
    hint = f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
    return NotFound(f"{kind} {name!r}: no such {kind}{hint}")


def company_by_name(conn: Any, name: str) -> dict[str, Any]:
    """The one company ``name`` (an id, a name or an alias, normalised) means, else NotFound
    with the nearest names: a curation acts on one company, never on every partial match."""
    c = t.entities.c
    text = str(name).strip()
    if text.isdigit():
        row = conn.execute(select(c.id, c.name).where(c.id == int(text), c.kind == "company")).first()
    else:
        a = t.entity_aliases.c
        owner = select(a.entity_id).where(a.kind == "company", a.key == entity_key("company", text))
        row = conn.execute(select(c.id, c.name).where(c.id.in_(owner))).first()
    if row is None:
        raise not_found(conn, "company", text)
    return {"id": row.id, "name": row.name}


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
        with engine.connect() as conn:
            raise not_found(conn, "company", name)
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
        "edits": list_edits(engine, "company", company.id),
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
        return deal_summaries(conn, rows)


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
