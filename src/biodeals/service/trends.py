"""Trends over the deals a filter selects: deals and money by quarter per modality and per
therapeutic area, the median upfront and total by stage at signing per year, and the targets
most dealt in. Money is summed (and medians taken) per currency: nothing is converted. A deal
known only by its year is counted apart, not put in a quarter."""

from __future__ import annotations

from collections import defaultdict
from statistics import median
from typing import Any

from sqlalchemy import Engine, func, select

from biodeals.service.areas import area_of
from biodeals.service.deals import DealFilter, deal_conditions
from biodeals.store import schema as t

TOP_TARGETS = 15
NO_MODALITY = "(none stated)"
NO_AREA = "(no area known)"
NO_STAGE = "(not stated)"
_MONEY = ("upfront", "total_value")


def _quarter(announced: Any) -> str:
    return f"{announced.year}-Q{(announced.month - 1) // 3 + 1}"


def _money(row: Any) -> dict[str, tuple[float, str]]:
    """The deal's upfront and total value that are stated: kind -> (amount, currency)."""
    stated = {kind: (getattr(row, f"{kind}_amount"), getattr(row, f"{kind}_currency")) for kind in _MONEY}
    return {kind: value for kind, value in stated.items() if value[0] is not None and value[1]}


def _summed(rows: list[Any], groups: dict[int, list[str]], empty: str, name: str) -> list[dict[str, Any]]:
    """Per quarter and group (a deal counts in each of its groups, or in ``empty``): the deals
    and their upfront and total value summed per currency."""
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        quarter = _quarter(row.announced)
        for group in groups.get(row.id) or [empty]:
            cell = cells.setdefault(
                (quarter, group), {"quarter": quarter, name: group, "deals": 0, "upfront": {}, "total_value": {}}
            )
            cell["deals"] += 1
            for kind, (amount, currency) in _money(row).items():
                cell[kind][currency] = cell[kind].get(currency, 0.0) + amount
    return sorted(cells.values(), key=lambda c: (c["quarter"], c[name]))


def _medians(rows: list[Any]) -> list[dict[str, Any]]:
    """Per year and stage at signing: the deals, and the median upfront and total value per
    currency with how many deals state each (a median of two is no trend: the count says so)."""
    stated: dict[tuple[int, str], dict[str, dict[str, list[float]]]] = {}
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for row in rows:
        key = (row.year, row.stage or NO_STAGE)
        counts[key] += 1
        money = stated.setdefault(key, {kind: defaultdict(list) for kind in _MONEY})
        for kind, (amount, currency) in _money(row).items():
            money[kind][currency].append(amount)
    return [
        {
            "year": year,
            "stage": stage,
            "deals": counts[year, stage],
            **{
                f"median_{kind}": {c: median(v) for c, v in sorted(stated[year, stage][kind].items())}
                for kind in _MONEY
            },
            **{f"{kind}_stated": {c: len(v) for c, v in sorted(stated[year, stage][kind].items())} for kind in _MONEY},
        }
        for year, stage in sorted(counts)
    ]


def trends(engine: Engine, f: DealFilter, top: int = TOP_TARGETS) -> dict[str, Any]:
    """``by_quarter`` / ``by_area``: per quarter and modality / therapeutic area, the deals and
    their upfront and total value per currency (``quarters`` lists them in order, none skipped
    between the first and the last); ``by_stage``: per year and stage at signing, the median
    upfront and total; ``top_targets``: the ``top`` targets by deal count; ``year_only``: the
    selected deals dated by year alone (in ``by_stage``, not in the quarters)."""
    d = t.deals.c
    selected = select(d.id).where(*deal_conditions(engine, f)).scalar_subquery()
    money_columns = (getattr(d, f"{k}_{part}") for k in _MONEY for part in ("amount", "currency"))
    with engine.connect() as conn:
        rows = conn.execute(select(d.id, d.announced, d.year, d.stage, *money_columns).where(d.id.in_(selected))).all()
        modalities: dict[int, list[str]] = defaultdict(list)
        for deal_id, modality in conn.execute(
            select(t.deal_modalities.c.deal_id, t.deal_modalities.c.modality).where(
                t.deal_modalities.c.deal_id.in_(selected)
            )
        ):
            modalities[deal_id].append(modality)
        areas: dict[int, list[str]] = defaultdict(list)
        for deal_id, standard_id in conn.execute(
            select(t.deal_entities.c.deal_id, t.entities.c.standard_id)
            .join(t.entities, t.entities.c.id == t.deal_entities.c.entity_id)
            .where(t.entities.c.kind == "indication", t.deal_entities.c.deal_id.in_(selected))
        ):
            area = area_of(standard_id)
            if area and area not in areas[deal_id]:
                areas[deal_id].append(area)
        deal_count = func.count(func.distinct(t.deal_entities.c.deal_id))
        targets = conn.execute(
            select(t.entities.c.id, t.entities.c.name, deal_count.label("deals"))
            .join(t.deal_entities, t.deal_entities.c.entity_id == t.entities.c.id)
            .where(t.entities.c.kind == "target", t.deal_entities.c.deal_id.in_(selected))
            .group_by(t.entities.c.id, t.entities.c.name)
            .order_by(deal_count.desc(), t.entities.c.name)
            .limit(top)
        ).all()
    dated = [row for row in rows if row.announced is not None]
    by_quarter = _summed(dated, modalities, NO_MODALITY, "modality")
    return {
        "quarters": _every_quarter(sorted({cell["quarter"] for cell in by_quarter})),
        "by_quarter": by_quarter,
        "by_area": _summed(dated, areas, NO_AREA, "area"),
        "by_stage": _medians([row for row in rows if row.year is not None]),
        "top_targets": [{"id": r.id, "name": r.name, "deals": r.deals} for r in targets],
        "year_only": len(rows) - len(dated),
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


TABLES = ("by_quarter", "by_area", "by_stage", "top_targets")


def trend_rows(found: dict[str, Any], table: str) -> tuple[list[str], list[dict[str, Any]]]:
    """A trends table as flat rows for a CSV: ``by_quarter`` / ``by_area`` (one row per quarter,
    modality or area, and currency), ``by_stage`` (one per year, stage and currency) or
    ``top_targets``."""
    if table == "top_targets":
        return ["id", "name", "deals"], found["top_targets"]
    if table == "by_stage":
        columns = [
            "year",
            "stage",
            "deals",
            "currency",
            "median_upfront",
            "upfront_stated",
            "median_total_value",
            "total_value_stated",
        ]
        keys = ("median_upfront", "upfront_stated", "median_total_value", "total_value_stated")
        lead = ("year", "stage", "deals")
    else:
        group = "modality" if table == "by_quarter" else "area"
        columns = ["quarter", group, "deals", "currency", "upfront", "total_value"]
        keys, lead = ("upfront", "total_value"), ("quarter", group, "deals")
    rows = []
    for cell in found[table]:
        currencies = sorted(set().union(*(cell[k] for k in keys))) or [None]
        for currency in currencies:
            rows.append(
                {**{k: cell[k] for k in lead}, "currency": currency, **{k: cell[k].get(currency) for k in keys}}
            )
    return columns, rows
