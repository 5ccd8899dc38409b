"""Readout queries: clinical readouts with their trial, assets, indications and endpoints."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Engine, select

from biodeals.service.lookup import matching_entities
from biodeals.store import schema as t


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
