"""Readout queries: clinical readouts with their sponsor, trial, assets, indications and
endpoints; counted and paged as the deals are, and one readout with its evidence."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, func, select

from biodeals.errors import NotFound
from biodeals.service.deals import evidence_with_sentences
from biodeals.service.edits import list_edits
from biodeals.service.lookup import matching_entities
from biodeals.store import schema as t


def _conditions(
    engine: Engine,
    asset: str | None = None,
    trial: str | None = None,
    indication: str | None = None,
    phase: str | None = None,
    sponsor: str | None = None,
    document_id: int | None = None,
) -> list[ColumnElement[bool]]:
    r = t.readouts.c
    conditions: list[ColumnElement[bool]] = []
    for kind, name in (("asset", asset), ("indication", indication)):
        if name:
            ids = matching_entities(engine, kind, name)
            linked = select(t.readout_entities.c.readout_id).where(t.readout_entities.c.entity_id.in_(ids))
            conditions.append(r.id.in_(linked))
    if trial:
        conditions.append(r.trial_id.in_(matching_entities(engine, "trial", trial)))
    if sponsor:
        conditions.append(r.sponsor_id.in_(matching_entities(engine, "company", sponsor)))
    if phase:
        conditions.append(r.phase == phase)
    if document_id is not None:
        conditions.append(r.document_id == document_id)
    return conditions


def _selected(conditions: list[ColumnElement[bool]]) -> Select[Any]:
    r = t.readouts.c
    return (
        select(
            r.id,
            r.phase,
            r.trial_id,
            r.sponsor_id,
            r.confidence,
            r.review,
            t.documents.c.id.label("document_id"),
            t.documents.c.name.label("document"),
            t.documents.c.title.label("document_title"),
            t.documents.c.published,
        )
        .join(t.documents, t.documents.c.id == r.document_id)
        .where(*conditions)
    )


def list_readouts(
    engine: Engine, *, limit: int | None = 50, offset: int = 0, **filters: Any
) -> list[dict[str, Any]]:
    """Clinical readouts, newest first, each with its sponsor, trial, assets, indications and
    endpoints. ``filters``: asset, trial, indication, sponsor (names or parts of names), phase,
    document_id."""
    r = t.readouts.c
    query = _selected(_conditions(engine, **filters))
    query = query.order_by(t.documents.c.published.desc().nulls_last(), r.id.desc()).limit(limit).offset(offset)
    with engine.connect() as conn:
        return _described(conn, conn.execute(query).all())


def count_readouts(engine: Engine, **filters: Any) -> int:
    """How many readouts ``filters`` (as ``list_readouts``) select."""
    query = select(func.count()).select_from(t.readouts).where(*_conditions(engine, **filters))
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()


def get_readout(engine: Engine, readout_id: int) -> dict[str, Any]:
    """One readout with its evidence (each span with its sentence) and the decisions about it."""
    with engine.connect() as conn:
        rows = conn.execute(_selected([t.readouts.c.id == readout_id])).all()
        if not rows:
            raise NotFound(f"readout {readout_id}: no such readout")
        [readout] = _described(conn, rows)
        readout["evidence"] = evidence_with_sentences(conn, t.evidence.c.readout_id == readout_id)
    readout["edits"] = list_edits(engine, subject="readout", subject_id=readout_id)
    return readout


def _described(conn: Any, rows: list[Any]) -> list[dict[str, Any]]:
    """The readout rows ``rows`` as dicts, with names, linked entities and endpoints."""
    ids = [row.id for row in rows]
    named = {row.trial_id for row in rows if row.trial_id} | {row.sponsor_id for row in rows if row.sponsor_id}
    names = dict(conn.execute(select(t.entities.c.id, t.entities.c.name).where(t.entities.c.id.in_(named))).all())
    linked: dict[tuple[int, str], list[str]] = defaultdict(list)
    for readout_id, kind, name in conn.execute(
        select(t.readout_entities.c.readout_id, t.entities.c.kind, t.entities.c.name)
        .join(t.entities, t.entities.c.id == t.readout_entities.c.entity_id)
        .where(t.readout_entities.c.readout_id.in_(ids))
        .order_by(t.entities.c.name)
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
            "sponsor": {"id": row.sponsor_id, "name": names[row.sponsor_id]} if row.sponsor_id in names else None,
            "trial": names.get(row.trial_id),
            "phase": row.phase,
            "assets": linked[row.id, "asset"],
            "indications": linked[row.id, "indication"],
            "endpoints": endpoints[row.id],
            "confidence": row.confidence,
            "review": row.review,
            "published": row.published.isoformat() if row.published else None,
            "document_id": row.document_id,
            "document": row.document,
            "document_title": row.document_title,
        }
        for row in rows
    ]
