"""A stored deal's current values, recomputed from all of its sources: what the writer does after
every new report of a deal, and what a merge or an undo of one does to the deals it touches."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, update

from biodeals.model import MONEY_KINDS
from biodeals.store import schema as t
from biodeals.store.merging import DealSource, MergePolicy, StatedTerm


def refresh_deal(conn: Connection, policy: MergePolicy, deal_id: int, royalties: bool | None = None) -> None:
    """Store the deal's current status, year, announcement date, figures, stage and confidence (its
    surest source's), as ``policy`` computes them from its sources; ``royalties`` is what the
    newest report says of them (None: nothing, so they stay as they are)."""
    s = t.deal_sources.c
    rows = conn.execute(select(s.status, s.year, s.published, s.stage, s.confidence).where(s.deal_id == deal_id)).all()
    sources = [DealSource(row.status, row.year, row.published, row.stage) for row in rows]
    m = t.money_terms.c
    terms = [
        StatedTerm(row.kind, row.amount, row.currency, row.published)
        for row in conn.execute(
            select(m.kind, m.amount, m.currency, s.published)
            .join(t.deal_sources, (s.deal_id == m.deal_id) & (s.document_id == m.document_id))
            .where(m.deal_id == deal_id)
        )
    ]
    state = policy.deal_state(sources, terms)
    values: dict[str, Any] = {"status": state.status, "year": state.year, "announced": state.announced, "stage": state.stage}
    values["confidence"] = max((row.confidence for row in rows if row.confidence is not None), default=None)
    for kind in MONEY_KINDS:
        current = state.terms.get(kind)
        values[f"{kind}_amount"] = current.amount if current else None
        values[f"{kind}_currency"] = current.currency if current else None
    if royalties is not None:
        known = conn.scalar(select(t.deals.c.royalties).where(t.deals.c.id == deal_id))
        values["royalties"] = policy.royalties(known, royalties)
    conn.execute(update(t.deals).where(t.deals.c.id == deal_id).values(**values))
