"""Trends over the deals a filter selects: deals and money by quarter and modality, and the
targets most dealt in. Money is summed per currency (nothing is converted); a deal known only by
its year is counted apart, not put in a quarter."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Engine, func, select

from biodeals.service.deals import DealFilter, deal_conditions
from biodeals.store import schema as t

TOP_TARGETS = 15
NO_MODALITY = "(none stated)"


def _quarter(announced: Any) -> str:
    return f"{announced.year}-Q{(announced.month - 1) // 3 + 1}"


def trends(engine: Engine, f: DealFilter, top: int = TOP_TARGETS) -> dict[str, Any]:
    """``by_quarter``: per quarter and modality, the deals and their upfront and total value per
    currency (quarters in order, none skipped between the first and the last); ``top_targets``:
    the ``top`` targets by deal count; ``year_only``: the selected deals dated by year alone."""
    d = t.deals.c
    selected = select(d.id).where(*deal_conditions(engine, f)).scalar_subquery()
    with engine.connect() as conn:
        rows = conn.execute(
            select(d.id, d.announced, d.year, *(getattr(d, f"{k}_{part}") for k in ("upfront", "total_value") for part in ("amount", "currency")))
            .where(d.id.in_(selected))
        ).all()
        modalities: dict[int, list[str]] = defaultdict(list)
        for deal_id, modality in conn.execute(
            select(t.deal_modalities.c.deal_id, t.deal_modalities.c.modality).where(t.deal_modalities.c.deal_id.in_(selected))
        ):
            modalities[deal_id].append(modality)
        deal_count = func.count(func.distinct(t.deal_entities.c.deal_id))
        targets = conn.execute(
            select(t.entities.c.id, t.entities.c.name, deal_count.label("deals"))
            .join(t.deal_entities, t.deal_entities.c.entity_id == t.entities.c.id)
            .where(t.entities.c.kind == "target", t.deal_entities.c.deal_id.in_(selected))
            .group_by(t.entities.c.id, t.entities.c.name)
            .order_by(deal_count.desc(), t.entities.c.name)
            .limit(top)
        ).all()
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    year_only = 0
    for row in rows:
        if row.announced is None:
            year_only += 1
            continue
        for modality in modalities.get(row.id) or [NO_MODALITY]:
            cell = cells.setdefault(
                (_quarter(row.announced), modality),
                {"quarter": _quarter(row.announced), "modality": modality, "deals": 0, "upfront": {}, "total_value": {}},
            )
            cell["deals"] += 1
            for kind in ("upfront", "total_value"):
                amount, currency = getattr(row, f"{kind}_amount"), getattr(row, f"{kind}_currency")
                if amount is not None and currency:
                    cell[kind][currency] = cell[kind].get(currency, 0.0) + amount
    return {
        "quarters": _every_quarter(sorted({quarter for quarter, _ in cells})),
        "by_quarter": sorted(cells.values(), key=lambda c: (c["quarter"], c["modality"])),
        "top_targets": [{"id": r.id, "name": r.name, "deals": r.deals} for r in targets],
        "year_only": year_only,
    }


def _every_quarter(quarters: list[str]) -> list[str]:
    """Every quarter from the first of ``quarters`` to the last: a time line without gaps."""
    if not quarters:
        return []
    (first_year, first_q), (last_year, last_q) = ((int(q[:4]), int(q[-1])) for q in (quarters[0], quarters[-1]))
    return [
        f"{year}-Q{q}"
        for year in range(first_year, last_year + 1)
        for q in range(1, 5)
        if (year, q) >= (first_year, first_q) and (year, q) <= (last_year, last_q)
    ]


def trend_rows(found: dict[str, Any], table: str) -> tuple[list[str], list[dict[str, Any]]]:
    """A trends table as flat rows for a CSV: ``by_quarter`` (one row per quarter, modality and
    currency) or ``top_targets``."""
    if table == "top_targets":
        return ["id", "name", "deals"], found["top_targets"]
    rows = []
    for cell in found["by_quarter"]:
        currencies = sorted(set(cell["upfront"]) | set(cell["total_value"])) or [None]
        for currency in currencies:
            rows.append(
                {
                    "quarter": cell["quarter"],
                    "modality": cell["modality"],
                    "deals": cell["deals"],
                    "currency": currency,
                    "upfront": cell["upfront"].get(currency) if currency else None,
                    "total_value": cell["total_value"].get(currency) if currency else None,
                }
            )
    return ["quarter", "modality", "deals", "currency", "upfront", "total_value"], rows
