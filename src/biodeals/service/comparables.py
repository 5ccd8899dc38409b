"""Comparable deals: the stored deals most like one deal, by what they share — its main deal
type (``DealType``'s order; a side such as an equity stake beside a licence counts less), target,
modality, indication, therapeutic area, stage at signing — and how close in time they were
struck; each with the reasons it matched, and the median and quartiles of the upfronts and
totals among them.

Deals of the same main type come first; among them, the score is a plain weighted count,
documented in ``WEIGHTS``, so a reader can see why one deal ranks above another.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from sqlalchemy import Engine, or_, select

from biodeals.errors import ConfigError
from biodeals.model import DEAL_STAGES, DealType
from biodeals.service.deals import deal_summaries, get_deal, trusted_deals
from biodeals.store import schema as t

# what a shared trait adds to a candidate's score; a year apart takes 0.2 off the year's 1.0, and
# a programme one stage apart at signing (phase 2 and phase 2/3) earns half the stage's weight
WEIGHTS = {"type": 3.0, "target": 2.5, "modality": 2.0, "indication": 1.5, "stage": 1.5, "area": 1.0, "year": 1.0}
YEAR_DECAY = 0.2
NEAR_STAGE = 0.5
MAX_K = 100
_CHUNK = 500


def _main_type(types: list[str]) -> str | None:
    """What a deal mainly is: the first of its types in the model's order (``DealType.rank``)."""
    return min(types, key=lambda kind: DealType(kind).rank) if types else None


def _traits(deal: dict[str, Any]) -> dict[str, set[Any]]:
    return {
        "type": set(deal["types"]),
        "target": {e["id"] for e in deal["targets"]},
        "modality": set(deal["modalities"]),
        "indication": {e["id"] for e in deal["indications"]},
        "area": set(deal["therapeutic_areas"]),
    }


def _candidate_ids(conn: Any, deal: dict[str, Any], traits: dict[str, set[Any]]) -> list[int]:
    """Trusted deals sharing a type, target, modality or indication with ``deal``."""
    d = t.deals.c
    shared = []
    if traits["type"]:
        shared.append(d.id.in_(select(t.deal_types.c.deal_id).where(t.deal_types.c.type.in_(traits["type"]))))
    if traits["modality"]:
        modalities = select(t.deal_modalities.c.deal_id).where(t.deal_modalities.c.modality.in_(traits["modality"]))
        shared.append(d.id.in_(modalities))
    entities = traits["target"] | traits["indication"]
    if entities:
        shared.append(d.id.in_(select(t.deal_entities.c.deal_id).where(t.deal_entities.c.entity_id.in_(entities))))
    if not shared:
        return []
    return list(conn.scalars(select(d.id).where(or_(*shared), trusted_deals(), d.id != deal["id"])))


def _score(deal: dict[str, Any], traits: dict[str, set[Any]], other: dict[str, Any]) -> tuple[float, list[str]]:
    theirs = _traits(other)
    names = {
        "target": {e["id"]: e["name"] for e in other["targets"]},
        "indication": {e["id"]: e["name"] for e in other["indications"]},
    }
    score, why = 0.0, []
    main, their_main = _main_type(deal["types"]), _main_type(other["types"])
    if main and main == their_main:
        score += WEIGHTS["type"]
        why.append(f"type: {main}")
    elif traits["type"] & theirs["type"]:  # only a side of the deal in common (an equity stake)
        score += WEIGHTS["type"] / 3
        why.append(f"also: {', '.join(sorted(traits['type'] & theirs['type']))}")
    for trait in ("target", "modality", "indication", "area"):
        common = traits[trait] & theirs[trait]
        if common:
            score += WEIGHTS[trait]
            shown = sorted(names[trait].get(v, v) for v in common) if trait in names else sorted(common)
            why.append(f"{trait}: {', '.join(str(v) for v in shown)}")
    if deal["stage"] and other["stage"]:
        steps = abs(DEAL_STAGES.index(deal["stage"]) - DEAL_STAGES.index(other["stage"]))
        if steps == 0:
            score += WEIGHTS["stage"]
            why.append(f"stage: {other['stage']}")
        elif steps == 1:
            score += WEIGHTS["stage"] * NEAR_STAGE
            why.append(f"near stage: {other['stage']}")
    if deal["year"] and other["year"]:
        apart = abs(deal["year"] - other["year"])
        closeness = max(0.0, 1.0 - YEAR_DECAY * apart)
        if closeness:
            score += WEIGHTS["year"] * closeness
            why.append("same year" if apart == 0 else f"{apart} year{'s' if apart > 1 else ''} apart")
    return score, why


def _spread(values: list[float]) -> dict[str, float] | None:
    """Median and quartiles of ``values`` (None when there are none)."""
    if not values:
        return None
    if len(values) == 1:
        return {"n": 1, "q1": values[0], "median": values[0], "q3": values[0]}
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return {"n": len(values), "q1": q1, "median": median, "q3": q3}


def comparables(engine: Engine, deal_id: int, k: int = 10) -> dict[str, Any]:
    """The ``k`` deals most like deal ``deal_id``: ``comparables_of`` the stored deal."""
    if not 1 <= k <= MAX_K:
        raise ConfigError(f"k {k}: expected 1 to {MAX_K} comparables")
    return comparables_of(engine, get_deal(engine, deal_id), k)


def comparables_of(engine: Engine, deal: dict[str, Any], k: int = 10) -> dict[str, Any]:
    """The ``k`` deals most like ``deal`` (as ``get_deal`` gives it; best first), each with
    ``score`` and ``why``, and per currency the median and quartiles of their upfronts and totals."""
    deal_id = deal["id"]
    traits = _traits(deal)
    with engine.connect() as conn:
        ids = _candidate_ids(conn, deal, traits)
        candidates = []
        for start in range(0, len(ids), _CHUNK):  # bound parameters stay far below any database's limit
            rows = conn.execute(select(t.deals).where(t.deals.c.id.in_(ids[start : start + _CHUNK]))).all()
            candidates += deal_summaries(conn, rows)
    scored = []
    main = _main_type(deal["types"])
    for other in candidates:
        score, why = _score(deal, traits, other)
        scored.append({**other, "score": round(score, 3), "why": why, "same_type": _main_type(other["types"]) == main})
    # deals of the same kind first (an acquisition is compared with acquisitions), then by score
    scored.sort(key=lambda c: (not c["same_type"], -c["score"], -(c["year"] or 0), c["id"]))
    chosen = scored[:k]
    terms: dict[str, dict[str, dict[str, float] | None]] = defaultdict(dict)
    for kind in ("upfront", "total_value"):
        by_currency: dict[str, list[float]] = defaultdict(list)
        for other in chosen:
            if other[kind]:
                by_currency[other[kind]["currency"]].append(other[kind]["amount"])
        for currency, values in by_currency.items():
            terms[currency][kind] = _spread(sorted(values))
    return {
        "deal_id": deal_id,
        "headline": deal["headline"],
        "weights": {**WEIGHTS, "year_decay": YEAR_DECAY, "near_stage": NEAR_STAGE},
        "comparables": chosen,
        "terms": dict(terms),
        "considered": len(candidates),  # trusted deals sharing a type, target, modality or indication
    }
