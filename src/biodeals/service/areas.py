"""Therapeutic areas: each MONDO disease's area (oncology, neurology, infectious disease ...),
read from the artifact ``data/areas.json.gz`` that scripts/build_areas.py builds from MONDO's
``is_a`` hierarchy. A deal's areas are those of its indications."""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def _areas() -> dict[str, str]:
    with gzip.open(resources.files("biodeals.data") / "areas.json.gz", "rt", encoding="utf-8") as source:  # type: ignore[call-overload]
        return json.load(source)["map"]


def area_of(standard_id: str | None) -> str | None:
    """The therapeutic area of a disease by its MONDO id ('MONDO:0004992' -> 'oncology')."""
    return _areas().get(standard_id) if standard_id else None


def deal_areas(indications: list[dict[str, Any]]) -> list[str]:
    """The therapeutic areas of a deal's indications (each ``{"standard_id": ...}``), sorted."""
    return sorted({area for item in indications if (area := area_of(item.get("standard_id")))})
