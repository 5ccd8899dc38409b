"""Knowledge-base statistics: counts, and deals and money totals by year, type and modality."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from biodeals.store import schema as t


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
