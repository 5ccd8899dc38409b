"""Knowledge-base statistics: counts, and deals and money totals by year, type and modality."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select, true

from biodeals.service.deals import DealFilter, deal_summaries, trusted_deals
from biodeals.service.facets import left_out
from biodeals.store import schema as t

LARGEST = 10  # the largest deals by total value the dashboard lists


def stats(engine: Engine, trusted: bool = True) -> dict[str, Any]:
    """Counts of everything stored, deal counts and money totals (per currency) by year, type and
    modality, and the largest deals; ``trusted`` leaves out rejected and low-confidence deals
    (``left_out`` says how many)."""
    d = t.deals.c
    kept = trusted_deals() if trusted else true()
    with engine.connect() as conn:
        totals = {
            name: conn.scalar(select(func.count()).select_from(table)) or 0
            for name, table in (("documents", t.documents), ("readouts", t.readouts))
        }
        totals["deals"] = conn.scalar(select(func.count()).select_from(t.deals).where(kept)) or 0
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
            query = query.where(kept).group_by(key, d.total_value_currency)
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
        largest = conn.execute(
            select(t.deals)
            .where(kept, d.total_value_amount.is_not(None))
            .order_by(d.total_value_amount.desc(), d.id)
            .limit(LARGEST)
        ).all()
        largest_deals = deal_summaries(conn, largest)
    return {
        "trusted": trusted,
        "left_out": left_out(engine, DealFilter(trusted=trusted)),
        "totals": totals,
        "by_year": by_year,
        "by_type": by_type,
        "by_modality": by_modality,
        "largest": largest_deals,
    }
